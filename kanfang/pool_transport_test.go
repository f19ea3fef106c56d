package kanfang

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/fangsdk/fang/auth"
)

// TestClientsWithoutHTTPClientShareOnePool: 50 short-lived clients given
// no http.Client, one call each, share one pool: the server sees a few
// connections, not 50, and the goroutines of 50 pools are not left behind.
func TestClientsWithoutHTTPClientShareOnePool(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, `{"state":200,"payload":{"packageId":"p","anjukeBianHao":"b"}}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	before := runtime.NumGoroutine()
	for i := range 50 {
		c, err := NewClient(WithBaseURL(srv.URL), WithToken(auth.StaticToken("tok")))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.PutAnjukeBianHao(context.Background(), &PutAnjukeBianHaoRequest{PackageID: "p", AnjukeBianHao: "b"}); err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
	}
	if n := conns.Load(); n > 5 {
		t.Errorf("the server saw %d connections from 50 clients, want at most 5 (one shared pool)", n)
	}
	if grown := runtime.NumGoroutine() - before; grown > 25 {
		t.Errorf("50 clients left %d more goroutines, want at most 25", grown)
	}
}
