package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
)

var sinkToken *auth.Token

// renewingSource returns a RenewingSource that already holds a token valid
// for an hour, so that Token is the cached read every call makes.
func renewingSource(b *testing.B) *auth.RenewingSource {
	s := auth.NewRenewingSource(auth.RenewingConfig{
		Key: "bench",
		Renew: func(context.Context, *auth.Token) (*auth.Token, error) {
			return &auth.Token{Value: "bench-token", Expiry: time.Now().Add(time.Hour)}, nil
		},
	})
	if _, err := s.Token(context.Background()); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkRenewingSourceCached is the cached token read: an atomic load
// and a clock read. Target: tens of nanoseconds, no allocation.
func BenchmarkRenewingSourceCached(b *testing.B) {
	s := renewingSource(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		tok, err := s.Token(ctx)
		if err != nil {
			b.Fatal(err)
		}
		sinkToken = tok
	}
}

func BenchmarkRenewingSourceCachedParallel(b *testing.B) {
	s := renewingSource(b)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			if _, err := s.Token(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkStaticToken(b *testing.B) {
	s := auth.StaticToken("bench-token")
	ctx := context.Background()
	b.ReportAllocs()
	for range b.N {
		tok, err := s.Token(ctx)
		if err != nil {
			b.Fatal(err)
		}
		sinkToken = tok
	}
}
