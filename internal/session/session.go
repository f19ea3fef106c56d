// Package session is the "authenticate … recover" frame both clients put
// around a request: take a token from the source, send, and when the
// server rejects that token — which it does before running anything —
// renew it once and send once more.
package session

import (
	"context"

	"github.com/fangsdk/fang/auth"
)

// Hooks are what differs between the APIs.
type Hooks struct {
	// Send sends the request once with token; it reports the outcome.
	Send func(ctx context.Context, token string) error
	// Rejected reports whether err says the token was refused before the
	// request ran (kanfang state 401; HC's session filter).
	Rejected func(err error) bool
	// TokenError builds the call's error when no token could be had:
	// doing is "obtaining a token" or "renewing the rejected token".
	TokenError func(doing string, err error) error
}

// Do runs h.Send with a token of tokens, renewing it once when the server
// rejects it and the source can renew.
func Do(ctx context.Context, tokens auth.TokenSource, h Hooks) error {
	tok, err := tokens.Token(ctx)
	if err != nil {
		return h.TokenError("obtaining a token", err)
	}
	err = h.Send(ctx, tok.Value)
	renewer, ok := tokens.(auth.Renewer)
	if !ok || !h.Rejected(err) {
		return err
	}
	if tok, err = renewer.Renew(ctx, tok); err != nil {
		return h.TokenError("renewing the rejected token", err)
	}
	return h.Send(ctx, tok.Value)
}
