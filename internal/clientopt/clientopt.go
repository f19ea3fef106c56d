// Package clientopt is what both clients share of their configuration and
// of NewClient: base URL, HTTP client, timeout, retry, body limit, logger,
// observer, user agent, token source or credentials, token store and
// renewal margin, checked once and turned into the engine and the caller of
// a client. Each client embeds Common in its own config; its exported
// With… functions set Common's fields, through the checking setters here
// where an option can be wrong.
package clientopt

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/placement"
	"github.com/fangsdk/fang/internal/wire"
)

// Common is the shared part of a client's configuration.
type Common struct {
	Wire        wire.Config      // base URL, HTTP client, timeout, retry, body limit, logger, observer, user agent
	Tokens      auth.TokenSource // WithToken
	Credentials bool             // WithCredentials was given
	User        string           // its username (kanfang: authKey)
	Secret      string           // its password (kanfang: authValue)
	Store       auth.Store       // WithTokenStore
	RenewMargin time.Duration    // WithRenewMargin

	problems []string
}

// Refuse records what is wrong with an option; NewClient reports the
// first option refused.
func (c *Common) Refuse(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// SetToken is WithToken: a nil source is refused.
func (c *Common) SetToken(ts auth.TokenSource) {
	if ts == nil {
		c.Refuse("WithToken(nil)")
	}
	c.Tokens = ts
}

// SetCredentials is WithCredentials: a blank login name or an empty secret
// is refused; names are the parameters' names for that message ("authKey
// and authValue").
func (c *Common) SetCredentials(user, secret, names string) {
	if strings.TrimSpace(user) == "" || secret == "" {
		c.Refuse("WithCredentials needs a non-empty %s (a login name of only white space is blank)", names)
	}
	c.User, c.Secret, c.Credentials = user, secret, true
}

// SetRetry is WithRetry: fewer than one attempt is refused.
func (c *Common) SetRetry(maxAttempts int, baseBackoff, maxBackoff time.Duration) {
	if maxAttempts < 1 {
		c.Refuse("WithRetry: maxAttempts must be at least 1")
	}
	c.Wire.Retry = wire.RetryPolicy{MaxAttempts: maxAttempts, BaseBackoff: baseBackoff, MaxBackoff: maxBackoff}
}

// SetMaxResponseBytes is WithMaxResponseBytes: a limit that is not
// positive is refused.
func (c *Common) SetMaxResponseBytes(n int64) {
	if n <= 0 {
		c.Refuse("WithMaxResponseBytes: limit must be positive")
	}
	c.Wire.MaxBodyBytes = n
}

// Problem returns what is wrong with the options: the first one refused,
// WithToken given with WithCredentials, or a user agent that cannot be
// sent; "" when nothing is.
func (c *Common) Problem() string {
	switch {
	case len(c.problems) > 0:
		return c.problems[0]
	case c.Credentials && c.Tokens != nil:
		return "WithToken and WithCredentials are exclusive: choose one"
	}
	if err := wire.CheckHeaderValue("WithUserAgent", c.Wire.UserAgent); err != nil {
		return err.Error()
	}
	return ""
}

// Engine returns the engine a client of api ("kanfang", "property") sends
// through, or what makes it impossible: a static token given with
// WithToken that cannot travel where the client sends tokens (place, after
// scheme: "Bearer " for HC), or a bad base URL. The error is the text of
// the client's configuration error.
func (c *Common) Engine(api string, place auth.Placement, scheme string) (*wire.Engine, error) {
	if st, ok := c.Tokens.(interface{ StaticValue() string }); ok {
		// A token that cannot travel is a configuration error, not a
		// failure of every call.
		if err := placement.Check(place, scheme+st.StaticValue()); err != nil {
			return nil, fmt.Errorf("WithToken: the static token cannot be sent in the %s: %w", place, err)
		}
	}
	c.Wire.API = api
	return wire.New(c.Wire)
}

// Caller returns a client's caller made of cfg, with the client's token
// source: WithToken's, or for WithCredentials the one login makes, which
// owned keeps for the client's Close. No error of the client quotes the
// credentials' secret. Without WithToken or WithCredentials the source is
// nil: only the calls that need no token can be made.
func (c *Common) Caller(cfg call.Config, owned *Closer, login func() auth.TokenSource) *call.Caller {
	cfg.Tokens = c.Tokens
	if c.Credentials {
		cfg.Tokens = login()
		owned.owned = cfg.Tokens
		cfg.Secrets = append(cfg.Secrets, c.Secret)
	}
	return call.New(cfg)
}

// RenewingSource is the token source behind WithCredentials: key names the
// account in the store, renew obtains a token.
func (c *Common) RenewingSource(key string, now func() time.Time, renew auth.RenewFunc) *auth.RenewingSource {
	return auth.NewRenewingSource(auth.RenewingConfig{
		Key:      key,
		Store:    c.Store,
		Margin:   c.RenewMargin,
		Logger:   c.Wire.Logger,
		Observer: c.Wire.Observer,
		Now:      now,
		Renew:    renew,
	})
}

// Closer is what a client's Close does: it closes, once, the token source
// the client made itself for WithCredentials (when that source has a
// Close), never one the caller gave.
type Closer struct {
	owned auth.TokenSource
	once  sync.Once
	err   error
}

// Owned is the client's own token source, nil when it has none.
func (c *Closer) Owned() auth.TokenSource { return c.owned }

// Close closes the owned source once; later calls return the first
// call's error.
func (c *Closer) Close() error {
	c.once.Do(func() {
		if cl, ok := c.owned.(interface{ Close() error }); ok {
			c.err = cl.Close()
		}
	})
	return c.err
}
