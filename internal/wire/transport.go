package wire

import (
	"context"
	"net/http"
	"time"
)

// MaxConnsPerHost is the most connections NewTransport opens to one host.
const MaxConnsPerHost = 64

// NewTransport returns the transport fang uses when the caller gives no
// http.Client: http.DefaultTransport's settings (proxy from the
// environment, HTTP/2 where offered, dial and TLS timeouts) with a pool
// sized for a busy service, so that up to 64 concurrent callers to one host
// reuse their connections instead of opening new ones. It returns nil when
// http.DefaultTransport is not an *http.Transport — httpmock.Activate(), or
// a tracing or proxy wrapper installed as the default: fang then uses the
// default transport as it is, read at every request.
//
// The pool keeps up to 64 idle connections per host, and opens at most
// MaxConnsPerHost (64): a call beyond that waits, within its context, for a
// connection to come free. Without the cap a burst of callers opens more
// connections than there are callers: a call that started dialling takes a
// connection another call just freed, and the caller that freed it, calling
// again, finds the pool empty and dials too.
func NewTransport() *http.Transport {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return nil
	}
	t := base.Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	t.MaxConnsPerHost = MaxConnsPerHost
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// NewHTTPClient returns an http.Client on a NewTransport, or on
// http.DefaultTransport as it is when that is not an *http.Transport.
func NewHTTPClient() *http.Client {
	if t := NewTransport(); t != nil {
		return &http.Client{Transport: t}
	}
	return &http.Client{} // nil Transport: http.DefaultTransport, read at every request
}

// wrapClient returns the client resty drives. It never follows a redirect
// (a redirect could carry the token to another host) and, when the caller
// gave a client, reads that client's Transport at every request: a test
// that activates httpmock on the client after the SDK was built still
// intercepts every call. The caller's client is never modified.
func wrapClient(user *http.Client) *http.Client {
	if user == nil {
		user = NewHTTPClient()
	}
	return &http.Client{
		Transport:     delegate{user},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Jar:           user.Jar,
		Timeout:       user.Timeout,
	}
}

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

// CloseIdleConnections forwards to the underlying transport.
func (d delegate) CloseIdleConnections() { d.c.CloseIdleConnections() }
