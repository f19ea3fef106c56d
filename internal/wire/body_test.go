package wire

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// announceMaxLength answers with a Content-Length of math.MaxInt64 and a
// few bytes of body, then hangs up: the request was received and answered,
// the body never arrives in full.
func announceMaxLength(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9223372036854775807\r\n\r\n{\"code\":0")
	_ = buf.Flush()
}

// TestReadBoundedHugeHintUnderHugeLimit: a limit of math.MaxInt64 lets an
// announced math.MaxInt64 through; sizing the buffer from it must not
// overflow (make panicked with a negative capacity).
func TestReadBoundedHugeHintUnderHugeLimit(t *testing.T) {
	for _, tt := range []struct {
		limit, hint int64
	}{
		{math.MaxInt64, math.MaxInt64},
		{math.MaxInt64, math.MaxInt64 - 1},
		{math.MaxInt64 - 1, math.MaxInt64 - 1},
		{math.MaxInt64, maxPrealloc},
		{math.MaxInt64, -1},
	} {
		body, err := readBounded(strings.NewReader(`{"code":0}`), tt.limit, tt.hint)
		if err != nil || string(body) != `{"code":0}` {
			t.Errorf("limit %d hint %d: body %q, err %v", tt.limit, tt.hint, body, err)
		}
	}
	// The announcement is still refused when it exceeds the limit.
	if _, err := readBounded(strings.NewReader("x"), math.MaxInt64-1, math.MaxInt64); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("announced beyond the limit: err %v, want ErrBodyTooLarge", err)
	}
}

// TestAnnouncedMaxInt64Body: end to end, an answer announcing
// math.MaxInt64 bytes to an Engine without a practical limit is a read
// failure after sending (Sent=true), not a panic.
func TestAnnouncedMaxInt64Body(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(announceMaxLength))
	defer srv.Close()
	e, err := New(Config{BaseURL: srv.URL, MaxBodyBytes: math.MaxInt64, Retry: NoRetry})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Do(context.Background(), &Call{Op: "save", Method: http.MethodPost, URL: e.URL("/x"), Header: http.Header{}, Body: []byte("a=1")})
	var se *SendError
	if !errors.As(err, &se) || !se.Sent {
		t.Fatalf("err = %v, want a *SendError with Sent=true", err)
	}
}
