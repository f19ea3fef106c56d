package property_test

// Benchmarks of SaveProperty against a hand-written net/http twin that does
// the same work against the same in-process server. See BENCHMARKS.md at
// the module root for how to run and read them.
//
// Fairness: the SDK (default options) runs on wire.NewTransport (a clone of
// http.DefaultTransport with MaxIdleConns 256, MaxIdleConnsPerHost 64 and
// MaxConnsPerHost 64); the raw twin gets an identical transport
// (rawTransport). Both send the same request: the same JSON body, a fresh
// transaction-id and req-time, the MD5 sign, and the same headers
// (Content-Type, Accept, app-id, transaction-id, req-time, sign,
// Authorization, User-Agent).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/sign"
)

const (
	benchAppID    = "micro-community"
	benchSecurity = "hc-security-code"
	benchToken    = "session-token-0123456789"
	benchUA       = wire.DefaultUserAgent
	benchReply    = `{"code":0,"msg":"成功"}`
)

// benchReq is the request of PROTOCOL.md's signing vector.
var benchReq = &property.SavePropertyRequest{
	Name: "物业公司A", Address: "北京市朝阳区XX路XX号", Tel: "18909711449", Corporation: "张三",
	FoundingTime: "2022-09-01", NearbyLandmarks: "国投广场",
	CommunityIDs: []string{"2022092200930358"}, GroupIDs: []string{"802021080609660006"},
}

// benchServer starts the server answering benchReply; newConns counts
// the TCP connections it accepted.
func benchServer(tb testing.TB) (srv *httptest.Server, newConns *atomic.Int64) {
	return testkit.CannedServer(tb, benchReply)
}

// rawTransport is what wire.NewTransport builds: the raw twin runs on the
// same pool settings as the SDK's default.
func rawTransport() *http.Transport { return testkit.PoolTransport() }

func sdkClient(tb testing.TB, base string) *property.Client {
	c, err := property.NewClient(
		property.WithBaseURL(base),
		property.WithAppID(benchAppID),
		property.WithSecurityCode(benchSecurity),
		property.WithToken(auth.StaticToken(benchToken)),
	)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// rawClient is the hand-written twin of SaveProperty.
type rawClient struct {
	hc  *http.Client
	url string
	ids *sign.TransactionIDGenerator
}

func newRawClient(tb testing.TB, base string) *rawClient {
	ids, err := sign.NewTransactionIDGenerator("")
	if err != nil {
		tb.Fatal(err)
	}
	t := rawTransport()
	tb.Cleanup(t.CloseIdleConnections)
	return &rawClient{hc: &http.Client{Transport: t}, url: base + "/app/" + property.ServiceSaveProperty, ids: ids}
}

func (c *rawClient) save(ctx context.Context, req *property.SavePropertyRequest) (*property.SavePropertyResponse, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	txID := c.ids.NextAt(now)
	reqTime := sign.ReqTime(now)
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("app-id", benchAppID)
	hr.Header.Set("transaction-id", txID)
	hr.Header.Set("req-time", reqTime)
	hr.Header.Set("sign", sign.MicroCommunityBytes(txID, reqTime, benchAppID, body, benchSecurity))
	hr.Header.Set("Authorization", "Bearer "+benchToken)
	hr.Header.Set("User-Agent", benchUA)
	resp, err := c.hc.Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var env struct {
		Code int    `json:"code"`
		Msg  string `json:"msg"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, err
	}
	if env.Code != 0 {
		return nil, errors.New(env.Msg)
	}
	return &property.SavePropertyResponse{Code: env.Code, Msg: env.Msg, TransactionID: txID}, nil
}

type saveFunc func(context.Context, *property.SavePropertyRequest) (*property.SavePropertyResponse, error)

// impls returns both implementations, raw first (the baseline of
// benchstat -col /impl), each against its own server.
func impls() []struct {
	name string
	make func(testing.TB) (saveFunc, *atomic.Int64)
} {
	return []struct {
		name string
		make func(testing.TB) (saveFunc, *atomic.Int64)
	}{
		{"impl=raw", func(tb testing.TB) (saveFunc, *atomic.Int64) {
			srv, conns := benchServer(tb)
			return newRawClient(tb, srv.URL).save, conns
		}},
		{"impl=resty", func(tb testing.TB) (saveFunc, *atomic.Int64) {
			srv, conns := benchServer(tb)
			t := rawTransport()
			tb.Cleanup(t.CloseIdleConnections)
			return newRestyClient(&http.Client{Transport: t}, srv.URL).save, conns
		}},
		{"impl=sdk", func(tb testing.TB) (saveFunc, *atomic.Int64) {
			srv, conns := benchServer(tb)
			return sdkClient(tb, srv.URL).SaveProperty, conns
		}},
	}
}

func verify(out *property.SavePropertyResponse, err error) error {
	if err != nil {
		return err
	}
	if out.Code != 0 || len(out.TransactionID) != sign.TransactionIDLength {
		return fmt.Errorf("unexpected answer %+v", out)
	}
	return nil
}

func BenchmarkSaveProperty(b *testing.B) {
	for _, impl := range impls() {
		b.Run(impl.name, func(b *testing.B) {
			save, _ := impl.make(b)
			testkit.BenchSequential(b, func(ctx context.Context) error { return verify(save(ctx, benchReq)) })
		})
	}
}

func BenchmarkSavePropertyParallel(b *testing.B) {
	for _, impl := range impls() {
		b.Run(impl.name, func(b *testing.B) {
			save, _ := impl.make(b)
			testkit.BenchParallel(b, 1, func(ctx context.Context) error { return verify(save(ctx, benchReq)) })
		})
	}
}

// BenchmarkSavePropertyConnReuse runs at least 64 concurrent callers and
// reports the TCP connections the server accepted (conns): at most 64.
func BenchmarkSavePropertyConnReuse(b *testing.B) {
	for _, impl := range impls() {
		b.Run(impl.name, func(b *testing.B) {
			save, conns := impl.make(b)
			testkit.BenchConnReuse(b, conns, func(ctx context.Context) error { return verify(save(ctx, benchReq)) })
		})
	}
}

// TestConnectionReuse drives 64 concurrent callers through a client made
// with default options and checks that the server saw at most 64 new
// connections. (A count, not a timing.)
func TestConnectionReuse(t *testing.T) {
	srv, conns := benchServer(t)
	c := sdkClient(t, srv.URL)
	testkit.CheckConnectionReuse(t, 64, 5, conns, func() error {
		_, err := c.SaveProperty(context.Background(), benchReq)
		return err
	})
}

// BenchmarkSavePropertyNoNetwork is BenchmarkSaveProperty on
// testkit.CannedTransport: the client-side cost of one call alone.
func BenchmarkSavePropertyNoNetwork(b *testing.B) {
	const base = "http://hc.invalid"
	raw := newRawClient(b, base)
	raw.hc = &http.Client{Transport: testkit.CannedTransport{Reply: benchReply}}
	sdk, err := property.NewClient(
		property.WithBaseURL(base),
		property.WithAppID(benchAppID),
		property.WithSecurityCode(benchSecurity),
		property.WithToken(auth.StaticToken(benchToken)),
		property.WithHTTPClient(&http.Client{Transport: testkit.CannedTransport{Reply: benchReply}}),
	)
	if err != nil {
		b.Fatal(err)
	}
	impls := []struct {
		name string
		save saveFunc
	}{{"impl=raw", raw.save}, {"impl=resty", newRestyClient(&http.Client{Transport: testkit.CannedTransport{Reply: benchReply}}, base).save}, {"impl=sdk", sdk.SaveProperty}}
	for _, impl := range impls {
		b.Run(impl.name, func(b *testing.B) {
			testkit.BenchSequential(b, func(ctx context.Context) error { return verify(impl.save(ctx, benchReq)) })
		})
	}
}
