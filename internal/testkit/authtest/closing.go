// Package authtest holds test helpers that need package auth (internal/testkit
// cannot import it: auth's own tests import testkit).
package authtest

import (
	"context"
	"sync/atomic"

	"github.com/fangsdk/fang/auth"
)

// ClosingSource is a token source with a Close, as a renewing source with
// a background renewal has; it counts the Close calls and returns Err.
type ClosingSource struct {
	Err    error
	closes atomic.Int64
}

// Token returns a fixed token.
func (s *ClosingSource) Token(context.Context) (*auth.Token, error) {
	return &auth.Token{Value: "tok"}, nil
}

// Close counts the call and returns Err.
func (s *ClosingSource) Close() error { s.closes.Add(1); return s.Err }

// Closes is how many times Close was called.
func (s *ClosingSource) Closes() int64 { return s.closes.Load() }
