package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fangsdk/fang/internal/testkit"
)

// secretPanic is a panic value holding a secret: it must never be shown.
type secretPanic struct{ secret string }

const panicSecret = "secret-panic-value"

// faultStore is a memory store whose operations can be made to fail (down)
// or to panic (panicOn names the operation), and that counts its loads.
type faultStore struct {
	m        *memoryStore
	down     atomic.Bool
	panicOn  string
	loads    atomic.Int32
	extended chan struct{} // a value per Extend, before it fails or panics
}

func newFaultStore(clk *testkit.Clock) *faultStore {
	m := NewMemoryStore().(*memoryStore)
	m.now = clk.Now
	return &faultStore{m: m, extended: make(chan struct{}, 100)}
}

func (f *faultStore) op(name string) error {
	if f.panicOn == name {
		panic(secretPanic{panicSecret})
	}
	if f.down.Load() {
		return errors.New("dial tcp 127.0.0.1:6379: connection refused")
	}
	return nil
}

func (f *faultStore) Load(ctx context.Context, key string) (*Token, error) {
	f.loads.Add(1)
	if err := f.op("Load"); err != nil {
		return nil, err
	}
	return f.m.Load(ctx, key)
}

func (f *faultStore) Save(ctx context.Context, key string, tok *Token, ttl time.Duration) error {
	if err := f.op("Save"); err != nil {
		return err
	}
	return f.m.Save(ctx, key, tok, ttl)
}

func (f *faultStore) TryLease(ctx context.Context, key string, ttl time.Duration) (Lease, error) {
	if err := f.op("TryLease"); err != nil {
		return nil, err
	}
	l, err := f.m.TryLease(ctx, key, ttl)
	if err != nil {
		return nil, err
	}
	return faultLease{l, f}, nil
}

type faultLease struct {
	Lease
	f *faultStore
}

func (l faultLease) Extend(ctx context.Context, ttl time.Duration) error {
	select {
	case l.f.extended <- struct{}{}:
	default:
	}
	if err := l.f.op("Extend"); err != nil {
		return err
	}
	return l.Lease.Extend(ctx, ttl)
}

func (l faultLease) Release(ctx context.Context) error {
	if err := l.f.op("Release"); err != nil {
		return err
	}
	return l.Lease.Release(ctx)
}

// TestPanicsBecomeErrors: a panic in any Store operation or in Renew, or a
// missing Renew, never kills the process. A panicking store is an
// unavailable one (the login goes on without it); a panicking Renew is the
// call's error, naming the panic's type but never its value.
func TestPanicsBecomeErrors(t *testing.T) {
	for _, op := range []string{"Load", "Save", "TryLease", "Extend", "Release"} {
		t.Run(op, func(t *testing.T) {
			clk := testkit.NewClock(time.Unix(0, 0))
			iss := &issuer{clk: clk, lifetime: time.Hour}
			fs := newFaultStore(clk)
			fs.panicOn = op
			var store Store = fs
			renew := iss.renew
			if op == "Extend" { // the login outlasts a lease: the lease is extended
				renew = func(ctx context.Context, last *Token) (*Token, error) {
					select {
					case <-fs.extended:
					case <-ctx.Done():
						return nil, ctx.Err()
					}
					return iss.renew(ctx, last)
				}
			}
			var logs bytes.Buffer
			s := NewRenewingSource(RenewingConfig{Key: "k", Store: store, Renew: renew, Now: clk.Now, Jitter: -1,
				LockLease: 3 * time.Millisecond, Timeout: 10 * time.Second, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
			tok, err := s.Token(context.Background())
			if err != nil || tok.Value != "tok-1" {
				t.Fatalf("token %v, err %v", tok, err)
			}
			if op != "Extend" && op != "Release" { // those happen after the login
				checkPanicLogged(t, logs.String(), op)
			}
		})
	}
	t.Run("Renew", func(t *testing.T) {
		clk := testkit.NewClock(time.Unix(0, 0))
		var calls atomic.Int32
		var logs bytes.Buffer
		s := NewRenewingSource(RenewingConfig{Key: "k", Now: clk.Now, Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
			Renew: func(context.Context, *Token) (*Token, error) { calls.Add(1); panic(secretPanic{panicSecret}) }})
		for range 3 {
			_, err := s.Token(context.Background())
			if err == nil || !strings.Contains(err.Error(), "panicked") || !strings.Contains(err.Error(), "auth.secretPanic") ||
				strings.Contains(err.Error(), panicSecret) {
				t.Fatalf("err = %v", err)
			}
		}
		if _, err := s.Renew(context.Background(), &Token{Value: "x"}); err == nil {
			t.Fatal("Renew succeeded")
		}
		if n := calls.Load(); n != 1 { // remembered like any failed renewal
			t.Fatalf("%d calls of a panicking Renew", n)
		}
		checkPanicLogged(t, logs.String(), "renewal")
	})
	t.Run("RenewInBackground", func(t *testing.T) {
		clk := testkit.NewClock(time.Unix(0, 0))
		iss := &issuer{clk: clk, lifetime: 10 * time.Second}
		s := NewRenewingSource(RenewingConfig{Key: "k", Now: clk.Now, Renew: func(ctx context.Context, last *Token) (*Token, error) {
			if last != nil {
				panic(secretPanic{panicSecret})
			}
			return iss.renew(ctx, last)
		}})
		first, _ := s.Token(context.Background())
		clk.Advance(9500 * time.Millisecond)
		tok, err := s.Token(context.Background())
		s.settle()
		if err != nil || tok != first {
			t.Fatalf("token %v, err %v", tok, err)
		}
	})
	t.Run("NilRenew", func(t *testing.T) {
		s := NewRenewingSource(RenewingConfig{Key: "k"})
		if _, err := s.Token(context.Background()); !errors.Is(err, errNoRenew) {
			t.Fatalf("Token: %v", err)
		}
		if _, err := s.Renew(context.Background(), &Token{Value: "x"}); !errors.Is(err, errNoRenew) {
			t.Fatalf("Renew: %v", err)
		}
	})
}

func checkPanicLogged(t *testing.T, logs, what string) {
	t.Helper()
	if strings.Contains(logs, panicSecret) {
		t.Fatalf("the panic's value was logged: %s", logs)
	}
	if !strings.Contains(logs, "panicked") || !strings.Contains(logs, "auth.secretPanic") || !strings.Contains(logs, what) ||
		!strings.Contains(logs, "goroutine") {
		t.Fatalf("no panic with its type and stack logged: %s", logs)
	}
}

// noJitter replaces the delay before a store-less login with a counter.
func noJitter(s *RenewingSource) *atomic.Int32 {
	var n atomic.Int32
	s.sleep = func(context.Context, time.Duration) error { n.Add(1); return nil }
	return &n
}

// TestRejectedTokenRenewedWithoutStore: the server rejected the token in
// memory and the store is down: Renew logs in without the store (after the
// jitter) instead of failing because "a valid token is in memory".
func TestRejectedTokenRenewedWithoutStore(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := &issuer{clk: clk, lifetime: time.Hour}
	fs := newFaultStore(clk)
	s := NewRenewingSource(RenewingConfig{Key: "k", Store: fs, Renew: iss.renew, Now: clk.Now})
	jitters := noJitter(s)
	first, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fs.down.Store(true)
	tok, err := s.Renew(context.Background(), first)
	if err != nil || tok.Value != "tok-2" {
		t.Fatalf("Renew = %v, %v", tok, err)
	}
	if n := jitters.Load(); n != 1 {
		t.Fatalf("%d jitter delays before the store-less login, want 1", n)
	}
}

// blockingIssuer's renewals after the first block until released (or their
// context ends), so a test sees whether callers wait for them.
type blockingIssuer struct {
	issuer
	release chan struct{}
	started chan struct{}
	ctxErrs chan error
}

func newBlockingIssuer(clk *testkit.Clock, lifetime time.Duration) *blockingIssuer {
	return &blockingIssuer{issuer: issuer{clk: clk, lifetime: lifetime},
		release: make(chan struct{}), started: make(chan struct{}, 100), ctxErrs: make(chan error, 100)}
}

func (b *blockingIssuer) renew(ctx context.Context, last *Token) (*Token, error) {
	if last != nil {
		b.started <- struct{}{}
		select {
		case <-b.release:
		case <-ctx.Done():
			b.ctxErrs <- ctx.Err()
			return nil, ctx.Err()
		}
	}
	return b.issuer.renew(ctx, last)
}

// TestDueTokenServedWhileRenewingInBackground: a token due for renewal but
// valid is returned at once by every call while one renewal runs in the
// background; the next call after it gets the new token.
func TestDueTokenServedWhileRenewingInBackground(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := newBlockingIssuer(clk, 10*time.Second)
	s := NewRenewingSource(RenewingConfig{Key: "k", Renew: iss.renew, Now: clk.Now})
	defer s.Close()
	first, _ := s.Token(context.Background())
	clk.Advance(9500 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // bounds the old blocking code only
	defer cancel()
	for i := range 10 {
		tok, err := s.Token(ctx)
		if err != nil || tok != first {
			t.Fatalf("call %d: token %v, err %v; want the valid token at once", i, tok, err)
		}
	}
	<-iss.started
	close(iss.release)
	s.settle()
	if tok, _ := s.Token(ctx); tok.Value != "tok-2" {
		t.Fatalf("after the background renewal: %v", tok)
	}
	if n := iss.calls.Load(); n != 2 {
		t.Fatalf("%d renewals, want the login and one background renewal", n)
	}
}

// TestStoreFailureRemembered: once the store failed, the source does not
// consult it (nor wait for it) again for StoreBackoff.
func TestStoreFailureRemembered(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := &issuer{clk: clk, lifetime: time.Second}
	fs := newFaultStore(clk)
	fs.down.Store(true)
	s := NewRenewingSource(RenewingConfig{Key: "k", Store: fs, Renew: iss.renew, Now: clk.Now, StoreBackoff: 10 * time.Second})
	noJitter(s)
	for range 5 { // five lifetimes, each needing a login
		if _, err := s.Token(context.Background()); err != nil {
			t.Fatal(err)
		}
		s.settle()
		clk.Advance(time.Second)
	}
	if n := fs.loads.Load(); n != 1 {
		t.Fatalf("%d loads from a store remembered down, want 1", n)
	}
	clk.Advance(10 * time.Second) // the memory lapses: the store is tried again
	fs.down.Store(false)
	if _, err := s.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := fs.loads.Load(); n < 2 {
		t.Fatalf("%d loads: the store was not tried again after StoreBackoff", n)
	}
}

// hangStore's Load ignores its context and blocks until released, like
// go-redis without ContextTimeoutEnabled.
type hangStore struct {
	Store
	release chan struct{}
}

func (h hangStore) Load(context.Context, string) (*Token, error) {
	<-h.release
	return nil, nil
}

// TestStoreTimeoutEnforcedWhenStoreIgnoresContext: the caller stops
// waiting for the store after StoreTimeout and logs in without it.
func TestStoreTimeoutEnforcedWhenStoreIgnoresContext(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := &issuer{clk: clk, lifetime: time.Hour}
	store := hangStore{Store: NewMemoryStore(), release: make(chan struct{})}
	defer close(store.release)
	s := NewRenewingSource(RenewingConfig{Key: "k", Store: store, Renew: iss.renew, Now: clk.Now, StoreTimeout: 5 * time.Millisecond, Jitter: -1})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // bounds the old code only
	defer cancel()
	tok, err := s.Token(ctx)
	if err != nil || tok.Value != "tok-1" {
		t.Fatalf("token %v, err %v: the call waited for a store that ignores its context", tok, err)
	}
}

// TestStoreErrorsWrapErrStoreUnavailable: errors and timeouts of the store
// match ErrStoreUnavailable; ErrLocked and the end of the caller's context
// do not.
func TestStoreErrorsWrapErrStoreUnavailable(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	fs := newFaultStore(clk)
	fs.down.Store(true)
	s := NewRenewingSource(RenewingConfig{Key: "k", Store: fs, Now: clk.Now})
	if _, err := s.load(context.Background()); !errors.Is(err, ErrStoreUnavailable) {
		t.Fatalf("load: %v", err)
	}
	fs.down.Store(false)
	fs.m.TryLease(context.Background(), "k:lock", time.Hour)
	if _, err := s.lock(context.Background()); !errors.Is(err, ErrLocked) || errors.Is(err, ErrStoreUnavailable) {
		t.Fatalf("lock: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	hs := hangStore{Store: NewMemoryStore(), release: make(chan struct{})}
	defer close(hs.release)
	s = NewRenewingSource(RenewingConfig{Key: "k", Store: hs, Now: clk.Now})
	if _, err := s.load(ctx); !errors.Is(err, context.Canceled) || errors.Is(err, ErrStoreUnavailable) {
		t.Fatalf("load with a cancelled context: %v", err)
	}
	if s.storeIsDown(clk.Now()) {
		t.Fatal("a cancelled caller marked the store down")
	}
}

// TestStoreDownAcrossExpiryLogsInAtOnce: a store that fails during the
// renewal window is not a failed renewal: the token, which expires before
// the store is tried again (StoreBackoff), is renewed without the store,
// and the call after expiry gets the new token instead of the store's
// error for a backoff interval. (TestStalledStoreServesValidToken covers
// the login made at expiry, after a renewal ahead gave up.)
func TestStoreDownAcrossExpiryLogsInAtOnce(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := &issuer{clk: clk, lifetime: 10 * time.Second}
	fs := newFaultStore(clk)
	s := NewRenewingSource(RenewingConfig{Key: "k", Store: fs, Renew: iss.renew, Now: clk.Now, StoreBackoff: time.Minute})
	noJitter(s)
	first, _ := s.Token(context.Background())
	fs.down.Store(true)
	clk.Advance(9500 * time.Millisecond) // due, not expired
	if tok, err := s.Token(context.Background()); err != nil || tok != first {
		t.Fatalf("token %v, err %v", tok, err)
	}
	s.settle()
	clk.Advance(600 * time.Millisecond) // expired
	tok, err := s.Token(context.Background())
	if err != nil || tok.Value != "tok-2" {
		t.Fatalf("token %v, err %v: want a store-less login at once", tok, err)
	}
}

// TestStoreDownRenewsAheadBeforeExpiry: with the store down, a due token
// that stays valid until the store is tried again is served and not
// renewed; one that would expire before then is renewed without the store
// in the background, so that no caller waits for a login at expiry.
func TestStoreDownRenewsAheadBeforeExpiry(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := &issuer{clk: clk, lifetime: time.Hour} // due 5 min before expiry
	fs := newFaultStore(clk)
	s := NewRenewingSource(RenewingConfig{Key: "k", Store: fs, Renew: iss.renew, Now: clk.Now})
	noJitter(s)
	first, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fs.down.Store(true)
	clk.Advance(57 * time.Minute) // due; 3 min left, the store is tried again in 6 s
	if tok, err := s.Token(context.Background()); err != nil || tok != first {
		t.Fatalf("token %v, err %v", tok, err)
	}
	s.settle()
	if n := iss.calls.Load(); n != 1 {
		t.Fatalf("%d logins: a due token with minutes left was renewed without the store", n)
	}
	clk.Advance(2*time.Minute + 58*time.Second) // 2 s left: expired before the store is tried again
	if tok, err := s.Token(context.Background()); err != nil || tok != first {
		t.Fatalf("token %v, err %v: the valid token was not served at once", tok, err)
	}
	s.settle()
	if n := iss.calls.Load(); n != 2 {
		t.Fatalf("%d logins: the token near expiry was not renewed in the background", n)
	}
	if tok, err := s.Token(context.Background()); err != nil || tok.Value != "tok-2" {
		t.Fatalf("token %v, err %v", tok, err)
	}
}

// TestStoreLessLoginJitter: a login made without the store is preceded by
// a random delay of at most Jitter (by default one second; none when
// negative), and the delay ends with the renewal's context.
func TestStoreLessLoginJitter(t *testing.T) {
	for _, tt := range []struct {
		jitter, max time.Duration
		delays      int
	}{{0, time.Second, 1}, {50 * time.Millisecond, 50 * time.Millisecond, 1}, {-1, 0, 0}} {
		clk := testkit.NewClock(time.Unix(0, 0))
		iss := &issuer{clk: clk, lifetime: time.Hour}
		fs := newFaultStore(clk)
		fs.down.Store(true)
		s := NewRenewingSource(RenewingConfig{Key: "k", Store: fs, Renew: iss.renew, Now: clk.Now, Jitter: tt.jitter})
		var delays []time.Duration
		s.sleep = func(_ context.Context, d time.Duration) error { delays = append(delays, d); return nil }
		if _, err := s.Token(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(delays) != tt.delays || tt.delays == 1 && (delays[0] < 0 || delays[0] >= tt.max) {
			t.Fatalf("Jitter %v: delays %v", tt.jitter, delays)
		}
	}
	// The delay ends with the renewal: no login after the deadline.
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := &issuer{clk: clk, lifetime: time.Hour}
	fs := newFaultStore(clk)
	fs.down.Store(true)
	s := NewRenewingSource(RenewingConfig{Key: "k", Store: fs, Renew: iss.renew, Now: clk.Now, Jitter: time.Hour, Timeout: 20 * time.Millisecond})
	if _, err := s.Token(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if n := iss.calls.Load(); n != 0 {
		t.Fatalf("%d logins after the renewal's deadline", n)
	}
}

// TestMarginClampedToHalfLifetime: a margin longer than the token's
// lifetime does not renew on every call.
func TestMarginClampedToHalfLifetime(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := &issuer{clk: clk, lifetime: 10 * time.Minute}
	s := NewRenewingSource(RenewingConfig{Key: "k", Renew: iss.renew, Now: clk.Now, Margin: time.Hour})
	for range 20 {
		if _, err := s.Token(context.Background()); err != nil {
			t.Fatal(err)
		}
		s.settle()
		clk.Advance(15 * time.Second) // 20 calls over 4m45s, before half the lifetime
	}
	if n := iss.calls.Load(); n != 1 {
		t.Fatalf("%d renewals for 20 calls within half the lifetime, want 1", n)
	}
}

// TestCancelledContextStartsNoLogin: a caller whose context has ended gets
// its error and starts no renewal.
func TestCancelledContextStartsNoLogin(t *testing.T) {
	iss := &issuer{clk: testkit.NewClock(time.Unix(0, 0)), lifetime: time.Hour}
	s := newSource(iss, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Token(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Token: %v", err)
	}
	if _, err := s.Renew(ctx, &Token{Value: "x"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Renew: %v", err)
	}
	// Join any renewal that was started anyway, then look.
	s.group.Do("", func() (any, error) { return nil, nil })
	s.group.Do("x", func() (any, error) { return nil, nil })
	if n := iss.calls.Load(); n != 0 || s.cur.Load() != nil {
		t.Fatalf("%d logins for cancelled callers", n)
	}
}

// TestRefusedLoginHeld: a refused login is remembered for RefusalHold
// (five minutes by default): calls in between get its error at once and
// never log in again, so that retries do not lock the account.
func TestRefusedLoginHeld(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	refused := fmt.Errorf("code -1: wrong password: %w", ErrLoginRefused)
	iss := &issuer{clk: clk, lifetime: time.Hour, fail: refused}
	s := newSource(iss, nil)
	for _, at := range []time.Duration{0, 60 * time.Second, 120 * time.Second, 240 * time.Second, 299 * time.Second} {
		clk.Advance(at - clk.Now().Sub(time.Unix(0, 0)))
		if _, err := s.Token(context.Background()); !errors.Is(err, ErrLoginRefused) {
			t.Fatalf("at %v: %v", at, err)
		}
		if _, err := s.Renew(context.Background(), &Token{Value: "x"}); !errors.Is(err, ErrLoginRefused) {
			t.Fatalf("Renew at %v: %v", at, err)
		}
	}
	if n := iss.calls.Load(); n != 1 {
		t.Fatalf("%d logins within the hold, want 1", n)
	}
	clk.Advance(time.Second) // 300 s after the refusal
	s.Token(context.Background())
	if n := iss.calls.Load(); n != 2 {
		t.Fatalf("%d logins after the hold, want 2", n)
	}
	// RefusalHold is configurable.
	iss2 := &issuer{clk: clk, lifetime: time.Hour, fail: refused}
	s2 := NewRenewingSource(RenewingConfig{Key: "k", Renew: iss2.renew, Now: clk.Now, RefusalHold: time.Minute})
	s2.Token(context.Background())
	clk.Advance(time.Minute)
	s2.Token(context.Background())
	if n := iss2.calls.Load(); n != 2 {
		t.Fatalf("%d logins with a one-minute hold, want 2", n)
	}
}

// TestCloseStopsBackgroundRenewals: Close cancels the running background
// renewal and waits for it; afterwards calls renew in the foreground.
func TestCloseStopsBackgroundRenewals(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := newBlockingIssuer(clk, 10*time.Second)
	s := NewRenewingSource(RenewingConfig{Key: "k", Renew: iss.renew, Now: clk.Now})
	first, _ := s.Token(context.Background())
	clk.Advance(9500 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // bounds the old blocking code only
	defer cancel()
	if tok, _ := s.Token(ctx); tok != first {
		t.Fatalf("got %v", tok)
	}
	<-iss.started
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-iss.ctxErrs:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("background renewal ended with %v", err)
		}
	default:
		t.Fatal("Close returned before the background renewal ended")
	}
	s.Close() // twice is fine
	// After Close: a due token is renewed in the foreground.
	close(iss.release)
	tok, err := s.Token(context.Background())
	if err != nil || tok.Value != "tok-2" {
		t.Fatalf("after Close: %v, %v", tok, err)
	}
	s.bgMu.Lock()
	running := s.bgDone != nil
	s.bgMu.Unlock()
	if running {
		t.Fatal("a background renewal started after Close")
	}
}

// TestTokenJSONRedacted: a Token inside a struct logged by slog's JSON
// handler (which uses encoding/json, not LogValue) is redacted.
func TestTokenJSONRedacted(t *testing.T) {
	exp := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tok := Token{Value: "secret-access", RefreshToken: "secret-refresh", Expiry: exp, RefreshExpiry: exp.Add(time.Hour)}
	type session struct {
		UserID string
		Token  *Token
		Copy   Token
		Empty  Token
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("login", "session", session{UserID: "u1", Token: &tok, Copy: tok})
	out := buf.String()
	if strings.Contains(out, "secret-") {
		t.Fatalf("secret in JSON log: %s", out)
	}
	for _, want := range []string{`"value":"[REDACTED]"`, `"refresh_token":"[REDACTED]"`, `"expiry":"2026-01-02T03:04:05Z"`,
		`"refresh_expiry":"2026-01-02T04:04:05Z"`, `"Empty":{"value":""`} {
		if !strings.Contains(out, want) {
			t.Errorf("%s missing from %s", want, out)
		}
	}
}

// TestMemoryStoreFormatting: printing a memory store never shows its
// tokens.
func TestMemoryStoreFormatting(t *testing.T) {
	s := NewMemoryStore()
	s.Save(context.Background(), "k", &Token{Value: "secret-access", RefreshToken: "secret-refresh"}, 0)
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(f, s); strings.Contains(out, "secret-") || !strings.Contains(out, "MemoryStore") {
			t.Errorf("%s: %s", f, out)
		}
	}
	src := NewRenewingSource(RenewingConfig{Key: "k", Store: s})
	if out := fmt.Sprintf("%#v %+v", src, src); strings.Contains(out, "secret-") {
		t.Errorf("source: %s", out)
	}
}

// TestBackgroundRenewalSharedWithWaiters: callers whose token expired while
// a background renewal runs wait for that one renewal (no second login).
func TestBackgroundRenewalSharedWithWaiters(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := newBlockingIssuer(clk, 10*time.Second)
	s := NewRenewingSource(RenewingConfig{Key: "k", Renew: iss.renew, Now: clk.Now})
	defer s.Close()
	s.Token(context.Background())
	clk.Advance(9500 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // bounds the old blocking code only
	defer cancel()
	s.Token(ctx)
	<-iss.started
	clk.Advance(time.Second) // expired: callers now wait
	var wg sync.WaitGroup
	results := make(chan string, 10)
	for range 10 {
		wg.Go(func() {
			tok, err := s.Token(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			results <- tok.Value
		})
	}
	close(iss.release)
	wg.Wait()
	close(results)
	for v := range results {
		if v != "tok-2" {
			t.Fatalf("got %s", v)
		}
	}
	if n := iss.calls.Load(); n != 2 {
		t.Fatalf("%d renewals", n)
	}
}
