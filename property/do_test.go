package property

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/fangsdk/fang/property/propertytest"
	"github.com/fangsdk/fang/sign"
)

// TestDoReachesUnwrappedService: GETs that list communities and menu
// groups, with the session renewed after the fake revokes it; the answers
// have no code.
func TestDoReachesUnwrappedService(t *testing.T) {
	srv := propertytest.NewServer(propertytest.WithCommunities("c1", "c2"), propertytest.WithStrictTransactionIDs())
	defer srv.Close()
	c, _ := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode), WithCredentials(srv.Username, srv.Password))
	var out struct {
		Communitys []struct{ CommunityID string }
		Total      int
	}
	ctx := context.Background()
	if err := c.Do(ctx, http.MethodGet, "community.listCommunitys", url.Values{"page": {"1"}, "row": {"10"}}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Total != 2 || len(out.Communitys) != 2 || out.Communitys[0].CommunityID != "c2" { // newest first
		t.Fatalf("out %+v", out)
	}
	// community.listCommunitys needs no session, menuGroup.listMenuGroups
	// does: after a revocation the session is renewed once.
	srv.RevokeSessions()
	if err := c.Do(ctx, http.MethodGet, "menuGroup.listMenuGroups", url.Values{"page": {"1"}, "row": {"10"}}, nil); err != nil {
		t.Fatal(err)
	}
	if srv.Logins() != 2 {
		t.Errorf("%d logins, want 2", srv.Logins())
	}
	// A POST through Do: the same signing; a struct body is marshalled.
	body := map[string]any{"name": "Do物业", "address": "a", "tel": "13900000055", "corporation": "c", "foundingTime": "2022-09-01"}
	var ans struct{ Code int }
	if err := c.Do(ctx, http.MethodPost, ServiceSaveProperty, body, &ans); err != nil || ans.Code != 0 {
		t.Fatalf("POST: %v %+v", err, ans)
	}
	raw, _ := json.Marshal(body)
	if err := c.Do(ctx, http.MethodPost, ServiceSaveProperty, json.RawMessage(raw), nil); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Companies()); n != 2 {
		t.Errorf("%d companies, want 2", n)
	}
	// Failures are *Error with the usual sentinels.
	err := c.Do(ctx, http.MethodPost, ServiceSaveProperty, map[string]string{"name": "x"}, nil)
	var perr *Error
	if !errors.As(err, &perr) || perr.Code != 404 || !errors.Is(err, ErrGateway) {
		t.Errorf("err = %v", err)
	}
	if err := c.Do(ctx, http.MethodDelete, "x", nil, nil); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("DELETE: %v", err)
	}
}

// TestDoGETRetriedWithNewTransactionID: a GET answered 503 is retried,
// each attempt with a new transaction-id and a sign over its own headers;
// a POST answered 503 is not repeated.
func TestDoGETRetriedWithNewTransactionID(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		n++
		first := n == 1
		mu.Unlock()
		if first || r.Method == http.MethodPost {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(`{"communitys":[],"total":0}`))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	if err := c.Do(context.Background(), http.MethodGet, "community.listCommunitys", url.Values{"name": {"东方"}}, nil); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0].Get("transaction-id") == seen[1].Get("transaction-id") {
		t.Fatalf("attempts %d, transaction-ids %q %q", len(seen), seen[0].Get("transaction-id"), seen[len(seen)-1].Get("transaction-id"))
	}
	for _, h := range seen {
		if want := sign.MicroCommunity(h.Get("transaction-id"), h.Get("req-time"), testAppID, "?name=东方", testSecurity); h.Get("sign") != want {
			t.Errorf("sign %s, want %s", h.Get("sign"), want)
		}
	}
	seen = nil
	err := c.Do(context.Background(), http.MethodPost, "property.updateProperty", map[string]string{"storeId": "1"}, nil)
	if !errors.Is(err, ErrOutcomeUnknown) || len(seen) != 1 {
		t.Fatalf("POST: err %v, %d attempts", err, len(seen))
	}
}

// TestDoRefusesReservedQueryParameters: the gateway lets a query parameter
// replace the header of the same name (app-id, sign, store-id…), so Do
// refuses one, whatever its case or dash/underscore spelling, and sends
// nothing; other names go out.
func TestDoRefusesReservedQueryParameters(t *testing.T) {
	rec := newRecorder(t, reply{200, `{"code":0,"msg":"成功"}`})
	c := newTestClient(t, rec.URL)
	for _, name := range []string{"app-id", "transaction-id", "req-time", "sign", "user-id", "store-id", "java110-lang",
		"App-Id", "SIGN", "Store-ID", "store_id", "APP_ID", "java110_LANG"} {
		err := c.Do(context.Background(), http.MethodGet, "store.listStores", url.Values{name: {"x"}, "page": {"1"}}, nil)
		var ire *InvalidRequestError
		if !errors.As(err, &ire) || ire.Op != "Do" || len(ire.Fields()) != 1 || ire.Fields()[0] != "in" {
			t.Errorf("parameter %q: %v", name, err)
		}
	}
	if n := len(rec.requests()); n != 0 {
		t.Fatalf("%d requests sent with reserved parameters", n)
	}
	type query struct {
		StoreID string `url:"storeId"` // the body's name, not the header's: allowed
		Signed  string `url:"signed"`
	}
	if err := c.Do(context.Background(), http.MethodGet, "store.listStores", query{StoreID: "1", Signed: "y"}, nil); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.requests()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}
