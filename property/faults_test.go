package property

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fangsdk/fang/internal/testkit"
)

// The fault matrix of SaveProperty, which is not idempotent: whenever the
// request may have reached the server, the server sees it exactly once and
// the caller gets ErrOutcomeUnknown with the transaction-id it was sent
// with; only a request that provably never left is retried. Every server is
// on the loopback interface; nothing sleeps to synchronise.

// faultServer is an httptest server that records the transaction-id of
// every request it receives (each body read in full first) before handing
// it to a handler.
type faultServer struct {
	*httptest.Server
	mu    sync.Mutex
	txIDs []string
}

func newFaultServer(t *testing.T, h http.HandlerFunc) *faultServer {
	t.Helper()
	s := &faultServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		s.mu.Lock()
		s.txIDs = append(s.txIDs, r.Header.Get("transaction-id"))
		s.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// seen closes the server, which waits for every handler to return, and
// returns the transaction-ids of the requests that arrived.
func (s *faultServer) seen() []string {
	s.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.txIDs...)
}

// Handlers, one per fault.

// cancelOnRetry is a slog handler that cancels a context when the engine
// announces a retry, that is, during the backoff.
type cancelOnRetry struct{ cancel context.CancelFunc }

func (h cancelOnRetry) Enabled(context.Context, slog.Level) bool { return true }
func (h cancelOnRetry) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "fang: retrying" {
		h.cancel()
	}
	return nil
}
func (h cancelOnRetry) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h cancelOnRetry) WithGroup(string) slog.Handler      { return h }

// refusedOnce is an http.Client whose first dial goes to a port nothing
// listens on (connection refused, nothing sent) and whose later dials go
// where the request asks.
func refusedOnce(t *testing.T) *http.Client {
	dead := testkit.ClosedAddr(t)
	var dials atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			addr = dead
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func TestSavePropertyFaults(t *testing.T) {
	bigCL, bigChunked := &testkit.BigBody{}, &testkit.BigBody{Chunked: true}
	tests := []struct {
		name    string
		handler http.HandlerFunc // nil: nothing listens
		opts    func(t *testing.T, cancel context.CancelFunc) []Option
		ctx     time.Duration // deadline of the caller's context; 0: none
		// unknown: the request reached the server, which must have seen it
		// exactly once; the error is ErrOutcomeUnknown. Otherwise the
		// server saw seen requests and the error is not ErrOutcomeUnknown.
		unknown bool
		seen    int
		check   func(*testing.T, error) // extra checks; nil: none
	}{
		{name: "refused", check: sendAttempts(false, 3, syscall.ECONNREFUSED)},
		{name: "refused, cancelled during the backoff", opts: func(_ *testing.T, cancel context.CancelFunc) []Option {
			return []Option{WithRetry(3, time.Hour, time.Hour), WithLogger(slog.New(cancelOnRetry{cancel}))}
		}, check: sendAttempts(false, 1, context.Canceled)},
		{name: "refused once, then sent once", handler: testkit.Answer(200, `{"code":0,"msg":"成功"}`),
			opts: func(t *testing.T, _ context.CancelFunc) []Option { return []Option{WithHTTPClient(refusedOnce(t))} },
			seen: 1, check: wantSaved},
		{name: "reset after sending (hang up)", handler: testkit.HangUp, unknown: true, check: sendAttempts(true, 1, io.EOF)},
		{name: "reset after sending (RST)", handler: testkit.ResetConn, unknown: true, check: sendAttempts(true, 1, syscall.ECONNRESET)},
		{name: "timeout after sending (WithTimeout)", handler: testkit.BlockUntilClientGone, unknown: true,
			opts:  func(*testing.T, context.CancelFunc) []Option { return []Option{WithTimeout(50 * time.Millisecond)} },
			check: sendAttempts(true, 1, context.DeadlineExceeded)},
		{name: "timeout after sending (ctx)", handler: testkit.BlockUntilClientGone, ctx: 100 * time.Millisecond, unknown: true,
			check: sendAttempts(true, 1, context.DeadlineExceeded)},
		{name: "slow body (WithTimeout)", handler: testkit.Trickle, unknown: true,
			opts:  func(*testing.T, context.CancelFunc) []Option { return []Option{WithTimeout(50 * time.Millisecond)} },
			check: sendAttempts(true, 1, context.DeadlineExceeded)},
		{name: "slow body (ctx)", handler: testkit.Trickle, ctx: 100 * time.Millisecond, unknown: true,
			check: sendAttempts(true, 1, context.DeadlineExceeded)},
		{name: "500 HTML", handler: testkit.HTMLPage(500), unknown: true, check: httpStatus(500)},
		{name: "502 HTML", handler: testkit.HTMLPage(502), unknown: true, check: httpStatus(502)},
		{name: "503 HTML, Retry-After: 0", handler: testkit.HTMLPage(503, "Retry-After", "0"), unknown: true, check: httpStatus(503)},
		{name: "504 HTML", handler: testkit.HTMLPage(504), unknown: true, check: httpStatus(504)},
		// Rate limited: the server refused to run the command.
		{name: "429 Retry-After: 0", handler: testkit.HTMLPage(429, "Retry-After", "0"), seen: 1, check: httpStatus(429)},
		{name: "429 Retry-After: HTTP date", handler: testkit.HTMLPage(429, "Retry-After", time.Now().UTC().Format(http.TimeFormat)), seen: 1, check: httpStatus(429)},
		{name: "gateway catch-all (HTTP 500, code 404)", handler: testkit.Answer(500, `{"code":404,"msg":"请求发生异常，签名失败"}`), seen: 1,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ErrGateway) || !errors.Is(err, ErrSignatureRejected) {
					t.Errorf("err = %v, want ErrGateway and ErrSignatureRejected", err)
				}
			}},
		{name: "64 MiB body, Content-Length", handler: bigCL.Serve, unknown: true, check: tooLarge(bigCL)},
		{name: "64 MiB body, chunked", handler: bigChunked.Serve, unknown: true, check: tooLarge(bigChunked)},
		{name: "truncated body (Content-Length)", handler: testkit.RawAnswer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"code\":0"),
			unknown: true, check: sendAttempts(true, 1, io.ErrUnexpectedEOF)},
		// Without a length the cut cannot be seen: a 200 whose body is not
		// an envelope. The command may well have run.
		{name: "truncated body (no length, 200)", handler: testkit.RawAnswer("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"code\":0,\"ms"),
			unknown: true, check: httpStatus(200)},
		{name: "cross-host redirect (307)", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://203.0.113.9:8080/app/property.saveProperty", http.StatusTemporaryRedirect)
		}, seen: 1, check: func(t *testing.T, err error) {
			if !errors.Is(err, ErrRedirected) || !strings.Contains(err.Error(), "203.0.113.9:8080") {
				t.Errorf("err = %v, want a redirect error naming the target", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var srv *faultServer
			base := "http://" + testkit.ClosedAddr(t)
			if tt.handler != nil {
				srv = newFaultServer(t, tt.handler)
				base = srv.URL
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.ctx > 0 {
				ctx, cancel = context.WithTimeout(ctx, tt.ctx)
				defer cancel()
			}
			opts := []Option{WithRetry(3, time.Millisecond, 5*time.Millisecond)}
			if tt.opts != nil {
				opts = append(opts, tt.opts(t, cancel)...)
			}
			c := newTestClient(t, base, opts...)
			_, err := c.SaveProperty(ctx, vectorRequest)

			var seen []string
			if srv != nil {
				seen = srv.seen() // every handler has returned
			}
			if tt.check != nil {
				tt.check(t, err)
			}
			if tt.name == "refused once, then sent once" {
				if len(seen) != 1 {
					t.Fatalf("server saw %d requests, want exactly 1", len(seen))
				}
				return
			}
			var pe *Error
			if !errors.As(err, &pe) || len(pe.TransactionID) != 30 {
				t.Fatalf("err = %v (%T), want a *property.Error with a transaction-id", err, err)
			}
			if errors.Is(err, ErrOutcomeUnknown) != tt.unknown {
				t.Errorf("errors.Is(err, ErrOutcomeUnknown) = %v, want %v: %v", !tt.unknown, tt.unknown, err)
			}
			want := tt.seen
			if tt.unknown {
				want = 1 // never duplicated
			}
			if len(seen) != want {
				t.Fatalf("server saw %d requests, want %d", len(seen), want)
			}
			if len(seen) == 1 && seen[0] != pe.TransactionID {
				t.Errorf("error carries transaction-id %s, the server saw %s", pe.TransactionID, seen[0])
			}
			if all := fmt.Sprintf("%v %+v %#v", err, err, err); strings.Contains(all, testToken) || strings.Contains(all, testSecurity) {
				t.Errorf("secret in error: %s", all)
			}
		})
	}
}

func wantSaved(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("err = %v, want the save to succeed after the refused attempt", err)
	}
}

// sendAttempts checks a failure to get an answer, on the public error: it
// matches ErrNoResponse, was attempted attempts times, has an unknown
// outcome when the request may have been sent, and wraps cause.
func sendAttempts(sent bool, attempts int, cause error) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var pe *Error
		if !errors.Is(err, ErrNoResponse) || !errors.As(err, &pe) {
			t.Fatalf("err = %v (%T), want a *property.Error matching ErrNoResponse", err, err)
		}
		if pe.OutcomeUnknown() != sent || pe.Attempts() != attempts {
			t.Errorf("OutcomeUnknown()=%v Attempts()=%d, want %v and %d", pe.OutcomeUnknown(), pe.Attempts(), sent, attempts)
		}
		if cause != nil && !errors.Is(err, cause) {
			t.Errorf("err = %v, want it to wrap %v", err, cause)
		}
	}
}

func httpStatus(status int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var pe *Error
		if !errors.As(err, &pe) || pe.HTTPStatus != status || pe.Code != 0 || !errors.Is(err, ErrUnexpectedResponse) {
			t.Errorf("err = %v, want HTTP %d, code 0, ErrUnexpectedResponse", err, status)
		}
	}
}

func tooLarge(b *testkit.BigBody) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, ErrResponseTooLarge) || !strings.Contains(err.Error(), "limit 33554432") {
			t.Errorf("err = %v, want ErrResponseTooLarge naming the 32 MiB limit", err)
		}
		b.CheckClientHungUp(t)
	}
}
