package wire

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/fangsdk/fang/internal/testkit"
)

// TestHTTP2ResetNeverReplaysANonIdempotentCall: a TLS HTTP/2 server resets
// every stream with PROTOCOL_ERROR after reading the request. Go's
// transport re-sends a request it can rewind; a call that is not
// idempotent must reach the server once and end as "may have been sent".
func TestHTTP2ResetNeverReplaysANonIdempotentCall(t *testing.T) {
	srv := testkit.NewResettingH2Server(t)
	e, err := New(Config{BaseURL: srv.URL, HTTPClient: srv.Client, Retry: NoRetry})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second) // bounds the replay loop of a broken build
	defer cancel()
	_, err = e.Do(ctx, &Call{Op: "save", Method: http.MethodPost, URL: e.URL("/app/save"), Header: http.Header{}, Body: []byte(`{"name":"x"}`)})
	var se *SendError
	if !errors.As(err, &se) || !se.Sent {
		t.Fatalf("err = %v, want a *SendError that may have been sent", err)
	}
	if n := srv.Requests(); n != 1 {
		t.Fatalf("the server received %d copies of a non-idempotent call, want 1", n)
	}
}

// TestDefaultTransportNotAnHTTPTransport: under httpmock.Activate() (or a
// tracing wrapper as http.DefaultTransport) an Engine is built without
// panicking, and its calls reach the default transport as it is.
func TestDefaultTransportNotAnHTTPTransport(t *testing.T) {
	httpmock.Activate()
	defer httpmock.DeactivateAndReset()
	httpmock.RegisterResponder(http.MethodPost, "http://api.example/x", func(r *http.Request) (*http.Response, error) {
		if r.Header.Get("X-Test") != "1" {
			return httpmock.NewStringResponse(400, "header missing"), nil
		}
		return httpmock.NewStringResponse(200, "mocked"), nil
	})
	if NewTransport() != nil {
		t.Fatal("NewTransport cloned something that is not an *http.Transport")
	}
	e, err := New(Config{BaseURL: "http://api.example"})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := e.Do(context.Background(), &Call{Method: http.MethodPost, URL: e.URL("/x"), Header: http.Header{"X-Test": {"1"}}, Body: []byte("{}")})
	if err != nil || resp.Status != 200 || string(resp.Body) != "mocked" {
		t.Fatalf("resp %+v, err %v", resp, err)
	}
}

// TestNilContext: a nil context is an error, nothing is sent.
func TestNilContext(t *testing.T) {
	e, err := New(Config{BaseURL: "http://" + testkit.ClosedAddr(t)})
	if err != nil {
		t.Fatal(err)
	}
	var nilCtx context.Context
	_, err = e.Do(nilCtx, &Call{Method: http.MethodGet, URL: e.URL("/"), Header: http.Header{}})
	var se *SendError
	if !errors.Is(err, ErrNilContext) || !errors.As(err, &se) || se.Sent {
		t.Fatalf("err = %v", err)
	}
}

// TestRedirectTargetRedacted: a token can ride in a redirect target's path,
// query or fragment; errors and log lines show the scheme and host only.
func TestRedirectTargetRedacted(t *testing.T) {
	for _, loc := range []string{
		"https://evil.example/steal/secret-token-123?t=secret-token-123#secret-token-123",
		"/login/secret-token-123",
		"//evil.example/secret-token-123",
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Location", loc)
			w.WriteHeader(http.StatusFound)
		}))
		var logs strings.Builder
		e, err := New(Config{BaseURL: srv.URL, Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Do(context.Background(), &Call{Method: http.MethodGet, URL: e.URL("/"), Header: http.Header{}, Idempotent: true})
		srv.Close()
		if !errors.Is(err, ErrRedirected) {
			t.Fatalf("%s: err = %v", loc, err)
		}
		if strings.Contains(err.Error(), "secret-token-123") || strings.Contains(logs.String(), "secret-token-123") {
			t.Errorf("%s: token shown: %v\n%s", loc, err, logs.String())
		}
		if strings.HasPrefix(loc, "https://") && !strings.Contains(err.Error(), "https://evil.example/[REDACTED]") {
			t.Errorf("%s: the host should still show: %v", loc, err)
		}
	}
}

// TestHugeContentLengthAllocatesWhatArrives: a server announcing a 1 TiB
// body under an unlimited body limit does not make fang allocate it.
func TestHugeContentLengthAllocatesWhatArrives(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 4096)
		_, _ = c.Read(buf) // the request
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 1099511627776\r\n\r\nonly a few bytes")
	}()
	defer func() { ln.Close(); <-done }()
	e, err := New(Config{BaseURL: "http://" + ln.Addr().String(), MaxBodyBytes: math.MaxInt64, Retry: NoRetry})
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = e.Do(context.Background(), &Call{Method: http.MethodGet, URL: e.URL("/"), Header: http.Header{}})
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("a body cut short was accepted")
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 16<<20 {
		t.Fatalf("allocated %d bytes for a 16-byte body", grown)
	}
}

// TestRetryAfterOverflow: a Retry-After too large for a time.Duration is
// "too long to wait", not zero.
func TestRetryAfterOverflow(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, v := range []string{"9223372037", "99999999999999999999999", "86401"} {
		d, ok := retryAfter(http.Header{"Retry-After": {v}}, now)
		if !ok || d < 24*time.Hour {
			t.Errorf("Retry-After %s = %v, %v; want at least a day", v, d, ok)
		}
	}
	if d, ok := retryAfter(http.Header{"Retry-After": {"3"}}, now); !ok || d != 3*time.Second {
		t.Errorf("Retry-After 3 = %v, %v", d, ok)
	}
	if _, ok := retryAfter(http.Header{"Retry-After": {"-99999999999999999999"}}, now); ok {
		t.Error("a negative overflow accepted")
	}
	// Through the engine: the server asks for too long, so no retry.
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls++
		w.Header().Set("Retry-After", "9223372037")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	e, err := New(Config{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := e.Do(context.Background(), &Call{Method: http.MethodGet, URL: e.URL("/"), Header: http.Header{}, Idempotent: true})
	if err != nil || resp.Status != 503 || calls != 1 {
		t.Fatalf("resp %+v, err %v, %d calls", resp, err, calls)
	}
}

// TestCheckHeaderValue: control bytes are refused, the value never shown.
func TestCheckHeaderValue(t *testing.T) {
	for _, v := range []string{"a\rb", "a\nb", "a\x00b", "a\x7fb"} {
		err := CheckHeaderValue("WithX", "secret"+v)
		if err == nil || strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), "WithX") {
			t.Errorf("%q: err = %v", v, err)
		}
	}
	for _, v := range []string{"", "a\tb", "物业 app/1.0"} {
		if err := CheckHeaderValue("WithX", v); err != nil {
			t.Errorf("%q: %v", v, err)
		}
	}
	if _, err := New(Config{BaseURL: "http://h", UserAgent: "ua\r\nX: y"}); err == nil {
		t.Error("a header-unsafe user agent accepted")
	}
}

// TestParseBaseURL: what an operator types, and what they are told.
func TestParseBaseURL(t *testing.T) {
	for raw, want := range map[string]string{
		"http://10.0.0.8:8008/":       "http://10.0.0.8:8008",
		"https://gw.example.com/kf//": "https://gw.example.com/kf",
	} {
		if got, err := ParseBaseURL(raw); err != nil || got != want {
			t.Errorf("ParseBaseURL(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for raw, msg := range map[string]string{
		"10.0.0.8:8008":           "add http://",
		"localhost":               "add http://",
		"ftp://h":                 "scheme must be http or https",
		"http://":                 "no host",
		"http://h/?x=1":           "must not have a query",
		"http://user:pw@h":        "must not have",
		"":                        "empty",
		"http://h/\x7f":           "http://h/",
		"https://u:secret@h:1/?q": "must not have",
	} {
		_, err := ParseBaseURL(raw)
		if err == nil || !strings.Contains(err.Error(), msg) || strings.Contains(err.Error(), "secret") {
			t.Errorf("ParseBaseURL(%q) = %v, want an error containing %q", raw, err, msg)
		}
	}
}
