package call

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/redact"
	"github.com/fangsdk/fang/internal/renewal"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/observe"
)

// API is what one remote API supplies: only what differs between
// 123kanfang and HC.
type API interface {
	// Encode turns a request value into what Build sends: form or query
	// values (nil, url.Values, or a struct with `url` tags), or a JSON
	// body (HC's POST).
	Encode(method string, in any) (url.Values, []byte, error)
	// Build places token ("" for none) and signs req: the call to send.
	// Its Resign, if any, re-signs before each further attempt.
	Build(req *Request, token string) (*wire.Call, error)
	// Decode maps an HTTP answer of any status to an Answer, or to the
	// Failure it is. q quotes server text into the failure.
	Decode(req *Request, call *wire.Call, resp *wire.Response, q Quoter) (*Answer, *Failure)
	// Rejected reports whether f says the server refused the token
	// before running anything, so that renewing it and sending again is
	// safe.
	Rejected(f *Failure) bool
	// Error wraps f as the API's *Error.
	Error(f Failure) error
	// Invalid wraps c's problems as the API's *InvalidRequestError.
	Invalid(c *check.Checker) error
	// View returns the Failure of an error of the API's *Error type.
	View(err error) (*Failure, bool)
}

// Quoter knows the secrets of one call: the token it was sent with, the
// client's and the request's own. It is a value, so that a call that
// succeeds pays nothing for it.
type Quoter struct {
	token           string
	client, request []string
}

// Quote is what an error may show of text from the server: every secret
// scrubbed, in every encoding redact knows, then cut to an excerpt —
// scrubbed first, so that no secret straddling the cut leaks its
// beginning. It is the one way server text becomes error text.
func (q Quoter) Quote(text []byte) string {
	secrets := make([]string, 0, 1+len(q.client)+len(q.request))
	secrets = append(append(append(secrets, q.token), q.client...), q.request...)
	return redact.Excerpt(text, secrets...)
}

// Config is what a Caller is made of.
type Config struct {
	Engine *wire.Engine
	API    API
	// Tokens is the client's token source; nil: only NoToken and
	// GivenToken endpoints can be called.
	Tokens auth.TokenSource
	// Secrets are the client's own: the sign key or security code, the
	// credentials' secret. No error quotes them.
	Secrets []string
	// NoTokens is the message of a FromSource call on a client without
	// Tokens; ErrConfig is the sentinel it wraps.
	NoTokens  string
	ErrConfig error
}

// Caller runs Requests of one client. It is safe for concurrent use.
type Caller struct {
	cfg Config
}

// New returns the caller of a client.
func New(cfg Config) *Caller {
	var kept []string
	for _, s := range cfg.Secrets {
		if s != "" {
			kept = append(kept, s)
		}
	}
	cfg.Secrets = kept
	return &Caller{cfg: cfg}
}

// Invalid is the API's *InvalidRequestError of c's problems, or nil.
func (c *Caller) Invalid(chk *check.Checker) error {
	if !chk.Failed() {
		return nil
	}
	return c.cfg.API.Invalid(chk)
}

// Do authenticates, signs, sends and decodes req, recovering once from a
// rejected token. The engine's Observer, when there is one, sees the call
// start and end; a login or refresh made for a token renewal is noted for
// the renewing source (see package renewal).
func (c *Caller) Do(ctx context.Context, req *Request) (*Answer, error) {
	var note *renewal.Note
	if req.Spec.Auth != FromSource {
		note = renewal.From(ctx)
	}
	obs := c.cfg.Engine.Observer()
	if note == nil && obs == nil {
		return c.do(ctx, req)
	}
	if note != nil {
		note.Did(req.Spec.kind(), req.Spec.Op)
	}
	oc := observe.Call{API: c.cfg.Engine.API(), Op: req.Spec.Op, Method: req.Spec.Method, Path: req.Spec.Path}
	if obs != nil {
		oc.Start = time.Now()
		if note != nil {
			oc.Renewal = note.Cause
		}
		ctx = obs.CallStart(ctx, oc)
	}
	var last lastSent
	ans, err := c.do(context.WithValue(ctx, lastSentKey{}, &last), req)
	var kind observe.ErrorKind
	if err != nil {
		kind = c.errorKind(err, last.status)
	}
	if note != nil {
		note.Ended(kind)
	}
	if obs != nil {
		obs.CallEnd(ctx, observe.CallEnd{Call: oc, Duration: time.Since(oc.Start), TransactionID: last.txID, Status: last.status,
			ErrorKind: kind, Err: err})
	}
	return ans, err
}

// lastSent is what the last attempt of an observed call sent and got.
type lastSent struct {
	txID   string
	status int
}

// lastSentKey is the context key of an observed call's *lastSent.
type lastSentKey struct{}

// errorKind classifies the error of a call whose last answer had status.
func (c *Caller) errorKind(err error, status int) observe.ErrorKind {
	if k := wire.ErrorKind(err); k != observe.KindOther {
		return k
	}
	switch {
	case errors.Is(err, auth.ErrLoginRefused):
		return observe.KindLoginRefused
	case errors.Is(err, auth.ErrStoreUnavailable):
		return observe.KindStoreUnavailable
	case c.rejected(err):
		return observe.KindTokenRejected
	case status != 0:
		return observe.KindAPIError
	}
	return observe.KindOther
}

// rejected reports whether err is the API's refusal of a token, made
// before anything ran.
func (c *Caller) rejected(err error) bool {
	f, ok := c.cfg.API.View(err)
	return ok && c.cfg.API.Rejected(f)
}

// do is Do without the observer: it sends with a token of the client's
// source and, when the server rejects that token — which it does before
// running anything — and the source can renew, renews it once and sends
// once more.
func (c *Caller) do(ctx context.Context, req *Request) (*Answer, error) {
	switch req.Spec.Auth {
	case NoToken:
		return c.send(ctx, req, "")
	case GivenToken:
		return c.send(ctx, req, req.Token)
	}
	if c.cfg.Tokens == nil {
		return nil, c.cfg.API.Error(Failure{Msg: c.cfg.NoTokens, Meta: Meta{Op: req.Spec.Op, Cause: c.cfg.ErrConfig}})
	}
	tok, err := c.cfg.Tokens.Token(ctx)
	if err != nil {
		return nil, c.tokenError(req, "", "obtaining a token", err)
	}
	ans, err := c.send(ctx, req, tok.Value)
	renewer, ok := c.cfg.Tokens.(auth.Renewer)
	if !ok || err == nil || !c.rejected(err) {
		return ans, err
	}
	renewed, err := renewer.Renew(ctx, tok)
	if err != nil {
		return nil, c.tokenError(req, tok.Value, "renewing the rejected token", err)
	}
	return c.send(ctx, req, renewed.Value)
}

// tokenError is the error of a call whose token could not be had: a
// failed login or refresh is returned as its own *Error (errors.As reaches
// the server's answer); anything else is wrapped in one, its message
// scrubbed of token (the rejected one, when renewing) and the secrets.
func (c *Caller) tokenError(req *Request, token, doing string, err error) error {
	if _, ok := c.cfg.API.View(err); ok {
		return err
	}
	msg := c.quoter(req, token).Quote([]byte(err.Error()))
	return c.cfg.API.Error(Failure{Msg: doing + ": " + msg, Meta: Meta{Op: req.Spec.Op, Cause: err}})
}

// quoter is the Quoter of a call of req sent with token.
func (c *Caller) quoter(req *Request, token string) Quoter {
	return Quoter{token: token, client: c.cfg.Secrets, request: req.Secrets}
}

// send builds, sends and decodes one request with token.
func (c *Caller) send(ctx context.Context, req *Request, token string) (*Answer, error) {
	wc, err := c.cfg.API.Build(req, token)
	if err != nil {
		return nil, err
	}
	resp, err := c.cfg.Engine.Do(ctx, wc)
	if c.cfg.Engine.Observer() != nil || req.Spec.Auth != FromSource {
		if last, ok := ctx.Value(lastSentKey{}).(*lastSent); ok {
			last.txID, last.status = wc.TransactionID, wire.StatusOf(resp, err)
		}
	}
	q := c.quoter(req, token)
	if err != nil {
		return nil, c.cfg.API.Error(transport(req.Spec.Op, wc.TransactionID, err, q))
	}
	ans, f := c.cfg.API.Decode(req, wc, resp, q)
	if f != nil {
		f.Op, f.TransactionID, f.Attempts = req.Spec.Op, wc.TransactionID, resp.Attempts
		return nil, c.cfg.API.Error(*f)
	}
	ans.Status, ans.Attempts, ans.TransactionID = resp.Status, resp.Attempts, wc.TransactionID
	ans.op, ans.api, ans.quoter = req.Spec.Op, c.cfg.API, q
	return ans, nil
}
