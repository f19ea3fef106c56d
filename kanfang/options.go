package kanfang

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/observe"
)

// Option configures a Client in NewClient.
type Option func(*config)

// WithBaseURL sets the API's base URL (default ProductionBaseURL). A path
// prefix, such as a gateway's "https://gw.example.com/kf/", is kept; a
// trailing slash does not matter.
func WithBaseURL(u string) Option { return func(c *config) { c.Wire.BaseURL = u } }

// WithToken sets where access tokens come from, for instance
// auth.StaticToken(token). Exclusive with WithCredentials.
func WithToken(ts auth.TokenSource) Option { return func(c *config) { c.SetToken(ts) } }

// WithTokenPlacement sets where the token travels: auth.InHeader (the
// default), auth.InForm, auth.InCookie or auth.InQuery. The form and the
// query are one choice that follows the method: a POST carries the token
// in its form with either, never in its URL; a GET in its query.
func WithTokenPlacement(p auth.Placement) Option {
	return func(c *config) {
		if !p.Valid() {
			c.Refuse("unknown token placement %d", int(p))
		}
		c.placement = p
	}
}

// WithHTTPClient sets the http.Client requests go through. Its Transport is
// read at every request, so httpmock.ActivateNonDefault(hc) works before or
// after NewClient. fang never modifies hc, and never follows redirects
// whatever hc's CheckRedirect says. Default (also for nil): the connection
// pool that every fang client given no http.Client shares in the process
// (see NewClient).
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.Wire.HTTPClient = hc } }

// WithCredentials makes the client log in with authKey and authValue
// (GetAccessToken) when it first needs a token, keep the token, refresh it
// shortly before it expires, and log in again when refreshing fails.
// Exclusive with WithToken. See WithTokenStore to share tokens between
// processes.
func WithCredentials(authKey, authValue string) Option {
	return func(c *config) { c.SetCredentials(authKey, authValue, "authKey and authValue") }
}

// WithTokenStore sets where WithCredentials keeps its tokens. Give every
// replica the same shared store (auth/redisstore) and they log in once
// between them. Default: a store private to the client.
func WithTokenStore(s auth.Store) Option { return func(c *config) { c.Store = s } }

// WithLogger sets the logger for request and retry lines (debug and warn
// levels), one Info line per login or token refresh (with its cause), and
// warnings about the token store. Nil, the default, logs nothing.
// Tokens, credentials and query strings are never logged.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.Wire.Logger = l } }

// WithObserver reports the client's calls, HTTP attempts and retries, the
// logins and refreshes of WithCredentials with their cause, and the
// failures of the token store to o (for metrics and traces: see package
// observe, and examples/otel for OpenTelemetry). No event carries a
// secret. Nil, the default, reports nothing and costs nothing.
func WithObserver(o observe.Observer) Option { return func(c *config) { c.Wire.Observer = o } }

// WithTimeout bounds each attempt of a request (default 30 s). The
// context's deadline, when earlier, wins. A negative d disables the
// default bound.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.Wire.Timeout = d } }

// WithRetry sets how often and how patiently transient failures are
// retried: maxAttempts counts the first attempt (default 3), and the wait
// before retry n is drawn uniformly from [0, min(maxBackoff,
// baseBackoff*2^(n-1))) (defaults 100 ms and 2 s), or follows the server's
// Retry-After. Only what is safe is retried: see the package documentation.
func WithRetry(maxAttempts int, baseBackoff, maxBackoff time.Duration) Option {
	return func(c *config) { c.SetRetry(maxAttempts, baseBackoff, maxBackoff) }
}

// WithoutRetry disables retries: every call is attempted once.
func WithoutRetry() Option { return func(c *config) { c.Wire.Retry = wire.NoRetry } }

// WithMaxResponseBytes bounds the response body read (default 4 MiB). A
// larger body is an error, not memory growth.
func WithMaxResponseBytes(n int64) Option { return func(c *config) { c.SetMaxResponseBytes(n) } }

// WithSignKey turns on the platform's "strong validation" for accounts
// that have it: every call carries a timestamp header (Unix milliseconds)
// and a sign header computed by sign.Kanfang over every value the call
// sends in its form (POST) or its query (GET), as the platform signs them:
// a token placed in the form or the query (WithTokenPlacement) is signed
// too, and so are clientEdtion and GetAccessToken's credentials; a token in
// a header or cookie is not.
func WithSignKey(key string) Option { return func(c *config) { c.signKey = key } }

// WithUserAgent puts the caller's product token (such as "myapp/1.2")
// before fang's own in the User-Agent header: "myapp/1.2 fang/0.2.0". By
// default the header is fang's alone ("fang/" + fang.Version).
func WithUserAgent(ua string) Option { return func(c *config) { c.Wire.UserAgent = ua } }

// WithRenewMargin sets how long before expiry a WithCredentials token is
// renewed (default: a tenth of its lifetime, at most five minutes).
func WithRenewMargin(d time.Duration) Option { return func(c *config) { c.RenewMargin = d } }
