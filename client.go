package fang

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/fangsdk/fang/internal/version"
	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/property"
)

// Version is the version of this release of fang. The clients send it in
// their User-Agent, "fang/" + Version, after the caller's own product token
// when WithUserAgent gives one.
const Version = version.Version

// Client holds one client per API. A field is nil when its API was not
// configured.
type Client struct {
	Kanfang  *kanfang.Client
	Property *property.Client
}

// Option configures New.
type Option func(*config)

type config struct {
	kanfang, property bool
	kanfangOpts       []kanfang.Option
	propertyOpts      []property.Option
	httpClient        *http.Client
}

// WithKanfang configures the 123kanfang client with opts.
func WithKanfang(opts ...kanfang.Option) Option {
	return func(c *config) { c.kanfang, c.kanfangOpts = true, append(c.kanfangOpts, opts...) }
}

// WithProperty configures the HC client with opts.
func WithProperty(opts ...property.Option) Option {
	return func(c *config) { c.property, c.propertyOpts = true, append(c.propertyOpts, opts...) }
}

// WithHTTPClient sets the http.Client both clients use, unless their own
// options give another.
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.httpClient = hc } }

// ErrNothingConfigured is returned by New when neither WithKanfang nor
// WithProperty was given.
var ErrNothingConfigured = errors.New("fang: nothing to configure: give WithKanfang and/or WithProperty")

// New builds the clients of the APIs configured by opts. Unless an option
// gives them an http.Client, both clients use the connection pool that
// every fang client without one shares in the process (see
// kanfang.NewClient).
func New(opts ...Option) (*Client, error) {
	var cfg config
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	if !cfg.kanfang && !cfg.property {
		return nil, ErrNothingConfigured
	}
	shared := cfg.httpClient // nil: the process-wide pool
	c := new(Client)
	var err error
	if cfg.kanfang {
		// The shared client comes first: a WithHTTPClient among the
		// caller's options overrides it.
		opts := append([]kanfang.Option{kanfang.WithHTTPClient(shared)}, cfg.kanfangOpts...)
		if c.Kanfang, err = kanfang.NewClient(opts...); err != nil {
			return nil, fmt.Errorf("fang: %w", err)
		}
	}
	if cfg.property {
		opts := append([]property.Option{property.WithHTTPClient(shared)}, cfg.propertyOpts...)
		if c.Property, err = property.NewClient(opts...); err != nil {
			return nil, fmt.Errorf("fang: %w", err)
		}
	}
	return c, nil
}

// Close closes both clients (see kanfang.Client.Close and
// property.Client.Close): the background renewals of the tokens they keep
// for WithCredentials stop. It is safe to call more than once and on a nil
// *Client, and returns the clients' errors joined. Do not use the clients
// after Close.
func (c *Client) Close() error {
	if c == nil {
		return nil
	}
	return errors.Join(c.Kanfang.Close(), c.Property.Close())
}
