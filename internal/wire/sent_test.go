package wire

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fangsdk/fang/internal/testkit"
)

// countingServer is a loopback server that counts the requests to /save
// and, on /hold, holds its connection until release is closed. held
// receives a value when a /hold request arrived.
type countingServer struct {
	*httptest.Server
	saves   atomic.Int64
	held    chan struct{}
	release chan struct{}
	once    sync.Once
}

// unhold lets the /hold requests answer.
func (s *countingServer) unhold() { s.once.Do(func() { close(s.release) }) }

func newCountingServer(t *testing.T, tlsServer bool) *countingServer {
	t.Helper()
	s := &countingServer{held: make(chan struct{}, 1), release: make(chan struct{})}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/save":
			s.saves.Add(1)
		case "/hold":
			s.held <- struct{}{}
			<-s.release
		}
		_, _ = io.WriteString(w, "ok")
	}))
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes are expected
	if tlsServer {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(func() {
		s.unhold()
		s.Close()
	})
	return s
}

// blockingDial is a DialContext that never connects: it returns when its
// context ends (a connect timeout) or when the test ends.
func blockingDial(t *testing.T) func(ctx context.Context, network, addr string) (net.Conn, error) {
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	return func(ctx context.Context, _, _ string) (net.Conn, error) {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-done:
			return nil, errors.New("test over")
		}
	}
}

// TestNothingSentIsADefiniteFailure: a call that never got a connection
// (refused, connect timeout, TLS handshake failure, a wait for a free
// pooled connection that timed out) reports Sent=false, and even a call
// that is not idempotent is retried: nothing reached the server.
func TestNothingSentIsADefiniteFailure(t *testing.T) {
	for _, tt := range []struct {
		name  string
		setup func(t *testing.T) (base string, hc *http.Client, saves func() int64)
	}{
		{"refused", func(t *testing.T) (string, *http.Client, func() int64) {
			return "http://" + testkit.ClosedAddr(t), nil, func() int64 { return 0 }
		}},
		{"connect timeout", func(t *testing.T) (string, *http.Client, func() int64) {
			s := newCountingServer(t, false)
			tr := &http.Transport{DialContext: blockingDial(t)}
			t.Cleanup(tr.CloseIdleConnections)
			return s.URL, &http.Client{Transport: tr}, s.saves.Load
		}},
		{"connect timeout behind a wrapper", func(t *testing.T) (string, *http.Client, func() int64) {
			// A wrapper such as otelhttp passes the client trace down to
			// the transport it wraps.
			s := newCountingServer(t, false)
			tr := &http.Transport{DialContext: blockingDial(t)}
			t.Cleanup(tr.CloseIdleConnections)
			return s.URL, &http.Client{Transport: wrapper{tr}}, s.saves.Load
		}},
		{"untrusted TLS certificate", func(t *testing.T) (string, *http.Client, func() int64) {
			s := newCountingServer(t, true)
			return s.URL, nil, s.saves.Load
		}},
		{"https to a plain HTTP server", func(t *testing.T) (string, *http.Client, func() int64) {
			s := newCountingServer(t, false)
			return "https://" + s.Listener.Addr().String(), nil, s.saves.Load
		}},
		{"waiting for a pooled connection", func(t *testing.T) (string, *http.Client, func() int64) {
			s := newCountingServer(t, false)
			tr := &http.Transport{MaxConnsPerHost: 1}
			t.Cleanup(tr.CloseIdleConnections)
			hc := &http.Client{Transport: tr}
			holding := make(chan struct{})
			go func() {
				defer close(holding)
				if resp, err := hc.Get(s.URL + "/hold"); err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}()
			t.Cleanup(func() { s.unhold(); <-holding })
			<-s.held // the only connection is busy
			return s.URL, hc, s.saves.Load
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base, hc, saves := tt.setup(t)
			e, err := New(Config{BaseURL: base, HTTPClient: hc, Timeout: 50 * time.Millisecond, Retry: RetryPolicy{MaxAttempts: 3}})
			if err != nil {
				t.Fatal(err)
			}
			e.sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
			_, err = e.Do(context.Background(), &Call{Op: "save", Method: http.MethodPost, URL: e.URL("/save"), Header: http.Header{}, Body: []byte("a=1")})
			var se *SendError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *SendError", err)
			}
			if se.Sent || se.Attempts != 3 {
				t.Errorf("Sent=%v Attempts=%d (%v), want Sent=false after 3 attempts: nothing was sent, so even a save is retried", se.Sent, se.Attempts, err)
			}
			if n := saves(); n != 0 {
				t.Errorf("the server received %d saves, want 0", n)
			}
		})
	}
}

// wrapper is a RoundTripper around another, as tracing wrappers are.
type wrapper struct{ next http.RoundTripper }

func (w wrapper) RoundTrip(r *http.Request) (*http.Response, error) { return w.next.RoundTrip(r) }

// errTransport fails every request with err, without a connection the
// client trace could show (as httpmock or a transport of its own).
type errTransport struct{ err error }

func (e errTransport) RoundTrip(*http.Request) (*http.Response, error) { return nil, e.err }

// TestNothingSentByErrorAlone: behind a RoundTripper that shows no
// connection to the client trace, the error tells: a failed dial or TLS
// handshake is "never sent"; anything else may have been sent.
func TestNothingSentByErrorAlone(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		sent bool
	}{
		{"dial", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, false},
		{"DNS", &net.DNSError{Err: "no such host", Name: "api.example"}, false},
		{"certificate verification", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, false},
		{"x509 hostname", x509.HostnameError{Host: "api.example", Certificate: &x509.Certificate{}}, false},
		{"not TLS at all", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake", Conn: &net.TCPConn{}}, false},
		{"TLS alert", tls.AlertError(40), false},
		{"bad record later", tls.RecordHeaderError{Msg: "oversized record received"}, true},
		{"read", &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}, true},
		{"unexpected EOF", io.ErrUnexpectedEOF, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, err := New(Config{BaseURL: "http://api.example", HTTPClient: &http.Client{Transport: errTransport{tt.err}}, Retry: NoRetry})
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.Do(context.Background(), &Call{Op: "save", Method: http.MethodPost, URL: e.URL("/save"), Header: http.Header{}, Body: []byte("a=1")})
			var se *SendError
			if !errors.As(err, &se) || se.Sent != tt.sent {
				t.Fatalf("err = %v (%#v), want a *SendError with Sent=%v", err, se, tt.sent)
			}
		})
	}
}
