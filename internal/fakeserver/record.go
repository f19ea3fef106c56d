package fakeserver

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"reflect"
	"sync"
	"time"
)

// Request records one request a fake received and how it answered;
// kanfangtest.Request and propertytest.Request are this type. A field a
// fake has no use for stays empty in its records.
type Request struct {
	// ServiceCode is, in propertytest, the {serviceCode} of
	// /app/{serviceCode}; "" for any other path (answered HTTP 404), and
	// always "" in kanfangtest.
	ServiceCode string
	// Method and Path are the request's HTTP method and URL path.
	Method string
	Path   string
	// Header is a copy of the request headers (Go-canonicalised names).
	Header http.Header
	// Query holds the parsed query parameters.
	Query url.Values
	// Body is the raw body as read (at most MaxBody+1 bytes); nil before
	// it is read or when there is none.
	Body []byte
	// Form holds, in kanfangtest, the body's form parameters (any POST to
	// an endpoint that takes a token) without the Authorization field;
	// nil when the body was not read as a form.
	Form url.Values
	// TransactionID and UserID are, in propertytest, the transaction-id
	// and user-id headers, under whichever spelling was sent; "" when
	// absent.
	TransactionID string
	UserID        string
	// TokenPlacement is, in kanfangtest, where the token checked was
	// found; "" (PlacementNone) when none was found or the endpoint takes
	// none.
	TokenPlacement Placement
	// HTTPStatus is the HTTP status answered: 0 while the request is in
	// flight, or when no answer was written (connection dropped, client
	// gone).
	HTTPStatus int
	// State is the envelope's code (kanfang: its state) of an answer the
	// fake built as an envelope with a code; 0 otherwise.
	State int
	// Injected is true when an injected Failure answered or delayed the
	// request.
	Injected bool
	// Sign is what the fake made of the request's signature headers; each
	// fake says when it checks them. SignProblem says why Sign is
	// "invalid".
	Sign        SignCheck
	SignProblem string
	// ReceivedAt is when the request arrived, on the fake's clock.
	ReceivedAt time.Time
}

// Placement says where a request carried its token (kanfangtest).
type Placement string

// SignCheck is the worth of a request's signature headers.
type SignCheck string

// clone copies r with its own header, values and body.
func (r Request) clone() Request {
	r.Header = r.Header.Clone()
	r.Query = url.Values(http.Header(r.Query).Clone()) // nil stays nil
	r.Form = url.Values(http.Header(r.Form).Clone())
	r.Body = bytes.Clone(r.Body)
	return r
}

// Note lets fn change rec, the record of a request in flight, under the
// lock Last reads it with.
func (lc *Lifecycle) Note(rec *Request, fn func(*Request)) {
	lc.mu.Lock()
	fn(rec)
	lc.mu.Unlock()
}

// Log returns a copy of the record of every request answered or
// abandoned, oldest answer first.
func (lc *Lifecycle) Log() []Request {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	out := make([]Request, len(lc.log))
	for i, r := range lc.log {
		out[i] = r.clone()
	}
	return out
}

// Last returns a copy of the last request received for endpoint, in
// flight or not, and false if there was none.
func (lc *Lifecycle) Last(endpoint string) (Request, bool) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	r, ok := lc.last[endpoint]
	if !ok {
		return Request{}, false
	}
	return r.clone(), true
}

// Apply applies a fake's options to its configuration in order,
// skipping nil ones.
func Apply[C any, O ~func(*C)](cfg *C, opts []O) {
	for _, o := range opts {
		if o != nil {
			o(cfg)
		}
	}
}

// RandomHex returns n random bytes as 2n lower-case hex digits: a token.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// Route is an endpoint of a fake: the one method it answers and what
// carries a request on it out.
type Route[H any] struct {
	Method string
	Fn     H
}

// Routes are a fake's endpoints: its own, fixed by NewRoutes, and those
// tests register with its Handle, under the rules both fakes keep: GET or
// POST only, a function that is not nil, a second registration replacing
// the first, and none of the fake's own endpoints replaced. It is safe for
// concurrent use.
type Routes[H any] struct {
	fake string              // the fake's package, which starts panic messages
	own  map[string]Route[H] // never changed

	mu sync.Mutex
	m  map[string]Route[H] // registered by Handle
}

// NewRoutes returns the Routes of the fake named fake, whose own
// endpoints are own.
func NewRoutes[H any](fake string, own map[string]Route[H]) *Routes[H] {
	return &Routes[H]{fake: fake, own: own, m: make(map[string]Route[H])}
}

// Handle registers fn for method on endpoint. It panics when endpoint is
// one of the fake's own, when method is not GET or POST, or when fn is nil.
func (rt *Routes[H]) Handle(method, endpoint string, fn H) {
	if _, own := rt.own[endpoint]; own {
		panic(rt.fake + ": Handle: " + endpoint + " is served by the fake itself")
	}
	if v := reflect.ValueOf(fn); !v.IsValid() || v.Kind() == reflect.Func && v.IsNil() ||
		method != http.MethodGet && method != http.MethodPost {
		panic(rt.fake + ": Handle: needs GET or POST and a function")
	}
	rt.mu.Lock()
	rt.m[endpoint] = Route[H]{Method: method, Fn: fn}
	rt.mu.Unlock()
}

// Lookup returns the route of endpoint: the fake's own, or the one
// registered with Handle.
func (rt *Routes[H]) Lookup(endpoint string) (Route[H], bool) {
	if r, ok := rt.own[endpoint]; ok {
		return r, true
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	r, ok := rt.m[endpoint]
	return r, ok
}

// Clock is a fake's clock: a base clock (WithClock; time.Now by default)
// moved by every Advance so far. It is safe for concurrent use.
type Clock struct {
	base   func() time.Time
	mu     sync.Mutex
	offset time.Duration
}

// NewClock returns a Clock over base; nil means time.Now.
func NewClock(base func() time.Time) *Clock {
	if base == nil {
		base = time.Now
	}
	return &Clock{base: base}
}

// Now is the base clock's time moved by every Advance so far.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	d := c.offset
	c.mu.Unlock()
	return c.base().Add(d)
}

// Advance moves the clock forward by d; a negative d moves it back.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}
