package auth

import (
	"context"
	"errors"
)

// TokenSource supplies tokens. Token is called before every request, so an
// implementation that does I/O should cache (see the caching sources of this
// package). Implementations must be safe for concurrent use.
type TokenSource interface {
	Token(ctx context.Context) (*Token, error)
}

// ErrEmptyToken is returned by a StaticToken made from an empty string.
var ErrEmptyToken = errors.New("auth: static token is empty")

// StaticToken returns a TokenSource that always returns the same token,
// which never expires. Use it with a token obtained out of band.
func StaticToken(value string) TokenSource { return staticToken{tok: &Token{Value: value}} }

type staticToken struct{ tok *Token }

func (s staticToken) Token(context.Context) (*Token, error) {
	if s.tok.Value == "" {
		return nil, ErrEmptyToken
	}
	return s.tok, nil
}

// StaticValue returns the token's value. The fang clients find a static
// token through this method, to check in NewClient that it can travel in a
// header or a cookie instead of failing on the first call.
func (s staticToken) StaticValue() string { return s.tok.Value }

// String does not reveal the token.
func (s staticToken) String() string { return "auth.StaticToken(" + redacted(s.tok.Value) + ")" }

// GoString is String.
func (s staticToken) GoString() string { return s.String() }
