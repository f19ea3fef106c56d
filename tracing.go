package fang

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/fangsdk/fang/auth"
)

// secretQueryParams are the query parameters that carry secrets on the
// wire: 123kanfang's GetAccessToken sends the password as authValue, and a
// token placed in the query (auth.InQuery) travels as Authorization.
var secretQueryParams = [...]string{"authValue", "Authorization"}

// URLHasSecrets reports whether u carries a secret in its query (the
// parameters authValue, 123kanfang's password, and Authorization, a token
// placed there by auth.InQuery): anything that records URLs (an access
// log, a tracing span's url.full) must not record it as it is.
func URLHasSecrets(u *url.URL) bool {
	if u == nil || u.RawQuery == "" {
		return false
	}
	q := u.Query()
	return slices.ContainsFunc(secretQueryParams[:], q.Has)
}

// RedactedURL returns a copy of u with the value of every secret query
// parameter replaced by [REDACTED]; other parameters keep their values.
// RedactedURL(nil) is nil.
func RedactedURL(u *url.URL) *url.URL {
	if u == nil {
		return nil
	}
	c := *u
	if !URLHasSecrets(u) {
		return &c
	}
	q := u.Query()
	for _, name := range secretQueryParams {
		if q.Has(name) {
			q.Set(name, auth.Redacted)
		}
	}
	c.RawQuery = q.Encode()
	return &c
}

// TraceSafeTransport returns base instrumented by instrument (for example
// otelhttp.NewTransport) so that the instrumentation never sees a secret
// in a URL: the request it is shown carries RedactedURL, and the real URL
// is put back below it, just before base sends the request. Give the
// result to the clients with WithHTTPClient:
//
//	hc := &http.Client{Transport: fang.TraceSafeTransport(http.DefaultTransport,
//		func(rt http.RoundTripper) http.RoundTripper { return otelhttp.NewTransport(rt) })}
//
// Spans then record url.full with authValue=[REDACTED]; the server gets
// the real value. Headers and bodies are not touched: common
// instrumentation records neither (tokens in the Authorization header stay
// unrecorded).
func TraceSafeTransport(base http.RoundTripper, instrument func(http.RoundTripper) http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return hideSecrets{next: instrument(restoreSecrets{next: base})}
}

// realURLKey carries the real URL past the instrumentation.
type realURLKey struct{}

// hideSecrets shows the layers below it a request with a redacted URL.
type hideSecrets struct{ next http.RoundTripper }

func (h hideSecrets) RoundTrip(r *http.Request) (*http.Response, error) {
	if !URLHasSecrets(r.URL) {
		return h.next.RoundTrip(r)
	}
	shown := r.WithContext(context.WithValue(r.Context(), realURLKey{}, r.URL))
	shown.URL = RedactedURL(r.URL)
	return h.next.RoundTrip(shown)
}

// restoreSecrets puts the real URL back before sending.
type restoreSecrets struct{ next http.RoundTripper }

func (s restoreSecrets) RoundTrip(r *http.Request) (*http.Response, error) {
	if u, ok := r.Context().Value(realURLKey{}).(*url.URL); ok {
		sent := r.Clone(r.Context())
		sent.URL = u
		return s.next.RoundTrip(sent)
	}
	return s.next.RoundTrip(r)
}
