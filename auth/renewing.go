package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/fangsdk/fang/internal/renewal"
	"github.com/fangsdk/fang/observe"
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
// it has a usable one and logs in otherwise. An error matching
// ErrLoginRefused tells RenewingSource that the server refused the
// credentials (see RenewingConfig.RefusalHold).
type RenewFunc func(ctx context.Context, last *Token) (*Token, error)

// RenewingConfig configures NewRenewingSource.
type RenewingConfig struct {
	// Key names the token in Store: it must differ between accounts (the
	// fang clients use API + base URL + account).
	Key string
	// Store shares tokens; nil means a store private to this source.
	Store Store
	// Renew obtains tokens. Required: without it Token and Renew fail
	// with an error saying so.
	Renew RenewFunc
	// Margin is how long before its expiry a token is renewed. Zero means
	// a tenth of the token's remaining lifetime when obtained, at most five
	// minutes, so short-lived tokens are renewed in time too. Whatever its
	// value, the margin is at most half the token's remaining lifetime when
	// obtained, so that a margin longer than the lifetime does not renew
	// on every call.
	Margin time.Duration
	// Timeout bounds one renewal, which runs detached from the callers'
	// contexts so that one caller giving up does not fail the others.
	// Zero means one minute.
	Timeout time.Duration
	// StoreTimeout bounds each Store operation, even one that ignores its
	// context: the caller stops waiting after StoreTimeout and the
	// operation is left to finish by itself. A store that fails or does
	// not answer in time is treated as unavailable (see StoreBackoff).
	// Zero means one second.
	StoreTimeout time.Duration
	// StoreBackoff is how long an unavailable store is remembered: in that
	// interval the source does not consult it (no caller waits for it
	// again) and goes without it: a still-valid token keeps being served,
	// and a token that is needed (none yet, expired, or rejected by the
	// server) is obtained without the store, after Jitter; so is, in the
	// background, a token due for renewal that expires before the store is
	// tried again. Zero means five seconds.
	StoreBackoff time.Duration
	// Jitter is the longest random delay before a login made without the
	// store, so that replicas that all find the store down do not all log
	// in at the same instant. Zero means one second; negative means no
	// delay.
	Jitter time.Duration
	// LockLease is how long the store's lock is held at a time by a
	// renewal; the renewal extends it while it runs (Lease.Extend), so
	// that a replica that dies holding it blocks the others for one lease
	// only. Zero means five seconds.
	LockLease time.Duration
	// FailureBackoff is how long a failed renewal is remembered: callers
	// in that interval get the same error at once instead of a new login
	// (HC locks an account after five failures). It doubles with each
	// failure in a row, up to MaxFailureBackoff, and resets on success.
	// Zero means one second and one minute. A store that fails is not a
	// failed renewal (see StoreBackoff), nor is a refused login (see
	// RefusalHold).
	FailureBackoff, MaxFailureBackoff time.Duration
	// RefusalHold is how long a refused login (an error of Renew matching
	// ErrLoginRefused) is remembered: until then every call that needs a
	// renewal returns that error at once and Renew is not called. Zero
	// means five minutes: HC locks an account after five failed logins
	// within five minutes, a window each failure restarts.
	RefusalHold time.Duration
	// Logger receives one Info line per login or refresh ("fang: logged
	// in", "fang: token refreshed", with op and cause) and a warning per
	// failed one, warnings about the store (a corrupt value, an
	// unavailable store, a lock that could not be released) and errors
	// about panics (their type and stack, never their value). Nil: none.
	Logger *slog.Logger
	// Observer, when not nil, sees every renewal with its cause
	// (observe.Renewal: a login or a refresh when Renew is a fang client's)
	// and every failed Store operation (observe.StoreError, whose Err
	// matches ErrStoreUnavailable or ErrCorruptToken). Its CallStart,
	// CallEnd, Attempt and Retry are not called by the source.
	Observer observe.Observer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// RenewingSource is a TokenSource that obtains tokens lazily, keeps the
// current one, renews it before it expires and when the server rejects it,
// and shares it through a Store. However many goroutines ask at once, one
// renewal runs in this process; with a shared Store, the lock makes one run
// among all processes.
//
// A token due for renewal (inside its margin) that has not expired is
// returned at once, and one renewal starts in the background, bounded by
// RenewingConfig.Timeout: callers wait for a renewal only when there is no
// token, when it has expired, or when the server rejected it (Renew). Close
// stops background renewals.
//
// A Store that fails, panics or does not answer within StoreTimeout (even
// one that ignores its context) is remembered as unavailable for
// StoreBackoff; meanwhile the source does not consult it: a valid token
// keeps being served, and when a token is needed (none, expired, or
// rejected) the source logs in on its own after a random delay of at most
// Jitter, in the background when a due token would expire before the
// store is tried again. A store failure never counts as a failed renewal. A failed
// renewal is remembered for FailureBackoff (doubling), a refused login
// (ErrLoginRefused) for RefusalHold: callers that need a renewal get its
// error at once instead of a new login.
//
// No panic escapes: a panic in Renew becomes the error of the callers of
// that renewal, one in a Store operation makes the store unavailable; both
// are logged with their type and stack, never their value.
//
// A cached read costs one atomic load and a clock read, and does not
// allocate. RenewingSource is safe for concurrent use.
type RenewingSource struct {
	cfg       RenewingConfig
	cur       atomic.Pointer[entry]
	failed    atomic.Pointer[failure]   // the last failed renewal, while remembered
	storeDown atomic.Pointer[time.Time] // until when the store is remembered unavailable
	group     singleflight.Group
	poll      time.Duration // first wait for another owner's renewal

	// sleep waits d or until ctx ends: the jitter before a login made
	// without the store. Tests replace it.
	sleep func(ctx context.Context, d time.Duration) error

	bgCtx    context.Context // background renewals' base; cancelled by Close
	bgCancel context.CancelFunc
	bgMu     sync.Mutex
	bgDone   chan struct{} // closed when the running background renewal ends; nil: none
	closed   bool
}

// failure is a remembered failed renewal.
type failure struct {
	err   error
	until time.Time
	wait  time.Duration // this failure's interval; the next one doubles it (0: a refusal)
}

// errNilContext is returned for a nil context.
var errNilContext = errors.New("auth: nil context (use context.Background())")

// errNoRenew is returned when RenewingConfig.Renew is nil.
var errNoRenew = errors.New("auth: RenewingConfig.Renew is nil: the source cannot obtain tokens")

type entry struct {
	tok     *Token
	renewAt time.Time // zero: never
}

const maxMargin = 5 * time.Minute

// DefaultLockLease is RenewingConfig.LockLease's default.
const DefaultLockLease = 5 * time.Second

// Defaults of RenewingConfig's fields.
const (
	defaultStoreBackoff = 5 * time.Second
	defaultJitter       = time.Second
	defaultRefusalHold  = 5 * time.Minute
)

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
	if cfg.StoreBackoff <= 0 {
		cfg.StoreBackoff = defaultStoreBackoff
	}
	if cfg.Jitter == 0 {
		cfg.Jitter = defaultJitter
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
	if cfg.RefusalHold <= 0 {
		cfg.RefusalHold = defaultRefusalHold
	}
	s := &RenewingSource{cfg: cfg, poll: 20 * time.Millisecond, sleep: sleep}
	s.bgCtx, s.bgCancel = context.WithCancel(context.Background())
	return s
}

// Token returns the current token, obtaining it first when there is none
// or it has expired. A token due for renewal that has not expired is
// returned at once while one renewal runs in the background (in the
// foreground after Close; then, when that renewal fails, the still-valid
// token is returned too).
func (s *RenewingSource) Token(ctx context.Context) (*Token, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	e := s.cur.Load()
	if e == nil {
		return s.obtain(ctx, nil, observe.CauseColdStart)
	}
	now := s.cfg.Now()
	if e.renewAt.IsZero() || now.Before(e.renewAt) {
		return e.tok, nil
	}
	if e.tok.Expired(now, 0) {
		return s.obtain(ctx, nil, observe.CauseExpired)
	}
	if s.renewAhead(now) {
		return e.tok, nil
	}
	tok, err := s.obtain(ctx, nil, observe.CauseAheadOfExpiry)
	if err != nil && ctx.Err() == nil && !e.tok.Expired(s.cfg.Now(), 0) {
		return e.tok, nil
	}
	return tok, err
}

// Renew returns a token other than rejected, renewing once for any number
// of concurrent callers that report the same rejected token. When the store
// is unavailable, the renewal goes on without it.
func (s *RenewingSource) Renew(ctx context.Context, rejected *Token) (*Token, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if rejected == nil {
		return nil, errors.New("auth: Renew of a nil token")
	}
	return s.obtain(ctx, rejected, observe.CauseRejected)
}

// Close cancels any background renewal, waits for it to end, and starts no
// more: after Close, Token and Renew still work, renewing in the
// foreground. Close always returns nil; calling it again does nothing.
func (s *RenewingSource) Close() error {
	s.bgMu.Lock()
	s.closed = true
	done := s.bgDone
	s.bgMu.Unlock()
	s.bgCancel()
	if done != nil {
		<-done
	}
	return nil
}

// String does not reveal the token.
func (s *RenewingSource) String() string { return "auth.RenewingSource" }

// GoString is String, so that %#v does not print the source's fields.
func (s *RenewingSource) GoString() string { return s.String() }

// usable reports whether e is not due for renewal and is not the rejected
// token.
func (s *RenewingSource) usable(e *entry, rejected *Token) bool {
	return e != nil && (e.renewAt.IsZero() || s.cfg.Now().Before(e.renewAt)) &&
		(rejected == nil || e.tok.Value != rejected.Value)
}

// remembered returns the failed renewal callers get at once, if any.
func (s *RenewingSource) remembered(now time.Time) *failure {
	if f := s.failed.Load(); f != nil && now.Before(f.until) {
		return f
	}
	return nil
}

// storeIsDown reports whether the store is remembered unavailable at now.
func (s *RenewingSource) storeIsDown(now time.Time) bool {
	until := s.storeDown.Load()
	return until != nil && now.Before(*until)
}

// renewAhead starts one background renewal of a token that is due but
// valid, unless one runs already or it would be pointless (a failure or an
// unavailable store remembered). It reports false after Close only.
func (s *RenewingSource) renewAhead(now time.Time) bool {
	if s.cfg.Renew == nil || s.remembered(now) != nil || s.storeIsDown(now) {
		return true
	}
	s.bgMu.Lock()
	defer s.bgMu.Unlock()
	if s.closed {
		return false
	}
	if s.bgDone != nil {
		return true
	}
	done := make(chan struct{})
	s.bgDone = done
	go func() {
		defer func() {
			s.bgMu.Lock()
			s.bgDone = nil
			s.bgMu.Unlock()
			close(done)
		}()
		// The flight recovers its own panics: Do never panics here.
		_, _, _ = s.group.Do("", s.flight(s.bgCtx, nil, observe.CauseAheadOfExpiry))
	}()
	return true
}

// settle waits for the running background renewal, if any (tests).
func (s *RenewingSource) settle() {
	s.bgMu.Lock()
	done := s.bgDone
	s.bgMu.Unlock()
	if done != nil {
		<-done
	}
}

// obtain returns a token other than rejected (nil: any valid one),
// renewing it for cause when none is at hand.
func (s *RenewingSource) obtain(ctx context.Context, rejected *Token, cause observe.Cause) (*Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("auth: no token renewal for a finished context: %w", err)
	}
	if s.cfg.Renew == nil {
		return nil, errNoRenew
	}
	// A renewal that failed a moment ago is not tried again yet: the
	// callers get its error at once.
	if f := s.remembered(s.cfg.Now()); f != nil {
		return nil, f.err
	}
	flightKey := ""
	if rejected != nil {
		flightKey = rejected.Value
	}
	ch := s.group.DoChan(flightKey, s.flight(context.WithoutCancel(ctx), rejected, cause))
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		tok, ok := r.Val.(*Token)
		if !ok || tok == nil {
			return nil, errors.New("auth: renewal returned no token")
		}
		return tok, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// flight is one renewal, run by the singleflight group. base is its
// context, without the callers' cancellation; the renewal is bounded by
// Timeout. A panic becomes its error: singleflight would re-panic it on a
// goroutine nobody can recover.
func (s *RenewingSource) flight(base context.Context, rejected *Token, cause observe.Cause) func() (any, error) {
	return func() (val any, err error) {
		defer func() {
			if p := recover(); p != nil {
				val, err = nil, s.panicked(base, "the token renewal", p)
				s.remember(err)
			}
		}()
		// A caller that looked before the last flight failed starts a
		// flight of its own after it: it gets the remembered failure too.
		if f := s.remembered(s.cfg.Now()); f != nil {
			return nil, f.err
		}
		rctx, cancel := context.WithTimeout(base, s.cfg.Timeout)
		defer cancel()
		tok, err := s.renewShared(rctx, rejected, cause)
		s.remember(err)
		if err != nil {
			return nil, err
		}
		return tok, nil
	}
}

// panicked turns a recovered panic into an error naming what panicked and
// the panic's type, and logs the stack. The panic's value is never shown:
// it may hold a secret.
func (s *RenewingSource) panicked(ctx context.Context, what string, p any) error {
	if s.cfg.Logger != nil {
		s.cfg.Logger.LogAttrs(ctx, slog.LevelError, "fang: "+what+" panicked", slog.String("key", s.cfg.Key),
			slog.String("panic_type", fmt.Sprintf("%T", p)), slog.String("stack", string(debug.Stack())))
	}
	return fmt.Errorf("auth: %s panicked (%T)", what, p)
}

// remember keeps a failed renewal for a growing interval, a refused login
// for RefusalHold, or forgets the last failure after a success. A renewal
// that timed out or was cancelled is not remembered, nor is a failure of
// the store (remembered apart, see markStoreDown).
func (s *RenewingSource) remember(err error) {
	switch {
	case err == nil:
		s.failed.Store(nil)
		return
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled), errors.Is(err, ErrStoreUnavailable):
		return
	case errors.Is(err, ErrLoginRefused):
		s.failed.Store(&failure{err: err, until: s.cfg.Now().Add(s.cfg.RefusalHold)})
		return
	}
	wait := s.cfg.FailureBackoff
	if prev := s.failed.Load(); prev != nil && prev.wait > 0 {
		wait = min(2*prev.wait, s.cfg.MaxFailureBackoff)
	}
	s.failed.Store(&failure{err: err, until: s.cfg.Now().Add(wait), wait: wait})
}

// load reads the shared token, bounded by StoreTimeout. A corrupt value is
// no token; an unavailable store is reported.
func (s *RenewingSource) load(ctx context.Context) (*Token, error) {
	tok, err := storeCall(ctx, s, "Load", func(sctx context.Context) (*Token, error) {
		return s.cfg.Store.Load(sctx, s.cfg.Key)
	}, nil)
	if errors.Is(err, ErrCorruptToken) {
		s.reportStore(ctx, "Load", observe.KindCorruptToken, err)
		s.warn(ctx, "fang: the stored token is corrupt; logging in and overwriting it", err)
		return nil, nil
	}
	return tok, err
}

// lock takes the store's lock for one lease, extended while the renewal
// runs. stop releases it.
func (s *RenewingSource) lock(ctx context.Context) (stop func(), err error) {
	lockKey := s.cfg.Key + ":lock"
	lease, err := storeCall(ctx, s, "TryLease", func(sctx context.Context) (Lease, error) {
		return s.cfg.Store.TryLease(sctx, lockKey, s.cfg.LockLease)
	}, func(l Lease) {
		if l != nil {
			s.release(ctx, l.Release)
		}
	})
	if err != nil {
		return nil, err
	}
	if lease == nil {
		return nil, fmt.Errorf("%w: TryLease returned no lease", ErrStoreUnavailable)
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
				_, err := storeCall(ctx, s, "Extend", func(ectx context.Context) (struct{}, error) {
					return struct{}{}, lease.Extend(ectx, s.cfg.LockLease)
				}, nil)
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
// It runs even when the renewal's context has ended.
func (s *RenewingSource) release(ctx context.Context, unlock func(context.Context) error) {
	_, err := storeCall(context.WithoutCancel(ctx), s, "Release", func(rctx context.Context) (struct{}, error) {
		return struct{}{}, unlock(rctx)
	}, nil)
	if err != nil {
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
// and renews. A store that does not answer is not fatal (see withoutStore).
func (s *RenewingSource) renewShared(ctx context.Context, rejected *Token, cause observe.Cause) (*Token, error) {
	if e := s.cur.Load(); s.usable(e, rejected) {
		return e.tok, nil
	}
	if s.storeIsDown(s.cfg.Now()) {
		return s.withoutStore(ctx, rejected, fmt.Errorf("%w (remembered for %v)", ErrStoreUnavailable, s.cfg.StoreBackoff))
	}
	wait := s.poll
	for {
		stored, err := s.load(ctx)
		if err != nil {
			return s.withoutStore(ctx, rejected, err)
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
				return s.withoutStore(ctx, rejected, err)
			}
			if e := s.adopt(again); s.usable(e, rejected) {
				s.cur.Store(e)
				return e.tok, nil
			}
			if again != nil {
				stored = again
			}
			return s.renewLocked(ctx, stored, cause)
		}
		if !errors.Is(err, ErrLocked) {
			return s.withoutStore(ctx, rejected, err)
		}
		// Another owner is renewing: wait for its token, or for its lease
		// to lapse.
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("auth: waiting for another owner's token renewal: %w", err)
		}
		if wait *= 2; wait > 500*time.Millisecond {
			wait = 500 * time.Millisecond
		}
	}
}

// withoutStore handles a store that failed. A renewal ahead of expiry
// (the token in memory was not rejected and stays valid until the store
// is tried again, StoreBackoff and StoreTimeout from now) gives up with
// err: the valid token keeps being served. Otherwise a token is needed
// before the store can help: after a random delay (Jitter), the renewal
// goes on without the store, in the background when it is one ahead of
// expiry, so that no caller waits for that login when the token expires.
func (s *RenewingSource) withoutStore(ctx context.Context, rejected *Token, err error) (*Token, error) {
	if cerr := ctx.Err(); cerr != nil {
		return nil, fmt.Errorf("auth: token renewal: %w", cerr)
	}
	if !errors.Is(err, ErrStoreUnavailable) {
		return nil, err
	}
	if e := s.cur.Load(); rejected == nil && e != nil && !e.tok.Expired(s.cfg.Now(), s.cfg.StoreBackoff+s.cfg.StoreTimeout) {
		return nil, err
	}
	s.warn(ctx, "fang: the token store is unavailable; renewing without it", err)
	if s.cfg.Jitter > 0 {
		if err := s.sleep(ctx, rand.N(s.cfg.Jitter)); err != nil { //nolint:gosec // G404: a delay, not a secret
			return nil, fmt.Errorf("auth: token renewal: %w", err)
		}
	}
	return s.renewLocked(ctx, nil, observe.CauseStoreDown)
}

// renewLocked calls Renew for cause and keeps and saves its token.
func (s *RenewingSource) renewLocked(ctx context.Context, stored *Token, cause observe.Cause) (*Token, error) {
	last := stored
	if last == nil {
		if e := s.cur.Load(); e != nil {
			last = e.tok
		}
	}
	tok, err := s.renew(ctx, last, cause)
	if err != nil {
		return nil, err
	}
	e := s.entryFor(tok)
	s.cur.Store(e)
	if s.storeIsDown(s.cfg.Now()) {
		return tok, nil
	}
	_, err = storeCall(ctx, s, "Save", func(sctx context.Context) (struct{}, error) {
		return struct{}{}, s.cfg.Store.Save(sctx, s.cfg.Key, tok, s.ttl(tok))
	}, nil)
	if err != nil {
		// The token is good: keep it; the other replicas log in for
		// themselves until the store is back.
		s.warn(ctx, "fang: saving the token to the store failed", err)
	}
	return tok, nil
}

// renew calls Renew, reporting the renewal to the Observer and the Logger
// when there is one: the note in the context lets a fang client's
// call package (internal/call) say which login or refresh it made.
func (s *RenewingSource) renew(ctx context.Context, last *Token, cause observe.Cause) (tok *Token, err error) {
	if s.cfg.Observer == nil && s.cfg.Logger == nil {
		return s.renewChecked(ctx, last)
	}
	note := &renewal.Note{Cause: cause}
	ctx = renewal.With(ctx, note)
	start := s.cfg.Now()
	defer func() {
		if p := recover(); p != nil {
			s.renewed(ctx, note, start, fmt.Errorf("auth: the token renewal panicked (%T)", p), observe.KindPanic)
			panic(p) // flight recovers it, logs it and makes it the callers' error
		}
		s.renewed(ctx, note, start, err, "")
	}()
	return s.renewChecked(ctx, last)
}

// renewChecked calls Renew and refuses an empty token.
func (s *RenewingSource) renewChecked(ctx context.Context, last *Token) (*Token, error) {
	tok, err := s.cfg.Renew(ctx, last)
	if err != nil {
		return nil, err
	}
	if tok == nil || tok.Value == "" {
		return nil, errors.New("auth: renewal returned no token")
	}
	return tok, nil
}

// renewed reports a renewal that started at start and ended with err:
// one Info line (a warning when it failed) and one observe.Renewal.
func (s *RenewingSource) renewed(ctx context.Context, note *renewal.Note, start time.Time, err error, kind observe.ErrorKind) {
	what, op := note.Done()
	if err != nil && kind == "" {
		kind = s.errorKind(err, note)
	}
	d := s.cfg.Now().Sub(start)
	if s.cfg.Observer != nil {
		s.cfg.Observer.Renewal(ctx, observe.Renewal{Kind: what, Op: op, Cause: note.Cause, Start: start, Duration: d, ErrorKind: kind, Err: err})
	}
	if s.cfg.Logger == nil {
		return
	}
	attrs := []slog.Attr{slog.String("key", s.cfg.Key), slog.String("op", op), slog.String("cause", string(note.Cause)), slog.Duration("duration", d)}
	if err != nil {
		attrs = append(attrs, slog.String("error_kind", string(kind)), slog.String("error", err.Error()))
		s.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, renewalMessage(what, false), attrs...)
		return
	}
	s.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, renewalMessage(what, true), attrs...)
}

// renewalMessage is the log message of a renewal of kind what.
func renewalMessage(what observe.RenewalKind, ok bool) string {
	switch {
	case what == observe.RenewalLogin && ok:
		return "fang: logged in"
	case what == observe.RenewalLogin:
		return "fang: login failed"
	case what == observe.RenewalRefresh && ok:
		return "fang: token refreshed"
	case what == observe.RenewalRefresh:
		return "fang: token refresh failed"
	case ok:
		return "fang: token renewed"
	}
	return "fang: token renewal failed"
}

// errorKind classifies a renewal's error; the note says how the fang
// client's last login or refresh failed, when one did.
func (s *RenewingSource) errorKind(err error, note *renewal.Note) observe.ErrorKind {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return observe.KindTimeout
	case errors.Is(err, context.Canceled):
		return observe.KindCanceled
	case errors.Is(err, ErrLoginRefused):
		return observe.KindLoginRefused
	case errors.Is(err, ErrStoreUnavailable):
		return observe.KindStoreUnavailable
	}
	if k := note.ErrorKind(); k != "" {
		return k
	}
	return observe.KindOther
}

// reportStore gives the Observer a failed store operation.
func (s *RenewingSource) reportStore(ctx context.Context, op string, kind observe.ErrorKind, err error) {
	if s.cfg.Observer != nil {
		s.cfg.Observer.StoreError(ctx, observe.StoreError{Op: op, ErrorKind: kind, Err: err})
	}
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

// entryFor computes when tok is due for renewal: Margin (or its default)
// before its expiry, at most half its remaining lifetime.
func (s *RenewingSource) entryFor(tok *Token) *entry {
	if tok == nil || tok.Value == "" {
		return nil
	}
	e := &entry{tok: tok}
	if !tok.Expiry.IsZero() {
		left := tok.Expiry.Sub(s.cfg.Now())
		margin := s.cfg.Margin
		if margin <= 0 {
			margin = min(left/10, maxMargin)
		}
		margin = max(0, min(margin, left/2))
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

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
