package kanfang

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/fangsdk/fang/auth"
)

// maxLengthServer answers every request with a Content-Length of
// math.MaxInt64 and a few bytes of body, then hangs up. It counts the
// requests it received.
func maxLengthServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		n.Add(1)
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9223372036854775807\r\n\r\n{\"state\":200")
		_ = buf.Flush()
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
