package kanfang

import (
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit/authtest"
)

// TestClose: Close is idempotent and safe on a nil *Client; it closes the
// token source the client made for WithCredentials (clientopt.Closer,
// tested in internal/clientopt), never one given with WithToken, which is
// the caller's and may serve other clients.
func TestClose(t *testing.T) {
	var nilClient *Client
	if err := nilClient.Close(); err != nil {
		t.Errorf("nil Close: %v", err)
	}
	creds, err := NewClient(WithBaseURL("http://127.0.0.1:1"), WithCredentials("user", "secret"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := creds.closer.Owned().(*auth.RenewingSource); !ok {
		t.Fatalf("the client owns %T, want the *auth.RenewingSource of WithCredentials", creds.closer.Owned())
	}
	for i := range 2 {
		if err := creds.Close(); err != nil {
			t.Errorf("Close #%d: %v", i+1, err)
		}
	}
	src := &authtest.ClosingSource{}
	given, err := NewClient(WithBaseURL("http://127.0.0.1:1"), WithToken(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := given.Close(); err != nil || src.Closes() != 0 {
		t.Errorf("Close = %v; the caller's token source was closed %d times, want 0", err, src.Closes())
	}
}
