package kanfang

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-querystring/query"

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

// TestPutAnjukeBianHaoFormMatchesTags: PutAnjukeBianHao builds its form by
// hand; its `url` tags, which Do encodes with go-querystring, must name
// the same fields, so that the request struct may be given to Do as well.
func TestPutAnjukeBianHaoFormMatchesTags(t *testing.T) {
	req := &PutAnjukeBianHaoRequest{PackageID: "pkg 1&x=y", AnjukeBianHao: "房 2"}
	want, err := query.Values(req)
	if err != nil {
		t.Fatal(err)
	}
	if got := req.values(); got.Encode() != want.Encode() {
		t.Fatalf("form %q, tags give %q", got.Encode(), want.Encode())
	}
}
