package fang_test

import (
	"testing"

	"github.com/fangsdk/fang"
	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/property"
)

// TestCloseTwice: fang.Client.Close closes both clients, is idempotent,
// and accepts a Client with one API or none, and a nil *Client.
func TestCloseTwice(t *testing.T) {
	both, err := fang.New(
		fang.WithKanfang(kanfang.WithBaseURL("http://127.0.0.1:1"), kanfang.WithCredentials("key", "value")),
		fang.WithProperty(property.WithBaseURL("http://127.0.0.1:1"), property.WithAppID("app"), property.WithToken(auth.StaticToken("tok"))))
	if err != nil {
		t.Fatal(err)
	}
	one, err := fang.New(fang.WithProperty(property.WithBaseURL("http://127.0.0.1:1"), property.WithAppID("app"), property.WithCredentials("user", "password")))
	if err != nil {
		t.Fatal(err)
	}
	var nilClient *fang.Client
	for _, c := range []*fang.Client{both, one, {}, nilClient} {
		for i := range 2 {
			if err := c.Close(); err != nil {
				t.Errorf("Close #%d of %v: %v", i+1, c, err)
			}
		}
	}
}
