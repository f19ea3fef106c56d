package wire

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// MaxConnsPerHost is the most connections the shared pool opens to one
// host.
const MaxConnsPerHost = 64

// startTransport is http.DefaultTransport as the process started with it,
// nil when something replaced it before this package was initialised.
var startTransport, _ = http.DefaultTransport.(*http.Transport)

// sharedTransport is the one pool of every Engine given no http.Client,
// made on first use: a NewTransport clone of startTransport.
var sharedTransport = sync.OnceValue(func() *http.Transport { return tune(startTransport.Clone()) })

// defaultTransport is the transport of a request of an Engine given no
// http.Client, read at every request: the shared pool while
// http.DefaultTransport is still the one the process started with, and
// http.DefaultTransport as it is otherwise (httpmock.Activate(), a tracing
// or proxy wrapper installed as the default, before or after the Engine
// was made).
func defaultTransport() http.RoundTripper {
	rt := http.DefaultTransport
	if t, ok := rt.(*http.Transport); ok && t == startTransport && t != nil {
		return sharedTransport()
	}
	return rt
}

// NewTransport returns a transport tuned as the shared pool is:
// http.DefaultTransport's settings (proxy from the environment, HTTP/2
// where offered, dial and TLS timeouts) with a pool sized for a busy
// service, so that up to 64 concurrent callers to one host reuse their
// connections instead of opening new ones. It returns nil when
// http.DefaultTransport is not an *http.Transport.
//
// The pool keeps up to 64 idle connections per host for 90 s, and opens
// at most MaxConnsPerHost (64): a call beyond that waits, within its
// context, for a connection to come free. Without the cap a burst of
// callers opens more connections than there are callers: a call that
// started dialling takes a connection another call just freed, and the
// caller that freed it, calling again, finds the pool empty and dials too.
func NewTransport() *http.Transport {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return nil
	}
	return tune(base.Clone())
}

func tune(t *http.Transport) *http.Transport {
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	t.MaxConnsPerHost = MaxConnsPerHost
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// wrapClient returns the client resty drives. It never follows a redirect
// (a redirect could carry the token to another host). Given no client, it
// sends through defaultTransport: every such Engine of the process shares
// one pool of connections, and none of them owns it. Given the caller's
// client, it reads that client's Transport at every request: a test that
// activates httpmock on the client after the SDK was built still
// intercepts every call. The caller's client is never modified.
func wrapClient(user *http.Client) *http.Client {
	c := &http.Client{
		Transport:     delegate{user},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if user != nil {
		c.Jar, c.Timeout = user.Jar, user.Timeout
	}
	return c
}

// delegate sends through the caller's client's Transport, or through
// defaultTransport when c is nil.
type delegate struct{ c *http.Client }

func (d delegate) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.GetBody != nil && notReplayable(r.Context()) {
		// Without GetBody no transport can send the body a second time:
		// Go's HTTP/2 transport re-sends a request whose stream was reset
		// (PROTOCOL_ERROR, REFUSED_STREAM, a GOAWAY) when it can rewind the
		// body, and resty always sets GetBody. A RoundTripper must not
		// modify the request it is given: send a shallow copy.
		r2 := *r
		r2.GetBody = nil
		r = &r2
	}
	if d.c == nil {
		return defaultTransport().RoundTrip(r)
	}
	if t := d.c.Transport; t != nil {
		return t.RoundTrip(r)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// notReplayableKey marks the context of a request that is not idempotent.
type notReplayableKey struct{}

func withNotReplayable(ctx context.Context) context.Context {
	return context.WithValue(ctx, notReplayableKey{}, true)
}

func notReplayable(ctx context.Context) bool {
	v, _ := ctx.Value(notReplayableKey{}).(bool)
	return v
}

// CloseIdleConnections forwards to the caller's client. The shared pool
// is never closed: other Engines use it.
func (d delegate) CloseIdleConnections() {
	if d.c != nil {
		d.c.CloseIdleConnections()
	}
}
