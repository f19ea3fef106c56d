package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/auth/redisstore"
)

// logins is a login endpoint shared by all replicas: it counts logins and
// issues "tok-N" for the Nth.
type logins struct {
	n     atomic.Int64
	block chan struct{} // when non-nil, a login waits for it to close
	began chan struct{} // receives once per login, when non-nil
}

func (l *logins) renew(ctx context.Context, _ *auth.Token) (*auth.Token, error) {
	n := l.n.Add(1)
	if l.began != nil {
		l.began <- struct{}{}
	}
	if l.block != nil {
		select {
		case <-l.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return &auth.Token{Value: fmt.Sprintf("tok-%d", n), Expiry: time.Now().Add(time.Hour)}, nil
}

// replica is one process: its own Redis client and connection pool, its
// own RenewingSource.
func replica(t *testing.T, p string, l *logins, wrap func(auth.Store) auth.Store) *auth.RenewingSource {
	var st auth.Store = redisstore.New(newClient(t)).WithPrefix(p)
	if wrap != nil {
		st = wrap(st)
	}
	return auth.NewRenewingSource(auth.RenewingConfig{Key: "k", Store: st, Renew: l.renew, Timeout: 5 * time.Second})
}

// concurrently calls f from perReplica goroutines for each source at once
// and returns the token values they got.
func concurrently(t *testing.T, srcs []*auth.RenewingSource, perReplica int, f func(*auth.RenewingSource) (*auth.Token, error)) map[string]int {
	t.Helper()
	start := make(chan struct{})
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		values = map[string]int{}
		errs   []error
	)
	for _, src := range srcs {
		for range perReplica {
			wg.Go(func() {
				<-start
				tok, err := f(src)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
					return
				}
				values[tok.Value]++
			})
		}
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d calls failed, first: %v", len(errs), errs[0])
	}
	return values
}

func TestReplicasShareOneLogin(t *testing.T) {
	ctx := testContext(t)
	p := prefix(t)
	l := &logins{}
	srcs := make([]*auth.RenewingSource, 4)
	for i := range srcs {
		srcs[i] = replica(t, p, l, nil)
	}

	// Cold start: 4 replicas x 25 goroutines, one login.
	values := concurrently(t, srcs, 25, func(s *auth.RenewingSource) (*auth.Token, error) { return s.Token(ctx) })
	if n := l.n.Load(); n != 1 {
		t.Fatalf("cold start: %d logins, want 1", n)
	}
	if len(values) != 1 || values["tok-1"] != 100 {
		t.Fatalf("cold start: got tokens %v, want tok-1 x 100", values)
	}

	// A replica started later reuses the stored token.
	late := replica(t, p, l, nil)
	tok, err := late.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Value != "tok-1" || l.n.Load() != 1 {
		t.Fatalf("late replica: got %s after %d logins, want tok-1 after 1", tok.Value, l.n.Load())
	}
	srcs = append(srcs, late)

	// The server rejects tok-1: every replica reports it at once, one
	// login replaces it.
	rejected := tok
	values = concurrently(t, srcs, 10, func(s *auth.RenewingSource) (*auth.Token, error) { return s.Renew(ctx, rejected) })
	if n := l.n.Load(); n != 2 {
		t.Fatalf("renewal of a rejected token: %d logins in total, want 2", n)
	}
	if len(values) != 1 || values["tok-2"] != 50 {
		t.Fatalf("renewal of a rejected token: got tokens %v, want tok-2 x 50", values)
	}
	for i, s := range srcs {
		if tok, err := s.Token(ctx); err != nil || tok.Value != "tok-2" {
			t.Fatalf("replica %d after renewal: Token = (%v, %v), want tok-2", i, tok, err)
		}
	}
	if n := l.n.Load(); n != 2 {
		t.Fatalf("%d logins in total, want 2", n)
	}
}

// lockWatch passes calls through to a real store and reports each TryLease
// that found the lock held.
type lockWatch struct {
	auth.Store
	locked chan<- struct{}
}

func (w lockWatch) TryLease(ctx context.Context, key string, ttl time.Duration) (auth.Lease, error) {
	u, err := w.Store.TryLease(ctx, key, ttl)
	if errors.Is(err, auth.ErrLocked) {
		select {
		case w.locked <- struct{}{}:
		default:
		}
	}
	return u, err
}

// While one replica's login is slow, the others wait for its token rather
// than log in themselves.
func TestReplicasWaitForSlowLogin(t *testing.T) {
	ctx := testContext(t)
	p := prefix(t)
	l := &logins{block: make(chan struct{}), began: make(chan struct{}, 10)}

	first := replica(t, p, l, nil)
	type result struct {
		tok *auth.Token
		err error
	}
	results := make(chan result, 10)
	go func() {
		tok, err := first.Token(ctx)
		results <- result{tok, err}
	}()
	<-l.began // the first replica is logging in, holding the lock

	const others = 3
	for i := range others {
		locked := make(chan struct{}, 1)
		src := replica(t, p, l, func(s auth.Store) auth.Store { return lockWatch{s, locked} })
		go func() {
			tok, err := src.Token(ctx)
			results <- result{tok, err}
		}()
		select {
		case <-locked: // it found the lock held and is waiting
		case r := <-results:
			t.Fatalf("replica %d returned (%v, %v) while the login was in progress", i, r.tok, r.err)
		case <-ctx.Done():
			t.Fatal("replica never tried the lock")
		}
	}
	if n := l.n.Load(); n != 1 {
		t.Fatalf("%d logins while the first was in progress, want 1", n)
	}
	select {
	case r := <-results:
		t.Fatalf("a replica returned (%v, %v) before the login finished", r.tok, r.err)
	default:
	}

	close(l.block)
	for range 1 + others {
		r := <-results
		if r.err != nil || r.tok.Value != "tok-1" {
			t.Fatalf("Token = (%v, %v), want tok-1", r.tok, r.err)
		}
	}
	if n := l.n.Load(); n != 1 {
		t.Fatalf("%d logins, want 1", n)
	}
}
