package wire

import (
	"net/http"
	"time"
)

// NewTransport returns the transport fang uses when the caller gives no
// http.Client: http.DefaultTransport's settings (proxy from the
// environment, HTTP/2 where offered, dial and TLS timeouts) with an idle
// pool sized for a busy service, so that up to 64 concurrent callers to one
// host reuse their connections instead of opening new ones.
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// NewHTTPClient returns an http.Client on a NewTransport.
func NewHTTPClient() *http.Client { return &http.Client{Transport: NewTransport()} }

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
	if t := d.c.Transport; t != nil {
		return t.RoundTrip(r)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// CloseIdleConnections forwards to the underlying transport.
func (d delegate) CloseIdleConnections() { d.c.CloseIdleConnections() }
