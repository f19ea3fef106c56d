package property

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/fangsdk/fang/auth"
)

// closingSource is a token source with a Close, as a renewing source with
// a background renewal has; it counts the Close calls.
type closingSource struct {
	closes atomic.Int64
	err    error
}

func (s *closingSource) Token(context.Context) (*auth.Token, error) {
	return &auth.Token{Value: "tok"}, nil
}
func (s *closingSource) Close() error { s.closes.Add(1); return s.err }

// TestCloseTwice: Close is idempotent, also on a nil *Client.
func TestCloseTwice(t *testing.T) {
	c, err := NewClient(WithBaseURL("http://127.0.0.1:1"), WithAppID("app"), WithToken(auth.StaticToken("tok")))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := c.Close(); err != nil {
			t.Errorf("Close #%d: %v", i+1, err)
		}
	}
	var nilClient *Client
	if err := nilClient.Close(); err != nil {
		t.Errorf("nil Close: %v", err)
	}
}

// TestCloseClosesTheCredentialsSourceOnce: the token source the client
// made for WithCredentials is the one Close closes, once however often
// Close is called; its error is Close's.
func TestCloseClosesTheCredentialsSourceOnce(t *testing.T) {
	c, err := NewClient(WithBaseURL("http://127.0.0.1:1"), WithAppID("app"), WithCredentials("user", "secret"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.closer.Owned().(*auth.RenewingSource); !ok {
		t.Fatalf("the client keeps %T as its own token source, want the *auth.RenewingSource of WithCredentials", c.closer.Owned())
	}
	src := &closingSource{err: errors.New("closing failed")}
	c.closer.Own(src) // a source whose Close fails
	for i := range 3 {
		if err := c.Close(); !errors.Is(err, src.err) {
			t.Errorf("Close #%d: %v, want the source's error", i+1, err)
		}
	}
	if n := src.closes.Load(); n != 1 {
		t.Errorf("the token source was closed %d times, want 1", n)
	}
}

// TestCloseLeavesAGivenTokenSourceAlone: a source given with WithToken is
// the caller's (it may serve other clients): Close does not close it.
func TestCloseLeavesAGivenTokenSourceAlone(t *testing.T) {
	src := &closingSource{}
	c, err := NewClient(WithBaseURL("http://127.0.0.1:1"), WithAppID("app"), WithToken(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if n := src.closes.Load(); n != 0 {
		t.Errorf("the caller's token source was closed %d times, want 0", n)
	}
}
