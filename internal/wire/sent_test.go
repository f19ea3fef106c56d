package wire

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/fangsdk/fang/internal/testkit"
)

// TestNothingSentIsADefiniteFailure: a call that never got a connection
// (refused, connect timeout, TLS handshake failure, a wait for a free
// pooled connection that timed out) reports Sent=false, and even a call
// that is not idempotent is retried: nothing reached the server.
func TestNothingSentIsADefiniteFailure(t *testing.T) {
	for _, tt := range testkit.NothingSentCases("/save") {
		t.Run(tt.Name, func(t *testing.T) {
			base, hc, saves := tt.Setup(t)
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
