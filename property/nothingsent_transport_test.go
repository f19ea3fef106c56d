package property

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
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit"
)

// saveCounter is a loopback HC stand-in that counts saves and, on /hold,
// holds its connection until unhold.
type saveCounter struct {
	*httptest.Server
	saves   atomic.Int64
	held    chan struct{}
	release chan struct{}
	once    sync.Once
}

func (s *saveCounter) unhold() { s.once.Do(func() { close(s.release) }) }

func newSaveCounter(t *testing.T, tlsServer bool) *saveCounter {
	t.Helper()
	s := &saveCounter{held: make(chan struct{}, 1), release: make(chan struct{})}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/"+ServiceSaveProperty):
			s.saves.Add(1)
		case r.URL.Path == "/hold":
			s.held <- struct{}{}
			<-s.release
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

// TestSaveNothingSentIsNotOutcomeUnknown: a save that never got a
// connection (refused, connect timeout, TLS handshake failure, a wait for
// a free pooled connection) fails definitely: not ErrOutcomeUnknown, and
// the server saw no save.
func TestSaveNothingSentIsNotOutcomeUnknown(t *testing.T) {
	for _, tt := range []struct {
		name  string
		setup func(t *testing.T) (base string, opts []Option, saves func() int64)
	}{
		{"refused", func(t *testing.T) (string, []Option, func() int64) {
			return "http://" + testkit.ClosedAddr(t), nil, func() int64 { return 0 }
		}},
		{"connect timeout", func(t *testing.T) (string, []Option, func() int64) {
			s := newSaveCounter(t, false)
			done := make(chan struct{})
			t.Cleanup(func() { close(done) })
			tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				select { // never connects
				case <-ctx.Done():
					return nil, ctx.Err()
				case <-done:
					return nil, errors.New("test over")
				}
			}}
			t.Cleanup(tr.CloseIdleConnections)
			return s.URL, []Option{WithHTTPClient(&http.Client{Transport: tr})}, s.saves.Load
		}},
		{"untrusted TLS certificate", func(t *testing.T) (string, []Option, func() int64) {
			s := newSaveCounter(t, true)
			return s.URL, nil, s.saves.Load
		}},
		{"https to a plain HTTP server", func(t *testing.T) (string, []Option, func() int64) {
			s := newSaveCounter(t, false)
			return "https://" + s.Listener.Addr().String(), nil, s.saves.Load
		}},
		{"waiting for a pooled connection", func(t *testing.T) (string, []Option, func() int64) {
			s := newSaveCounter(t, false)
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
			return s.URL, []Option{WithHTTPClient(hc)}, s.saves.Load
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base, opts, saves := tt.setup(t)
			opts = append(opts, WithBaseURL(base), WithAppID("app"), WithToken(auth.StaticToken("tok")),
				WithTimeout(50*time.Millisecond), WithRetry(2, time.Millisecond, time.Millisecond))
			c, err := NewClient(opts...)
			if err != nil {
				t.Fatal(err)
			}
			save := &SavePropertyRequest{Name: "n", Address: "a", Tel: "13900000000", Corporation: "c", FoundingTime: "2022-09-01"}
			_, err = c.SaveProperty(context.Background(), save)
			if err == nil || errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, ErrNoResponse) {
				t.Errorf("err = %v, want a definite failure matching ErrNoResponse, not ErrOutcomeUnknown", err)
			}
			if n := saves(); n != 0 {
				t.Errorf("the server received %d saves, want 0", n)
			}
		})
	}
}
