package fakeserver

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"reflect"
	"sync"
	"time"
)

// Log is the log of the requests a fake answered or abandoned, oldest
// answer first; R is the fake's own Request type. It is safe for
// concurrent use; its zero value is ready.
type Log[R any] struct {
	mu      sync.Mutex
	entries []R
}

// Add appends a request once it is answered or abandoned.
func (l *Log[R]) Add(r R) {
	l.mu.Lock()
	l.entries = append(l.entries, r)
	l.mu.Unlock()
}

// Entries returns the log, oldest answer first, each entry passed through
// clone so that the caller cannot change what is kept.
func (l *Log[R]) Entries(clone func(R) R) []R {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]R, len(l.entries))
	for i, r := range l.entries {
		out[i] = clone(r)
	}
	return out
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

// Route is an endpoint a test registered with a fake's Handle: the one
// method it answers and the test's function.
type Route[H any] struct {
	Method string
	Fn     H
}

// Routes are the endpoints tests register with a fake's Handle, under the
// rules both fakes keep: GET or POST only, a function that is not nil, a
// second registration replacing the first, and none of the fake's own
// endpoints replaced. It is safe for concurrent use.
type Routes[H any] struct {
	fake string          // the fake's package, which starts panic messages
	own  map[string]bool // the endpoints the fake serves itself

	mu sync.Mutex
	m  map[string]Route[H]
}

// NewRoutes returns the Routes of the fake named fake, whose own endpoints
// are own.
func NewRoutes[H any](fake string, own ...string) *Routes[H] {
	rt := &Routes[H]{fake: fake, own: make(map[string]bool, len(own)), m: make(map[string]Route[H])}
	for _, e := range own {
		rt.own[e] = true
	}
	return rt
}

// Handle registers fn for method on endpoint. It panics when endpoint is
// one of the fake's own, when method is not GET or POST, or when fn is nil.
func (rt *Routes[H]) Handle(method, endpoint string, fn H) {
	if rt.own[endpoint] {
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

// Lookup returns the route registered for endpoint.
func (rt *Routes[H]) Lookup(endpoint string) (Route[H], bool) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	r, ok := rt.m[endpoint]
	return r, ok
}
