package kanfang

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit"
)

// The fault matrix: how PutAnjukeBianHao, an idempotent call, behaves when
// the network or the server misbehaves. Every server is on the loopback
// interface; nothing sleeps to synchronise.

const faultToken = "fault-token-7f3a9c"

// faultServer is an httptest server that counts the requests it receives
// (each body read in full first) before handing them to a handler.
type faultServer struct {
	*httptest.Server
	hits atomic.Int64
}

func newFaultServer(t *testing.T, h http.HandlerFunc) *faultServer {
	t.Helper()
	s := &faultServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		s.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// seenRequests closes the server, which waits for every handler to return,
// and reports how many requests arrived.
func (s *faultServer) seenRequests() int {
	s.Close()
	return int(s.hits.Load())
}

// Handlers, one per fault.

// truncated announces a longer body than it sends, then hangs up.
var truncated = testkit.RawAnswer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"state\":200,\"pay")

// failFirst answers the first n requests with fail, the others with ok.
func failFirst(n int64, fail http.HandlerFunc) http.HandlerFunc {
	var seen atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) <= n {
			fail(w, r)
			return
		}
		io.WriteString(w, `{"state":200,"payload":{"packageId":"pkg 1/数据","anjukeBianHao":"00000000010101"}}`)
	}
}

// Error expectations.

// wantNoAnswer expects the *Error of a call that got no answer: after
// attempts attempts, its outcome unknown when the request may have reached
// the server, wrapping cause.
func wantNoAnswer(unknown bool, attempts int, cause error) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ke *Error
		if !errors.As(err, &ke) || !errors.Is(err, ErrNoResponse) || ke.HTTPStatus != 0 {
			t.Fatalf("err = %v (%T), want an *Error matching ErrNoResponse", err, err)
		}
		if ke.OutcomeUnknown() != unknown || errors.Is(err, ErrOutcomeUnknown) != unknown || ke.Attempts() != attempts {
			t.Errorf("OutcomeUnknown=%v Attempts=%d, want %v and %d", ke.OutcomeUnknown(), ke.Attempts(), unknown, attempts)
		}
		if cause != nil && !errors.Is(err, cause) {
			t.Errorf("err = %v, want it to wrap %v", err, cause)
		}
	}
}

func wantHTTPError(status int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ke *Error
		if !errors.As(err, &ke) {
			t.Fatalf("err = %v (%T), want a *kanfang.Error", err, err)
		}
		if ke.HTTPStatus != status || ke.State != 0 || !errors.Is(err, ErrUnexpectedResponse) {
			t.Errorf("err = %+v, want HTTP %d, state 0, ErrUnexpectedResponse", ke, status)
		}
		// A page of a proxy in front says nothing of whether the call ran
		// when it is a 5xx; a 4xx refused it.
		if unknown := status >= 500; ke.OutcomeUnknown() != unknown || errors.Is(err, ErrOutcomeUnknown) != unknown {
			t.Errorf("HTTP %d: OutcomeUnknown() = %v", status, ke.OutcomeUnknown())
		}
		if errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v wraps DeadlineExceeded, want the last answer", err)
		}
	}
}

func wantTooLarge(b *testkit.BigBody) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ke *Error
		if !errors.As(err, &ke) || !errors.Is(err, ErrResponseTooLarge) || !strings.Contains(err.Error(), "HTTP 200 response body") {
			t.Fatalf("err = %v (%T), want an *Error matching ErrResponseTooLarge naming HTTP 200", err, err)
		}
		if !ke.OutcomeUnknown() || ke.Attempts() != 1 {
			t.Errorf("OutcomeUnknown=%v Attempts=%d, want an unknown outcome after 1 attempt", ke.OutcomeUnknown(), ke.Attempts())
		}
		if !strings.Contains(err.Error(), "limit 4194304") {
			t.Errorf("err = %v, want it to name the 4 MiB limit", err)
		}
		// The server could not write the whole body: the client hung up
		// instead of reading it.
		b.CheckClientHungUp(t)
	}
}

func wantSuccess(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("err = %v, want success after the retries", err)
	}
}

func TestPutAnjukeBianHaoFaults(t *testing.T) {
	pastDate := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	futureDate := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	bigCL, bigChunked := &testkit.BigBody{}, &testkit.BigBody{Chunked: true}
	fast := WithRetry(3, time.Millisecond, 5*time.Millisecond)

	tests := []struct {
		name     string
		handler  http.HandlerFunc // nil: nothing listens
		opts     []Option
		ctx      time.Duration // deadline of the caller's context; 0: none
		attempts int           // requests the server saw
		check    func(*testing.T, error)
	}{
		{"refused", nil, nil, 0, 0, wantNoAnswer(false, 3, syscall.ECONNREFUSED)},
		{"reset after sending (hang up)", testkit.HangUp, nil, 0, 3, wantNoAnswer(true, 3, io.EOF)},
		{"reset after sending (RST)", testkit.ResetConn, nil, 0, 3, wantNoAnswer(true, 3, syscall.ECONNRESET)},
		{"reset once, then success", failFirst(1, testkit.ResetConn), nil, 0, 2, wantSuccess},
		{"timeout after sending (WithTimeout)", testkit.BlockUntilClientGone, []Option{WithTimeout(30 * time.Millisecond)}, 0, 3, wantNoAnswer(true, 3, context.DeadlineExceeded)},
		{"timeout after sending (ctx)", testkit.BlockUntilClientGone, nil, 100 * time.Millisecond, 1, wantNoAnswer(true, 1, context.DeadlineExceeded)},
		// 1 s so that the successful second attempt never times out on a slow machine.
		{"timeout once, then success", failFirst(1, testkit.BlockUntilClientGone), []Option{WithTimeout(time.Second)}, 0, 2, wantSuccess},
		{"slow body (WithTimeout)", testkit.Trickle, []Option{WithTimeout(50 * time.Millisecond)}, 0, 3, wantNoAnswer(true, 3, context.DeadlineExceeded)},
		{"slow body (ctx)", testkit.Trickle, nil, 100 * time.Millisecond, 1, wantNoAnswer(true, 1, context.DeadlineExceeded)},
		{"500 HTML", testkit.HTMLPage(500), nil, 0, 1, wantHTTPError(500)},
		{"502 HTML", testkit.HTMLPage(502), nil, 0, 3, wantHTTPError(502)},
		{"503 HTML", testkit.HTMLPage(503), nil, 0, 3, wantHTTPError(503)},
		{"504 HTML", testkit.HTMLPage(504), nil, 0, 3, wantHTTPError(504)},
		{"502 once, then success", failFirst(1, testkit.HTMLPage(502)), nil, 0, 2, wantSuccess},
		{"429 Retry-After: 0", testkit.HTMLPage(429, "Retry-After", "0"), nil, 0, 3, wantHTTPError(429)},
		{"429 Retry-After: past HTTP date", testkit.HTMLPage(429, "Retry-After", pastDate), nil, 0, 3, wantHTTPError(429)},
		{"429 Retry-After: HTTP date in an hour", testkit.HTMLPage(429, "Retry-After", futureDate), nil, 0, 1, wantHTTPError(429)},
		{"503 Retry-After: 3600, 2s ctx", testkit.HTMLPage(503, "Retry-After", "3600"), nil, 2 * time.Second, 1, wantHTTPError(503)},
		// Within MaxRetryAfter (10 s here) but past the context's deadline.
		{"503 Retry-After: 5, 2s ctx", testkit.HTMLPage(503, "Retry-After", "5"), []Option{WithRetry(3, 100*time.Millisecond, time.Second)}, 2 * time.Second, 1, wantHTTPError(503)},
		{"64 MiB body, Content-Length", bigCL.Serve, nil, 0, 1, wantTooLarge(bigCL)},
		{"64 MiB body, chunked", bigChunked.Serve, nil, 0, 1, wantTooLarge(bigChunked)},
		{"truncated body", truncated, nil, 0, 3, wantNoAnswer(true, 3, io.ErrUnexpectedEOF)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var srv *faultServer
			base := "http://" + testkit.ClosedAddr(t)
			if tt.handler != nil {
				srv = newFaultServer(t, tt.handler)
				base = srv.URL
			}
			c := newTestClient(t, base, append([]Option{fast}, tt.opts...)...)
			ctx := context.Background()
			if tt.ctx > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.ctx)
				defer cancel()
			}
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := c.PutAnjukeBianHao(ctx, putReq)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			// Memory stays bounded by the 4 MiB limit, not by what the
			// server sends (reading up to the limit into a growing buffer
			// allocates about 16 MiB in all, twice that under -race).
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 48<<20 {
				t.Errorf("the call allocated %d MiB", grown>>20)
			}
			if srv != nil {
				if n := srv.seenRequests(); n != tt.attempts {
					t.Errorf("server saw %d requests, want %d", n, tt.attempts)
				}
			}
			tt.check(t, err) // after the server's handlers have returned
			if err != nil && strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), "tok-123") {
				t.Errorf("token in error: %v", err)
			}
		})
	}
}

// TestRedirectsRefusedForEveryPlacement: a redirect to another host is an
// error naming the target; the target is never contacted, whichever way
// the token travels, and the token is not in the error even when the
// redirect echoes the query that carried it.
func TestRedirectsRefusedForEveryPlacement(t *testing.T) {
	placements := []auth.Placement{auth.InHeader, auth.InForm, auth.InCookie, auth.InQuery}
	for _, status := range []int{301, 302, 307, 308} {
		for _, p := range placements {
			t.Run(fmt.Sprintf("%d/%v", status, p), func(t *testing.T) {
				target := newFaultServer(t, func(http.ResponseWriter, *http.Request) {})
				origin := newFaultServer(t, func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, target.URL+"/steal?"+r.URL.RawQuery, status)
				})
				c, err := NewClient(WithBaseURL(origin.URL), WithToken(auth.StaticToken(faultToken)),
					WithTokenPlacement(p), WithRetry(3, time.Millisecond, 5*time.Millisecond))
				if err != nil {
					t.Fatal(err)
				}
				_, err = c.PutAnjukeBianHao(context.Background(), putReq)
				var ke *Error
				if !errors.As(err, &ke) || !errors.Is(err, ErrRedirected) || ke.OutcomeUnknown() ||
					!strings.Contains(err.Error(), fmt.Sprintf("HTTP %d redirecting", status)) {
					t.Fatalf("err = %v (%T), want an *Error matching ErrRedirected for %d, outcome known", err, err, status)
				}
				targetHost := strings.TrimPrefix(target.URL, "http://")
				if !strings.Contains(err.Error(), targetHost+"/[REDACTED]") {
					t.Errorf("err = %v, want it to name the target %s", err, targetHost)
				}
				if all := fmt.Sprintf("%v %+v %#v", err, err, err); strings.Contains(all, faultToken) {
					t.Errorf("token in error: %s", all)
				}
				if n := origin.seenRequests(); n != 1 {
					t.Errorf("origin saw %d requests, want 1", n)
				}
				if n := target.seenRequests(); n != 0 {
					t.Errorf("redirect target contacted %d times", n)
				}
			})
		}
	}
}

// TestBigBodyBoundedByOption: WithMaxResponseBytes moves the limit, and a
// body just within it is read.
func TestBigBodyBoundedByOption(t *testing.T) {
	const payload = `{"state":200,"payload":{"packageId":"pkg 1/数据","anjukeBianHao":"00000000010101"}}`
	srv := newFaultServer(t, func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, payload) })
	c := newTestClient(t, srv.URL, WithMaxResponseBytes(int64(len(payload))))
	if _, err := c.PutAnjukeBianHao(context.Background(), putReq); err != nil {
		t.Fatalf("body of exactly the limit: %v", err)
	}
	c = newTestClient(t, srv.URL, WithMaxResponseBytes(int64(len(payload)-1)))
	if _, err := c.PutAnjukeBianHao(context.Background(), putReq); !errors.Is(err, ErrResponseTooLarge) {
		t.Fatalf("body one byte over the limit: err = %v", err)
	}
	if n := srv.seenRequests(); n != 2 {
		t.Errorf("server saw %d requests, want 2 (a too-large body is not retried)", n)
	}
}
