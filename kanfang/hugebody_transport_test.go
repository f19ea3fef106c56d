package kanfang

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit"
)

// maxLengthServer answers every request with testkit.MaxLengthAnswer and
// counts the requests it received.
func maxLengthServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	answer := testkit.MaxLengthAnswer(`{"state":200`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		answer(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestAnnouncedMaxInt64BodyKanfang: WithMaxResponseBytes(math.MaxInt64)
// and an answer announcing math.MaxInt64 bytes end as an error of every
// endpoint (the body never arrives in full), never as a panic.
func TestAnnouncedMaxInt64BodyKanfang(t *testing.T) {
	srv, n := maxLengthServer(t)
	c, err := NewClient(WithBaseURL(srv.URL), WithToken(auth.StaticToken("tok")), WithMaxResponseBytes(math.MaxInt64), WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.PutAnjukeBianHao(ctx, &PutAnjukeBianHaoRequest{PackageID: "p", AnjukeBianHao: "b"}); err == nil || !errors.Is(err, ErrNoResponse) {
		t.Errorf("PutAnjukeBianHao: err = %v, want one matching ErrNoResponse", err)
	}
	if _, err := c.GetAccessToken(ctx, "key", "value"); err == nil {
		t.Error("GetAccessToken: no error")
	}
	if _, err := c.RefreshToken(ctx, "refresh"); err == nil {
		t.Error("RefreshToken: no error")
	}
	if got := n.Load(); got != 3 {
		t.Errorf("the server received %d requests, want 3", got)
	}
}
