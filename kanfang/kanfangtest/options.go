package kanfangtest

import (
	"net"
	"time"
)

// Option configures a Server created by NewServer.
type Option func(*config)

type config struct {
	authKey, authValue string
	tokenLife          time.Duration
	refreshLife        time.Duration
	signKey            string // "" without WithSignKey
	clock              func() time.Time
	listener           net.Listener
	packages           map[string]bool // nil without WithPackages: every id is known
}

// WithCredentials sets the authKey and authValue GetAccessToken accepts
// (default DefaultAuthKey and DefaultAuthValue). NewServer panics if either
// is empty.
func WithCredentials(authKey, authValue string) Option {
	return func(c *config) {
		if authKey == "" || authValue == "" {
			panic("kanfangtest: WithCredentials: empty authKey or authValue")
		}
		c.authKey, c.authValue = authKey, authValue
	}
}

// WithTokenLifetime sets how long access tokens stay valid (default 48
// hours). The lifetime is truncated to whole seconds, with a minimum of one
// second, because clients are told it in seconds (tokenExpireIn).
// NewServer panics if d is not positive.
func WithTokenLifetime(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			panic("kanfangtest: WithTokenLifetime: the lifetime must be positive")
		}
		c.tokenLife = d
	}
}

// WithRefreshTokenLifetime sets how long refresh tokens stay valid (default
// 30 days), truncated to whole seconds with a minimum of one second.
// NewServer panics if d is not positive.
func WithRefreshTokenLifetime(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			panic("kanfangtest: WithRefreshTokenLifetime: the lifetime must be positive")
		}
		c.refreshLife = d
	}
}

// WithSignKey gives the fake the account's "strong validation" sign key.
// A call that carries the timestamp or sign header is checked against it
// and Request.Sign notes the outcome: SignValid for a timestamp header
// (Unix milliseconds within SignWindow of the fake's clock) and a sign
// header equal to sign.Kanfang(key, values, timestamp), where values are
// all the form values of a POST (the Authorization form field included
// when the token travels there) or all the query values of a GET
// (clientEdtion, the credentials, a refresh token sent in the query);
// SignInvalid otherwise. The platform documents strong validation for
// its callbacks only, so no call is ever refused for its headers.
func WithSignKey(key string) Option {
	return func(c *config) {
		if key == "" {
			panic("kanfangtest: WithSignKey: empty key")
		}
		c.signKey = key
	}
}

// WithClock replaces the clock the fake uses for token expiry and signature
// timestamps (default time.Now). Server.Advance moves it further.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.clock = now
		}
	}
}

// WithListener makes the server serve on l instead of a fresh 127.0.0.1
// port, for example to serve on a fixed address from a command-line tool.
// The server takes ownership of l and closes it in Close. If l listens on an
// unspecified address (":8080", "[::]:8080"), Server.URL names the loopback
// address of the same family (127.0.0.1 or [::1]).
func WithListener(l net.Listener) Option {
	return func(c *config) { c.listener = l }
}

// WithPackages makes the server know only the given data package ids:
// putAnjukeBianHao for any other packageId is answered with state 403, as
// the real server does for an unknown package. Without this option every
// packageId is accepted. It may be given more than once; the ids add up.
func WithPackages(ids ...string) Option {
	return func(c *config) {
		if c.packages == nil {
			c.packages = make(map[string]bool)
		}
		for _, id := range ids {
			c.packages[id] = true
		}
	}
}
