package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/fangsdk/fang/observe"
)

// storeCall runs one Store operation for s, named op, so that the caller
// waits at most StoreTimeout even when the store ignores its context: op
// runs in a goroutine whose result is abandoned on timeout (undo, when not
// nil, then receives it, so that a lock obtained too late is released).
// A panic in op becomes an error. Errors of an unavailable store wrap
// ErrStoreUnavailable and make s remember the store as unavailable;
// ErrLocked and ErrCorruptToken are returned as they are, and so is the
// end of ctx.
func storeCall[T any](ctx context.Context, s *RenewingSource, op string, f func(context.Context) (T, error), undo func(T)) (T, error) {
	sctx, cancel := context.WithTimeout(ctx, s.cfg.StoreTimeout)
	// claim holds one ticket: the operation finishing and the caller giving
	// up race for it, and the winner decides where the result goes.
	claim := make(chan struct{}, 1)
	claim <- struct{}{}
	out := make(chan storeResult[T], 1)
	go func() {
		defer cancel()
		r := runStoreOp(sctx, s, op, f)
		select {
		case <-claim:
			out <- r
		default: // the caller gave up: nobody else will use the result
			if r.err == nil && undo != nil {
				undo(r.val)
			}
		}
	}()
	var r storeResult[T]
	select {
	case r = <-out:
	case <-sctx.Done():
		select {
		case <-claim:
			var zero T
			if cerr := ctx.Err(); cerr != nil {
				return zero, fmt.Errorf("auth: token store %s: %w", op, cerr)
			}
			return zero, s.storeFailed(ctx, op, observe.KindTimeout, fmt.Errorf("%w: %s did not answer within %v", ErrStoreUnavailable, op, s.cfg.StoreTimeout))
		default: // the operation won the ticket: its result is on its way
			r = <-out
		}
	}
	val, err := r.val, r.err
	switch {
	case err == nil, errors.Is(err, ErrLocked), errors.Is(err, ErrCorruptToken):
		return val, err
	case ctx.Err() != nil:
		return val, fmt.Errorf("auth: token store %s: %w", op, ctx.Err())
	case !errors.Is(err, ErrStoreUnavailable):
		err = fmt.Errorf("%w: %s: %w", ErrStoreUnavailable, op, err)
	}
	kind := observe.KindStoreUnavailable
	if r.panicked {
		kind = observe.KindPanic
	}
	return val, s.storeFailed(ctx, op, kind, err)
}

// storeResult is what one Store operation gave.
type storeResult[T any] struct {
	val      T
	err      error
	panicked bool
}

// runStoreOp runs f with ctx, turning a panic into an error that wraps
// ErrStoreUnavailable.
func runStoreOp[T any](ctx context.Context, s *RenewingSource, op string, f func(context.Context) (T, error)) (r storeResult[T]) {
	defer func() {
		if p := recover(); p != nil {
			r = storeResult[T]{err: fmt.Errorf("%w: %w", ErrStoreUnavailable, s.panicked(ctx, "the token store's "+op, p)), panicked: true}
		}
	}()
	r.val, r.err = f(ctx)
	return r
}

// storeFailed remembers the store as unavailable for StoreBackoff, warning
// when it was not already, reports the failure of op to the Observer, and
// returns err.
func (s *RenewingSource) storeFailed(ctx context.Context, op string, kind observe.ErrorKind, err error) error {
	s.reportStore(ctx, op, kind, err)
	now := s.cfg.Now()
	was := s.storeIsDown(now)
	until := now.Add(s.cfg.StoreBackoff)
	s.storeDown.Store(&until)
	if !was && s.cfg.Logger != nil {
		s.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "fang: the token store is unavailable; going without it for a while",
			slog.String("key", s.cfg.Key), slog.String("error", err.Error()), slog.Duration("for", s.cfg.StoreBackoff))
	}
	return err
}
