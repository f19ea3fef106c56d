package clientopt

import (
	"errors"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit/authtest"
)

func TestProblem(t *testing.T) {
	var c Common
	if p := c.Problem(); p != "" {
		t.Fatalf("zero value: %q", p)
	}
	c.SetToken(auth.StaticToken("t"))
	c.SetCredentials("u", "p", "username and password")
	if p := c.Problem(); p != "WithToken and WithCredentials are exclusive: choose one" {
		t.Errorf("exclusive: %q", p)
	}
	var d Common
	d.SetRetry(0, 0, 0)
	d.SetMaxResponseBytes(-1)
	d.SetCredentials("", "x", "authKey and authValue")
	if p := d.Problem(); p != "WithRetry: maxAttempts must be at least 1" {
		t.Errorf("first problem: %q", p)
	}
	var e Common
	e.SetUserAgent("ua\n")
	if p := e.Problem(); p == "" {
		t.Error("a header-unsafe user agent accepted")
	}
	var g Common
	g.SetCredentials(" \t", "x", "username and password")
	if p := g.Problem(); p == "" {
		t.Error("a blank login name accepted")
	}
	var f Common
	f.SetToken(nil)
	if p := f.Problem(); p != "WithToken(nil)" {
		t.Errorf("nil token: %q", p)
	}
}

// TestCloserClosesTheOwnedSourceOnce: Close closes the owned source once
// however often it is called, and returns the first call's error; with no
// owned source (a WithToken client) it closes nothing.
func TestCloserClosesTheOwnedSourceOnce(t *testing.T) {
	src := &authtest.ClosingSource{Err: errors.New("closing failed")}
	var c Closer
	c.Own(src)
	for i := range 3 {
		if err := c.Close(); !errors.Is(err, src.Err) {
			t.Errorf("Close #%d: %v, want the source's error", i+1, err)
		}
	}
	if n := src.Closes(); n != 1 {
		t.Errorf("the token source was closed %d times, want 1", n)
	}
	var none Closer
	if err := none.Close(); err != nil {
		t.Errorf("Close with no owned source: %v", err)
	}
}
