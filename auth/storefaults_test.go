package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fangsdk/fang/internal/testkit"
)

// corruptStore answers ErrCorruptToken until a token is saved.
type corruptStore struct {
	Store
	saved atomic.Bool
}

func (s *corruptStore) Load(ctx context.Context, key string) (*Token, error) {
	if !s.saved.Load() {
		return nil, fmt.Errorf("test store: %w", ErrCorruptToken)
	}
	return s.Store.Load(ctx, key)
}

func (s *corruptStore) Save(ctx context.Context, key string, tok *Token, ttl time.Duration) error {
	s.saved.Store(true)
	return s.Store.Save(ctx, key, tok, ttl)
}

// TestCorruptStoredTokenIsNoToken: a value under the key that is not a
// token is no outage: log a warning, log in, overwrite it.
func TestCorruptStoredTokenIsNoToken(t *testing.T) {
	iss := &issuer{clk: testkit.NewClock(time.Unix(0, 0)), lifetime: time.Hour}
	var logs bytes.Buffer
	store := &corruptStore{Store: NewMemoryStore()}
	s := NewRenewingSource(RenewingConfig{Key: "k", Store: store, Renew: iss.renew, Now: iss.clk.Now,
		Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	tok, err := s.Token(context.Background())
	if err != nil || tok.Value != "tok-1" {
		t.Fatalf("token %v, err %v", tok, err)
	}
	if !store.saved.Load() || !bytes.Contains(logs.Bytes(), []byte("corrupt")) {
		t.Errorf("saved %v, log %s", store.saved.Load(), logs.String())
	}
}

// stallStore blocks every operation until its context ends, once stalled.
type stallStore struct {
	Store
	stalled atomic.Bool
	loads   atomic.Int32
}

func (s *stallStore) Load(ctx context.Context, key string) (*Token, error) {
	s.loads.Add(1)
	if s.stalled.Load() {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return s.Store.Load(ctx, key)
}

func (s *stallStore) Save(ctx context.Context, key string, tok *Token, ttl time.Duration) error {
	if s.stalled.Load() {
		<-ctx.Done()
		return ctx.Err()
	}
	return s.Store.Save(ctx, key, tok, ttl)
}

func (s *stallStore) TryLease(ctx context.Context, key string, ttl time.Duration) (Lease, error) {
	if s.stalled.Load() {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return s.Store.TryLease(ctx, key, ttl)
}

// TestStalledStoreServesValidToken: during the renewal window a store that
// does not answer does not fail calls while the token in memory is valid;
// with no valid token, the renewal goes on without the store.
func TestStalledStoreServesValidToken(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := &issuer{clk: clk, lifetime: time.Hour}
	store := &stallStore{Store: NewMemoryStore()}
	s := NewRenewingSource(RenewingConfig{Key: "k", Store: store, Renew: iss.renew, Now: clk.Now, StoreTimeout: 20 * time.Millisecond, Jitter: -1})
	first, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	store.stalled.Store(true)
	clk.Advance(58 * time.Minute)                                            // inside the renewal window, not expired
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // bounds a stuck build only
	defer cancel()
	tok, err := s.Token(ctx)
	s.settle() // the renewal ahead runs in the background
	if err != nil || tok.Value != first.Value {
		t.Fatalf("token %v, err %v: a stalled store failed the call", tok, err)
	}
	if store.loads.Load() < 2 {
		t.Error("the store was not consulted")
	}
	// Expired, and the store still stalled: log in without it.
	clk.Advance(time.Hour)
	tok, err = s.Token(ctx)
	if err != nil || tok.Value == first.Value {
		t.Fatalf("token %v, err %v", tok, err)
	}
}

// spyStore is a memory store on a test clock that reports lock attempts
// refused and lease extensions.
type spyStore struct {
	*memoryStore
	locked  chan struct{}
	extends chan struct{}
}

func newSpyStore(clk *testkit.Clock) *spyStore {
	m := NewMemoryStore().(*memoryStore)
	m.now = clk.Now
	return &spyStore{memoryStore: m, locked: make(chan struct{}, 100), extends: make(chan struct{}, 100)}
}

func (s *spyStore) TryLease(ctx context.Context, key string, ttl time.Duration) (Lease, error) {
	l, err := s.memoryStore.TryLease(ctx, key, ttl)
	if errors.Is(err, ErrLocked) {
		select {
		case s.locked <- struct{}{}:
		default:
		}
	}
	if err != nil {
		return nil, err
	}
	return spyLease{l, s.extends}, nil
}

type spyLease struct {
	Lease
	extends chan struct{}
}

func (l spyLease) Extend(ctx context.Context, ttl time.Duration) error {
	err := l.Lease.Extend(ctx, ttl)
	select {
	case l.extends <- struct{}{}:
	default:
	}
	return err
}

// deadStore is the view of a replica that died right after taking the
// lock: it never extends nor releases it.
type deadStore struct{ *spyStore }

func (d deadStore) TryLease(ctx context.Context, key string, ttl time.Duration) (Lease, error) {
	l, err := d.memoryStore.TryLease(ctx, key, ttl)
	if err != nil {
		return nil, err
	}
	return deadLease{l}, nil
}

type deadLease struct{ Lease }

func (deadLease) Extend(context.Context, time.Duration) error { return nil }
func (deadLease) Release(context.Context) error               { return nil }

// TestDeadLockHolderBlocksOneLeaseOnly: a replica that dies holding the
// login lock blocks the others for one lease (a few seconds), not for the
// renewal timeout: a call with a 25 s deadline on another replica succeeds.
func TestDeadLockHolderBlocksOneLeaseOnly(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	store := newSpyStore(clk)
	hung := &issuer{clk: clk, lifetime: time.Hour, block: make(chan struct{})}
	defer close(hung.block)
	started := make(chan struct{})
	dead := NewRenewingSource(RenewingConfig{Key: "k", Store: deadStore{store}, Now: clk.Now,
		Renew: func(ctx context.Context, last *Token) (*Token, error) { close(started); return hung.renew(ctx, last) }})
	go dead.Token(context.Background()) // takes the lock, then "dies" in its login
	<-started
	iss := &issuer{clk: clk, lifetime: time.Hour}
	s := NewRenewingSource(RenewingConfig{Key: "k", Store: store, Renew: iss.renew, Now: clk.Now})
	go func() {
		<-store.locked // the live replica is waiting for the dead one
		clk.Advance(DefaultLockLease + time.Second)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	tok, err := s.Token(ctx)
	if err != nil || tok.Value != "tok-1" {
		t.Fatalf("token %v, err %v", tok, err)
	}
}

// TestSlowLoginKeepsItsLease: a login slower than the lease extends it, so
// another replica waits and adopts its token instead of logging in too.
func TestSlowLoginKeepsItsLease(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	store := newSpyStore(clk)
	iss := &issuer{clk: clk, lifetime: time.Hour, block: make(chan struct{})}
	cfg := RenewingConfig{Key: "k", Store: store, Renew: iss.renew, Now: clk.Now, LockLease: 30 * time.Millisecond}
	a, b := NewRenewingSource(cfg), NewRenewingSource(cfg)
	aDone := make(chan error, 1)
	go func() { _, err := a.Token(context.Background()); aDone <- err }()
	// a holds the lease and is logging in; it extends the lease while b
	// waits, through more than one lease of the test clock.
	<-store.extends
	bDone := make(chan *Token, 1)
	go func() {
		tok, err := b.Token(context.Background())
		if err != nil {
			t.Error(err)
		}
		bDone <- tok
	}()
	for range 3 {
		<-store.locked // b found the lock taken
		drain(store.extends)
		<-store.extends                    // a extended it since the clock last moved
		clk.Advance(20 * time.Millisecond) // less than a lease since that extension
	}
	close(iss.block)
	if err := <-aDone; err != nil {
		t.Fatal(err)
	}
	if tok := <-bDone; tok == nil || tok.Value != "tok-1" {
		t.Fatalf("b got %v", tok)
	}
	if n := iss.calls.Load(); n != 1 {
		t.Fatalf("%d logins, want 1", n)
	}
}

// drain empties ch without blocking.
func drain(ch chan struct{}) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// lateLockStore's TryLease ignores its context: it answers, with a lease,
// only when the test lets it, after the caller has stopped waiting.
type lateLockStore struct {
	Store
	answer   chan struct{}
	released chan struct{}
}

func (s *lateLockStore) TryLease(context.Context, string, time.Duration) (Lease, error) {
	<-s.answer
	return lateLease{released: s.released}, nil
}

type lateLease struct{ released chan struct{} }

func (lateLease) Extend(context.Context, time.Duration) error { return nil }

func (l lateLease) Release(context.Context) error {
	close(l.released)
	return nil
}

// TestLeaseObtainedTooLateReleased: a lock the store grants after
// StoreTimeout, when the renewal has gone on without it, is released at
// once rather than held until it lapses (blocking every other replica).
func TestLeaseObtainedTooLateReleased(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := &issuer{clk: clk, lifetime: time.Hour}
	store := &lateLockStore{Store: NewMemoryStore(), answer: make(chan struct{}), released: make(chan struct{})}
	s := NewRenewingSource(RenewingConfig{Key: "k", Store: store, Renew: iss.renew, Now: clk.Now, StoreTimeout: 5 * time.Millisecond, Jitter: -1})
	tok, err := s.Token(context.Background())
	if err != nil || tok.Value != "tok-1" {
		t.Fatalf("token %v, err %v: the renewal did not go on without the store", tok, err)
	}
	close(store.answer) // the store grants the lock now, too late
	select {
	case <-store.released:
	case <-time.After(10 * time.Second): // bounds a broken build only
		t.Fatal("a lease granted after StoreTimeout was never released")
	}
}
