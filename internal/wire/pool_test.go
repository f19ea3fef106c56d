package wire

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/fangsdk/fang/internal/testkit"
)

// connCountingServer answers "ok" and counts the connections it accepted.
func connCountingServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// TestEnginesWithoutClientShareOnePool: 50 Engines given no http.Client,
// one call each, reuse one pool: the server sees a few connections, not
// 50, and no goroutines are left per Engine (each connection of a pool
// holds two on the client side, one on the server side).
func TestEnginesWithoutClientShareOnePool(t *testing.T) {
	srv, conns := connCountingServer(t)
	before := runtime.NumGoroutine()
	for i := range 50 {
		e, err := New(Config{BaseURL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := e.Do(context.Background(), &Call{Op: "get", Method: http.MethodGet, URL: e.URL("/"), Header: http.Header{}})
		if err != nil || resp.Status != 200 {
			t.Fatalf("call %d: resp %+v, err %v", i, resp, err)
		}
	}
	if n := conns.Load(); n > 5 {
		t.Errorf("the server saw %d connections from 50 Engines, want at most 5 (one shared pool)", n)
	}
	if grown := runtime.NumGoroutine() - before; grown > 25 {
		t.Errorf("50 Engines left %d more goroutines, want at most 25", grown)
	}
}

// TestHTTPMockActivatedAfterNew: an Engine given no http.Client honours
// httpmock.Activate() called after it was made, and goes back to the
// network after DeactivateAndReset.
func TestHTTPMockActivatedAfterNew(t *testing.T) {
	base := "http://" + testkit.ClosedAddr(t)
	e, err := New(Config{BaseURL: base, Retry: NoRetry})
	if err != nil {
		t.Fatal(err)
	}
	call := func() (*Response, error) {
		return e.Do(context.Background(), &Call{Method: http.MethodPost, URL: e.URL("/x"), Header: http.Header{}, Body: []byte("{}")})
	}
	httpmock.Activate()
	httpmock.RegisterResponder(http.MethodPost, base+"/x", httpmock.NewStringResponder(200, "mocked"))
	resp, err := call()
	httpmock.DeactivateAndReset()
	if err != nil || resp.Status != 200 || string(resp.Body) != "mocked" {
		t.Fatalf("under httpmock: resp %+v, err %v, want the mocked answer", resp, err)
	}
	if _, err := call(); err == nil {
		t.Fatal("after DeactivateAndReset the call still reached httpmock; want a refused connection")
	}
}
