package property

import (
	"fmt"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/clientopt"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/sign"
)

// Service codes, the last segment of POST {base}/app/{serviceCode}.
const (
	ServiceSaveProperty = "property.saveProperty"
	ServiceLogin        = "login.pcUserLogin"
)

// HC reads a session token from the Authorization header, after the
// scheme "Bearer ".
const (
	tokenPlacement = auth.InHeader
	tokenScheme    = "Bearer "
)

// DefaultSessionLifetime is how long an HC login session lasts.
const DefaultSessionLifetime = 2 * time.Hour

// Client calls an HC (MicroCommunity) server. Create it with NewClient; it
// is safe for concurrent use.
type Client struct {
	caller       *call.Caller
	proto        *protocol
	session      time.Duration
	passwordMode PasswordMode
	closer       clientopt.Closer // closes the token source made for WithCredentials
	settle       settle           // how CreateProperty waits for an unknown outcome
}

type config struct {
	clientopt.Common    // base URL, HTTP client, timeout, retry, …, token or credentials, store
	appID, securityCode string
	txPrefix            string
	session             time.Duration
	userID              string
	passwordMode        PasswordMode
	settleWindow        time.Duration
	settlePoll          time.Duration
}

// NewClient returns a client configured by opts. WithBaseURL and WithAppID
// are required; give WithToken or WithCredentials to call anything but
// Login. Bad options are reported here, as errors matching ErrConfig.
//
// Without WithHTTPClient the client sends through one connection pool
// shared by every fang client of the process (property's and kanfang's):
// many short-lived clients reuse the same connections, which close after
// 90 s idle. The pool is a clone of http.DefaultTransport tuned for
// concurrent use (up to 64 connections per host), used while
// http.DefaultTransport is still the one the process started with; once
// something replaces it (httpmock.Activate(), a tracing wrapper), whether
// before or after NewClient, requests go through http.DefaultTransport as
// it is at each request.
func NewClient(opts ...Option) (*Client, error) {
	var cfg config
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	if p := cfg.Problem(); p != "" {
		return nil, configError("%s", p)
	}
	if cfg.Wire.MaxBodyBytes == 0 {
		cfg.Wire.MaxBodyBytes = DefaultMaxResponseBytes // a large list page fits
	}
	if cfg.Wire.BaseURL == "" {
		return nil, configError("no base URL: give WithBaseURL(\"http://{ip}:{port}\")")
	}
	if cfg.appID == "" {
		return nil, configError("no app-id: give WithAppID")
	}
	// Values that travel in headers are checked here, not on the first
	// call: a request that cannot be built is not an unknown outcome.
	if err := wire.CheckHeaderValue("WithAppID", cfg.appID); err != nil {
		return nil, configError("%v", err)
	}
	if err := wire.CheckHeaderValue("WithUserID", cfg.userID); err != nil {
		return nil, configError("%v", err)
	}
	engine, err := cfg.Engine("property", tokenPlacement, tokenScheme)
	if err != nil {
		return nil, configError("%v", err)
	}
	ids, err := sign.NewTransactionIDGenerator(cfg.txPrefix)
	if err != nil {
		return nil, configError("%v", err)
	}
	if cfg.session <= 0 {
		cfg.session = DefaultSessionLifetime
	}
	proto := &protocol{base: engine.URL(""), appID: cfg.appID, securityCode: cfg.securityCode, userID: cfg.userID, ids: ids, now: time.Now}
	c := &Client{
		proto:        proto,
		session:      cfg.session,
		passwordMode: cfg.passwordMode,
		settle:       settle{window: cfg.settleWindow, poll: cfg.settlePoll, now: time.Now, sleep: wire.Sleep},
	}
	if c.settle.window == 0 {
		c.settle.window = DefaultSettleWindow
	}
	if c.settle.poll == 0 {
		c.settle.poll = DefaultSettlePoll
	}
	// No error of the client quotes the security code, nor the hash of
	// the password of WithCredentials (a proxy page may echo anything).
	secrets := []string{cfg.securityCode}
	if cfg.Credentials {
		secrets = append(secrets, sign.HCPassword(cfg.Secret))
	}
	c.caller = cfg.Caller(call.Config{Engine: engine, API: proto, Secrets: secrets,
		NoTokens: "no session: give WithToken or WithCredentials to NewClient", ErrConfig: ErrConfig},
		&c.closer, func() auth.TokenSource { return c.credentialSource(cfg) })
	return c, nil
}

// String describes the client without its secrets.
func (c *Client) String() string {
	return fmt.Sprintf("property.Client{base: %s, app-id: %s}", c.proto.base, c.proto.appID)
}

// GoString is String, so that %#v does not reveal secrets either.
func (c *Client) GoString() string { return c.String() }

// Close stops what the client runs in the background: the renewal of the
// token it keeps for WithCredentials (its token source's Close, when the
// source has one). A token source given with WithToken is the caller's,
// and so is an http.Client given with WithHTTPClient: Close leaves both
// alone. Close closes no connections: a client given no http.Client uses
// the pool shared by every fang client of the process (its idle
// connections close after 90 s). Close is safe to call more than once and
// on a nil *Client; later calls return the first call's error. Do not use
// the client after Close.
func (c *Client) Close() error {
	if c == nil {
		return nil
	}
	return c.closer.Close()
}
