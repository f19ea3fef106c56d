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
// kanfangtest.Request and propertytest.Request are this type, and each
// fake's doc says what its fields mean there. A field a fake has no use
// for (marked with the fake that fills it) stays empty in its records.
type Request struct {
	ServiceCode    string      // propertytest: the {serviceCode} of /app/{serviceCode}
	Method         string      // the request's HTTP method
	Path           string      // the request's URL path
	Header         http.Header // a copy of the request headers
	Query          url.Values  // the parsed query parameters
	Body           []byte      // the raw body as read (at most MaxBody+1 bytes)
	Form           url.Values  // kanfangtest: a POST's form, without the Authorization field
	TransactionID  string      // propertytest: the transaction-id header
	UserID         string      // propertytest: the user-id header
	TokenPlacement Placement   // kanfangtest: where the token checked was found
	HTTPStatus     int         // the HTTP status answered; 0 while in flight or when none was written
	State          int         // the code (kanfang: state) of an envelope the fake built; else 0
	Injected       bool        // an injected Failure answered or delayed the request
	Sign           SignCheck   // what the fake made of the request's signature headers
	SignProblem    string      // why Sign is "invalid"
	ReceivedAt     time.Time   // when the request arrived, on the fake's clock
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
