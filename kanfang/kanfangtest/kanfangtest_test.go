package kanfangtest

import (
	"encoding/json"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fangsdk/fang/internal/fakeserver"
	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/sign"
)

func TestPutTokenPlacements(t *testing.T) {
	s := newServer(t)
	form := func(extra url.Values) url.Values {
		v := url.Values{"packageId": {"pkg-1"}, "anjukeBianHao": {"0001"}}
		maps.Copy(v, extra)
		return v
	}
	tests := []struct {
		name  string
		build func() *http.Request
		want  Placement
	}{
		{"header", func() *http.Request { return putRequest(t, s, form(nil)) }, PlacementHeader},
		{"form", func() *http.Request {
			r := putRequest(t, s, form(url.Values{"Authorization": {s.Token}}))
			r.Header.Del("Authorization")
			return r
		}, PlacementForm},
		{"cookie", func() *http.Request {
			r := putRequest(t, s, form(nil))
			r.Header.Del("Authorization")
			r.AddCookie(&http.Cookie{Name: "Authorization", Value: s.Token})
			return r
		}, PlacementCookie},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := send(t, tt.build())
			wantState(t, res, 200, "")
			var p bianHaoPayload
			if err := json.Unmarshal(res.Payload, &p); err != nil || p != (bianHaoPayload{"pkg-1", "0001"}) {
				t.Fatalf("payload %s (%v)", res.Payload, err)
			}
			log := s.RequestLog()
			last := log[len(log)-1]
			if last.TokenPlacement != tt.want {
				t.Fatalf("placement %q, want %q", last.TokenPlacement, tt.want)
			}
			if _, ok := last.Form["Authorization"]; ok {
				t.Fatal("Form in the log holds the Authorization field")
			}
		})
	}
}

// TestPostTokenInQueryRefused: the platform reads no token in the URL of
// a POST (its docs list the header, the form and the cookie), so a POST
// whose only token is in its query string answers state 401, on the
// fake's own endpoints and on one served with Handle; a GET's query is
// read.
func TestPostTokenInQueryRefused(t *testing.T) {
	s := newServer(t)
	s.Handle(http.MethodPost, "/v2/house/create", func(url.Values) (int, any) { return StateOK, "OK" })
	s.Handle(http.MethodGet, "/v2/house/list", func(url.Values) (int, any) { return StateOK, "OK" })
	for _, path := range []string{PathPutAnjukeBianHao, PathAddNewNotifyTaskByPackageID, "/v2/house/create"} {
		r := putRequestTo(t, s, path, url.Values{"packageId": {"p"}, "anjukeBianHao": {"n"}, "notifyconfigId": {"c"}})
		r.Header.Del("Authorization")
		r.URL.RawQuery = url.Values{"Authorization": {s.Token}}.Encode()
		wantState(t, send(t, r), 401, "query string of a POST is not read")
		if last := s.RequestLog()[len(s.RequestLog())-1]; last.TokenPlacement != PlacementNone {
			t.Errorf("%s: placement %q", path, last.TokenPlacement)
		}
	}
	r := getRequest(t, s, "/v2/house/list", url.Values{"Authorization": {s.Token}})
	wantState(t, send(t, r), 200, "")
	if last := s.RequestLog()[len(s.RequestLog())-1]; last.TokenPlacement != PlacementQuery {
		t.Errorf("GET: placement %q", last.TokenPlacement)
	}
}

func TestPutTokenRejected(t *testing.T) {
	s := newServer(t)
	body := url.Values{"packageId": {"p"}, "anjukeBianHao": {"n"}}
	tests := []struct {
		name   string
		mutate func(*http.Request)
		msg    string
	}{
		{"missing", func(r *http.Request) { r.Header.Del("Authorization") }, "missing"},
		{"bearer prefix", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+s.Token) }, "invalid"},
		{"unknown", func(r *http.Request) { r.Header.Set("Authorization", fakeserver.RandomHex(24)) }, "invalid"},
		{"refresh token as access token", func(r *http.Request) { r.Header.Set("Authorization", s.RefreshToken) }, "invalid"},
		{"bad header wins over good cookie", func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+s.Token)
			r.AddCookie(&http.Cookie{Name: "Authorization", Value: s.Token})
		}, "invalid"},
		{"bearer in cookie", func(r *http.Request) {
			r.Header.Del("Authorization")
			r.AddCookie(&http.Cookie{Name: "Authorization", Value: "Bearer" + s.Token})
		}, "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := putRequest(t, s, body)
			tt.mutate(r)
			wantState(t, send(t, r), 401, tt.msg)
		})
	}
	if _, ok := s.AnjukeBianHao("p"); ok {
		t.Fatal("a rejected request was applied")
	}
	if got := s.Requests(PathPutAnjukeBianHao); got != len(tests) {
		t.Fatalf("Requests = %d, want %d", got, len(tests))
	}
}

func TestTokenExpiry(t *testing.T) {
	base := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return base }
	s := newServer(t, WithClock(clock), WithTokenLifetime(time.Hour))
	s.Advance(time.Hour - time.Nanosecond)
	wantState(t, put(t, s, "p", "1"), 200, "")
	s.Advance(time.Nanosecond)
	wantState(t, put(t, s, "p", "2"), 401, "expired")
	if !s.Now().Equal(base.Add(time.Hour)) {
		t.Fatalf("Now = %v", s.Now())
	}
	// The log's entries are stamped on the advanced clock, and copies.
	log := s.RequestLog()
	if got := log[len(log)-1].ReceivedAt; !got.Equal(base.Add(time.Hour)) {
		t.Fatalf("ReceivedAt = %v", got)
	}
	if string(log[0].Body) != (url.Values{"anjukeBianHao": {"1"}, "packageId": {"p"}}).Encode() {
		t.Fatalf("Body = %q, want the form as sent", log[0].Body)
	}
	log[0].Header.Set("Authorization", "changed")
	log[0].Form.Set("anjukeBianHao", "changed")
	log[0].Body[0] = 'X'
	if again := s.RequestLog()[0]; again.Header.Get("Authorization") == "changed" || again.Form.Get("anjukeBianHao") != "1" || again.Body[0] == 'X' {
		t.Fatal("RequestLog does not return copies")
	}
	// A fresh token works; revoking kills it.
	s.Token = s.IssueToken()
	wantState(t, put(t, s, "p", "3"), 200, "")
	s.RevokeTokens()
	wantState(t, put(t, s, "p", "4"), 401, "")
	if v, _ := s.AnjukeBianHao("p"); v != "3" {
		t.Fatalf("stored %q, want 3", v)
	}
}

func TestPutFields(t *testing.T) {
	s := newServer(t)
	long := func(r string, n int) string { return strings.Repeat(r, n) }
	tests := []struct {
		name string
		form url.Values
		msg  string // "" means success
	}{
		{"ok", url.Values{"packageId": {"p"}, "anjukeBianHao": {"n"}}, ""},
		{"128 ascii", url.Values{"packageId": {long("a", 128)}, "anjukeBianHao": {long("1", 128)}}, ""},
		{"128 cjk", url.Values{"packageId": {long("房", 128)}, "anjukeBianHao": {long("号", 128)}}, ""},
		{"129 ascii packageId", url.Values{"packageId": {long("a", 129)}, "anjukeBianHao": {"n"}}, "packageId is longer than 128"},
		{"129 cjk anjukeBianHao", url.Values{"packageId": {"p"}, "anjukeBianHao": {long("号", 129)}}, "anjukeBianHao is longer than 128"},
		{"missing packageId", url.Values{"anjukeBianHao": {"n"}}, "packageId is required"},
		{"empty anjukeBianHao", url.Values{"packageId": {"p"}, "anjukeBianHao": {""}}, "anjukeBianHao is required"},
		{"both missing", url.Values{}, "packageId is required; anjukeBianHao is required"},
		{"duplicate", url.Values{"packageId": {"p", "q"}, "anjukeBianHao": {"n"}}, "packageId is given more than once"},
		{"invalid utf-8", url.Values{"packageId": {"p\xff"}, "anjukeBianHao": {"n"}}, "packageId is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := send(t, putRequest(t, s, tt.form))
			if tt.msg == "" {
				wantState(t, res, 200, "")
				if v, ok := s.AnjukeBianHao(tt.form.Get("packageId")); !ok || v != tt.form.Get("anjukeBianHao") {
					t.Fatalf("stored %q %v", v, ok)
				}
				return
			}
			wantState(t, res, 403, tt.msg)
		})
	}

	t.Run("fields in query are not read", func(t *testing.T) {
		r := putRequest(t, s, url.Values{})
		r.URL.RawQuery = "packageId=q&anjukeBianHao=n"
		wantState(t, send(t, r), 403, "packageId is required")
	})
	t.Run("idempotent overwrite", func(t *testing.T) {
		wantState(t, put(t, s, "same", "1"), 200, "")
		wantState(t, put(t, s, "same", "1"), 200, "")
		wantState(t, put(t, s, "same", "2"), 200, "")
		if v, _ := s.AnjukeBianHao("same"); v != "2" {
			t.Fatalf("stored %q, want 2", v)
		}
	})
}

func TestPutContentType(t *testing.T) {
	s := newServer(t)
	tests := []struct {
		ct string
		ok bool
	}{
		{"application/x-www-form-urlencoded", true},
		{"application/x-www-form-urlencoded; charset=utf-8", true},
		{"Application/X-WWW-Form-Urlencoded; charset=UTF-8", true},
		{"", false},
		{"application/json", false},
		{"multipart/form-data; boundary=x", false},
		{"text/plain", false},
		{"application/x-www-form-urlencoded; charset=gbk", false},
		{"application/x-www-form-urlencoded;;", false},
	}
	for _, tt := range tests {
		t.Run(tt.ct, func(t *testing.T) {
			r := putRequest(t, s, url.Values{"packageId": {"p"}, "anjukeBianHao": {"n"}})
			if tt.ct == "" {
				r.Header.Del("Content-Type")
			} else {
				r.Header.Set("Content-Type", tt.ct)
			}
			if tt.ok {
				wantState(t, send(t, r), 200, "")
			} else {
				wantState(t, send(t, r), 403, "")
			}
		})
	}
	t.Run("body too large", func(t *testing.T) {
		r := putRequest(t, s, url.Values{"packageId": {"p"}, "anjukeBianHao": {strings.Repeat("x", maxBody)}})
		wantState(t, send(t, r), 403, "larger than")
	})
}

func TestUnknownPathAndWrongMethod(t *testing.T) {
	s := newServer(t)
	for _, p := range []string{
		"/", "/v2/", "/v2/houseTask/putAnjukeBianHao/", "/v2/housetask/putanjukebianhao",
		"/api/v2/houseTask/putAnjukeBianHao", "/v2/houseTask/putAnjukeBianHaoX", "/v1/Authorization/GetAccessToken",
	} {
		r := putRequest(t, s, url.Values{"packageId": {"p"}, "anjukeBianHao": {"n"}})
		r.URL.Path = p
		res := send(t, r)
		if res.HTTPStatus != 404 || res.State != 404 {
			t.Errorf("%s: HTTP %d state %d", p, res.HTTPStatus, res.State)
		}
	}
	for path, wrong := range map[string]string{
		PathPutAnjukeBianHao: http.MethodGet,
		PathGetAccessToken:   http.MethodPost,
		PathRefreshToken:     http.MethodPut,
	} {
		r := getRequest(t, s, path, url.Values{"clientEdtion": {ClientEdition}})
		r.Method = wrong
		res := send(t, r)
		if res.HTTPStatus != 405 || res.State != 405 || res.Header.Get("Allow") == "" {
			t.Errorf("%s %s: HTTP %d state %d Allow %q", wrong, path, res.HTTPStatus, res.State, res.Header.Get("Allow"))
		}
	}
	if _, ok := s.AnjukeBianHao("p"); ok {
		t.Fatal("stored through a wrong path")
	}
	if s.Logins() != 0 || s.Refreshes() != 0 {
		t.Fatalf("Logins %d Refreshes %d, want 0", s.Logins(), s.Refreshes())
	}
}

func TestGetAccessToken(t *testing.T) {
	s := newServer(t, WithCredentials("key", "secret"))
	if s.AuthKey != "key" || s.AuthValue != "secret" {
		t.Fatal("credentials not exposed")
	}
	p := login(t, s)
	if p.TokenExpireIn != 172800 || p.RefreshTokenExpireIn != 2592000 {
		t.Fatalf("lifetimes %d %d", p.TokenExpireIn, p.RefreshTokenExpireIn)
	}
	for _, tok := range []string{p.Token, p.RefreshToken, s.Token, s.RefreshToken} {
		if len(tok) < 32 || strings.Trim(tok, "0123456789abcdef") != "" {
			t.Fatalf("token %q is not >= 32 hex digits", tok)
		}
	}
	if p.Token == s.Token || p.Token == p.RefreshToken {
		t.Fatal("tokens repeat")
	}
	s.Token = p.Token
	wantState(t, put(t, s, "p", "n"), 200, "")

	tests := []struct {
		name  string
		q     url.Values
		state int
	}{
		{"wrong value", url.Values{"authKey": {"key"}, "authValue": {"nope"}, "clientEdtion": {ClientEdition}}, 401},
		{"wrong key", url.Values{"authKey": {"other"}, "authValue": {"secret"}, "clientEdtion": {ClientEdition}}, 401},
		{"missing credentials", url.Values{"clientEdtion": {ClientEdition}}, 401},
		// clientEdtion is optional; when given, it must be ps_1.0.0.
		{"no clientEdtion", url.Values{"authKey": {"key"}, "authValue": {"secret"}}, 200},
		{"empty clientEdtion", url.Values{"authKey": {"key"}, "authValue": {"secret"}, "clientEdtion": {""}}, 403},
		{"wrong clientEdtion", url.Values{"authKey": {"key"}, "authValue": {"secret"}, "clientEdtion": {"ps_1.0.1"}}, 403},
		{"two clientEdtion", url.Values{"authKey": {"key"}, "authValue": {"secret"}, "clientEdtion": {ClientEdition, ClientEdition}}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantState(t, send(t, getRequest(t, s, PathGetAccessToken, tt.q)), tt.state, "")
		})
	}
	if got := s.Logins(); got != 1+len(tests) {
		t.Fatalf("Logins = %d, want %d", got, 1+len(tests))
	}
}

func TestLifetimes(t *testing.T) {
	// A fixed clock: on a loaded machine real milliseconds pass between
	// the login and the call.
	clk := testkit.NewClock(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	s := newServer(t, WithClock(clk.Now), WithTokenLifetime(500*time.Millisecond), WithRefreshTokenLifetime(90*time.Second+300*time.Millisecond))
	p := login(t, s)
	if p.TokenExpireIn != 1 || p.RefreshTokenExpireIn != 90 {
		t.Fatalf("lifetimes %d %d, want 1 90", p.TokenExpireIn, p.RefreshTokenExpireIn)
	}
	s.Token = p.Token
	s.Advance(999 * time.Millisecond)
	wantState(t, put(t, s, "p", "n"), 200, "")
	s.Advance(time.Millisecond)
	wantState(t, put(t, s, "p", "n"), 401, "")
}

func TestRefreshToken(t *testing.T) {
	s := newServer(t, WithRefreshTokenLifetime(time.Hour))
	q := url.Values{"clientEdtion": {ClientEdition}}
	refresh := func(tok string, where Placement) result {
		r := getRequest(t, s, PathRefreshToken, q)
		switch where {
		case PlacementHeader:
			r.Header.Set("Authorization", tok)
		case PlacementCookie:
			r.AddCookie(&http.Cookie{Name: "Authorization", Value: tok})
		case PlacementQuery:
			r.URL.RawQuery = url.Values{"clientEdtion": {ClientEdition}, "Authorization": {tok}}.Encode()
		}
		return send(t, r)
	}
	rt := s.RefreshToken
	for _, where := range []Placement{PlacementHeader, PlacementCookie, PlacementQuery} {
		p := decodeTokens(t, refresh(rt, where))
		if p.RefreshToken == rt {
			t.Fatal("refresh token not rotated")
		}
		if p.TokenExpireIn != 172800 || p.RefreshTokenExpireIn != 3600 {
			t.Fatalf("lifetimes %d %d", p.TokenExpireIn, p.RefreshTokenExpireIn)
		}
		// The used one is dead, the new access token works.
		wantState(t, refresh(rt, where), 4011, "")
		s.Token = p.Token
		wantState(t, put(t, s, "p", string(where)), 200, "")
		rt = p.RefreshToken
	}

	wantState(t, refresh("", PlacementNone), 4011, "missing")
	wantState(t, refresh("Bearer "+rt, PlacementHeader), 4011, "")
	wantState(t, refresh(s.Token, PlacementHeader), 4011, "") // access token is not a refresh token

	r := getRequest(t, s, PathRefreshToken, url.Values{"clientEdtion": {"ps_2"}})
	r.Header.Set("Authorization", rt)
	wantState(t, send(t, r), 403, "clientEdtion")
	// clientEdtion is optional.
	r = getRequest(t, s, PathRefreshToken, nil)
	r.Header.Set("Authorization", rt)
	rt = decodeTokens(t, send(t, r)).RefreshToken

	s.Advance(time.Hour)
	wantState(t, refresh(rt, PlacementHeader), 4011, "expired")

	rt = s.IssueRefreshToken()
	s.RevokeRefreshTokens()
	wantState(t, refresh(rt, PlacementHeader), 4011, "")
	if got := s.Refreshes(); got != 13 {
		t.Fatalf("Refreshes = %d, want 13", got)
	}
}

// lastSign is what the fake noted of the strong-validation headers of the
// last request it answered.
func lastSign(t *testing.T, s *Server) (SignCheck, string) {
	t.Helper()
	log := s.RequestLog()
	last := log[len(log)-1]
	return last.Sign, last.SignProblem
}

// wantSign checks that res is a success and that the fake noted sign (and
// a problem containing problem) for it: strong validation is documented
// for callbacks only, so no webapi call is refused for its headers.
func wantSign(t *testing.T, s *Server, res result, want SignCheck, problem string) {
	t.Helper()
	if res.State != 200 {
		t.Fatalf("state %d (%s): a call is never refused for its strong-validation headers", res.State, res.text(t))
	}
	got, why := lastSign(t, s)
	if got != want || !strings.Contains(why, problem) || (want != SignInvalid) != (why == "") {
		t.Fatalf("sign %q (%q), want %q (%q)", got, why, want, problem)
	}
}

// TestStrongValidation: with a sign key the fake checks the headers of a
// call that carries them and notes the outcome in the request log, but
// carries out every call: unsigned, correctly signed or wrongly signed
// (the platform documents strong validation for its callbacks only).
func TestStrongValidation(t *testing.T) {
	const key = "CdLvNRRQvy0xjORPNvuVaA"
	now := time.Date(2018, 7, 20, 4, 0, 0, 0, time.UTC) // 1532059200000 ms
	s := newServer(t, WithSignKey(key), WithClock(func() time.Time { return now }))
	if s.Now().UnixMilli() != 1532059200000 {
		t.Fatal("clock")
	}
	business := url.Values{"packageId": {"pkg"}, "anjukeBianHao": {"编号1"}}
	signed := func(ts int64, sig string, form url.Values) *http.Request {
		r := putRequest(t, s, form)
		if ts != 0 {
			r.Header.Set("timestamp", strconv.FormatInt(ts, 10))
		}
		if sig != "" {
			r.Header.Set("sign", sig)
		}
		return r
	}
	ts := now.UnixMilli()
	good := sign.Kanfang(key, business, ts)

	wantSign(t, s, send(t, signed(ts, good, business)), SignValid, "")
	wantSign(t, s, send(t, signed(0, "", business)), SignNone, "") // unsigned: accepted, never required
	// Skew inside and outside the window.
	in := ts - 4*60*1000
	wantSign(t, s, send(t, signed(in, sign.Kanfang(key, business, in), business)), SignValid, "")
	for _, off := range []int64{-5*60*1000 - 1, 5*60*1000 + 1} {
		wantSign(t, s, send(t, signed(ts+off, sign.Kanfang(key, business, ts+off), business)), SignInvalid, "5 minutes")
	}
	wantSign(t, s, send(t, signed(0, good, business)), SignInvalid, "timestamp header is missing")
	wantSign(t, s, send(t, signed(ts, "", business)), SignInvalid, "sign header is missing")
	wantSign(t, s, send(t, signed(ts, sign.Kanfang("other", business, ts), business)), SignInvalid, "sign does not match")
	wantSign(t, s, send(t, signed(ts, strings.ToUpper(good), business)), SignInvalid, "sign does not match")
	wantSign(t, s, send(t, signed(ts+1, good, business)), SignInvalid, "sign does not match")

	r := signed(0, good, business)
	r.Header.Set("timestamp", "+"+strconv.FormatInt(ts, 10))
	wantSign(t, s, send(t, r), SignInvalid, "decimal digits")

	// The platform signs every form value: the Authorization form field
	// too, when the token travels there.
	withToken := url.Values{"packageId": {"pkg"}, "anjukeBianHao": {"编号2"}, "Authorization": {s.Token}}
	r = signed(ts, sign.Kanfang(key, withToken, ts), withToken)
	r.Header.Del("Authorization")
	wantSign(t, s, send(t, r), SignValid, "")
	r = signed(ts, sign.Kanfang(key, url.Values{"packageId": {"pkg"}, "anjukeBianHao": {"编号2"}}, ts), withToken)
	r.Header.Del("Authorization")
	wantSign(t, s, send(t, r), SignInvalid, "sign does not match")

	// A bad token answers 401, signed or not.
	r = signed(ts, good, business)
	r.Header.Set("Authorization", "nope")
	wantState(t, send(t, r), 401, "")

	// Without a sign key, nothing is noted.
	plain := newServer(t)
	r = putRequest(t, plain, business)
	r.Header.Set("timestamp", "1")
	r.Header.Set("sign", "bad")
	wantSign(t, plain, send(t, r), SignNone, "")
}

// TestStrongValidationOfTokenEndpoints: with a sign key, GetAccessToken and
// RefreshToken headers are checked over every query value (clientEdtion,
// the credentials, a refresh token in the query) and noted; no login or
// refresh is refused for them.
func TestStrongValidationOfTokenEndpoints(t *testing.T) {
	const key = "CdLvNRRQvy0xjORPNvuVaA"
	now := time.Date(2018, 7, 20, 4, 0, 0, 0, time.UTC)
	s := newServer(t, WithSignKey(key), WithClock(func() time.Time { return now }))
	ts := now.UnixMilli()
	signed := func(path string, q url.Values, signOver url.Values) *http.Request {
		r := getRequest(t, s, path, q)
		if signOver != nil {
			r.Header.Set("timestamp", strconv.FormatInt(ts, 10))
			r.Header.Set("sign", sign.Kanfang(key, signOver, ts))
		}
		return r
	}
	creds := url.Values{"authKey": {s.AuthKey}, "authValue": {s.AuthValue}, "clientEdtion": {ClientEdition}}
	wantSign(t, s, send(t, signed(PathGetAccessToken, creds, nil)), SignNone, "")
	wantSign(t, s, send(t, signed(PathGetAccessToken, creds, url.Values{"clientEdtion": {ClientEdition}})), SignInvalid, "sign does not match")
	wantSign(t, s, send(t, signed(PathGetAccessToken, creds, creds)), SignValid, "")

	// Refresh token in the query: signed with clientEdtion.
	inQuery := url.Values{"clientEdtion": {ClientEdition}, "Authorization": {s.RefreshToken}}
	res := send(t, signed(PathRefreshToken, inQuery, inQuery))
	wantSign(t, s, res, SignValid, "")
	p := decodeTokens(t, res)
	inQuery.Set("Authorization", p.RefreshToken)
	res = send(t, signed(PathRefreshToken, inQuery, url.Values{"clientEdtion": {ClientEdition}}))
	wantSign(t, s, res, SignInvalid, "sign does not match")
	p = decodeTokens(t, res)
	// Refresh token in the header: only clientEdtion is signed.
	edition := url.Values{"clientEdtion": {ClientEdition}}
	r := signed(PathRefreshToken, edition, url.Values{"clientEdtion": {ClientEdition}, "Authorization": {p.RefreshToken}})
	r.Header.Set("Authorization", p.RefreshToken)
	res = send(t, r)
	wantSign(t, s, res, SignInvalid, "sign does not match")
	p = decodeTokens(t, res)
	r = signed(PathRefreshToken, edition, edition)
	r.Header.Set("Authorization", p.RefreshToken)
	wantSign(t, s, send(t, r), SignValid, "")
}

func TestWithPackages(t *testing.T) {
	s := newServer(t, WithPackages("a"), WithPackages("b"))
	wantState(t, put(t, s, "a", "1"), 200, "")
	wantState(t, put(t, s, "b", "1"), 200, "")
	wantState(t, put(t, s, "c", "1"), 403, "unknown packageId")
	if _, ok := s.AnjukeBianHao("c"); ok {
		t.Fatal("unknown package stored")
	}
}

func TestHandlerAndListener(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(t, WithListener(l))
	if s.URL != "http://"+l.Addr().String() {
		t.Fatalf("URL %q, listener %s", s.URL, l.Addr())
	}
	wantState(t, put(t, s, "p", "1"), 200, "")

	// The same state through a server of the caller's own.
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	r := putRequest(t, s, url.Values{"packageId": {"p"}, "anjukeBianHao": {"2"}})
	r.URL.Host = strings.TrimPrefix(ts.URL, "http://")
	wantState(t, send(t, r), 200, "")
	if v, _ := s.AnjukeBianHao("p"); v != "2" {
		t.Fatalf("stored %q", v)
	}

	s.Close()
	s.Close() // twice is fine
	r = putRequest(t, s, url.Values{"packageId": {"p"}, "anjukeBianHao": {"3"}})
	r.URL.Host = strings.TrimPrefix(ts.URL, "http://")
	res := send(t, r)
	if res.HTTPStatus != 503 || res.State != 503 {
		t.Fatalf("after Close: HTTP %d state %d", res.HTTPStatus, res.State)
	}
	if _, err := http.Get(s.URL + PathGetAccessToken); err == nil {
		t.Fatal("server still listening after Close")
	}
}

func TestMalformedInput(t *testing.T) {
	s := newServer(t)
	r := putRequest(t, s, nil)
	r.Body = io.NopCloser(strings.NewReader("packageId=%zz&anjukeBianHao=1"))
	r.ContentLength = -1
	wantState(t, send(t, r), 403, "malformed form body")

	r = putRequest(t, s, url.Values{"packageId": {"p"}, "anjukeBianHao": {"1"}})
	r.URL.RawQuery = "a=%zz"
	wantState(t, send(t, r), 403, "malformed query")

	r = getRequest(t, s, PathGetAccessToken, nil)
	r.URL.RawQuery = "clientEdtion=ps_1.0.0&authKey=%zz"
	wantState(t, send(t, r), 403, "malformed query")
	r = getRequest(t, s, PathRefreshToken, nil)
	r.URL.RawQuery = "clientEdtion=ps_1.0.0&x=%zz"
	wantState(t, send(t, r), 403, "malformed query")
}

// TestHandle: a registered endpoint keeps the fake's rules (method, token,
// record) and cannot replace the fake's own.
func TestHandle(t *testing.T) {
	s := newServer(t)
	var got url.Values
	s.Handle(http.MethodPost, "/v2/x", func(v url.Values) (int, any) { got = v; return StateRejected, "no" })
	res := send(t, putRequestTo(t, s, "/v2/x", url.Values{"a": {"1"}}))
	wantState(t, res, StateRejected, "no")
	if got.Get("a") != "1" || got.Has("Authorization") {
		t.Errorf("values %v", got)
	}
	if res := send(t, getRequest(t, s, "/v2/x", nil)); res.HTTPStatus != http.StatusMethodNotAllowed || res.State != StateNotAllowed {
		t.Errorf("GET: %d %d", res.HTTPStatus, res.State)
	}
	req := putRequestTo(t, s, "/v2/x", nil)
	req.Header.Del("Authorization")
	wantState(t, send(t, req), StateUnauthorized, "")
	if log := s.RequestLog(); log[0].Form.Get("a") != "1" || log[0].TokenPlacement != PlacementHeader {
		t.Errorf("log %+v", log[0])
	}
	for _, bad := range []func(){
		func() { s.Handle(http.MethodPost, PathPutAnjukeBianHao, func(url.Values) (int, any) { return 0, nil }) },
		func() { s.Handle(http.MethodPut, "/v2/y", func(url.Values) (int, any) { return 0, nil }) },
		func() { s.Handle(http.MethodGet, "/v2/y", nil) },
	} {
		if msg := testkit.PanicMessage(bad); !strings.HasPrefix(msg, "kanfangtest: Handle: ") {
			t.Errorf("panic %q", msg)
		}
	}
}
