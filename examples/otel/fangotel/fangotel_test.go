package fangotel_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/examples/otel/fangotel"
	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/property/propertytest"
	"github.com/fangsdk/fang/sign"
)

// saveFails is a token store whose Save fails: the token is obtained, and
// the store's failure is reported.
type saveFails struct{ auth.Store }

func (saveFails) Save(context.Context, string, *auth.Token, time.Duration) error {
	return errors.New("dial tcp 127.0.0.1:6379: connection refused")
}

// tokenTap records the tokens the clients send (Authorization headers).
type tokenTap struct {
	mu     sync.Mutex
	tokens []string
}

func (t *tokenTap) RoundTrip(r *http.Request) (*http.Response, error) {
	if v := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "); v != "" {
		t.mu.Lock()
		t.tokens = append(t.tokens, v)
		t.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestSpansAndMetrics makes real calls with credentials against both
// fakes, one of them retried after a 503, with a store that fails to save,
// and checks what the in-memory exporters got: spans named by the fang
// operation with the login as a child and the attempts as children, the
// transaction-id and error.type attributes, the counters and the
// histogram; and no secret anywhere in them.
func TestSpansAndMetrics(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	obs, err := fangotel.New(tp, mp)
	if err != nil {
		t.Fatal(err)
	}
	tap := &tokenTap{}
	hc := &http.Client{Transport: tap}

	kf := kanfangtest.NewServer()
	defer kf.Close()
	ps := propertytest.NewServer()
	defer ps.Close()
	kc, err := kanfang.NewClient(kanfang.WithBaseURL(kf.URL), kanfang.WithCredentials(kf.AuthKey, kf.AuthValue), kanfang.WithHTTPClient(hc),
		kanfang.WithTokenStore(saveFails{auth.NewMemoryStore()}), kanfang.WithObserver(obs), kanfang.WithRetry(3, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer kc.Close()
	pc, err := property.NewClient(property.WithBaseURL(ps.URL), property.WithAppID(ps.AppID), property.WithSecurityCode(ps.SecurityCode),
		property.WithCredentials(ps.Username, ps.Password), property.WithHTTPClient(hc), property.WithObserver(obs))
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()

	ctx := context.Background()
	kf.FailNext(1, kanfangtest.Failure{Endpoint: kanfangtest.PathPutAnjukeBianHao, HTTPStatus: http.StatusServiceUnavailable})
	if _, err := kc.PutAnjukeBianHao(ctx, &kanfang.PutAnjukeBianHaoRequest{PackageID: "pkg-otel-1", AnjukeBianHao: "00000000010101"}); err != nil {
		t.Fatal(err)
	}
	if _, err := pc.SaveProperty(ctx, &property.SavePropertyRequest{
		Name: "物业公司O", Address: "北京市朝阳区1号", Tel: "13900000088", Corporation: "张三", FoundingTime: "2022-09-01",
	}); err != nil {
		t.Fatal(err)
	}

	// Spans.
	got := spans.GetSpans()
	byName := map[string][]tracetest.SpanStub{}
	for _, s := range got {
		byName[s.Name] = append(byName[s.Name], s)
	}
	for name, n := range map[string]int{"kanfang.PutAnjukeBianHao": 1, "kanfang.GetAccessToken": 1, "property.SaveProperty": 1,
		"property.Login": 1, "fang.attempt": 5} {
		if len(byName[name]) != n {
			t.Errorf("%d spans %q, want %d", len(byName[name]), name, n)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	put, login := byName["kanfang.PutAnjukeBianHao"][0], byName["kanfang.GetAccessToken"][0]
	save, hcLogin := byName["property.SaveProperty"][0], byName["property.Login"][0]
	if login.Parent.SpanID() != put.SpanContext.SpanID() || hcLogin.Parent.SpanID() != save.SpanContext.SpanID() {
		t.Error("the logins are not children of the calls that needed them")
	}
	if attr(login, "fang.renewal.cause") != "cold_start" || attr(hcLogin, "fang.renewal.cause") != "cold_start" {
		t.Errorf("login causes: %q %q", attr(login, "fang.renewal.cause"), attr(hcLogin, "fang.renewal.cause"))
	}
	parents := map[string]int{}
	for _, a := range byName["fang.attempt"] {
		for _, s := range got {
			if s.SpanContext.SpanID() == a.Parent.SpanID() {
				parents[s.Name]++
			}
		}
	}
	if fmt.Sprint(parents) != "map[kanfang.GetAccessToken:1 kanfang.PutAnjukeBianHao:2 property.Login:1 property.SaveProperty:1]" {
		t.Errorf("attempts' parents: %v", parents)
	}
	if attr(save, "fang.transaction_id") == "" || !ps.SeenTransactionID(attr(save, "fang.transaction_id")) {
		t.Errorf("SaveProperty's transaction-id %q", attr(save, "fang.transaction_id"))
	}
	var failed []string
	for _, a := range byName["fang.attempt"] {
		if e := attr(a, "error.type"); e != "" {
			failed = append(failed, attr(a, "fang.op")+" "+attr(a, "fang.attempt")+" "+e)
		}
	}
	if strings.Join(failed, ",") != "kanfang.PutAnjukeBianHao 1 503" {
		t.Errorf("failed attempts: %v", failed)
	}
	if !hasEvent(put, "fang.retry") || !hasEvent(put, "fang.renewal") || !hasEvent(put, "fang.store_error") {
		t.Errorf("events of the put: %+v", put.Events)
	}

	// Metrics.
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	points := map[string][]string{} // metric name -> its points' attribute sets and values
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					points[m.Name] = append(points[m.Name], fmt.Sprintf("%s=%d", p.Attributes.Encoded(attribute.DefaultEncoder()), p.Value))
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					points[m.Name] = append(points[m.Name], fmt.Sprintf("%s=%d", p.Attributes.Encoded(attribute.DefaultEncoder()), p.Count))
				}
			}
		}
	}
	for name, want := range map[string]string{
		"fang.calls":         "fang.op=kanfang.GetAccessToken=1 fang.op=kanfang.PutAnjukeBianHao=1 fang.op=property.Login=1 fang.op=property.SaveProperty=1",
		"fang.call.duration": "fang.op=kanfang.GetAccessToken=1 fang.op=kanfang.PutAnjukeBianHao=1 fang.op=property.Login=1 fang.op=property.SaveProperty=1",
		"fang.attempts":      "error.type=503,fang.op=kanfang.PutAnjukeBianHao=1 fang.op=kanfang.GetAccessToken=1 fang.op=kanfang.PutAnjukeBianHao=1 fang.op=property.Login=1 fang.op=property.SaveProperty=1",
		"fang.retries":       "error.type=503,fang.op=kanfang.PutAnjukeBianHao=1",
		"fang.renewals":      "fang.renewal.cause=cold_start,fang.renewal.kind=login=2",
		"fang.store.errors":  "error.type=store_unavailable,fang.store.op=Save=1",
	} {
		slices.Sort(points[name])
		if got := strings.Join(points[name], " "); got != want {
			t.Errorf("%s: %s\nwant %s", name, got, want)
		}
	}

	// No secret: the credentials, the hash, the security code and the
	// tokens sent are nowhere in the spans or metrics, and no attribute
	// holds a token-like value.
	blob, err := json.Marshal(struct {
		Spans   []tracetest.SpanStub
		Metrics metricdata.ResourceMetrics
	}{got, rm})
	if err != nil {
		t.Fatal(err)
	}
	tap.mu.Lock()
	secrets := append([]string{kf.AuthValue, ps.Password, sign.HCPassword(ps.Password), ps.SecurityCode}, tap.tokens...)
	tap.mu.Unlock()
	if len(secrets) < 6 {
		t.Fatalf("the tap saw %d tokens", len(secrets)-4)
	}
	for _, s := range secrets {
		if strings.Contains(string(blob), s) {
			t.Errorf("secret %q exported", s)
		}
	}
	for _, s := range got {
		for _, kv := range allAttrs(s) {
			if v := kv.Value.String(); hexRun(v) >= 32 || strings.Contains(v, "authValue") {
				t.Errorf("span %s: attribute %s=%q looks like a secret", s.Name, kv.Key, v)
			}
		}
	}
}

func attr(s tracetest.SpanStub, key string) string {
	for _, kv := range s.Attributes {
		if string(kv.Key) == key {
			return kv.Value.String()
		}
	}
	return ""
}

func hasEvent(s tracetest.SpanStub, name string) bool {
	for _, e := range s.Events {
		if e.Name == name {
			return true
		}
	}
	return false
}

func allAttrs(s tracetest.SpanStub) []attribute.KeyValue {
	out := append([]attribute.KeyValue(nil), s.Attributes...)
	for _, e := range s.Events {
		out = append(out, e.Attributes...)
	}
	return out
}

// hexRun is the longest run of lower-case hex digits in s.
func hexRun(s string) int {
	best, cur := 0, 0
	for _, r := range s {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'f' {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}
