package redisstore_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/auth/redisstore"
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
