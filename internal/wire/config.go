package wire

import (
	"github.com/fangsdk/fang/internal/version"
	"github.com/fangsdk/fang/observe"

	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults applied when a Config field is left zero.
const (
	// DefaultTimeout bounds one attempt (connect, send, and read the
	// answer) when the caller's context has no earlier deadline.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxBodyBytes is the largest response body read.
	DefaultMaxBodyBytes = 4 << 20
	// DefaultUserAgent is sent on every request: fang's product token.
	// Config.UserAgent comes before it.
	DefaultUserAgent = version.UserAgent
)

// Config configures an Engine. The zero value of every field means its
// default.
type Config struct {
	BaseURL      string
	HTTPClient   *http.Client  // the caller's client; nil: the process-wide shared pool (see wrapClient)
	Timeout      time.Duration // per attempt; <0: none
	MaxBodyBytes int64
	Retry        RetryPolicy
	Logger       *slog.Logger     // nil: no logging
	UserAgent    string           // the caller's product token, sent before fang's
	Observer     observe.Observer // nil: none
	API          string           // the API's name for the Observer: "kanfang" or "property"
}

// ParseBaseURL checks that raw is an absolute http(s) URL without query or
// fragment and returns it with any trailing slash removed, ready for endpoint
// paths ("/v2/...") to be appended. A path prefix is kept.
func ParseBaseURL(raw string) (string, error) {
	if raw == "" {
		return "", errors.New("base URL is empty")
	}
	if !strings.Contains(raw, "://") {
		return "", fmt.Errorf("base URL %q has no scheme: add http:// (or https://), as in http://%s", shownURL(raw), shownURL(raw))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("base URL %q: %w", shownURL(raw), unwrapURLError(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("base URL %q: scheme must be http or https", shownURL(raw))
	}
	if u.Host == "" {
		return "", fmt.Errorf("base URL %q: no host", shownURL(raw))
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("base URL %q: must not have a query, fragment or user info", shownURL(raw))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String(), nil
}

// shownURL is raw as an error may quote it: without its query or the
// password of its user info.
func shownURL(raw string) string {
	raw = redactQuery(raw)
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	if i := strings.Index(raw, "://"); i >= 0 {
		authority := raw[i+3:]
		if end := strings.IndexByte(authority, '/'); end >= 0 {
			authority = authority[:end]
		}
		if at := strings.LastIndexByte(authority, '@'); at >= 0 {
			return raw[:i+3] + "xxxxx" + raw[i+3+at:]
		}
	}
	return raw
}

func unwrapURLError(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Err
	}
	return err
}
