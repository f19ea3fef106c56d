package testkit

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var jsonContentType = []string{"application/json"}

// CannedServer starts an httptest server that reads each request body, as
// a real server would, and answers reply as JSON. newConns counts the TCP
// connections it accepted.
func CannedServer(tb testing.TB, reply string) (srv *httptest.Server, newConns *atomic.Int64) {
	newConns = new(atomic.Int64)
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header()["Content-Type"] = jsonContentType
		io.WriteString(w, reply)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			newConns.Add(1)
		}
	}
	srv.Start()
	tb.Cleanup(srv.Close)
	return srv, newConns
}

// PoolTransport is the transport a hand-written net/http twin runs on in
// the benchmarks: the same pool settings as fang's default transport
// (internal/wire.NewTransport), so that both sides are compared fairly.
func PoolTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	t.MaxConnsPerHost = 64
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// CannedTransport answers every request in memory with Reply as JSON,
// after reading the request body: with it, a benchmark measures the
// client's own work, without the network and the server.
type CannedTransport struct{ Reply string }

// RoundTrip implements http.RoundTripper.
func (c CannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": jsonContentType},
		Body:          io.NopCloser(strings.NewReader(c.Reply)),
		ContentLength: int64(len(c.Reply)),
		Request:       r,
	}, nil
}

// CheckConnectionReuse starts callers goroutines at once, each making calls
// calls, and fails t if newConns (the server's count of accepted
// connections) ends above callers: every caller must reuse a pooled
// connection after its first call. A count, not a timing.
func CheckConnectionReuse(t *testing.T, callers, calls int, newConns *atomic.Int64, call func() error) {
	t.Helper()
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range callers {
		wg.Go(func() {
			<-start
			for range calls {
				if err := call(); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	if n := newConns.Load(); n > int64(callers) {
		t.Fatalf("%d callers × %d calls opened %d connections, want at most %d", callers, calls, n, callers)
	}
}

// BenchSequential measures call in a loop, after one unmeasured call that
// opens the connection. A failed call stops the benchmark.
func BenchSequential(b *testing.B, call func(context.Context) error) {
	ctx := context.Background()
	if err := call(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := call(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchParallel measures call from b.RunParallel, with parallelism
// goroutines per GOMAXPROCS (b.SetParallelism; 1 is RunParallel's
// default). A failed call ends its goroutine and fails the benchmark.
func BenchParallel(b *testing.B, parallelism int, call func(context.Context) error) {
	b.ReportAllocs()
	b.SetParallelism(parallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			if err := call(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchConnReuse is BenchParallel with at least 64 concurrent callers; it
// reports newConns, the TCP connections the server accepted, as "conns".
func BenchConnReuse(b *testing.B, newConns *atomic.Int64, call func(context.Context) error) {
	procs := runtime.GOMAXPROCS(0)
	BenchParallel(b, (64+procs-1)/procs, call)
	b.StopTimer()
	b.ReportMetric(float64(newConns.Load()), "conns")
}
