package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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
	// StoreTimeout bounds each Store operation. A store that does not
	// answer in time is treated as unavailable: a still-valid token keeps
	// being served, and a renewal goes on without it. Zero means one
	// second.
	StoreTimeout time.Duration
	// LockLease is how long the store's lock is held at a time by a
	// renewal; the renewal extends it while it runs (stores implementing
	// Leaser), so that a replica that dies holding it blocks the others
	// for one lease only. Zero means five seconds.
	LockLease time.Duration
	// FailureBackoff is how long a failed renewal is remembered: callers
	// in that interval get the same error at once instead of a new login
	// (HC locks an account after five failures). It doubles with each
	// failure in a row, up to MaxFailureBackoff, and resets on success.
	// Zero means one second and one minute.
	FailureBackoff, MaxFailureBackoff time.Duration
	// Logger receives warnings about the store (a corrupt value, an
	// unavailable store, a lock that could not be released). Nil: none.
	Logger *slog.Logger
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
	cfg    RenewingConfig
	cur    atomic.Pointer[entry]
	failed atomic.Pointer[failure] // the last failed renewal, while remembered
	group  singleflight.Group
	poll   time.Duration // first wait for another owner's renewal
}

// failure is a remembered failed renewal.
type failure struct {
	err   error
	until time.Time
	wait  time.Duration // this failure's interval; the next one doubles it
}

// errNilContext is returned for a nil context.
var errNilContext = errors.New("auth: nil context (use context.Background())")

type entry struct {
	tok     *Token
	renewAt time.Time // zero: never
}

const maxMargin = 5 * time.Minute

// DefaultLockLease is RenewingConfig.LockLease's default.
const DefaultLockLease = 5 * time.Second

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
	if cfg.StoreTimeout <= 0 {
		cfg.StoreTimeout = time.Second
	}
	if cfg.LockLease <= 0 {
		cfg.LockLease = DefaultLockLease
	}
	if cfg.FailureBackoff <= 0 {
		cfg.FailureBackoff = time.Second
	}
	if cfg.MaxFailureBackoff < cfg.FailureBackoff {
		cfg.MaxFailureBackoff = max(time.Minute, cfg.FailureBackoff)
	}
	return &RenewingSource{cfg: cfg, poll: 20 * time.Millisecond}
}

// Token returns the current token, obtaining or renewing it first when
// there is none or it is due for renewal. When a renewal ahead of expiry
// fails, the current token is returned as long as it has not expired: the
// next call tries again.
func (s *RenewingSource) Token(ctx context.Context) (*Token, error) {
	if ctx == nil {
		return nil, errNilContext
	}
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
	if ctx == nil {
		return nil, errNilContext
	}
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
	// A renewal that failed a moment ago is not tried again yet: the
	// callers get its error at once.
	if f := s.failed.Load(); f != nil && s.cfg.Now().Before(f.until) {
		return nil, f.err
	}
	flightKey := ""
	if rejected != nil {
		flightKey = rejected.Value
	}
	ch := s.group.DoChan(flightKey, func() (any, error) {
		// A caller that looked before the last flight failed starts a
		// flight of its own after it: it gets the remembered failure too.
		if f := s.failed.Load(); f != nil && s.cfg.Now().Before(f.until) {
			return nil, f.err
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.Timeout)
		defer cancel()
		tok, err := s.renewShared(rctx, rejected)
		s.remember(err)
		return tok, err
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

// remember keeps a failed renewal for a growing interval, or forgets the
// last one after a success. A renewal that timed out is not remembered.
func (s *RenewingSource) remember(err error) {
	if err == nil {
		s.failed.Store(nil)
		return
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return
	}
	wait := s.cfg.FailureBackoff
	if prev := s.failed.Load(); prev != nil {
		wait = min(2*prev.wait, s.cfg.MaxFailureBackoff)
	}
	s.failed.Store(&failure{err: err, until: s.cfg.Now().Add(wait), wait: wait})
}

// load reads the shared token, bounded by StoreTimeout. A corrupt value is
// no token; an unavailable store is reported.
func (s *RenewingSource) load(ctx context.Context) (*Token, error) {
	sctx, cancel := context.WithTimeout(ctx, s.cfg.StoreTimeout)
	defer cancel()
	tok, err := s.cfg.Store.Load(sctx, s.cfg.Key)
	if errors.Is(err, ErrCorruptToken) {
		s.warn(ctx, "fang: the stored token is corrupt; logging in and overwriting it", err)
		return nil, nil
	}
	return tok, err
}

// lock takes the store's lock for one lease, extended while the renewal
// runs when the store supports leases. stop releases it.
func (s *RenewingSource) lock(ctx context.Context) (stop func(), err error) {
	lockKey := s.cfg.Key + ":lock"
	sctx, cancel := context.WithTimeout(ctx, s.cfg.StoreTimeout)
	defer cancel()
	leaser, ok := s.cfg.Store.(Leaser)
	if !ok {
		unlock, err := s.cfg.Store.TryLock(sctx, lockKey, s.cfg.Timeout)
		if err != nil {
			return nil, err
		}
		return func() { s.release(ctx, unlock) }, nil
	}
	lease, err := leaser.TryLease(sctx, lockKey, s.cfg.LockLease)
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(s.cfg.LockLease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				ectx, cancel := context.WithTimeout(ctx, s.cfg.StoreTimeout)
				err := lease.Extend(ectx, s.cfg.LockLease)
				cancel()
				if err != nil {
					s.warn(ctx, "fang: extending the token lock failed", err)
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		s.release(ctx, lease.Release)
	}, nil
}

// release frees a lock, logging a failure: the lock then lapses by itself.
func (s *RenewingSource) release(ctx context.Context, unlock func(context.Context) error) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.StoreTimeout)
	defer cancel()
	if err := unlock(rctx); err != nil {
		s.warn(ctx, "fang: releasing the token lock failed; it will lapse", err)
	}
}

func (s *RenewingSource) warn(ctx context.Context, msg string, err error) {
	if s.cfg.Logger != nil {
		s.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, msg, slog.String("key", s.cfg.Key), slog.String("error", err.Error()))
	}
}

// renewShared runs in one goroutine per process at a time: it adopts a
// token another caller or process already saved, or takes the store's lock
// and renews. A store that does not answer is not fatal: with no usable
// token in memory, the renewal goes on without it.
func (s *RenewingSource) renewShared(ctx context.Context, rejected *Token) (*Token, error) {
	if e := s.cur.Load(); s.usable(e, rejected) {
		return e.tok, nil
	}
	wait := s.poll
	for {
		stored, err := s.load(ctx)
		if err != nil {
			return s.withoutStore(ctx, err)
		}
		if e := s.adopt(stored); s.usable(e, rejected) {
			s.cur.Store(e)
			return e.tok, nil
		}
		stop, err := s.lock(ctx)
		if err == nil {
			defer stop()
			// Another owner may have saved between our load and the lock.
			again, err := s.load(ctx)
			if err != nil {
				return s.withoutStore(ctx, err)
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
			return s.withoutStore(ctx, err)
		}
		// Another owner is renewing: wait for its token, or for its lease
		// to lapse.
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

// withoutStore handles a store that failed: when a still-valid token is in
// memory the error is returned (Token keeps serving that token); otherwise
// the renewal goes on without the store.
func (s *RenewingSource) withoutStore(ctx context.Context, err error) (*Token, error) {
	if e := s.cur.Load(); e != nil && !e.tok.Expired(s.cfg.Now(), 0) {
		return nil, fmt.Errorf("auth: the token store is unavailable: %w", err)
	}
	s.warn(ctx, "fang: the token store is unavailable; renewing without it", err)
	return s.renewLocked(ctx, nil)
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
	s.cur.Store(e)
	sctx, cancel := context.WithTimeout(ctx, s.cfg.StoreTimeout)
	defer cancel()
	if err := s.cfg.Store.Save(sctx, s.cfg.Key, tok, s.ttl(tok)); err != nil {
		// The token is good: keep it; the other replicas log in for
		// themselves until the store is back.
		s.warn(ctx, "fang: saving the token to the store failed", err)
	}
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
