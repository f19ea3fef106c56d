package kanfang

import (
	"fmt"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/clientopt"
)

// Base URLs of the two 123kanfang environments.
const (
	ProductionBaseURL = "https://webapi.123kanfang.com"
	TestBaseURL       = "http://webapi-test.123kanfang.com"
)

// Endpoint paths, relative to the base URL.
const (
	PathPutAnjukeBianHao = "/v2/houseTask/putAnjukeBianHao"
	PathGetAccessToken   = "/v2/Authorization/GetAccessToken" //nolint:gosec // G101: a path, not a credential
	PathRefreshToken     = "/v2/Authorization/RefreshToken"   //nolint:gosec // G101: a path, not a credential
	// PathAddNewNotifyTaskByPackageID is AddNotifyTask's endpoint.
	PathAddNewNotifyTaskByPackageID = "/v2/houseTask/AddNewNotifyTaskByPackageID"
)

// ClientEdition is the clientEdtion parameter sent when logging in: it
// identifies a partner server. (The server spells the parameter name
// "clientEdtion".)
const ClientEdition = "ps_1.0.0"

// Client calls the 123kanfang web API. Create it with NewClient; it is safe
// for concurrent use.
type Client struct {
	caller *call.Caller
	proto  *protocol
	closer clientopt.Closer // closes the token source made for WithCredentials
}

type config struct {
	clientopt.Common // base URL, HTTP client, timeout, retry, …, token or credentials, store
	placement        auth.Placement
	signKey          string
}

// NewClient returns a client configured by opts. With no options it talks
// to ProductionBaseURL. PutAnjukeBianHao needs a token: give WithToken or
// WithCredentials (a client without either can still call GetAccessToken
// and RefreshToken). Bad options are reported here, as errors matching
// ErrConfig.
//
// Without WithHTTPClient the client sends through one connection pool
// shared by every fang client of the process (kanfang's and property's):
// many short-lived clients reuse the same connections, which close after
// 90 s idle. The pool is a clone of http.DefaultTransport tuned for
// concurrent use (up to 64 connections per host), used while
// http.DefaultTransport is still the one the process started with; once
// something replaces it (httpmock.Activate(), a tracing wrapper), whether
// before or after NewClient, requests go through http.DefaultTransport as
// it is at each request.
func NewClient(opts ...Option) (*Client, error) {
	var cfg config
	cfg.Wire.BaseURL = ProductionBaseURL
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	if p := cfg.Problem(); p != "" {
		return nil, configError("%s", p)
	}
	engine, err := cfg.Engine("kanfang", cfg.placement, "")
	if err != nil {
		return nil, configError("%v", err)
	}
	c := &Client{proto: &protocol{base: engine.URL(""), placement: cfg.placement, signKey: cfg.signKey, now: time.Now}}
	// The credentials' source logs in through c, whose caller is set here.
	c.caller = cfg.Caller(call.Config{ //nolint:gosec // G101: a message about tokens, not a credential
		Engine: engine,
		API:    c.proto,
		// No error quotes it, whatever the call (a proxy page may echo
		// anything).
		Secrets:   []string{cfg.signKey},
		NoTokens:  "no token: give WithToken or WithCredentials to NewClient",
		ErrConfig: ErrConfig,
	}, &c.closer, func() auth.TokenSource { return c.credentialSource(cfg) })
	return c, nil
}

// String describes the client without its secrets (token, sign key).
func (c *Client) String() string {
	return fmt.Sprintf("kanfang.Client{base: %s, placement: %s}", c.proto.base, c.proto.placement)
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
