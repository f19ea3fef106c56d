package redisstore_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/auth/redisstore"
	"github.com/fangsdk/fang/internal/testkit/redisproc"
)

// TestCorruptValueIsNoToken: a value under the token key that is not a
// token (garbage, another layout, a hash) is reported as ErrCorruptToken,
// never quoted, and a RenewingSource logs in and overwrites it instead of
// failing every call.
func TestCorruptValueIsNoToken(t *testing.T) {
	ctx := testContext(t)
	rdb := newClient(t)
	for name, put := range map[string]func(key string) error{
		"garbage":        func(key string) error { return rdb.Set(ctx, key, "not json secret-ish", 0).Err() },
		"another layout": func(key string) error { return rdb.Set(ctx, key, `{"access_token":"x","ttl":5}`, 0).Err() },
		"bad expiry":     func(key string) error { return rdb.Set(ctx, key, `{"value":"v","expiry":"yesterday"}`, 0).Err() },
		"a hash":         func(key string) error { return rdb.HSet(ctx, key, "value", "v").Err() },
	} {
		t.Run(name, func(t *testing.T) {
			p := prefix(t)
			s := redisstore.New(rdb).WithPrefix(p)
			if err := put(p + "{k}:token"); err != nil {
				t.Fatal(err)
			}
			_, err := s.Load(ctx, "k")
			if !errors.Is(err, auth.ErrCorruptToken) || strings.Contains(err.Error(), "secret-ish") {
				t.Fatalf("Load: %v", err)
			}
			l := &logins{}
			src := auth.NewRenewingSource(auth.RenewingConfig{Key: "k", Store: s, Renew: l.renew})
			tok, err := src.Token(ctx)
			if err != nil || tok.Value != "tok-1" {
				t.Fatalf("token %v, err %v", tok, err)
			}
			again, err := s.Load(ctx, "k")
			if err != nil || again == nil || again.Value != "tok-1" {
				t.Fatalf("not overwritten: %v, %v", again, err)
			}
		})
	}
}

// TestLeaseExtendAndRelease: a lease is extended only by its holder; once
// it lapsed and another owner took it, Extend fails with ErrLocked and
// Release leaves the new owner's lock alone.
func TestLeaseExtendAndRelease(t *testing.T) {
	ctx := testContext(t)
	rdb := newClient(t)
	p := prefix(t)
	s := redisstore.New(rdb).WithPrefix(p)
	l, err := s.TryLease(ctx, "k", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Extend(ctx, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	if ttl := rdb.PTTL(ctx, p+"{k}:lock:").Val(); ttl <= time.Minute || ttl > 90*time.Second {
		t.Errorf("PTTL after Extend = %v, want (60 s, 90 s]", ttl)
	}
	if _, err := s.TryLease(ctx, "k", time.Minute); !errors.Is(err, auth.ErrLocked) {
		t.Fatalf("second lease: %v", err)
	}
	// The lease lapses (deleted here, as expiry would) and another owner
	// takes it.
	rdb.Del(ctx, p+"{k}:lock:")
	other, err := s.TryLease(ctx, "k", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Extend(ctx, time.Minute); !errors.Is(err, auth.ErrLocked) {
		t.Errorf("stale Extend: %v", err)
	}
	if err := l.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TryLease(ctx, "k", time.Minute); !errors.Is(err, auth.ErrLocked) {
		t.Error("a stale Release freed the new owner's lock")
	}
	if err := other.Release(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestClusterReloadsSlotMapRateLimited: on a Cluster client, store
// operations that fail on a connection ask go-redis to reload the slot map
// (else it keeps dialling a dead master until its periodic reload, a
// minute later), but at most once per 250 ms: a dead cluster is not
// hammered. The cluster here is a slot map naming a port where nothing
// listens; the reloads are counted by ClusterOptions.ClusterSlots.
func TestClusterReloadsSlotMapRateLimited(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close()
	var reloads atomic.Int64
	cc := redis.NewClusterClient(&redis.ClusterOptions{
		ClusterSlots: func(context.Context) ([]redis.ClusterSlot, error) {
			reloads.Add(1)
			return []redis.ClusterSlot{{Start: 0, End: 16383, Nodes: []redis.ClusterNode{{ID: "dead", Addr: dead}}}}, nil
		},
		ContextTimeoutEnabled: true,
		DialTimeout:           100 * time.Millisecond,
		DialerRetries:         1,
		MaxRetries:            -1,
		MaxRedirects:          -1,
	})
	defer cc.Close()
	s := redisstore.New(cc)

	// Fail operations for at least 600 ms (bounded in count too).
	start := time.Now()
	calls := 0
	for ; calls < 200000 && time.Since(start) < 600*time.Millisecond; calls++ {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		if _, err := s.Load(ctx, "k"); err == nil {
			t.Fatal("Load on a dead cluster succeeded")
		}
		cancel()
	}
	elapsed := time.Since(start)
	// The reloads run in the background: wait until the last one asked
	// for has run (the count stops moving).
	var n int64
	redisproc.Poll(t, 5*time.Second, "the reloads settle", func() bool {
		before := reloads.Load()
		tick := time.NewTimer(300 * time.Millisecond)
		defer tick.Stop()
		<-tick.C
		n = reloads.Load()
		return n == before
	})
	// The first load, then one reload per 250 ms of failures at most,
	// plus one that go-redis may queue while another runs.
	most := 1 + int64(elapsed/(250*time.Millisecond)) + 2
	t.Logf("%d failed Loads in %v: %d slot map loads (at most %d allowed)", calls, elapsed.Round(time.Millisecond), n, most)
	if n < 2 {
		t.Errorf("%d slot map loads: the failures did not make the client reload it", n)
	}
	if n > most {
		t.Errorf("%d slot map loads for %d failed Loads in %v, want at most %d", n, calls, elapsed, most)
	}
}
