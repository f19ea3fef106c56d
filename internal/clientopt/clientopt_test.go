package clientopt

import (
	"testing"

	"github.com/fangsdk/fang/auth"
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
