package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
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
	var (
		mu        sync.Mutex
		abandoned bool
		val       T
		err       error
	)
	done := make(chan struct{})
	go func() {
		defer cancel()
		var v T
		var e error
		func() {
			defer func() {
				if p := recover(); p != nil {
					e = fmt.Errorf("%w: %w", ErrStoreUnavailable, s.panicked(ctx, "the token store's "+op, p))
				}
			}()
			v, e = f(sctx)
		}()
		mu.Lock()
		if abandoned {
			mu.Unlock()
			if e == nil && undo != nil {
				undo(v)
			}
			return
		}
		val, err = v, e
		close(done)
		mu.Unlock()
	}()
	select {
	case <-done:
	case <-sctx.Done():
		mu.Lock()
		select {
		case <-done:
		default:
			abandoned = true
		}
		mu.Unlock()
	}
	if abandoned {
		var zero T
		if cerr := ctx.Err(); cerr != nil {
			return zero, fmt.Errorf("auth: token store %s: %w", op, cerr)
		}
		return zero, s.storeFailed(ctx, fmt.Errorf("%w: %s did not answer within %v", ErrStoreUnavailable, op, s.cfg.StoreTimeout))
	}
	switch {
	case err == nil, errors.Is(err, ErrLocked), errors.Is(err, ErrCorruptToken):
		return val, err
	case ctx.Err() != nil:
		return val, fmt.Errorf("auth: token store %s: %w", op, ctx.Err())
	case !errors.Is(err, ErrStoreUnavailable):
		err = fmt.Errorf("%w: %s: %w", ErrStoreUnavailable, op, err)
	}
	return val, s.storeFailed(ctx, err)
}

// storeFailed remembers the store as unavailable for StoreBackoff, warning
// when it was not already, and returns err.
func (s *RenewingSource) storeFailed(ctx context.Context, err error) error {
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
