package kanfang_test

// Benchmarks of PutAnjukeBianHao against a hand-written net/http twin that
// does the same work against the same in-process server. See BENCHMARKS.md
// at the module root for how to run and read them.
//
// Fairness: the SDK (default options) runs on wire.NewTransport, a clone of
// http.DefaultTransport with MaxIdleConns 256, MaxIdleConnsPerHost 64 and
// MaxConnsPerHost 64; the raw twin gets an identical transport
// (rawTransport). Both send the same request bytes: POST, the same form
// body, Content-Type, Accept, Authorization and User-Agent.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/kanfang"
)

const (
	benchToken = "bench-token-0123456789"
	benchUA    = wire.DefaultUserAgent
	benchReply = `{"state":200,"payload":{"packageId":"pkg-20240101-0001","anjukeBianHao":"00000000010101"}}`
)

var benchReq = &kanfang.PutAnjukeBianHaoRequest{PackageID: "pkg-20240101-0001", AnjukeBianHao: "00000000010101"}

// benchServer starts the server answering benchReply; newConns counts
// the TCP connections it accepted.
func benchServer(tb testing.TB) (srv *httptest.Server, newConns *atomic.Int64) {
	return testkit.CannedServer(tb, benchReply)
}

// rawTransport is what wire.NewTransport builds: the raw twin runs on the
// same pool settings as the SDK's default.
func rawTransport() *http.Transport { return testkit.PoolTransport() }

func sdkClient(tb testing.TB, base string) *kanfang.Client {
	c, err := kanfang.NewClient(kanfang.WithBaseURL(base), kanfang.WithToken(auth.StaticToken(benchToken)))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// rawClient is the hand-written twin of PutAnjukeBianHao.
type rawClient struct {
	hc  *http.Client
	url string
}

func newRawClient(tb testing.TB, base string) *rawClient {
	t := rawTransport()
	tb.Cleanup(t.CloseIdleConnections)
	return &rawClient{hc: &http.Client{Transport: t}, url: base + kanfang.PathPutAnjukeBianHao}
}

func (c *rawClient) put(ctx context.Context, req *kanfang.PutAnjukeBianHaoRequest) (*kanfang.PutAnjukeBianHaoResponse, error) {
	form := url.Values{}
	form.Set("packageId", req.PackageID)
	form.Set("anjukeBianHao", req.AnjukeBianHao)
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("Authorization", benchToken)
	hr.Header.Set("User-Agent", benchUA)
	resp, err := c.hc.Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var env struct {
		State   int             `json:"state"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	if env.State != 200 {
		return nil, errors.New("state " + string(env.Payload))
	}
	out := new(kanfang.PutAnjukeBianHaoResponse)
	if err := json.Unmarshal(env.Payload, out); err != nil {
		return nil, err
	}
	return out, nil
}

type putFunc func(context.Context, *kanfang.PutAnjukeBianHaoRequest) (*kanfang.PutAnjukeBianHaoResponse, error)

// impls returns both implementations, raw first (the baseline of
// benchstat -col /impl), each against its own server.
func impls() []struct {
	name string
	make func(testing.TB) (putFunc, *atomic.Int64)
} {
	return []struct {
		name string
		make func(testing.TB) (putFunc, *atomic.Int64)
	}{
		{"impl=raw", func(tb testing.TB) (putFunc, *atomic.Int64) {
			srv, conns := benchServer(tb)
			return newRawClient(tb, srv.URL).put, conns
		}},
		{"impl=resty", func(tb testing.TB) (putFunc, *atomic.Int64) {
			srv, conns := benchServer(tb)
			t := rawTransport()
			tb.Cleanup(t.CloseIdleConnections)
			return newRestyClient(&http.Client{Transport: t}, srv.URL).put, conns
		}},
		{"impl=sdk", func(tb testing.TB) (putFunc, *atomic.Int64) {
			srv, conns := benchServer(tb)
			return sdkClient(tb, srv.URL).PutAnjukeBianHao, conns
		}},
	}
}

func verify(out *kanfang.PutAnjukeBianHaoResponse, err error) error {
	if err != nil {
		return err
	}
	if out.PackageID != benchReq.PackageID {
		return fmt.Errorf("unexpected answer %+v", out)
	}
	return nil
}

func BenchmarkPutAnjukeBianHao(b *testing.B) {
	for _, impl := range impls() {
		b.Run(impl.name, func(b *testing.B) {
			put, _ := impl.make(b)
			testkit.BenchSequential(b, func(ctx context.Context) error { return verify(put(ctx, benchReq)) })
		})
	}
}

func BenchmarkPutAnjukeBianHaoParallel(b *testing.B) {
	for _, impl := range impls() {
		b.Run(impl.name, func(b *testing.B) {
			put, _ := impl.make(b)
			testkit.BenchParallel(b, 1, func(ctx context.Context) error { return verify(put(ctx, benchReq)) })
		})
	}
}

// BenchmarkPutAnjukeBianHaoConnReuse runs at least 64 concurrent callers
// and reports the TCP connections the server accepted (conns): with the
// pool sized for 64 per host, it stays at most 64.
func BenchmarkPutAnjukeBianHaoConnReuse(b *testing.B) {
	for _, impl := range impls() {
		b.Run(impl.name, func(b *testing.B) {
			put, conns := impl.make(b)
			testkit.BenchConnReuse(b, conns, func(ctx context.Context) error { return verify(put(ctx, benchReq)) })
		})
	}
}

// TestConnectionReuse drives 64 concurrent callers through a client made
// with default options and checks that the server saw at most 64 new
// connections: every caller reuses a pooled connection after its first
// call. (A count, not a timing.)
func TestConnectionReuse(t *testing.T) {
	srv, conns := benchServer(t)
	c := sdkClient(t, srv.URL)
	testkit.CheckConnectionReuse(t, 64, 5, conns, func() error {
		_, err := c.PutAnjukeBianHao(context.Background(), benchReq)
		return err
	})
}

// BenchmarkPutAnjukeBianHaoNoNetwork is BenchmarkPutAnjukeBianHao on
// testkit.CannedTransport: the client-side cost of one call alone.
func BenchmarkPutAnjukeBianHaoNoNetwork(b *testing.B) {
	const base = "http://kanfang.invalid"
	impls := []struct {
		name string
		put  putFunc
	}{
		{"impl=raw", (&rawClient{hc: &http.Client{Transport: testkit.CannedTransport{Reply: benchReply}}, url: base + kanfang.PathPutAnjukeBianHao}).put},
		{"impl=resty", newRestyClient(&http.Client{Transport: testkit.CannedTransport{Reply: benchReply}}, base).put},
		{"impl=sdk", func() putFunc {
			c, err := kanfang.NewClient(kanfang.WithBaseURL(base), kanfang.WithToken(auth.StaticToken(benchToken)),
				kanfang.WithHTTPClient(&http.Client{Transport: testkit.CannedTransport{Reply: benchReply}}))
			if err != nil {
				b.Fatal(err)
			}
			return c.PutAnjukeBianHao
		}()},
	}
	for _, impl := range impls {
		b.Run(impl.name, func(b *testing.B) {
			testkit.BenchSequential(b, func(ctx context.Context) error { return verify(impl.put(ctx, benchReq)) })
		})
	}
}
