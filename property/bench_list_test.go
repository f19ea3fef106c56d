package property_test

// ListProperties on a large page against a hand-written net/http twin, in
// the same run: a plain GET with the same signed query and headers,
// io.ReadAll, and one json.Unmarshal into an equivalent struct. See
// BENCHMARKS.md ("Decoding a large list once") for how to run and read it.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/sign"
)

// benchListRows is the page the benchmark lists.
const benchListRows = 10000

// listAnswer is the answer of property.listProperty to a page of n
// companies as PROTOCOL.md describes it: the HC envelope with data, records
// and total, each entry a full StoreDto (including the members Property
// does not keep: statusCd, storeTypeName, userId). Chinese text is as long
// as real company names and addresses.
func listAnswer(tb testing.TB, n int) []byte {
	type storeDto struct {
		Address         string `json:"address"`
		Corporation     string `json:"corporation"`
		CreateTime      string `json:"createTime"`
		FoundingTime    string `json:"foundingTime"`
		MapX            string `json:"mapX"`
		MapY            string `json:"mapY"`
		Name            string `json:"name"`
		NearByLandmarks string `json:"nearByLandmarks"`
		State           string `json:"state"`
		StatusCd        string `json:"statusCd"`
		StoreID         string `json:"storeId"`
		StoreTypeCd     string `json:"storeTypeCd"`
		StoreTypeName   string `json:"storeTypeName"`
		Tel             string `json:"tel"`
		UserID          string `json:"userId"`
	}
	rows := make([]storeDto, n)
	start := time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC)
	for i := range rows {
		created := start.Add(-time.Duration(i) * 37 * time.Minute)
		rows[i] = storeDto{
			Address:         fmt.Sprintf("北京市朝阳区建国路%d号院%d号楼", 1+i%300, 1+i%17),
			Corporation:     []string{"张三", "李四", "王五", "赵六"}[i%4],
			CreateTime:      created.Format("2006-01-02 15:04:05"),
			FoundingTime:    created.AddDate(-3, 0, 0).Format("2006-01-02"),
			MapX:            fmt.Sprintf("116.%06d", 400000+i%99991),
			MapY:            fmt.Sprintf("39.%06d", 900000+i%99989),
			Name:            fmt.Sprintf("物业公司%05d", n-i),
			NearByLandmarks: []string{"国投广场", "国贸中心", "望京SOHO", ""}[i%4],
			State:           "48001",
			StatusCd:        "0",
			StoreID:         strconv.Itoa(102026113000000000 + n - i),
			StoreTypeCd:     "800900000003",
			StoreTypeName:   "物业",
			Tel:             strconv.Itoa(13900000000 + i),
			UserID:          strconv.Itoa(302026113000000000 + n - i),
		}
	}
	body, err := json.Marshal(map[string]any{"code": 0, "msg": "成功", "data": rows, "page": 0, "records": 1, "rows": 0, "total": n})
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// listServer answers every request with body, announced with
// Content-Length as the HC gateway (Spring) does for a JSON answer.
func listServer(tb testing.TB, body []byte) *httptest.Server {
	length := strconv.Itoa(len(body))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("Content-Length", length)
		_, _ = w.Write(body)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// rawLister is the hand-written twin of ListProperties.
type rawLister struct {
	hc  *http.Client
	url string
	ids *sign.TransactionIDGenerator
}

func (c *rawLister) list(ctx context.Context, req *property.ListPropertiesRequest) (*property.ListPropertiesResponse, error) {
	query := url.Values{"page": {strconv.Itoa(req.Page)}, "row": {strconv.Itoa(req.Row)}}.Encode()
	now := time.Now()
	txID := c.ids.NextAt(now)
	reqTime := sign.ReqTime(now)
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url+"?"+query, nil)
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("X-Requested-With", "XMLHttpRequest")
	hr.Header.Set("app-id", benchAppID)
	hr.Header.Set("transaction-id", txID)
	hr.Header.Set("req-time", reqTime)
	hr.Header.Set("sign", sign.MicroCommunity(txID, reqTime, benchAppID, sign.MicroCommunityQuery(query), benchSecurity))
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
	var page struct {
		Code  int                 `json:"code"`
		Msg   string              `json:"msg"`
		Total int                 `json:"total"`
		Data  []property.Property `json:"data"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		return nil, err
	}
	if page.Code != 0 {
		return nil, errors.New(page.Msg)
	}
	return &property.ListPropertiesResponse{Total: page.Total, Properties: page.Data}, nil
}

type listFunc func(context.Context, *property.ListPropertiesRequest) (*property.ListPropertiesResponse, error)

// listImpls returns the twin and the SDK, raw first (the baseline of
// benchstat -col /impl), each against its own server answering body.
func listImpls(body []byte) []struct {
	name string
	make func(testing.TB) listFunc
} {
	return []struct {
		name string
		make func(testing.TB) listFunc
	}{
		{"impl=raw", func(tb testing.TB) listFunc {
			ids, err := sign.NewTransactionIDGenerator("")
			if err != nil {
				tb.Fatal(err)
			}
			t := rawTransport()
			tb.Cleanup(t.CloseIdleConnections)
			srv := listServer(tb, body)
			return (&rawLister{hc: &http.Client{Transport: t}, url: srv.URL + "/app/" + property.ServiceListProperty, ids: ids}).list
		}},
		{"impl=sdk", func(tb testing.TB) listFunc {
			return sdkClient(tb, listServer(tb, body).URL).ListProperties
		}},
	}
}

// BenchmarkListProperties lists a page of 10,000 companies from a
// loopback server.
func BenchmarkListProperties(b *testing.B) {
	body := listAnswer(b, benchListRows)
	for _, impl := range listImpls(body) {
		b.Run(impl.name, func(b *testing.B) { benchList(b, impl.make(b), len(body)) })
	}
}

// BenchmarkListPropertiesNoNetwork is BenchmarkListProperties on
// testkit.CannedTransport (the answer in memory, with its Content-Length):
// the client's own work alone, reading and decoding the page.
func BenchmarkListPropertiesNoNetwork(b *testing.B) {
	body := listAnswer(b, benchListRows)
	raw, sdk := inMemoryListers(b, body)
	b.Run("impl=raw", func(b *testing.B) { benchList(b, raw, len(body)) })
	b.Run("impl=sdk", func(b *testing.B) { benchList(b, sdk, len(body)) })
}

// inMemoryListers are the twin and the SDK on testkit.CannedTransport
// answering body.
func inMemoryListers(tb testing.TB, body []byte) (raw, sdk listFunc) {
	const base = "http://hc.invalid"
	canned := func() *http.Client { return &http.Client{Transport: testkit.CannedTransport{Reply: string(body)}} }
	ids, err := sign.NewTransactionIDGenerator("")
	if err != nil {
		tb.Fatal(err)
	}
	c, err := property.NewClient(property.WithBaseURL(base), property.WithAppID(benchAppID), property.WithSecurityCode(benchSecurity),
		property.WithToken(auth.StaticToken(benchToken)), property.WithHTTPClient(canned()))
	if err != nil {
		tb.Fatal(err)
	}
	return (&rawLister{hc: canned(), url: base + "/app/" + property.ServiceListProperty, ids: ids}).list, c.ListProperties
}

// TestListPropertiesDecodesOnce: on the 10,000-row page, ListProperties
// allocates no more than 1.3 times the bytes of net/http + io.ReadAll +
// one json.Unmarshal (it allocated 1.84 times as much when it decoded the
// page twice and grew its buffer in 1.25× steps). A count of bytes, not a
// timing: the heap's total, each call run alone.
func TestListPropertiesDecodesOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes two 4 MB pages")
	}
	raw, sdk := inMemoryListers(t, listAnswer(t, benchListRows))
	req := &property.ListPropertiesRequest{Page: 1, Row: benchListRows}
	bytesOf := func(list listFunc) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		out, err := list(context.Background(), req)
		runtime.ReadMemStats(&after)
		if err != nil || len(out.Properties) != benchListRows {
			t.Fatalf("err %v", err)
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	rawBytes, sdkBytes := bytesOf(raw), bytesOf(sdk)
	if ratio := float64(sdkBytes) / float64(rawBytes); ratio > 1.3 {
		t.Errorf("ListProperties allocated %d bytes, the net/http twin %d: %.2f×, want ≤ 1.30×", sdkBytes, rawBytes, ratio)
	}
}

// benchList measures list on the 10,000-row page, after one unmeasured
// call that opens the connection; every answer is checked.
func benchList(b *testing.B, list listFunc, size int) {
	req := &property.ListPropertiesRequest{Page: 1, Row: benchListRows}
	ctx := context.Background()
	check := func() error {
		out, err := list(ctx, req)
		if err != nil {
			return err
		}
		if out.Total != benchListRows || len(out.Properties) != benchListRows || out.Properties[0].StoreTypeCd != "800900000003" {
			return fmt.Errorf("unexpected page: total %d, %d rows", out.Total, len(out.Properties))
		}
		return nil
	}
	if err := check(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := check(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestListPropertiesTwinsAgree: the benchmark's two implementations decode
// the same page into the same companies, so the benchmark compares equal
// work.
func TestListPropertiesTwinsAgree(t *testing.T) {
	body := listAnswer(t, 50)
	req := &property.ListPropertiesRequest{Page: 1, Row: 50}
	var got [2]*property.ListPropertiesResponse
	for i, impl := range listImpls(body) {
		out, err := impl.make(t)(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", impl.name, err)
		}
		got[i] = out
	}
	a, _ := json.Marshal(got[0])
	b, _ := json.Marshal(got[1])
	if string(a) != string(b) || got[1].Total != 50 || len(got[1].Properties) != 50 || strings.Count(string(b), "物业公司") != 50 {
		t.Fatalf("twins differ:\nraw %.300s\nsdk %.300s", a, b)
	}
}

// TestListPropertiesLargePage: a page of 20,000 companies (about 8 MB,
// full StoreDto entries) is read with the default options (the 4 MiB limit
// refused it), and WithMaxResponseBytes still bounds it: under 1 MiB it
// fails with ErrResponseTooLarge.
func TestListPropertiesLargePage(t *testing.T) {
	const rows = 20000
	body := listAnswer(t, rows)
	if len(body) <= 4<<20 || len(body) > property.DefaultMaxResponseBytes {
		t.Fatalf("the page is %d bytes: it must be over 4 MiB and within the default", len(body))
	}
	url := listServer(t, body).URL
	req := &property.ListPropertiesRequest{Page: 1, Row: rows}
	out, err := sdkClient(t, url).ListProperties(context.Background(), req)
	if err != nil {
		t.Fatalf("default limit: %v", err)
	}
	if out.Total != rows || len(out.Properties) != rows || out.Properties[rows-1].Name != "物业公司00001" {
		t.Fatalf("total %d, %d rows", out.Total, len(out.Properties))
	}
	small, err := property.NewClient(property.WithBaseURL(url), property.WithAppID(benchAppID), property.WithSecurityCode(benchSecurity),
		property.WithToken(auth.StaticToken(benchToken)), property.WithMaxResponseBytes(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := small.ListProperties(context.Background(), req); !errors.Is(err, property.ErrResponseTooLarge) || !strings.Contains(err.Error(), "limit 1048576") {
		t.Fatalf("1 MiB limit: err %v, want ErrResponseTooLarge", err)
	}
}
