package fang

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/kanfang"
)

// recorder is instrumentation that records the URLs it is shown, as a
// tracing transport records url.full.
type recorder struct {
	mu   sync.Mutex
	urls []string
	next http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.urls = append(r.urls, req.URL.String())
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

// TestTraceSafeTransport: the instrumentation sees no secret in any URL,
// while the server receives the real values.
func TestTraceSafeTransport(t *testing.T) {
	const authValue, token = "pass+word/1=", "tok+en=="
	var got []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Query())
		if strings.HasSuffix(r.URL.Path, "GetAccessToken") {
			io.WriteString(w, `{"state":200,"payload":{"token":"t","tokenExpireIn":60}}`)
			return
		}
		io.WriteString(w, `{"state":200,"payload":{"token":"t2","tokenExpireIn":60}}`)
	}))
	defer srv.Close()
	rec := &recorder{}
	hc := &http.Client{Transport: TraceSafeTransport(nil, func(rt http.RoundTripper) http.RoundTripper { rec.next = rt; return rec })}
	c, err := kanfang.NewClient(kanfang.WithBaseURL(srv.URL), kanfang.WithHTTPClient(hc),
		kanfang.WithToken(auth.StaticToken(token)), kanfang.WithTokenPlacement(auth.InQuery))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetAccessToken(context.Background(), "user", authValue); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RefreshToken(context.Background(), token); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Get("authValue") != authValue || got[0].Get("authKey") != "user" || got[1].Get("Authorization") != token {
		t.Fatalf("the server received %v", got)
	}
	for _, u := range rec.urls {
		if strings.Contains(u, "pass") || strings.Contains(u, "tok") || !strings.Contains(u, "%5BREDACTED%5D") {
			t.Errorf("instrumentation saw %s", u)
		}
	}
	if len(rec.urls) != 2 || !strings.Contains(rec.urls[0], "authKey=user") {
		t.Errorf("urls %v", rec.urls)
	}
	if !URLHasSecrets(&url.URL{RawQuery: "authValue=x"}) || URLHasSecrets(&url.URL{RawQuery: "page=1"}) {
		t.Error("URLHasSecrets")
	}
}

// TestRedactedURLNil: RedactedURL(nil) is nil, as its doc says, not a
// nil-pointer panic.
func TestRedactedURLNil(t *testing.T) {
	if got := RedactedURL(nil); got != nil {
		t.Errorf("RedactedURL(nil) = %v, want nil", got)
	}
}
