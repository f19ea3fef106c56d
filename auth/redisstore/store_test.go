package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/auth/redisstore"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	ctx := testContext(t)
	s := redisstore.New(newClient(t)).WithPrefix(prefix(t))

	// Times round-trip to the nanosecond (RFC 3339 with nanoseconds),
	// whatever their location; Load returns them in UTC.
	cst := time.FixedZone("CST", 8*3600)
	want := &auth.Token{
		Value:         "access-secret",
		Expiry:        time.Date(2031, 2, 3, 4, 5, 6, 123456789, cst),
		RefreshToken:  "refresh-secret",
		RefreshExpiry: time.Date(2032, 1, 1, 0, 0, 0, 1, time.UTC),
	}
	if err := s.Save(ctx, "k", want, time.Hour); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Value != want.Value || got.RefreshToken != want.RefreshToken ||
		!got.Expiry.Equal(want.Expiry) || !got.RefreshExpiry.Equal(want.RefreshExpiry) {
		t.Fatalf("Load = %+v, want %+v", got, want)
	}

	// Zero times stay zero; a save replaces the previous token.
	bare := &auth.Token{Value: "bare"}
	if err := s.Save(ctx, "k", bare, 0); err != nil {
		t.Fatal(err)
	}
	got, err = s.Load(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	if *got != *bare {
		t.Fatalf("Load = %+v, want %+v", got, bare)
	}
}

func TestLoadMissing(t *testing.T) {
	ctx := testContext(t)
	s := redisstore.New(newClient(t)).WithPrefix(prefix(t))
	tok, err := s.Load(ctx, "absent")
	if tok != nil || err != nil {
		t.Fatalf("Load = (%v, %v), want (nil, nil)", tok, err)
	}
}

// setRecorder is a go-redis hook that records the arguments of every SET
// command the client sends, so the expiry on the wire can be asserted
// without racing Redis's clock.
type setRecorder struct {
	mu   sync.Mutex
	sets [][]any
}

func (r *setRecorder) DialHook(next redis.DialHook) redis.DialHook { return next }

func (r *setRecorder) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if strings.EqualFold(cmd.Name(), "set") {
			r.mu.Lock()
			r.sets = append(r.sets, append([]any(nil), cmd.Args()...))
			r.mu.Unlock()
		}
		return next(ctx, cmd)
	}
}

func (r *setRecorder) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// last returns the last SET's key and the arguments after its value (the
// expiry, if any), each formatted with %v.
func (r *setRecorder) last(t *testing.T) (key string, expiry []string) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.sets) == 0 {
		t.Fatal("no SET command was sent")
	}
	args := r.sets[len(r.sets)-1]
	if len(args) < 3 {
		t.Fatalf("SET sent with %d arguments", len(args))
	}
	for _, a := range args[3:] {
		expiry = append(expiry, fmt.Sprint(a))
	}
	return fmt.Sprint(args[1]), expiry
}

func TestKeyLayoutAndTTL(t *testing.T) {
	ctx := testContext(t)
	rdb := newClient(t)
	rec := &setRecorder{}
	rdb.AddHook(rec)
	p := prefix(t)
	s := redisstore.New(rdb).WithPrefix(p)
	tok := &auth.Token{Value: "v"}
	key := p + "{k}:token"

	for _, tc := range []struct {
		ttl time.Duration
		// expiry is the tail of the SET command sent: go-redis writes
		// whole seconds as EX and anything else as PX in milliseconds.
		expiry string
	}{
		{time.Hour, "ex 3600"},
		{1500 * time.Microsecond, "px 2"}, // rounded up, never down
		{time.Microsecond, "px 1"},        // rounded up to 1 ms, not 0 (which Redis rejects)
		{0, ""},                           // no expiry
		{-time.Second, ""},
	} {
		if err := s.Save(ctx, "k", tok, tc.ttl); err != nil {
			t.Fatalf("ttl %v: %v", tc.ttl, err)
		}
		gotKey, gotExpiry := rec.last(t)
		if gotKey != key || strings.Join(gotExpiry, " ") != tc.expiry {
			t.Errorf("ttl %v: sent SET %s <value> %q, want SET %s <value> %q",
				tc.ttl, gotKey, strings.Join(gotExpiry, " "), key, tc.expiry)
		}

		// What Redis made of it. Only bounds that hold on a slow machine:
		// a millisecond key may already be gone (-2) or report 0.
		pttl, err := rdb.PTTL(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case tc.ttl <= 0:
			if pttl != -1 { // go-redis reports "no expiry" as -1ns
				t.Errorf("ttl %v: PTTL = %v, want no expiry", tc.ttl, pttl)
			}
		case tc.ttl == time.Hour:
			if pttl < time.Hour-time.Minute || pttl > time.Hour {
				t.Errorf("ttl %v: PTTL = %v, want within a minute below 1h", tc.ttl, pttl)
			}
		default:
			if pttl != -2 && (pttl < 0 || pttl > 2*time.Millisecond) {
				t.Errorf("ttl %v: PTTL = %v, want gone or at most 2ms", tc.ttl, pttl)
			}
		}
	}

	// The locks: the lock of the token named k, as RenewingSource names it
	// (k + ":lock"), shares the token's hash tag, hence its Cluster slot;
	// any other lock name n is "{n}:lock:", so the two never collide.
	for name, want := range map[string]string{
		"k:lock":      p + "{k}:lock",
		"k":           p + "{k}:lock:",
		"k:lock:lock": p + "{k:lock}:lock",
		":lock":       p + "{:lock}:lock:",
	} {
		u, err := tryLock(ctx, s, name, time.Minute)
		if err != nil {
			t.Fatalf("TryLease(%q): %v", name, err)
		}
		if got, _ := rec.last(t); got != want {
			t.Errorf("TryLease(%q) sent SET %s, want SET %s", name, got, want)
		}
		if err := u(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSavedTokenExpires(t *testing.T) {
	ctx := testContext(t)
	s := redisstore.New(newClient(t)).WithPrefix(prefix(t))
	if err := s.Save(ctx, "k", &auth.Token{Value: "v"}, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		tok, err := s.Load(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		if tok == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("token saved with a 20ms ttl is still there after 3s")
		}
		time.Sleep(5 * time.Millisecond) // polling interval, bounded by deadline
	}
}

func TestPrefixesAreSeparate(t *testing.T) {
	ctx := testContext(t)
	rdb := newClient(t)
	p := prefix(t)
	a, b := redisstore.New(rdb).WithPrefix(p+"a:"), redisstore.New(rdb).WithPrefix(p+"b:")
	if err := a.Save(ctx, "k", &auth.Token{Value: "v"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if tok, err := b.Load(ctx, "k"); tok != nil || err != nil {
		t.Fatalf("other prefix: Load = (%v, %v), want (nil, nil)", tok, err)
	}
	unlock, err := tryLock(ctx, a, "k", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock(ctx)
	unlockB, err := tryLock(ctx, b, "k", time.Minute)
	if err != nil {
		t.Fatalf("other prefix: TryLease: %v", err)
	}
	unlockB(ctx)
	// A token and a lock of the same name do not collide either.
	if tok, err := a.Load(ctx, "k"); err != nil || tok == nil || tok.Value != "v" {
		t.Fatalf("Load after TryLease of the same name = (%v, %v)", tok, err)
	}
}

func TestDefaultPrefix(t *testing.T) {
	ctx := testContext(t)
	rdb := newClient(t)
	s := redisstore.New(rdb)
	key := prefix(t) + "k"
	if err := s.Save(ctx, key, &auth.Token{Value: "v"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	defer rdb.Del(ctx, "fang:{"+key+"}:token")
	if n, err := rdb.Exists(ctx, "fang:{"+key+"}:token").Result(); err != nil || n != 1 {
		t.Fatalf("EXISTS fang:{%s}:token = (%d, %v), want 1", key, n, err)
	}
}

func TestTryLeaseExclusive(t *testing.T) {
	ctx := testContext(t)
	rdb := newClient(t)
	p := prefix(t)
	s := redisstore.New(rdb).WithPrefix(p)

	unlock, err := tryLock(ctx, s, "k", time.Minute)
	if err != nil || unlock == nil {
		t.Fatalf("TryLease = (%v, %v)", unlock != nil, err)
	}
	pttl, err := rdb.PTTL(ctx, p+"{k}:lock:").Result()
	if err != nil || pttl <= 0 || pttl > time.Minute {
		t.Fatalf("lock PTTL = (%v, %v), want in (0, 1m]", pttl, err)
	}
	// Another Store (another client and pool) is another owner.
	other := redisstore.New(newClient(t)).WithPrefix(p)
	for _, st := range []*redisstore.Store{s, other} {
		u, err := tryLock(ctx, st, "k", time.Minute)
		if u != nil || !errors.Is(err, auth.ErrLocked) {
			t.Fatalf("second TryLease = (%v, %v), want (nil, ErrLocked)", u != nil, err)
		}
	}
	if err := unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := rdb.Exists(ctx, p+"{k}:lock:").Result(); n != 0 {
		t.Fatal("unlock by the owner left the lock key")
	}
	u, err := tryLock(ctx, other, "k", time.Minute)
	if err != nil {
		t.Fatalf("TryLease after unlock: %v", err)
	}
	if err := u(ctx); err != nil {
		t.Fatal(err)
	}
	if err := u(ctx); err != nil {
		t.Fatalf("second unlock: %v", err)
	}
}

func TestTryLeaseTTL(t *testing.T) {
	ctx := testContext(t)
	rdb := newClient(t)
	rec := &setRecorder{}
	rdb.AddHook(rec)
	p := prefix(t)
	s := redisstore.New(rdb).WithPrefix(p)
	for _, ttl := range []time.Duration{0, -time.Second} {
		if u, err := tryLock(ctx, s, "k", ttl); u != nil || err == nil || errors.Is(err, auth.ErrLocked) {
			t.Errorf("TryLease(ttl %v) = (%v, %v), want an error", ttl, u != nil, err)
		}
	}
	// A sub-millisecond ttl is rounded up to 1 ms, not to 0 (which Redis
	// would reject) and not to "forever".
	u, err := tryLock(ctx, s, "k", time.Nanosecond)
	if err != nil {
		t.Fatal(err)
	}
	defer u(ctx)
	if key, rest := rec.last(t); key != p+"{k}:lock:" || strings.Join(rest, " ") != "px 1 nx" {
		t.Errorf("sent SET %s <owner> %q, want SET %s <owner> \"px 1 nx\"", key, strings.Join(rest, " "), p+"{k}:lock:")
	}
	if pttl, err := rdb.PTTL(ctx, p+"{k}:lock:").Result(); err != nil || pttl > time.Millisecond || pttl == -1 {
		t.Fatalf("PTTL = (%v, %v), want at most 1ms", pttl, err)
	}
}

// An owner whose lock expired and was taken by another must not release
// the new owner's lock.
func TestStaleUnlockKeepsNewOwnersLock(t *testing.T) {
	ctx := testContext(t)
	rdb := newClient(t)
	p := prefix(t)
	s := redisstore.New(rdb).WithPrefix(p)

	t.Run("deleted", func(t *testing.T) {
		oldUnlock, err := tryLock(ctx, s, "a", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		rdb.Del(ctx, p+"{a}:lock:") // as if it expired
		newUnlock, err := tryLock(ctx, s, "a", time.Minute)
		if err != nil {
			t.Fatalf("TryLease after expiry: %v", err)
		}
		checkStaleUnlock(t, s, "a", oldUnlock, newUnlock)
	})
	t.Run("expired", func(t *testing.T) {
		oldUnlock, err := tryLock(ctx, s, "b", 30*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(3 * time.Second)
		for {
			u, err := tryLock(ctx, s, "b", time.Minute)
			if err == nil {
				checkStaleUnlock(t, s, "b", oldUnlock, u)
				return
			}
			if !errors.Is(err, auth.ErrLocked) {
				t.Fatal(err)
			}
			if time.Now().After(deadline) {
				t.Fatal("a 30ms lock is still held after 3s")
			}
			time.Sleep(5 * time.Millisecond) // polling interval, bounded by deadline
		}
	})
}

func checkStaleUnlock(t *testing.T, s *redisstore.Store, key string, oldUnlock, newUnlock func(context.Context) error) {
	t.Helper()
	ctx := testContext(t)
	if err := oldUnlock(ctx); err != nil {
		t.Fatalf("stale unlock: %v", err)
	}
	if u, err := tryLock(ctx, s, key, time.Minute); !errors.Is(err, auth.ErrLocked) {
		if u != nil {
			u(ctx)
		}
		t.Fatalf("after the old owner's unlock, TryLease = %v, want ErrLocked: the new owner's lock was released", err)
	}
	if err := newUnlock(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := tryLock(ctx, s, key, time.Minute)
	if err != nil {
		t.Fatalf("after the new owner's unlock, TryLease = %v", err)
	}
	u(ctx)
}

func TestTryLeaseConcurrent(t *testing.T) {
	ctx := testContext(t)
	p := prefix(t)
	const clients, perClient = 4, 16
	stores := make([]*redisstore.Store, clients)
	for i := range stores {
		stores[i] = redisstore.New(newClient(t)).WithPrefix(p)
	}
	for round := range 5 {
		key := fmt.Sprintf("k%d", round)
		start := make(chan struct{})
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			unlocks []func(context.Context) error
			errs    []error
		)
		for i := range clients * perClient {
			wg.Add(1)
			go func(s *redisstore.Store) {
				defer wg.Done()
				<-start
				u, err := tryLock(ctx, s, key, time.Minute)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					unlocks = append(unlocks, u)
				case !errors.Is(err, auth.ErrLocked):
					errs = append(errs, err)
				}
			}(stores[i%clients])
		}
		close(start)
		wg.Wait()
		if len(errs) > 0 {
			t.Fatal(errs[0])
		}
		if len(unlocks) != 1 {
			t.Fatalf("round %d: %d of %d TryLeases won, want 1", round, len(unlocks), clients*perClient)
		}
		if err := unlocks[0](ctx); err != nil {
			t.Fatal(err)
		}
	}
}

func TestErrorsRevealNoToken(t *testing.T) {
	ctx := testContext(t)
	p := prefix(t)
	rdb := newClient(t)
	s := redisstore.New(rdb).WithPrefix(p)
	const secret = "s3cr3t-token-value"

	// Malformed data under the key: the error names the key, not the data.
	rdb.Set(ctx, p+"{bad}:token", `{"value":"`+secret+`","expiry":"`+secret+`"}`, time.Minute)
	rdb.Set(ctx, p+"{garbage}:token", secret+`{`, time.Minute)
	for _, key := range []string{"bad", "garbage"} {
		tok, err := s.Load(ctx, key)
		if tok != nil || err == nil {
			t.Fatalf("Load(%s) = (%v, %v), want an error", key, tok, err)
		}
		checkErr(t, err, secret)
	}

	// Failures from Redis itself.
	closed := redis.NewClient(&redis.Options{Addr: rdb.Options().Addr})
	closed.Close()
	cs := redisstore.New(closed)
	checkErr(t, cs.Save(ctx, "k", &auth.Token{Value: secret, RefreshToken: secret}, time.Minute), secret)
	_, err := cs.Load(ctx, "k")
	checkErr(t, err, secret)
	_, err = tryLock(ctx, cs, "k", time.Minute)
	checkErr(t, err, secret)
	checkErr(t, s.Save(ctx, "k", nil, 0), secret)

	if got := fmt.Sprint(s); got != fmt.Sprintf("redisstore.Store(prefix=%q)", p) {
		t.Errorf("String() = %q", got)
	}
	if got := fmt.Sprintf("%v", redisstore.New(rdb)); strings.Contains(got, rdb.Options().Addr) {
		t.Errorf("String() = %q reveals the address", got)
	}
}

func checkErr(t *testing.T, err error, secret string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "redisstore: ") || strings.Contains(msg, secret) {
		t.Errorf("error %q: want a \"redisstore: \" prefix and no token", msg)
	}
}

// tryLock takes the lock named key with TryLease and returns its Release.
func tryLock(ctx context.Context, s *redisstore.Store, key string, ttl time.Duration) (func(context.Context) error, error) {
	l, err := s.TryLease(ctx, key, ttl)
	if err != nil {
		return nil, err
	}
	return l.Release, nil
}
