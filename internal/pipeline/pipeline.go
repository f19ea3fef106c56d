package pipeline

import (
	"context"
	"errors"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/renewal"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/observe"
)

// Protocol is what one API supplies to the pipeline; A is what its Decode
// makes of a successful answer.
type Protocol[A any] interface {
	// Build places token ("" for none) and signs req: the call to send.
	// Its Resign, if any, re-signs before each further attempt.
	Build(req *Request, token string) (*wire.Call, error)
	// Decode maps an HTTP answer of any status to A or to the API's
	// *Error.
	Decode(req *Request, call *wire.Call, resp *wire.Response, s Secrets) (A, error)
	// Failed maps an engine failure (no answer, a redirect, an unreadable
	// body) to the API's *Error, wrapping it.
	Failed(req *Request, call *wire.Call, err error, s Secrets) error
	// Rejected reports whether err says the server refused the token
	// before running anything, so that renewing it and sending again is
	// safe.
	Rejected(err error) bool
	// TokenError is the error of a call for which no token could be had;
	// doing is "obtaining a token" or "renewing the rejected token".
	TokenError(op, doing string, err error) error
	// NoTokens is the error of a FromSource call on a client that has no
	// token source.
	NoTokens(op string) error
}

// Pipeline runs Requests of one client. It is safe for concurrent use.
type Pipeline[A any] struct {
	engine  *wire.Engine
	tokens  auth.TokenSource // nil: only NoToken and GivenToken endpoints
	proto   Protocol[A]
	secrets []string
}

// New returns the pipeline of a client: its engine, its token source (may
// be nil), its protocol and its own secrets.
func New[A any](engine *wire.Engine, tokens auth.TokenSource, proto Protocol[A], secrets ...string) *Pipeline[A] {
	var kept []string
	for _, s := range secrets {
		if s != "" {
			kept = append(kept, s)
		}
	}
	return &Pipeline[A]{engine: engine, tokens: tokens, proto: proto, secrets: kept}
}

// SetTokens sets the token source, for a client whose source needs the
// client itself (logging in goes through the pipeline too).
func (p *Pipeline[A]) SetTokens(ts auth.TokenSource) { p.tokens = ts }

// Bind returns ep with its absolute URL, for the client's lifetime.
func (p *Pipeline[A]) Bind(ep Endpoint) *Endpoint {
	ep.url = p.engine.URL(ep.Path)
	return &ep
}

// Do authenticates, signs, sends and decodes req, recovering once from a
// rejected token. The engine's Observer, when there is one, sees the call
// start and end; a login or refresh made for a token renewal is noted for
// the renewing source (see package renewal).
func (p *Pipeline[A]) Do(ctx context.Context, req *Request) (A, error) {
	var note *renewal.Note
	if req.Endpoint.Auth != FromSource {
		note = renewal.From(ctx)
	}
	obs := p.engine.Observer()
	if note == nil && obs == nil {
		return p.do(ctx, req)
	}
	if note != nil {
		note.Did(req.Endpoint.kind(), req.Endpoint.Op)
	}
	c := observe.Call{API: p.engine.API(), Op: req.Endpoint.Op, Method: req.Endpoint.Method, Path: req.Endpoint.Path}
	if obs != nil {
		c.Start = time.Now()
		if note != nil {
			c.Renewal = note.Cause
		}
		ctx = obs.CallStart(ctx, c)
	}
	var last lastSent
	ans, err := p.do(context.WithValue(ctx, lastSentKey{}, &last), req)
	var kind observe.ErrorKind
	if err != nil {
		kind = p.errorKind(err, last.status)
	}
	if note != nil {
		note.Ended(kind)
	}
	if obs != nil {
		obs.CallEnd(ctx, observe.CallEnd{Call: c, Duration: time.Since(c.Start), TransactionID: last.txID, Status: last.status,
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
func (p *Pipeline[A]) errorKind(err error, status int) observe.ErrorKind {
	if k := wire.ErrorKind(err); k != observe.KindOther {
		return k
	}
	switch {
	case errors.Is(err, auth.ErrLoginRefused):
		return observe.KindLoginRefused
	case errors.Is(err, auth.ErrStoreUnavailable):
		return observe.KindStoreUnavailable
	case p.proto.Rejected(err):
		return observe.KindTokenRejected
	case status != 0:
		return observe.KindAPIError
	}
	return observe.KindOther
}

// do is Do without the observer.
func (p *Pipeline[A]) do(ctx context.Context, req *Request) (A, error) {
	switch req.Endpoint.Auth {
	case NoToken:
		return p.send(ctx, req, "")
	case GivenToken:
		return p.send(ctx, req, req.Token)
	}
	if p.tokens == nil {
		var zero A
		return zero, p.proto.NoTokens(req.Endpoint.Op)
	}
	return recoverOnce(ctx, p.tokens, hooks[A]{
		send:       func(ctx context.Context, token string) (A, error) { return p.send(ctx, req, token) },
		rejected:   p.proto.Rejected,
		tokenError: func(doing string, err error) error { return p.proto.TokenError(req.Endpoint.Op, doing, err) },
	})
}

// send builds, sends and decodes one request with token.
func (p *Pipeline[A]) send(ctx context.Context, req *Request, token string) (A, error) {
	var zero A
	call, err := p.proto.Build(req, token)
	if err != nil {
		return zero, err
	}
	s := Secrets{Token: token, Client: p.secrets, Request: req.Secrets}
	resp, err := p.engine.Do(ctx, call)
	if p.engine.Observer() != nil || req.Endpoint.Auth != FromSource {
		if last, ok := ctx.Value(lastSentKey{}).(*lastSent); ok {
			last.txID, last.status = call.TransactionID, wire.StatusOf(resp, err)
		}
	}
	if err != nil {
		return zero, p.proto.Failed(req, call, err, s)
	}
	return p.proto.Decode(req, call, resp, s)
}
