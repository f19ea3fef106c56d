package redisstore_test

import (
	"context"
	"log"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/auth/redisstore"
	"github.com/fangsdk/fang/kanfang"
)

// Every replica of a service builds its client the same way: they share
// one token through Redis and log in once between them. (This example
// needs a Redis server, so it is compiled but not run.)
func Example() {
	// ContextTimeoutEnabled makes the store's per-operation deadline
	// (RenewingConfig.StoreTimeout) bound each command; small timeouts
	// make a dead or hung Redis cost a replica milliseconds, not seconds.
	rdb := redis.NewClient(&redis.Options{
		Addr:                  "localhost:6379",
		ContextTimeoutEnabled: true,
		DialTimeout:           200 * time.Millisecond,
		ReadTimeout:           200 * time.Millisecond,
		WriteTimeout:          200 * time.Millisecond,
		PoolTimeout:           200 * time.Millisecond,
		MaxRetries:            1,
		DialerRetries:         1,
	})
	defer rdb.Close()

	client, err := kanfang.NewClient(
		kanfang.WithCredentials("auth-key", "auth-value"),
		kanfang.WithTokenStore(redisstore.New(rdb)),
	)
	if err != nil {
		log.Fatal(err)
	}
	_ = client // use client as usual
}

// A RenewingSource over a Redis store gives any API the same sharing: the
// login runs in one process and the others wait for its token.
func ExampleNew() {
	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
	defer rdb.Close()

	src := auth.NewRenewingSource(auth.RenewingConfig{
		Key:   "my-api|https://api.example.com|account-42",
		Store: redisstore.New(rdb).WithPrefix("myapp:"),
		Renew: func(ctx context.Context, last *auth.Token) (*auth.Token, error) {
			// Use last.RefreshToken when last.CanRefresh(time.Now()),
			// log in otherwise.
			return &auth.Token{Value: "…", Expiry: time.Now().Add(2 * time.Hour)}, nil
		},
	})
	tok, err := src.Token(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	_ = tok // send tok.Value with requests
}
