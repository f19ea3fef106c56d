package auth_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/fangsdk/fang/auth"
)

func ExampleStaticToken() {
	ts := auth.StaticToken("a-token-obtained-elsewhere")
	tok, _ := ts.Token(context.Background())
	fmt.Println(tok) // tokens print redacted
	// Output: auth.Token{Value:[REDACTED], Expiry:never, RefreshToken:""}
}

// A placement read from configuration, as the fang CLI's --placement flag
// reads it, for kanfang.WithTokenPlacement.
func ExampleParsePlacement() {
	p, err := auth.ParsePlacement("form")
	fmt.Println(p, p == auth.InForm, err)
	_, err = auth.ParsePlacement("body")
	fmt.Println(err)
	// Output:
	// form true <nil>
	// auth: unknown token placement "body" (want header, form, cookie or query)
}

// A RenewingSource caches a token and renews it before expiry; many
// sources sharing one Store (here in memory; auth/redisstore across
// processes) log in once between them.
func ExampleNewRenewingSource() {
	var logins atomic.Int32
	login := func(ctx context.Context, last *auth.Token) (*auth.Token, error) {
		n := logins.Add(1)
		return &auth.Token{Value: fmt.Sprintf("token-%d", n), Expiry: time.Now().Add(time.Hour)}, nil
	}
	store := auth.NewMemoryStore()
	a := auth.NewRenewingSource(auth.RenewingConfig{Key: "api|account", Store: store, Renew: login})
	b := auth.NewRenewingSource(auth.RenewingConfig{Key: "api|account", Store: store, Renew: login})

	ta, _ := a.Token(context.Background())
	tb, _ := b.Token(context.Background())
	fmt.Println(ta.Value == tb.Value, logins.Load())

	// The server rejected ta: renew once, whoever asks.
	tc, _ := b.Renew(context.Background(), ta)
	td, _ := a.Renew(context.Background(), ta)
	fmt.Println(tc.Value == td.Value, logins.Load())
	// Output:
	// true 1
	// true 2
}
