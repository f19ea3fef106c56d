package property

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

// WithBaseURL sets the HC server's base URL, http://{ip}:{port} or an
// HTTPS proxy in front of it. Required: HC is self-hosted, so there is no
// default. A path prefix is kept; a trailing slash does not matter.
func WithBaseURL(u string) Option { return func(c *config) { c.Wire.BaseURL = u } }

// WithAppID sets the application id assigned by the platform's developer
// console, sent as the app-id header and signed. Required.
func WithAppID(id string) Option { return func(c *config) { c.appID = id } }

// WithSecurityCode sets the application's secret, used only to sign
// requests; it is never sent, logged or shown. Leave it unset when the
// application has no security code.
func WithSecurityCode(code string) Option { return func(c *config) { c.securityCode = code } }

// WithToken sets where session tokens come from, for instance
// auth.StaticToken(token). They are sent as "Authorization: Bearer
// <token>". Exclusive with WithCredentials.
func WithToken(ts auth.TokenSource) Option { return func(c *config) { c.SetToken(ts) } }

// WithHTTPClient sets the http.Client requests go through. Its Transport is
// read at every request, so httpmock.ActivateNonDefault(hc) works before or
// after NewClient. fang never modifies hc, and never follows redirects.
// Default (also for nil): the connection pool that every fang client given
// no http.Client shares in the process (see NewClient).
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.Wire.HTTPClient = hc } }

// WithCredentials makes the client log in (login.pcUserLogin) when it first
// needs a session, and again shortly before the session ends or when the
// server rejects it. Exclusive with WithToken.
func WithCredentials(username, password string) Option {
	return func(c *config) { c.SetCredentials(username, password, "username and password") }
}

// WithTokenStore sets where WithCredentials keeps its session tokens. Give
// every replica the same shared store (auth/redisstore) and they log in
// once between them.
func WithTokenStore(s auth.Store) Option { return func(c *config) { c.Store = s } }

// WithLogger sets the logger for request and retry lines (debug and warn
// levels), one Info line per login or token refresh (with its cause), and
// warnings about the token store. Nil, the default, logs nothing.
// Tokens, passwords and the security code are never logged.
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

// WithRetry sets how often a request that provably never left this host
// (connection refused, DNS failure) is attempted again: maxAttempts counts
// the first attempt (default 3), with full-jitter exponential backoff
// between baseBackoff and maxBackoff (defaults 100 ms and 2 s). HC calls are
// never repeated once they may have reached the server.
func WithRetry(maxAttempts int, baseBackoff, maxBackoff time.Duration) Option {
	return func(c *config) { c.SetRetry(maxAttempts, baseBackoff, maxBackoff) }
}

// WithoutRetry disables retries: every call is attempted once.
func WithoutRetry() Option { return func(c *config) { c.Wire.Retry = wire.NoRetry } }

// DefaultMaxResponseBytes is the response body read when WithMaxResponseBytes
// is not given: 32 MiB, room for a ListProperties page of about 80,000
// companies (a 10,000-row page, full StoreDto entries, is about 4 MB).
const DefaultMaxResponseBytes = 32 << 20

// WithMaxResponseBytes bounds the response body read by every call
// (default DefaultMaxResponseBytes, 32 MiB). A larger answer fails with an
// error matching ErrResponseTooLarge before more than n+1 bytes are read; a
// list page (ListProperties, ListCommunities, ListMenuGroups) must fit in
// it whole, so lower it only with the Row of the pages you ask for in mind.
func WithMaxResponseBytes(n int64) Option { return func(c *config) { c.SetMaxResponseBytes(n) } }

// WithTransactionIDPrefix sets the 10-digit prefix of transaction-ids.
// Replicas calling the same server must not share a prefix: give each its
// own node id. Default: "1" and nine random digits drawn once per process.
func WithTransactionIDPrefix(prefix string) Option { return func(c *config) { c.txPrefix = prefix } }

// WithSessionLifetime sets how long a session from Login lasts (default two
// hours, as on the platform); WithCredentials logs in again shortly before.
func WithSessionLifetime(d time.Duration) Option { return func(c *config) { c.session = d } }

// WithRenewMargin sets how long before the session ends WithCredentials
// logs in again (default: a tenth of the lifetime, at most five minutes).
func WithRenewMargin(d time.Duration) Option { return func(c *config) { c.RenewMargin = d } }

// WithUserID sets the user-id header sent on authenticated calls (Login
// always sends "-1", as the platform's own clients do).
func WithUserID(id string) Option { return func(c *config) { c.userID = id } }

// WithUserAgent puts the caller's product token (such as "myapp/1.2")
// before fang's own in the User-Agent header: "myapp/1.2 fang/0.2.0". By
// default the header is fang's alone ("fang/" + fang.Version).
func WithUserAgent(ua string) Option { return func(c *config) { c.Wire.UserAgent = ua } }

// WithPasswordMode sets how Login and WithCredentials send the password:
// PasswordAuto (the default) sends sign.HCPassword(password) except with
// the app-id PropertyAppID; PasswordHashed and PasswordPlain force either,
// for a server that differs.
func WithPasswordMode(m PasswordMode) Option {
	return func(c *config) {
		if m < PasswordAuto || m > PasswordPlain {
			c.Refuse("WithPasswordMode: unknown mode %d", int(m))
		}
		c.passwordMode = m
	}
}

// WithSettleWindow sets how long CreateProperty keeps looking for a company
// whose save ended with an unknown outcome, counted from the save's answer
// (default DefaultSettleWindow, one minute), and how often it lists the
// companies meanwhile (default DefaultSettlePoll, 2 s). The real gateway
// gives up on the command service after at most 30 s (three 10 s
// timeouts), and the command may still finish after that: a window much
// shorter than a minute risks reporting ErrNotCreated for a company that
// appears later. Zero keeps a default; a negative window or poll is
// ErrConfig.
func WithSettleWindow(window, poll time.Duration) Option {
	return func(c *config) {
		if window < 0 || poll < 0 {
			c.Refuse("WithSettleWindow: negative window or poll interval")
		}
		c.settleWindow, c.settlePoll = window, poll
	}
}
