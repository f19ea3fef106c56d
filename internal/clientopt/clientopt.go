// Package clientopt is the configuration both clients share: base URL,
// HTTP client, timeout, retry, body limit, logger, observer, user agent, token
// source or credentials, token store and renewal margin. Each client
// embeds Common in its own config and keeps its own exported With…
// functions, one line each, calling the setters here.
package clientopt

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/observe"
)

// Common is the shared part of a client's configuration.
type Common struct {
	Wire        wire.Config      // base URL, HTTP client, timeout, retry, body limit, logger, user agent
	Tokens      auth.TokenSource // WithToken
	Credentials bool             // WithCredentials was given
	User        string           // its username (kanfang: authKey)
	Secret      string           // its password (kanfang: authValue)
	Store       auth.Store       // WithTokenStore
	RenewMargin time.Duration    // WithRenewMargin

	problems []string
}

func (c *Common) problem(msg string) { c.problems = append(c.problems, msg) }

// SetBaseURL is WithBaseURL.
func (c *Common) SetBaseURL(u string) { c.Wire.BaseURL = u }

// SetHTTPClient is WithHTTPClient.
func (c *Common) SetHTTPClient(hc *http.Client) { c.Wire.HTTPClient = hc }

// SetToken is WithToken.
func (c *Common) SetToken(ts auth.TokenSource) {
	if ts == nil {
		c.problem("WithToken(nil)")
	}
	c.Tokens = ts
}

// SetCredentials is WithCredentials; names are the parameters' names for
// the message about empty ones ("authKey and authValue").
func (c *Common) SetCredentials(user, secret, names string) {
	if strings.TrimSpace(user) == "" || secret == "" {
		c.problem("WithCredentials needs a non-empty " + names + " (a login name of only white space is blank)")
	}
	c.User, c.Secret, c.Credentials = user, secret, true
}

// SetTokenStore is WithTokenStore.
func (c *Common) SetTokenStore(s auth.Store) { c.Store = s }

// SetLogger is WithLogger.
func (c *Common) SetLogger(l *slog.Logger) { c.Wire.Logger = l }

// SetObserver is WithObserver; api names the client ("kanfang",
// "property") in the events.
func (c *Common) SetObserver(api string, o observe.Observer) {
	c.Wire.Observer, c.Wire.API = o, api
}

// SetTimeout is WithTimeout.
func (c *Common) SetTimeout(d time.Duration) { c.Wire.Timeout = d }

// SetRetry is WithRetry.
func (c *Common) SetRetry(maxAttempts int, baseBackoff, maxBackoff time.Duration) {
	if maxAttempts < 1 {
		c.problem("WithRetry: maxAttempts must be at least 1")
	}
	c.Wire.Retry = wire.RetryPolicy{MaxAttempts: maxAttempts, BaseBackoff: baseBackoff, MaxBackoff: maxBackoff}
}

// SetNoRetry is WithoutRetry.
func (c *Common) SetNoRetry() { c.Wire.Retry = wire.NoRetry }

// SetMaxResponseBytes is WithMaxResponseBytes.
func (c *Common) SetMaxResponseBytes(n int64) {
	if n <= 0 {
		c.problem("WithMaxResponseBytes: limit must be positive")
	}
	c.Wire.MaxBodyBytes = n
}

// SetUserAgent is WithUserAgent.
func (c *Common) SetUserAgent(ua string) { c.Wire.UserAgent = ua }

// SetRenewMargin is WithRenewMargin.
func (c *Common) SetRenewMargin(d time.Duration) { c.RenewMargin = d }

// Problem returns what is wrong with the shared configuration: the first
// bad option, WithToken given with WithCredentials, or a user agent that
// cannot be sent; "" when nothing is.
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

// Own records ts as the client's own token source.
func (c *Closer) Own(ts auth.TokenSource) { c.owned = ts }

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
