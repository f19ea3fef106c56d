package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fangsdk/fang/internal/testkit"
)

func TestTokenRedaction(t *testing.T) {
	tok := &Token{Value: "secret-access", RefreshToken: "secret-refresh", Expiry: time.Unix(1700000000, 0).UTC()}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("t", "token", tok)
	for _, s := range []string{fmt.Sprint(tok), fmt.Sprintf("%v %+v %#v %s", tok, tok, tok, tok), buf.String(), fmt.Sprintf("%#v", StaticToken("secret-access"))} {
		if strings.Contains(s, "secret-") {
			t.Errorf("secret revealed: %s", s)
		}
	}
	if !strings.Contains(tok.String(), "2023-11-14T22:13:20Z") {
		t.Errorf("expiry missing from %s", tok)
	}
}

func TestTokenExpired(t *testing.T) {
	now := time.Unix(1000, 0)
	tests := []struct {
		tok    *Token
		margin time.Duration
		want   bool
	}{
		{nil, 0, true},
		{&Token{}, 0, true},
		{&Token{Value: "v"}, time.Hour, false},
		{&Token{Value: "v", Expiry: now.Add(time.Minute)}, 0, false},
		{&Token{Value: "v", Expiry: now.Add(time.Minute)}, time.Minute, true},
		{&Token{Value: "v", Expiry: now}, 0, true},
	}
	for i, tt := range tests {
		if got := tt.tok.Expired(now, tt.margin); got != tt.want {
			t.Errorf("%d: Expired = %v", i, got)
		}
	}
}

func TestStaticToken(t *testing.T) {
	tok, err := StaticToken("abc").Token(context.Background())
	if err != nil || tok.Value != "abc" || !tok.Expiry.IsZero() {
		t.Fatalf("%v %v", tok, err)
	}
	if _, err := StaticToken("").Token(context.Background()); !errors.Is(err, ErrEmptyToken) {
		t.Fatal(err)
	}
}

func TestParsePlacement(t *testing.T) {
	for _, p := range []Placement{InHeader, InForm, InCookie, InQuery} {
		if back, err := ParsePlacement(p.String()); err != nil || back != p || !p.Valid() {
			t.Errorf("ParsePlacement(%q) = %v, %v", p.String(), back, err)
		}
	}
	if _, err := ParsePlacement("body"); err == nil {
		t.Fatal("ParsePlacement accepted body")
	}
	if Placement(7).Valid() {
		t.Fatal("Placement(7) is valid")
	}
}

// issuer hands out numbered tokens of a fixed lifetime and counts renewals.
type issuer struct {
	clk      *testkit.Clock
	lifetime time.Duration
	calls    atomic.Int32
	lasts    []*Token
	mu       sync.Mutex
	fail     error
	block    chan struct{}
}

func (i *issuer) renew(ctx context.Context, last *Token) (*Token, error) {
	n := i.calls.Add(1)
	i.mu.Lock()
	i.lasts = append(i.lasts, last)
	i.mu.Unlock()
	if i.block != nil {
		<-i.block
	}
	if i.fail != nil {
		return nil, i.fail
	}
	return &Token{Value: fmt.Sprintf("tok-%d", n), Expiry: i.clk.Now().Add(i.lifetime)}, nil
}

func newSource(iss *issuer, store Store) *RenewingSource {
	return NewRenewingSource(RenewingConfig{Key: "k", Store: store, Renew: iss.renew, Now: iss.clk.Now})
}

func TestRenewingSourceColdStartSingleFlight(t *testing.T) {
	iss := &issuer{clk: testkit.NewClock(time.Unix(0, 0)), lifetime: time.Hour, block: make(chan struct{})}
	s := newSource(iss, nil)
	var wg sync.WaitGroup
	got := make([]string, 50)
	for i := range got {
		wg.Go(func() {
			tok, err := s.Token(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = tok.Value
		})
	}
	// Release the one login once it started; the others wait on it.
	for iss.calls.Load() == 0 {
		runtime.Gosched()
	}
	close(iss.block)
	wg.Wait()
	if n := iss.calls.Load(); n != 1 {
		t.Fatalf("%d logins for 50 cold callers", n)
	}
	for _, v := range got {
		if v != "tok-1" {
			t.Fatalf("got %q", v)
		}
	}
}

func TestRenewingSourceRenewsBeforeExpiry(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := &issuer{clk: clk, lifetime: 2 * time.Second}
	s := newSource(iss, nil)
	// Walk through 10 lifetimes in 50 ms steps: the token handed out is
	// never past (or at) its expiry, and it is renewed once per lifetime.
	for range 400 {
		tok, err := s.Token(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if tok.Expired(clk.Now(), 0) {
			t.Fatalf("handed out %s expired", tok.Value)
		}
		// The default margin is a tenth of the lifetime (200 ms): a token
		// that has less left is renewed in the background, and once that
		// renewal ended the next call gets a token with more than that.
		s.settle()
		if tok, _ = s.Token(context.Background()); tok.Expiry.Sub(clk.Now()) <= 150*time.Millisecond {
			t.Fatalf("%s still served with %v left after its renewal", tok.Value, tok.Expiry.Sub(clk.Now()))
		}
		clk.Advance(50 * time.Millisecond)
	}
	if n := int(iss.calls.Load()); n < 10 || n > 12 {
		t.Fatalf("%d renewals over 10 lifetimes", n)
	}
}

func TestRenewingSourceRenewAfterRejection(t *testing.T) {
	iss := &issuer{clk: testkit.NewClock(time.Unix(0, 0)), lifetime: time.Hour}
	s := newSource(iss, nil)
	first, _ := s.Token(context.Background())
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			tok, err := s.Renew(context.Background(), first)
			if err != nil || tok.Value != "tok-2" {
				t.Errorf("Renew = %v, %v", tok, err)
			}
		})
	}
	wg.Wait()
	if n := iss.calls.Load(); n != 2 {
		t.Fatalf("%d renewals, want 1 login + 1 renewal", n)
	}
	// A late report of the old token does not renew again.
	if tok, _ := s.Renew(context.Background(), first); tok.Value != "tok-2" || iss.calls.Load() != 2 {
		t.Fatalf("stale rejection renewed again: %v", tok)
	}
	// The renewal is handed the last token (with its refresh token).
	if iss.lasts[1] == nil || iss.lasts[1].Value != "tok-1" {
		t.Fatalf("renewal saw %v", iss.lasts[1])
	}
}

// TestRenewingSourceFailuresPaced: a failed renewal is remembered for a
// short, growing interval shared by every caller: 50 workers looping get
// the error at once and cause one attempt per interval, not thousands.
func TestRenewingSourceFailuresPaced(t *testing.T) {
	wrong := errors.New("wrong credentials")
	iss := &issuer{clk: testkit.NewClock(time.Unix(0, 0)), lifetime: time.Hour, fail: wrong}
	s := newSource(iss, nil)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			for range 20 {
				if _, err := s.Token(context.Background()); !errors.Is(err, wrong) {
					t.Errorf("err = %v, want the login's error", err)
				}
			}
		})
	}
	wg.Wait()
	if n := iss.calls.Load(); n != 1 {
		t.Fatalf("%d attempts by 50 workers within the interval, want 1", n)
	}
	// One second later: one new attempt; its failure doubles the interval.
	iss.clk.Advance(time.Second)
	s.Token(context.Background())
	s.Token(context.Background())
	if n := iss.calls.Load(); n != 2 {
		t.Fatalf("%d attempts after the first interval, want 2", n)
	}
	iss.clk.Advance(time.Second)
	s.Token(context.Background())
	if n := iss.calls.Load(); n != 2 {
		t.Fatalf("%d attempts inside the doubled interval, want 2", n)
	}
	iss.clk.Advance(time.Second)
	s.Token(context.Background())
	if n := iss.calls.Load(); n != 3 {
		t.Fatalf("%d attempts after the doubled interval, want 3", n)
	}
	// A success resets the pacing.
	iss.fail = nil
	iss.clk.Advance(4 * time.Second)
	if _, err := s.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Renew of a rejected token is paced the same way.
	iss.fail = wrong
	tok, _ := s.Token(context.Background())
	for range 5 {
		if _, err := s.Renew(context.Background(), tok); !errors.Is(err, wrong) {
			t.Fatalf("err = %v", err)
		}
	}
	if n := iss.calls.Load(); n != 5 {
		t.Fatalf("%d attempts, want 5", n)
	}
}

// TestRenewingSourceNilContext: an error, never a panic.
func TestRenewingSourceNilContext(t *testing.T) {
	iss := &issuer{clk: testkit.NewClock(time.Unix(0, 0)), lifetime: time.Hour}
	s := newSource(iss, nil)
	var nilCtx context.Context
	if _, err := s.Token(nilCtx); err == nil {
		t.Error("Token(nil) succeeded")
	}
	if _, err := s.Renew(nilCtx, &Token{Value: "x"}); err == nil {
		t.Error("Renew(nil) succeeded")
	}
	if iss.calls.Load() != 0 {
		t.Error("a renewal ran")
	}
}

func TestRenewingSourceSharedStore(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := &issuer{clk: clk, lifetime: time.Hour}
	store := NewMemoryStore()
	a, b := newSource(iss, store), newSource(iss, store)
	ta, _ := a.Token(context.Background())
	tb, _ := b.Token(context.Background())
	if ta.Value != tb.Value || iss.calls.Load() != 1 {
		t.Fatalf("replicas logged in %d times (%s, %s)", iss.calls.Load(), ta.Value, tb.Value)
	}
	// b learns of a rejection; a then picks up b's renewal from the store.
	tb2, _ := b.Renew(context.Background(), tb)
	ta2, _ := a.Renew(context.Background(), ta)
	if ta2.Value != tb2.Value || iss.calls.Load() != 2 {
		t.Fatalf("renewals %d (%s, %s)", iss.calls.Load(), ta2.Value, tb2.Value)
	}
}

// leaseStore is a Store as a user writes one: Load, Save and TryLease,
// nothing else. It counts the leases taken and released.
type leaseStore struct {
	m                *memoryStore
	leases, released atomic.Int32
}

func (s *leaseStore) Load(ctx context.Context, key string) (*Token, error) { return s.m.Load(ctx, key) }

func (s *leaseStore) Save(ctx context.Context, key string, tok *Token, ttl time.Duration) error {
	return s.m.Save(ctx, key, tok, ttl)
}

func (s *leaseStore) TryLease(ctx context.Context, key string, ttl time.Duration) (Lease, error) {
	l, err := s.m.TryLease(ctx, key, ttl)
	if err != nil {
		return nil, err
	}
	s.leases.Add(1)
	return countedLease{l, s}, nil
}

type countedLease struct {
	Lease
	s *leaseStore
}

func (l countedLease) Release(ctx context.Context) error {
	l.s.released.Add(1)
	return l.Lease.Release(ctx)
}

// TestLeaseOnlyStore: Store is Load, Save and TryLease (one lock API). A
// store implementing just those is shared by replicas that log in once,
// each renewal taking one lease and releasing it.
func TestLeaseOnlyStore(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := &issuer{clk: clk, lifetime: time.Hour}
	m := NewMemoryStore().(*memoryStore)
	m.now = clk.Now
	var store Store = &leaseStore{m: m}
	a, b := newSource(iss, store), newSource(iss, store)
	ta, err := a.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tb, err := b.Token(context.Background())
	if err != nil || ta.Value != tb.Value || iss.calls.Load() != 1 {
		t.Fatalf("replicas logged in %d times (%v, %v, %v)", iss.calls.Load(), ta, tb, err)
	}
	ls := store.(*leaseStore)
	if n, r := ls.leases.Load(), ls.released.Load(); n != 1 || r != 1 {
		t.Fatalf("%d leases taken, %d released; want 1 and 1", n, r)
	}
	if _, err := m.TryLease(context.Background(), "k:lock", time.Second); err != nil {
		t.Fatalf("the lock is still held after the renewal: %v", err)
	}
}

func TestRenewingSourceCallerCancelDoesNotFailOthers(t *testing.T) {
	iss := &issuer{clk: testkit.NewClock(time.Unix(0, 0)), lifetime: time.Hour, block: make(chan struct{})}
	s := newSource(iss, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := s.Token(ctx); done <- err }()
	for iss.calls.Load() == 0 {
		runtime.Gosched()
	}
	other := make(chan string, 1)
	go func() { tok, _ := s.Token(context.Background()); other <- tok.Value }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller: %v", err)
	}
	close(iss.block)
	if v := <-other; v != "tok-1" {
		t.Fatalf("other caller got %q", v)
	}
}

func TestMemoryStoreLock(t *testing.T) {
	s := NewMemoryStore().(*memoryStore)
	clk := testkit.NewClock(time.Unix(0, 0))
	s.now = clk.Now
	lease, err := s.TryLease(context.Background(), "l", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.TryLease(context.Background(), "l", time.Second); !errors.Is(err, ErrLocked) {
		t.Fatalf("second TryLease: %v", err)
	}
	clk.Advance(time.Second)
	lease2, err := s.TryLease(context.Background(), "l", time.Second)
	if err != nil {
		t.Fatalf("expired lock not retaken: %v", err)
	}
	if err := lease.Extend(context.Background(), time.Second); !errors.Is(err, ErrLocked) {
		t.Fatalf("the old owner extended the new owner's lease: %v", err)
	}
	lease.Release(context.Background()) // the old owner must not release the new lock
	if _, err := s.TryLease(context.Background(), "l", time.Second); !errors.Is(err, ErrLocked) {
		t.Fatal("old owner released the new owner's lock")
	}
	clk.Advance(time.Second / 2)
	if err := lease2.Extend(context.Background(), time.Second); err != nil {
		t.Fatalf("Extend: %v", err)
	}
	clk.Advance(time.Second * 3 / 4) // past the first expiry, inside the extended one
	if _, err := s.TryLease(context.Background(), "l", time.Second); !errors.Is(err, ErrLocked) {
		t.Fatal("the extended lease expired at its first expiry")
	}
	lease2.Release(context.Background())
	if _, err := s.TryLease(context.Background(), "l", time.Second); err != nil {
		t.Fatal(err)
	}
	// Saved tokens expire with their ttl.
	s.Save(context.Background(), "t", &Token{Value: "v"}, time.Second)
	if tok, _ := s.Load(context.Background(), "t"); tok == nil || tok.Value != "v" {
		t.Fatal("token not loaded")
	}
	clk.Advance(time.Second)
	if tok, _ := s.Load(context.Background(), "t"); tok != nil {
		t.Fatal("token outlived its ttl")
	}
}

func TestRenewingSourceKeepsValidTokenWhenEarlyRenewalFails(t *testing.T) {
	clk := testkit.NewClock(time.Unix(0, 0))
	iss := &issuer{clk: clk, lifetime: 10 * time.Second}
	s := newSource(iss, nil)
	first, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	iss.fail = errors.New("login service down")
	clk.Advance(9500 * time.Millisecond) // inside the 1 s renewal margin, before expiry
	tok, err := s.Token(context.Background())
	s.settle() // the renewal ahead runs in the background
	if err != nil || tok.Value != first.Value {
		t.Fatalf("early renewal: %v, %v; want the still-valid token", tok, err)
	}
	if iss.calls.Load() != 2 {
		t.Fatalf("%d renewal attempts, want the failed early one", iss.calls.Load())
	}
	// Its failure is remembered: the calls that follow get the valid token
	// without another attempt.
	if tok, err := s.Token(context.Background()); err != nil || tok.Value != first.Value || iss.calls.Load() != 2 {
		t.Fatalf("after the failed renewal: %v, %v, %d attempts", tok, err, iss.calls.Load())
	}
	clk.Advance(500 * time.Millisecond) // now expired
	if _, err := s.Token(context.Background()); err == nil {
		t.Fatal("an expired token was handed out after renewal failed")
	}
}
