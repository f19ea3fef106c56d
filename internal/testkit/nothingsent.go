package testkit

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// NothingSent is a way for a call to fail before any byte of it left:
// Setup returns the base URL to call, the http.Client to call it with (nil:
// the SDK's default) and how many requests whose path ends in the counted
// suffix the server received.
type NothingSent struct {
	Name  string
	Setup func(t *testing.T) (base string, hc *http.Client, received func() int64)
}

// NothingSentCases are the failures that prove nothing was sent: a
// refused connection, a connect timeout (also behind a wrapping
// RoundTripper, as a tracing one is), a TLS handshake failure (an
// untrusted certificate, https spoken to a plain HTTP server) and a wait
// for a free pooled connection that ended. The server counts requests
// whose path ends in counted.
func NothingSentCases(counted string) []NothingSent {
	blocked := func(t *testing.T, wrap bool) (string, *http.Client, func() int64) {
		s := newCountingServer(t, false, counted)
		tr := &http.Transport{DialContext: blockingDial(t)}
		t.Cleanup(tr.CloseIdleConnections)
		var rt http.RoundTripper = tr
		if wrap {
			rt = wrapper{tr}
		}
		return s.URL, &http.Client{Transport: rt}, s.received.Load
	}
	return []NothingSent{
		{"refused", func(t *testing.T) (string, *http.Client, func() int64) {
			return "http://" + ClosedAddr(t), nil, func() int64 { return 0 }
		}},
		{"connect timeout", func(t *testing.T) (string, *http.Client, func() int64) { return blocked(t, false) }},
		{"connect timeout behind a wrapper", func(t *testing.T) (string, *http.Client, func() int64) { return blocked(t, true) }},
		{"untrusted TLS certificate", func(t *testing.T) (string, *http.Client, func() int64) {
			s := newCountingServer(t, true, counted)
			return s.URL, nil, s.received.Load
		}},
		{"https to a plain HTTP server", func(t *testing.T) (string, *http.Client, func() int64) {
			s := newCountingServer(t, false, counted)
			return "https://" + s.Listener.Addr().String(), nil, s.received.Load
		}},
		{"waiting for a pooled connection", func(t *testing.T) (string, *http.Client, func() int64) {
			s := newCountingServer(t, false, counted)
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
			return s.URL, hc, s.received.Load
		}},
	}
}

// countingServer is a loopback server that counts the requests whose path
// ends in counted and, on /hold, holds its connection until unhold.
type countingServer struct {
	*httptest.Server
	received atomic.Int64
	held     chan struct{}
	release  chan struct{}
	once     sync.Once
}

func (s *countingServer) unhold() { s.once.Do(func() { close(s.release) }) }

func newCountingServer(t *testing.T, tlsServer bool, counted string) *countingServer {
	t.Helper()
	s := &countingServer{held: make(chan struct{}, 1), release: make(chan struct{})}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/hold":
			s.held <- struct{}{}
			<-s.release
		case strings.HasSuffix(r.URL.Path, counted):
			s.received.Add(1)
		}
		_, _ = io.WriteString(w, `{"code":0,"msg":"成功"}`)
	}))
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes are expected
	if tlsServer {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(func() { s.unhold(); s.Close() })
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

// wrapper is a RoundTripper around another, as tracing wrappers are: it
// passes the client trace down to the transport it wraps.
type wrapper struct{ next http.RoundTripper }

func (w wrapper) RoundTrip(r *http.Request) (*http.Response, error) { return w.next.RoundTrip(r) }
