package wire

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/fangsdk/fang/observe"
)

// Engine sends Calls. It is safe for concurrent use.
type Engine struct {
	rc      *resty.Client
	base    string
	timeout time.Duration
	maxBody int64
	retry   RetryPolicy
	log     *slog.Logger
	obs     observe.Observer // nil: none
	api     string           // for obs
	sleep   func(context.Context, time.Duration) error
}

// New builds an Engine from cfg, validating the base URL.
func New(cfg Config) (*Engine, error) {
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if err := CheckHeaderValue("the user agent", cfg.UserAgent); err != nil {
		return nil, err
	}
	e := &Engine{
		base:    base,
		timeout: cfg.Timeout,
		maxBody: cfg.MaxBodyBytes,
		retry:   cfg.Retry.withDefaults(),
		log:     cfg.Logger,
		obs:     cfg.Observer,
		api:     cfg.API,
		sleep:   Sleep,
	}
	if e.timeout == 0 {
		e.timeout = DefaultTimeout
	}
	if e.maxBody <= 0 {
		e.maxBody = DefaultMaxBodyBytes
	}
	ua := DefaultUserAgent
	if cfg.UserAgent != "" {
		ua = cfg.UserAgent + " " + DefaultUserAgent // "myapp/1.2 fang/0.2.0"
	}
	e.rc = resty.NewWithClient(wrapClient(cfg.HTTPClient)).
		SetHeader("User-Agent", ua).
		SetLogger(discardLogger{}).
		SetRetryCount(0).
		SetDoNotParseResponse(true)
	return e, nil
}

// Observer returns the Observer the engine reports to, or nil.
func (e *Engine) Observer() observe.Observer { return e.obs }

// API returns the API's name given in Config.
func (e *Engine) API() string { return e.api }

// URL returns the absolute URL of an endpoint path such as
// "/v2/houseTask/putAnjukeBianHao".
func (e *Engine) URL(path string) string { return e.base + path }

// Call is one logical request. Header must be complete (resty adds only the
// Engine's User-Agent); Body, when not nil, is sent exactly as given on every attempt.
type Call struct {
	Op            string // for logs, e.g. "putAnjukeBianHao"
	Method        string
	URL           string // absolute, from Engine.URL
	RawQuery      string
	Header        http.Header
	Body          []byte
	Idempotent    bool   // may be repeated after it may have reached the server
	TransactionID string // for logs, when the API has one
	// Resign, when set, is called before every attempt after the first:
	// it may rewrite Header and TransactionID (HC gives each attempt a new
	// transaction-id, req-time and sign).
	Resign func(c *Call)
}

// Response is an HTTP answer read in full.
type Response struct {
	Status   int
	Header   http.Header
	Body     []byte
	Attempts int
}

// Do sends c, retrying as the policy and c.Idempotent allow: an idempotent
// call after a connection failure, a timeout, or HTTP 429/502/503/504; any
// call when the failure proves nothing was sent. It never sleeps past the
// context's deadline. The error is a *SendError, *RedirectError or
// *BodyError; an HTTP answer of any status is a Response.
func (e *Engine) Do(ctx context.Context, c *Call) (*Response, error) {
	if ctx == nil {
		return nil, &SendError{Err: ErrNilContext}
	}
	everSent := false // whether any attempt may have reached the server
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, &SendError{Sent: everSent, Attempts: attempt - 1, Err: err}
		}
		if attempt > 1 && c.Resign != nil {
			c.Resign(c)
		}
		start := time.Now()
		resp, sent, err := e.attempt(ctx, c)
		everSent = everSent || sent
		e.logAttempt(ctx, c, attempt, start, resp, err)
		if e.obs != nil {
			e.reportAttempt(ctx, c, attempt, start, resp, sent, err)
		}

		wait, retry := e.shouldRetry(ctx, c, attempt, resp, sent, err)
		if !retry {
			if err != nil {
				if se, ok := errors.AsType[*SendError](err); ok {
					se.Sent, se.Attempts = everSent, attempt
				}
				return nil, err
			}
			resp.Attempts = attempt
			return resp, nil
		}
		e.logRetry(ctx, c, attempt, wait, resp, err)
		if e.obs != nil {
			e.reportRetry(ctx, c, attempt, wait, resp, err)
		}
		if err := e.sleep(ctx, wait); err != nil {
			return nil, &SendError{Sent: everSent, Attempts: attempt, Err: err}
		}
	}
}

// shouldRetry decides whether attempt n may be followed by another and how
// long to wait first.
func (e *Engine) shouldRetry(ctx context.Context, c *Call, n int, resp *Response, sent bool, err error) (time.Duration, bool) {
	if n >= e.retry.MaxAttempts || ctx.Err() != nil {
		return 0, false
	}
	wait := e.retry.backoff(n)
	switch {
	case err != nil:
		if _, ok := errors.AsType[*SendError](err); !ok {
			return 0, false // redirects, unreadable bodies: the server answered
		}
		if sent && !c.Idempotent {
			return 0, false
		}
	case c.Idempotent && retryableStatus(resp.Status):
		if d, ok := retryAfter(resp.Header, time.Now()); ok {
			if d > e.retry.MaxRetryAfter {
				return 0, false
			}
			wait = d
		}
	default:
		return 0, false
	}
	if dl, ok := ctx.Deadline(); ok && time.Now().Add(wait).After(dl) {
		return 0, false
	}
	return wait, true
}

// attempt sends c once and reads the answer. sent reports whether the
// request may have reached the server.
func (e *Engine) attempt(ctx context.Context, c *Call) (resp *Response, sent bool, err error) {
	if e.timeout > 0 {
		// A context that ends sooner already bounds the attempt: deriving
		// one would only cost a timer.
		if dl, ok := ctx.Deadline(); !ok || time.Until(dl) >= e.timeout {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, e.timeout)
			defer cancel()
		}
	}
	// The trace tells whether a connection was asked for and obtained,
	// that is whether the request may have been sent. One allocation holds
	// the trace and its flags.
	tr := new(sentTrace)
	tr.trace.GetConn = func(string) { tr.getConn.Store(true) }
	tr.trace.GotConn = func(httptrace.GotConnInfo) { tr.gotConn.Store(true) }
	ctx = httptrace.WithClientTrace(ctx, &tr.trace)
	if !c.Idempotent {
		ctx = withNotReplayable(ctx)
	}

	r := e.rc.R().SetContext(ctx)
	r.Header = c.Header // resty sends a copy: a cookie jar never writes into it
	if c.Body != nil {
		r.SetBody(bytes.NewReader(c.Body)) // a reader: resty neither copies nor re-encodes it
	}
	target := c.URL
	if c.RawQuery != "" {
		target += "?" + c.RawQuery
	}
	res, err := r.Execute(c.Method, target)
	if err == nil {
		raw := res.RawResponse
		defer func() { _ = raw.Body.Close() }() // the body was read in full or the read failed
		return e.read(raw)
	}
	sent = tr.mayHaveBeenSent(err)
	return nil, sent, &SendError{Sent: sent, Err: redactError(err)}
}

// read reads the answer to an attempt whose request was sent.
func (e *Engine) read(raw *http.Response) (*Response, bool, error) {
	if raw.StatusCode >= 300 && raw.StatusCode < 400 && raw.Header.Get("Location") != "" {
		return nil, true, &RedirectError{Status: raw.StatusCode, Location: redactTarget(raw.Header.Get("Location"))}
	}
	body, err := readBounded(raw.Body, e.maxBody, raw.ContentLength)
	if err != nil {
		if errors.Is(err, ErrBodyTooLarge) {
			return nil, true, &BodyError{Status: raw.StatusCode, Err: err}
		}
		return nil, true, &SendError{Sent: true, Err: fmt.Errorf("reading the HTTP %d answer: %w", raw.StatusCode, redactError(err))}
	}
	return &Response{Status: raw.StatusCode, Header: raw.Header, Body: body}, true, nil
}

// sentTrace is the client trace of one attempt.
type sentTrace struct {
	trace   httptrace.ClientTrace
	getConn atomic.Bool // a connection was asked for
	gotConn atomic.Bool // a connection was obtained: the request may have been written
}

// mayHaveBeenSent reports whether the request of an attempt that failed with err
// may have reached the server. Once a connection was obtained it may have.
// When one was asked for and never obtained (the standard transport, also
// beneath a wrapper such as otelhttp, reports both), nothing was sent: the
// dial was refused or timed out, the TLS handshake failed, or the context
// ended while waiting for a free pooled connection. A RoundTripper that
// reports neither (httpmock, a transport of its own) is judged by its
// error alone.
func (tr *sentTrace) mayHaveBeenSent(err error) bool {
	switch {
	case tr.gotConn.Load():
		return true
	case tr.getConn.Load():
		return false
	}
	return !neverSent(err)
}

// Sleep waits d, or until ctx ends (its error then).
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// discardLogger silences resty's own logging, which could print URLs.
type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}
