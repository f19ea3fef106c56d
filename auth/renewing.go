package auth

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
)

// Renewer is a TokenSource that can replace a token the server rejected.
// The fang clients call Renew once when a request fails because its token
// is invalid, then repeat the request once with the new token.
type Renewer interface {
	TokenSource
	// Renew returns a token other than rejected: the current one if
	// another caller already renewed it, else a newly obtained one.
	Renew(ctx context.Context, rejected *Token) (*Token, error)
}

// RenewFunc obtains a new token. last is the newest token known, possibly
// expired, or nil on a cold start: a RenewFunc uses its refresh token when
// it has a usable one and logs in otherwise.
type RenewFunc func(ctx context.Context, last *Token) (*Token, error)

// RenewingConfig configures NewRenewingSource.
type RenewingConfig struct {
	// Key names the token in Store: it must differ between accounts (the
	// fang clients use API + base URL + account).
	Key string
	// Store shares tokens; nil means a store private to this source.
	Store Store
	// Renew obtains tokens. Required.
	Renew RenewFunc
	// Margin is how long before its expiry a token is renewed. Zero means
	// a tenth of the token's remaining lifetime when obtained, at most five
	// minutes, so short-lived tokens are renewed in time too.
	Margin time.Duration
	// Timeout bounds one renewal, which runs detached from the callers'
	// contexts so that one caller giving up does not fail the others.
	// Zero means one minute.
	Timeout time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// RenewingSource is a TokenSource that obtains tokens lazily, keeps the
// current one, renews it before it expires and when the server rejects it,
// and shares it through a Store. However many goroutines ask at once, one
// renewal runs in this process; with a shared Store, the lock makes one run
// among all processes.
//
// A cached read costs one atomic load and a clock read, and does not
// allocate. RenewingSource is safe for concurrent use.
type RenewingSource struct {
	cfg   RenewingConfig
	cur   atomic.Pointer[entry]
	group singleflight.Group
	poll  time.Duration // first wait for another owner's renewal
}

type entry struct {
	tok     *Token
	renewAt time.Time // zero: never
}

const maxMargin = 5 * time.Minute

// NewRenewingSource returns a source configured by cfg.
func NewRenewingSource(cfg RenewingConfig) *RenewingSource {
	if cfg.Store == nil {
		cfg.Store = NewMemoryStore()
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &RenewingSource{cfg: cfg, poll: 20 * time.Millisecond}
}

// Token returns the current token, obtaining or renewing it first when
// there is none or it is due for renewal. When a renewal ahead of expiry
// fails, the current token is returned as long as it has not expired: the
// next call tries again.
func (s *RenewingSource) Token(ctx context.Context) (*Token, error) {
	e := s.cur.Load()
	if e != nil && s.fresh(e) {
		return e.tok, nil
	}
	tok, err := s.obtain(ctx, nil)
	if err != nil && e != nil && ctx.Err() == nil && !e.tok.Expired(s.cfg.Now(), 0) {
		return e.tok, nil
	}
	return tok, err
}

// Renew returns a token other than rejected, renewing once for any number
// of concurrent callers that report the same rejected token.
func (s *RenewingSource) Renew(ctx context.Context, rejected *Token) (*Token, error) {
	if rejected == nil {
		return nil, errors.New("auth: Renew of a nil token")
	}
	return s.obtain(ctx, rejected)
}

// String does not reveal the token.
func (s *RenewingSource) String() string { return "auth.RenewingSource" }

func (s *RenewingSource) fresh(e *entry) bool {
	return e.renewAt.IsZero() || s.cfg.Now().Before(e.renewAt)
}

// usable reports whether e is fresh and is not the rejected token.
func (s *RenewingSource) usable(e *entry, rejected *Token) bool {
	return e != nil && s.fresh(e) && (rejected == nil || e.tok.Value != rejected.Value)
}

func (s *RenewingSource) obtain(ctx context.Context, rejected *Token) (*Token, error) {
	flightKey := ""
	if rejected != nil {
		flightKey = rejected.Value
	}
	ch := s.group.DoChan(flightKey, func() (any, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.Timeout)
		defer cancel()
		return s.renewShared(rctx, rejected)
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*Token), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// renewShared runs in one goroutine per process at a time: it adopts a
// token another caller or process already saved, or takes the store's lock
// and renews.
func (s *RenewingSource) renewShared(ctx context.Context, rejected *Token) (*Token, error) {
	if e := s.cur.Load(); s.usable(e, rejected) {
		return e.tok, nil
	}
	lockKey := s.cfg.Key + ":lock"
	wait := s.poll
	for {
		stored, err := s.cfg.Store.Load(ctx, s.cfg.Key)
		if err != nil {
			return nil, fmt.Errorf("auth: loading the shared token: %w", err)
		}
		if e := s.adopt(stored); s.usable(e, rejected) {
			s.cur.Store(e)
			return e.tok, nil
		}
		unlock, err := s.cfg.Store.TryLock(ctx, lockKey, s.cfg.Timeout)
		if err == nil {
			defer unlock(context.WithoutCancel(ctx))
			// Another owner may have saved between our Load and TryLock.
			again, err := s.cfg.Store.Load(ctx, s.cfg.Key)
			if err != nil {
				return nil, fmt.Errorf("auth: loading the shared token: %w", err)
			}
			if e := s.adopt(again); s.usable(e, rejected) {
				s.cur.Store(e)
				return e.tok, nil
			}
			if again != nil {
				stored = again
			}
			return s.renewLocked(ctx, stored)
		}
		if !errors.Is(err, ErrLocked) {
			return nil, fmt.Errorf("auth: locking the shared token: %w", err)
		}
		// Another owner is renewing: wait for its token.
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("auth: waiting for another owner's token renewal: %w", ctx.Err())
		}
		if wait *= 2; wait > 500*time.Millisecond {
			wait = 500 * time.Millisecond
		}
	}
}

func (s *RenewingSource) renewLocked(ctx context.Context, stored *Token) (*Token, error) {
	last := stored
	if last == nil {
		if e := s.cur.Load(); e != nil {
			last = e.tok
		}
	}
	tok, err := s.cfg.Renew(ctx, last)
	if err != nil {
		return nil, err
	}
	if tok == nil || tok.Value == "" {
		return nil, errors.New("auth: renewal returned no token")
	}
	e := s.entryFor(tok)
	if err := s.cfg.Store.Save(ctx, s.cfg.Key, tok, s.ttl(tok)); err != nil {
		return nil, fmt.Errorf("auth: saving the shared token: %w", err)
	}
	s.cur.Store(e)
	return tok, nil
}

// adopt returns the entry for a token loaded from the store. The token this
// source already holds keeps the renewal time computed when it was obtained:
// recomputing it from the remaining lifetime would push it back forever.
func (s *RenewingSource) adopt(stored *Token) *entry {
	if cur := s.cur.Load(); cur != nil && stored != nil && stored.Value == cur.tok.Value {
		return cur
	}
	return s.entryFor(stored)
}

// entryFor computes when tok is due for renewal.
func (s *RenewingSource) entryFor(tok *Token) *entry {
	if tok == nil || tok.Value == "" {
		return nil
	}
	e := &entry{tok: tok}
	if !tok.Expiry.IsZero() {
		margin := s.cfg.Margin
		if margin <= 0 {
			margin = tok.Expiry.Sub(s.cfg.Now()) / 10
			if margin > maxMargin {
				margin = maxMargin
			}
		}
		e.renewAt = tok.Expiry.Add(-margin)
	}
	return e
}

// ttl keeps a saved token as long as it or its refresh token is usable.
func (s *RenewingSource) ttl(tok *Token) time.Duration {
	until := tok.Expiry
	if tok.RefreshToken != "" && (tok.RefreshExpiry.IsZero() || tok.RefreshExpiry.After(until)) {
		until = tok.RefreshExpiry
	}
	if until.IsZero() {
		return 0
	}
	if d := until.Sub(s.cfg.Now()); d > 0 {
		return d
	}
	return time.Millisecond
}
