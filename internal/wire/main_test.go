package wire

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/fangsdk/fang/internal/testkit"
)

// TestMain fails the package's tests if any goroutine outlives them: an
// Engine must not leave connections or timers behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestSentIsFalseWhenNothingWasSent: a call whose every attempt was
// refused reports Sent=false however it ends, also when the context ends
// during the backoff between attempts or right after it.
func TestSentIsFalseWhenNothingWasSent(t *testing.T) {
	for _, tt := range []struct {
		name  string
		sleep func(cancel context.CancelFunc) func(context.Context, time.Duration) error
	}{
		{"cancelled during the backoff", func(cancel context.CancelFunc) func(context.Context, time.Duration) error {
			return func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() }
		}},
		{"cancelled as the backoff ends", func(cancel context.CancelFunc) func(context.Context, time.Duration) error {
			return func(context.Context, time.Duration) error { cancel(); return nil }
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, err := New(Config{BaseURL: "http://" + testkit.ClosedAddr(t), Retry: RetryPolicy{MaxAttempts: 5}})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			e.sleep = tt.sleep(cancel)
			_, err = e.Do(ctx, &Call{Op: "op", Method: http.MethodPost, URL: e.URL("/x"), Header: http.Header{}, Body: []byte("a=1")})
			var se *SendError
			if !errors.As(err, &se) || !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want a *SendError wrapping context.Canceled", err)
			}
			if se.Sent || se.Attempts != 1 {
				t.Errorf("Sent=%v Attempts=%d, want Sent=false after 1 refused attempt", se.Sent, se.Attempts)
			}
		})
	}
}

// TestSentStaysTrueAfterAnEarlierSend: once an attempt may have reached
// the server, a later refused attempt does not make the call "never sent".
func TestSentStaysTrueAfterAnEarlierSend(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	e, err := New(Config{BaseURL: srv.URL, Retry: RetryPolicy{MaxAttempts: 2}})
	if err != nil {
		t.Fatal(err)
	}
	e.sleep = func(context.Context, time.Duration) error { srv.Close(); return nil } // the server goes away
	_, err = e.Do(context.Background(), &Call{Op: "op", Method: http.MethodPost, URL: e.URL("/x"), Header: http.Header{}, Body: []byte("a=1"), Idempotent: true})
	var se *SendError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a *SendError", err)
	}
	if !se.Sent || se.Attempts != 2 {
		t.Errorf("Sent=%v Attempts=%d, want Sent=true after 2 attempts (the first reached the server)", se.Sent, se.Attempts)
	}
}
