package property

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/fangsdk/fang/internal/testkit"
)

// TestHTTP2ResetSavesOnce: behind an HTTPS endpoint speaking HTTP/2 (nginx
// in front of HC, say), a stream reset after the body was sent must not
// make the transport send the save again with the same transaction-id. The
// caller gets ErrOutcomeUnknown; one copy reached the server.
func TestHTTP2ResetSavesOnce(t *testing.T) {
	srv := testkit.NewResettingH2Server(t)
	c := newTestClient(t, srv.URL, WithHTTPClient(srv.Client))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second) // bounds the replay loop of a broken build
	defer cancel()
	_, err := c.SaveProperty(ctx, company(1))
	var perr *Error
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.As(err, &perr) || len(perr.TransactionID) != 30 {
		t.Fatalf("err = %v", err)
	}
	if n := srv.Requests(); n != 1 {
		t.Fatalf("the server received %d copies of the save, want 1", n)
	}
}
