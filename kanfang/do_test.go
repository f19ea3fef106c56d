package kanfang

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/sign"
)

// TestDoPost: the putAnjukeBianHao endpoint reached through Do, with a
// struct encoded by go-querystring, the token placed and the request signed
// as the fake checks it; the session is renewed once when the fake
// rejects the token.
func TestDoPost(t *testing.T) {
	srv := kanfangtest.NewServer(kanfangtest.WithSignKey("key-1"))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithCredentials(srv.AuthKey, srv.AuthValue), WithSignKey("key-1"), WithTokenPlacement(auth.InForm))
	if err != nil {
		t.Fatal(err)
	}
	in := struct {
		PackageID string `url:"packageId"`
		BianHao   string `url:"anjukeBianHao"`
	}{"pkg-do", "编号1"}
	var out PutAnjukeBianHaoResponse
	if err := c.Do(context.Background(), http.MethodPost, PathPutAnjukeBianHao, &in, &out); err != nil {
		t.Fatal(err)
	}
	if out.PackageID != "pkg-do" || out.AnjukeBianHao != "编号1" {
		t.Fatalf("out %+v", out)
	}
	if got, _ := srv.AnjukeBianHao("pkg-do"); got != "编号1" {
		t.Fatalf("stored %q", got)
	}
	srv.RevokeTokens()
	if err := c.Do(context.Background(), http.MethodPost, PathPutAnjukeBianHao, url.Values{"packageId": {"pkg-do"}, "anjukeBianHao": {"2"}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Do(context.Background(), http.MethodPut, PathPutAnjukeBianHao, nil, nil); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("PUT: %v", err)
	}
}

// TestDoGet: a GET sends in as the query, signed over every query value
// (the token placed there included), and is retried after a 503.
func TestDoGet(t *testing.T) {
	rec := newRecorder(t, reply{503, "", map[string]string{"Retry-After": "0"}}, reply{200, `{"state":200,"payload":{"n":7}}`, nil})
	c := newTestClient(t, rec.URL, WithSignKey("k"), WithTokenPlacement(auth.InQuery))
	var out struct{ N int }
	if err := c.Do(context.Background(), http.MethodGet, "/v2/house/count", url.Values{"city": {"北京"}}, &out); err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	if out.N != 7 || len(reqs) != 2 {
		t.Fatalf("out %+v, %d requests", out, len(reqs))
	}
	r := reqs[1]
	q, _ := url.ParseQuery(r.RawQuery)
	if r.Method != http.MethodGet || q.Get("city") != "北京" || q.Get("Authorization") != "tok-123" || r.Body != "" {
		t.Fatalf("%s %s %q", r.Method, r.RawQuery, r.Body)
	}
	ts := r.Header.Get("timestamp")
	var ms int64
	for _, ch := range ts {
		ms = ms*10 + int64(ch-'0')
	}
	if r.Header.Get("sign") != sign.Kanfang("k", q, ms) {
		t.Error("sign is not over every query value")
	}
}

// TestDoPostNotRepeated: a POST through Do is not repeated once it
// reached the server, even when the answer would make a GET retry (503
// with Retry-After); the failure is an *Error named Do.
func TestDoPostNotRepeated(t *testing.T) {
	rec := newRecorder(t, reply{503, "", map[string]string{"Retry-After": "0"}}, reply{200, `{"state":200,"payload":{}}`, nil})
	c := newTestClient(t, rec.URL)
	err := c.Do(context.Background(), http.MethodPost, "/v2/house/create", url.Values{"name": {"a"}}, nil)
	var kerr *Error
	if !errors.As(err, &kerr) || kerr.HTTPStatus != 503 || !strings.Contains(err.Error(), "kanfang: Do: ") {
		t.Fatalf("err = %v", err)
	}
	if n := len(rec.requests()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
	if r := rec.requests()[0]; r.Method != http.MethodPost || r.Path != "/v2/house/create" || r.Body != "name=a" ||
		r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || r.Header.Get("Authorization") != "tok-123" {
		t.Fatalf("request %+v", r)
	}
}

// TestPutAnjukeBianHaoFormMatchesDo: the request given to Do sends the
// same form as PutAnjukeBianHao (its `url` tags are the one source of
// both).
func TestPutAnjukeBianHaoFormMatchesDo(t *testing.T) {
	const ok = `{"state":200,"payload":{"packageId":"p","anjukeBianHao":"b"}}`
	rec := newRecorder(t, reply{200, ok, nil}, reply{200, ok, nil})
	c := newTestClient(t, rec.URL)
	req := &PutAnjukeBianHaoRequest{PackageID: "pkg 1&x=y", AnjukeBianHao: "房 2"}
	if _, err := c.PutAnjukeBianHao(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if err := c.Do(context.Background(), http.MethodPost, PathPutAnjukeBianHao, req, nil); err != nil {
		t.Fatal(err)
	}
	r := rec.requests()
	if len(r) != 2 || r[0].Body != r[1].Body || r[0].Body != "anjukeBianHao=%E6%88%BF+2&packageId=pkg+1%26x%3Dy" {
		t.Fatalf("PutAnjukeBianHao and Do sent %+v", r)
	}
}

// TestDoReachesUnwrappedEndpoint: Do against an endpoint the fake serves
// through kanfangtest.Handle, under the fake's rules: every value signed
// (the fake recomputes the sign), the token renewed once after the fake
// revokes it, a GET retried after a 503, a POST not repeated after one.
func TestDoReachesUnwrappedEndpoint(t *testing.T) {
	srv := kanfangtest.NewServer(kanfangtest.WithSignKey("key-9"))
	defer srv.Close()
	var mu sync.Mutex
	var created []string
	srv.Handle(http.MethodGet, "/v2/house/list", func(v url.Values) (int, any) {
		return kanfangtest.StateOK, map[string]any{"city": v.Get("city"), "total": 2}
	})
	srv.Handle(http.MethodPost, "/v2/house/create", func(v url.Values) (int, any) {
		mu.Lock()
		defer mu.Unlock()
		created = append(created, v.Get("name"))
		return kanfangtest.StateOK, map[string]string{"id": "h1"}
	})
	c, err := NewClient(WithBaseURL(srv.URL), WithCredentials(srv.AuthKey, srv.AuthValue), WithSignKey("key-9"),
		WithTokenPlacement(auth.InQuery), WithRetry(3, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	type listQuery struct {
		City string `url:"city"`
		Page int    `url:"page"`
	}
	var list struct {
		City  string
		Total int
	}
	if err := c.Do(ctx, http.MethodGet, "/v2/house/list", listQuery{City: "北京", Page: 1}, &list); err != nil {
		t.Fatal(err)
	}
	if list.City != "北京" || list.Total != 2 {
		t.Fatalf("list %+v", list)
	}
	// Revoked: state 401, renewed once (a refresh), sent again.
	srv.RevokeTokens()
	if err := c.Do(ctx, http.MethodGet, "/v2/house/list", url.Values{"city": {"上海"}}, &list); err != nil || list.City != "上海" {
		t.Fatalf("after revoke: %v %+v", err, list)
	}
	if srv.Logins()+srv.Refreshes() != 2 {
		t.Errorf("%d logins + %d refreshes, want one login and one renewal", srv.Logins(), srv.Refreshes())
	}
	// A GET is retried after a 503.
	before := srv.Requests("/v2/house/list")
	srv.FailNext(1, kanfangtest.Failure{Endpoint: "/v2/house/list", HTTPStatus: http.StatusServiceUnavailable, RetryAfter: "0"})
	if err := c.Do(ctx, http.MethodGet, "/v2/house/list", nil, &list); err != nil {
		t.Fatal(err)
	}
	if n := srv.Requests("/v2/house/list") - before; n != 2 {
		t.Errorf("GET sent %d times, want 2", n)
	}
	// A POST is not repeated after a 503 (the fake's lost answer).
	srv.FailNext(1, kanfangtest.Failure{Endpoint: "/v2/house/create", HTTPStatus: http.StatusServiceUnavailable, RetryAfter: "0", AfterApply: true})
	err = c.Do(ctx, http.MethodPost, "/v2/house/create", url.Values{"name": {"房A"}}, nil)
	var kerr *Error
	if !errors.As(err, &kerr) || kerr.HTTPStatus != http.StatusServiceUnavailable || srv.Requests("/v2/house/create") != 1 {
		t.Fatalf("POST: %v, %d requests", err, srv.Requests("/v2/house/create"))
	}
	var out struct{ ID string }
	if err := c.Do(ctx, http.MethodPost, "/v2/house/create", url.Values{"name": {"房B"}}, &out); err != nil || out.ID != "h1" {
		t.Fatalf("POST: %v %+v", err, out)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(created) != 2 || created[0] != "房A" || created[1] != "房B" {
		t.Errorf("created %v", created)
	}
	// Every call was signed as the fake checks it.
	for i, r := range srv.RequestLog() {
		if r.Sign != kanfangtest.SignValid && !r.Injected {
			t.Errorf("request %d (%s %s): sign %q %s", i, r.Method, r.Path, r.Sign, r.SignProblem)
		}
	}
	// Without the sign key the call is carried out too (the platform
	// documents strong validation for callbacks only), and noted unsigned.
	unsigned, _ := NewClient(WithBaseURL(srv.URL), WithToken(auth.StaticToken(srv.IssueToken())))
	if err := unsigned.Do(ctx, http.MethodGet, "/v2/house/list", nil, nil); err != nil {
		t.Errorf("unsigned: %v", err)
	}
	if log := srv.RequestLog(); log[len(log)-1].Sign != kanfangtest.SignNone {
		t.Errorf("unsigned call noted %q", log[len(log)-1].Sign)
	}
}
