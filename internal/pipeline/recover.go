package pipeline

import (
	"context"

	"github.com/fangsdk/fang/auth"
)

// hooks are what recoverOnce needs of a call.
type hooks[A any] struct {
	send       func(ctx context.Context, token string) (A, error)
	rejected   func(err error) bool
	tokenError func(doing string, err error) error
}

// recoverOnce sends with a token of tokens and, when the server rejects
// that token — which it does before running anything — and the source can
// renew, renews it once and sends once more.
func recoverOnce[A any](ctx context.Context, tokens auth.TokenSource, h hooks[A]) (A, error) {
	var zero A
	tok, err := tokens.Token(ctx)
	if err != nil {
		return zero, h.tokenError("obtaining a token", err)
	}
	ans, err := h.send(ctx, tok.Value)
	renewer, ok := tokens.(auth.Renewer)
	if !ok || err == nil || !h.rejected(err) {
		return ans, err
	}
	if tok, err = renewer.Renew(ctx, tok); err != nil {
		return zero, h.tokenError("renewing the rejected token", err)
	}
	return h.send(ctx, tok.Value)
}
