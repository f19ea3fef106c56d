package clientopt

import (
	"errors"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/call"
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
	e.Wire.UserAgent = "ua\n"
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
	c := Closer{owned: src}
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

// TestEngineRefusesAStaticTokenThatCannotTravel: a static token that the
// client's placement cannot carry is refused when the client is built,
// naming the place; one that can travel gives an engine for the API.
func TestEngineRefusesAStaticTokenThatCannotTravel(t *testing.T) {
	c := Common{Tokens: auth.StaticToken("bad\ntoken")}
	c.Wire.BaseURL = "http://127.0.0.1:1"
	if _, err := c.Engine("property", auth.InHeader, "Bearer "); !errors.Is(err, auth.ErrInvalidTokenValue) {
		t.Errorf("a token with a newline in the header: %v, want auth.ErrInvalidTokenValue", err)
	}
	c.Tokens = auth.StaticToken("good")
	e, err := c.Engine("property", auth.InHeader, "Bearer ")
	if err != nil || e.API() != "property" {
		t.Errorf("a good token: engine for %q, %v", e.API(), err)
	}
}

// TestCallerOwnsOnlyTheCredentialsSource: with WithCredentials the source
// login makes is the client's to close; WithToken's source is the caller's.
func TestCallerOwnsOnlyTheCredentialsSource(t *testing.T) {
	made := &authtest.ClosingSource{}
	var owned Closer
	creds := Common{Credentials: true, User: "u", Secret: "s"}
	creds.Caller(call.Config{}, &owned, func() auth.TokenSource { return made })
	if owned.Owned() != made {
		t.Errorf("owned %v, want the source login made", owned.Owned())
	}
	var none Closer
	given := Common{Tokens: &authtest.ClosingSource{}}
	given.Caller(call.Config{}, &none, func() auth.TokenSource { t.Error("login called for WithToken"); return nil })
	if none.Owned() != nil {
		t.Errorf("owned %v, want nothing for WithToken", none.Owned())
	}
}
