package wire

import (
	"errors"
	"net/url"
	"strings"

	"github.com/fangsdk/fang/auth"
)

// redactQuery returns rawURL with its query, if any, replaced by
// auth.Redacted in errors and logs: a query may hold a token
// (Authorization=...) or a password (authValue=...).
func redactQuery(rawURL string) string {
	if i := strings.IndexByte(rawURL, '?'); i >= 0 {
		return rawURL[:i+1] + auth.Redacted
	}
	return rawURL
}

// redactTarget is a redirect target as errors and logs may show it: the
// scheme and host only, the rest (path, query, fragment: any of them may
// carry a token) replaced by [REDACTED]. A relative target shows nothing
// but the mark.
func redactTarget(location string) string {
	u, err := url.Parse(location)
	if err != nil || u.Host == "" {
		return auth.Redacted
	}
	if u.Scheme == "" {
		return "//" + u.Host + "/" + auth.Redacted
	}
	return u.Scheme + "://" + u.Host + "/" + auth.Redacted
}

// redactError rewrites the URL inside a *url.Error (what http.Client
// returns) so that no query string reaches the caller.
func redactError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && strings.Contains(ue.URL, "?") {
		clean := &url.Error{Op: ue.Op, URL: redactQuery(ue.URL), Err: ue.Err}
		if ue == err { //nolint:errorlint // identity: is err itself the *url.Error, or does it wrap one?
			return clean
		}
		return &replaced{outer: err, inner: clean}
	}
	return err
}

// replaced keeps an error chain but shows the redacted inner *url.Error.
type replaced struct {
	outer error
	inner *url.Error
}

func (r *replaced) Error() string { return r.inner.Error() }
func (r *replaced) Unwrap() error { return r.inner }
