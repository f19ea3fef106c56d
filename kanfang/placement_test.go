package kanfang

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fangsdk/fang/auth"
)

// TestTokenNeverInPostURL: whatever the placement, a POST (a wrapped call
// or one through Do) carries no token in its URL, which access logs
// record: a query placement travels in the form. A GET with a form
// placement carries it in its query.
func TestTokenNeverInPostURL(t *testing.T) {
	ctx := context.Background()
	for _, p := range []auth.Placement{auth.InHeader, auth.InForm, auth.InCookie, auth.InQuery} {
		t.Run(p.String(), func(t *testing.T) {
			rec := newRecorder(t)
			c := newTestClient(t, rec.URL, WithTokenPlacement(p))
			if _, err := c.PutAnjukeBianHao(ctx, putReq); err != nil {
				t.Fatal(err)
			}
			if err := c.Do(ctx, http.MethodPost, "/v2/house/create", url.Values{"name": {"a"}}, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := c.AddNotifyTask(ctx, &AddNotifyTaskRequest{PackageID: "p", NotifyConfigID: "n"}); err == nil {
				t.Fatal("the recorder's answer has no id: want an error")
			}
			if err := c.Do(ctx, http.MethodGet, "/v2/house/count", nil, nil); err != nil {
				t.Fatal(err)
			}
			reqs := rec.requests()
			if len(reqs) != 4 {
				t.Fatalf("%d requests", len(reqs))
			}
			inForm := p == auth.InForm || p == auth.InQuery
			for _, r := range reqs[:3] {
				if strings.Contains(r.RawQuery, "tok-123") {
					t.Errorf("%s %s: token in the URL: %q", r.Method, r.Path, r.RawQuery)
				}
				form, _ := url.ParseQuery(r.Body)
				if got := form.Get("Authorization") == "tok-123"; got != inForm {
					t.Errorf("%s %s: token in the form %v, want %v", r.Method, r.Path, got, inForm)
				}
			}
			q, _ := url.ParseQuery(reqs[3].RawQuery)
			if got := q.Get("Authorization") == "tok-123"; got != inForm {
				t.Errorf("GET: token in the query %v, want %v", got, inForm)
			}
		})
	}
}
