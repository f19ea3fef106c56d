package propertytest

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fangsdk/fang/sign"
)

func TestSavePropertyThenAdminLogin(t *testing.T) {
	s := NewServer()
	defer s.Close()

	got := do(t, newRequest(t, s, ServiceSaveProperty, seedBody, s.Token))
	wantJSON(t, got, http.StatusOK, 0, "成功")
	if got.body != `{"code":0,"msg":"成功","page":0,"records":0,"rows":0,"total":0}` {
		t.Errorf("body = %s", got.body)
	}

	cs := s.Companies()
	if len(cs) != 1 {
		t.Fatalf("%d companies, want 1", len(cs))
	}
	c := cs[0]
	last, _ := s.LastRequest(ServiceSaveProperty)
	if c.StoreID == "" || c.Name != "物业公司A" || c.Address != "北京市朝阳区XX路XX号" || c.Tel != "18909711449" ||
		// The seed body names the landmark nearbyLandmarks, which the
		// real server does not read (it reads nearByLandmarks).
		c.Corporation != "张三" || c.FoundingTime != "2022-09-01" || c.NearbyLandmarks != "" ||
		len(c.CommunityIDs) != 1 || c.CommunityIDs[0] != DefaultCommunityID ||
		len(c.GroupIDs) != 1 || c.GroupIDs[0] != DefaultMenuGroupID ||
		c.MapX != "1" || c.MapY != "1" || c.AdminUsername != "18909711449" || c.AdminUserID == "" ||
		c.TransactionID != last.TransactionID || c.CreatedAt.IsZero() {
		t.Errorf("company = %+v", c)
	}

	// The administrator account is tel / tel, and its token works.
	token := login(t, s, "18909711449", "18909711449")
	if s.Logins() != 1 {
		t.Errorf("Logins = %d, want 1", s.Logins())
	}
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, token)), http.StatusOK, 0, "成功")
	if n := len(s.Companies()); n != 2 {
		t.Errorf("%d companies, want 2", n)
	}
	// The configured credentials work too.
	login(t, s, s.Username, s.Password)
	if s.Logins() != 2 {
		t.Errorf("Logins = %d, want 2", s.Logins())
	}
}

// TestGatewayRejections walks the dispatcher's checks
// (ApiServiceSMOImpl.judgeAuthority): each failure is HTTP 200
// {"code":404,"msg":"<prefix><reason>"}, and nothing is created.
func TestGatewayRejections(t *testing.T) {
	s := NewServer()
	defer s.Close()

	tests := []struct {
		name   string
		edit   func(r *http.Request) // the request is re-signed afterwards unless noSign
		noSign bool                  // do not re-sign after edit
		status int
		msg    string
	}{
		{"PUT", func(r *http.Request) { r.Method = http.MethodPut }, false, 200, "内部异常：" + strings.Repeat("服务【property.saveProperty】调用方式不对请检查,当前请求方式为：PUT", 2)}, // TestOtherMethods
		{"missing app-id", func(r *http.Request) { r.Header.Del("app-id") }, false, 200, "初始化失败：当前没有获取到AppId对应的信息，appId = null"},                                // TestMissingAppIDIsNull
		{"blank app-id", func(r *http.Request) { r.Header.Set("app-id", " ") }, false, 200, "初始化失败：当前没有获取到AppId对应的信息，appId = "},
		{"unknown app-id", func(r *http.Request) { r.Header.Set("app-id", "other-app") }, false, 200, "初始化失败：当前没有获取到AppId对应的信息，appId = other-app"},
		{"missing transaction-id", func(r *http.Request) { r.Header.Del("transaction-id") }, false, 200, "鉴权失败：TRANSACTION_ID 不能为空"},
		{"missing req-time", func(r *http.Request) { r.Header.Del("req-time") }, false, 200, "鉴权失败：requestTime 格式不对，遵循yyyyMMddHHmmss格式"},
		{"short req-time", func(r *http.Request) { r.Header.Set("req-time", "2024010112000") }, false, 200, "鉴权失败：requestTime 格式不对，遵循yyyyMMddHHmmss格式"},
		{"month 13", func(r *http.Request) { r.Header.Set("req-time", "20241301000000") }, false, 200, "鉴权失败：requestTime 格式不对，遵循yyyyMMddHHmmss格式"},
		{"formatted req-time", func(r *http.Request) { r.Header.Set("req-time", "2024-01-01 12:00") }, false, 200, "鉴权失败：requestTime 格式不对，遵循yyyyMMddHHmmss格式"},
		{"wrong sign", func(r *http.Request) { r.Header.Set("sign", "ab7be2e9cd7a4736b5928a3d9a3af121") }, true, 200, "鉴权失败：签名失败"},
		{"missing sign", func(r *http.Request) { r.Header.Del("sign") }, true, 200, "鉴权失败：签名失败"},
		{"sign over other body", func(r *http.Request) { resign(r, seedBody+" ", s.SecurityCode) }, true, 200, "鉴权失败：签名失败"},
		{"sign with other code", func(r *http.Request) { resign(r, seedBody, "other") }, true, 200, "鉴权失败：签名失败"},
		// The sign is checked before req-time.
		{"bad sign and req-time", func(r *http.Request) { r.Header.Set("req-time", "x"); r.Header.Set("sign", "0") }, true, 200, "鉴权失败：签名失败"},
		{"unknown service", func(r *http.Request) { r.URL.Path = "/app/store.listStores" }, false, 200, "鉴权失败：AppId 没有权限访问 serviceCode = store.listStores"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)
			tt.edit(r)
			if !tt.noSign && r.Header.Get("sign") != "" {
				resign(r, seedBody, s.SecurityCode)
			}
			wantJSON(t, do(t, r), tt.status, 404, tt.msg)
		})
	}
	if n := len(s.Companies()); n != 0 {
		t.Errorf("rejected requests created %d companies", n)
	}
	if got, want := s.Requests(ServiceSaveProperty), len(tests)-1; got != want {
		t.Errorf("Requests = %d, want %d (rejected requests count too)", got, want)
	}
	if s.Requests("") != len(tests) {
		t.Errorf("Requests(\"\") = %d, want %d", s.Requests(""), len(tests))
	}
}

// TestNoRulesTheRealServerLacks: the real gateway checks neither the
// Content-Type, nor the transaction-id's format, nor repeats.
func TestNoRulesTheRealServerLacks(t *testing.T) {
	s := NewServer()
	defer s.Close()
	r := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	r.Header.Set("Content-Type", "text/plain")
	wantJSON(t, do(t, r), http.StatusOK, 0, "成功")
	for _, id := range []string{"0f8fe6a0-1b1b-4c1e-9c3e-000000000001", "1"} {
		r := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
		r.Header.Set("transaction-id", id)
		resign(r, plainBody, s.SecurityCode)
		wantJSON(t, do(t, r), http.StatusOK, 0, "成功")
		r = newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
		r.Header.Set("transaction-id", id) // a repeat
		resign(r, plainBody, s.SecurityCode)
		wantJSON(t, do(t, r), http.StatusOK, 0, "成功")
	}
	if n := len(s.Companies()); n != 5 {
		t.Errorf("%d companies, want 5", n)
	}
}

// TestStrictTransactionIDs: WithStrictTransactionIDs adds the format and
// repeat rules fang promises to keep.
func TestStrictTransactionIDs(t *testing.T) {
	s := NewServer(WithStrictTransactionIDs())
	defer s.Close()
	for _, id := range []string{"10000000002024010112000000001", "1000000000202401011200000000011", "10000000002024010112000000000a", "１０00000000202401011200000001"} {
		r := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
		r.Header.Set("transaction-id", id)
		resign(r, plainBody, s.SecurityCode)
		wantJSON(t, do(t, r), http.StatusOK, 404, "鉴权失败：transactionId 格式不对，必须为30位数字")
	}
	r := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	wantJSON(t, do(t, r), http.StatusOK, 0, "成功")
	again := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	again.Header.Set("transaction-id", r.Header.Get("transaction-id"))
	resign(again, plainBody, s.SecurityCode)
	wantJSON(t, do(t, again), http.StatusOK, 404, "鉴权失败：transactionId 重复")
	if n := len(s.Companies()); n != 1 {
		t.Errorf("%d companies, want 1", n)
	}
}

// TestTransactionIDsRecorded: every request that gets past the session
// filter and carries a transaction-id is recorded, whatever its outcome.
func TestTransactionIDsRecorded(t *testing.T) {
	s := NewServer()
	defer s.Close()

	ok := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	okID := ok.Header.Get("transaction-id")
	wantJSON(t, do(t, ok), http.StatusOK, 0, "成功")
	bad := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	badID := bad.Header.Get("transaction-id")
	bad.Header.Set("sign", "0123456789abcdef0123456789abcdef")
	wantResultError(t, do(t, bad), "鉴权失败：签名失败")
	// The session filter answers before anything is recorded.
	noSession := newRequest(t, s, ServiceSaveProperty, plainBody, "")
	do(t, noSession)
	if s.SeenTransactionID(noSession.Header.Get("transaction-id")) {
		t.Error("id of a request stopped by the session filter recorded")
	}
	if !s.SeenTransactionID(okID) || !s.SeenTransactionID(badID) {
		t.Error("SeenTransactionID false for used ids")
	}
	if ids := s.TransactionIDs(); len(ids) != 2 || ids[0] != okID || ids[1] != badID {
		t.Errorf("TransactionIDs = %v", ids)
	}
}

func TestSignComparedCaseInsensitively(t *testing.T) {
	s := NewServer()
	defer s.Close()
	r := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	r.Header.Set("sign", strings.ToUpper(r.Header.Get("sign")))
	wantJSON(t, do(t, r), http.StatusOK, 0, "成功")
}

func TestUnderscoreAndCaseHeaderSpellings(t *testing.T) {
	s := NewServer()
	defer s.Close()

	body := plainBody
	r, _ := http.NewRequest(http.MethodPost, s.URL+"/app/"+ServiceSaveProperty, strings.NewReader(body))
	txid := nextTxID()
	// Set the map directly so that Go sends the names exactly as written.
	r.Header["Content-Type"] = []string{"application/json"}
	r.Header["accept"] = []string{"application/json"}
	r.Header["Authorization"] = []string{"Bearer " + s.Token}
	r.Header["app_id"] = []string{s.AppID}
	r.Header["TRANSACTION_ID"] = []string{txid}
	r.Header["req_time"] = []string{testReqTime}
	r.Header["user_id"] = []string{"-1"}
	r.Header["SIGN"] = []string{sign.MicroCommunity(txid, testReqTime, s.AppID, body, s.SecurityCode)}
	wantJSON(t, do(t, r), http.StatusOK, 0, "成功")

	last, ok := s.LastRequest(ServiceSaveProperty)
	if !ok || last.TransactionID != txid || last.UserID != "-1" {
		t.Errorf("LastRequest = %+v, %v", last, ok)
	}
	if c := s.Companies(); len(c) != 1 || c[0].TransactionID != txid {
		t.Errorf("companies = %+v", c)
	}
}

func TestNoSecurityCodeSkipsSign(t *testing.T) {
	s := NewServer(WithApp("open-app", ""))
	defer s.Close()
	if s.AppID != "open-app" || s.SecurityCode != "" {
		t.Fatalf("AppID %q SecurityCode %q", s.AppID, s.SecurityCode)
	}
	r := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	r.Header.Set("sign", "not-a-sign")
	wantJSON(t, do(t, r), http.StatusOK, 0, "成功")
	r = newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	r.Header.Del("sign")
	wantJSON(t, do(t, r), http.StatusOK, 0, "成功")

	// The other checks still apply.
	r = newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	r.Header.Set("req-time", "20241301000000")
	wantResultError(t, do(t, r), "鉴权失败：requestTime 格式不对，遵循yyyyMMddHHmmss格式")
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// wantNoSession checks the session filter's answer to a POST without a
// live session: HTTP 200, text/plain, meta code 1996 (JwtFilter).
func wantNoSession(t testing.TB, got result) {
	t.Helper()
	var e struct {
		Meta struct{ Code, Message, TransactionID, ResponseTime string }
	}
	if got.status != http.StatusOK || got.contentType != contentTypeText || json.Unmarshal([]byte(got.body), &e) != nil ||
		e.Meta.Code != "1996" || e.Meta.Message != "您还没有登录，请先登录" || e.Meta.TransactionID != "-1" || e.Meta.ResponseTime == "" {
		t.Errorf("answer %d %q %s, want the 1996 answer", got.status, got.contentType, got.body)
	}
}

func TestAuthorization(t *testing.T) {
	clock := &fakeClock{now: time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC)}
	s := NewServer(WithClock(clock.Now))
	defer s.Close()

	for name, auth := range map[string]string{
		"missing":       "",
		"unknown token": "Bearer 0123456789abcdef",
		"no scheme":     s.Token,
		"empty token":   "Bearerx", // seven characters, nothing after them
		// "Bearer " arrives trimmed, shorter than seven characters: see
		// TestShortAuthorizationIsNotTheSessionAnswer.
	} {
		t.Run(name, func(t *testing.T) {
			r := newRequest(t, s, ServiceSaveProperty, plainBody, "")
			if auth != "" {
				r.Header.Set("Authorization", auth)
			}
			wantNoSession(t, do(t, r))
		})
	}
	// The filter drops the first seven characters, whatever they are, and
	// reads the cookie when there is no header.
	r := newRequest(t, s, ServiceSaveProperty, plainBody, "")
	r.Header.Set("Authorization", "Token: "+s.Token)
	wantJSON(t, do(t, r), http.StatusOK, 0, "成功")
	r = newRequest(t, s, ServiceSaveProperty, plainBody, "")
	r.AddCookie(&http.Cookie{Name: "_java110_token_", Value: s.Token})
	wantJSON(t, do(t, r), http.StatusOK, 0, "成功")

	// Login needs no token; the token it issues works.
	token := login(t, s, s.Username, s.Password)
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, token)), http.StatusOK, 0, "成功")

	// Sessions slide: each verified call extends them by the lifetime.
	clock.Advance(DefaultSessionLifetime - time.Second)
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, 0, "成功")
	clock.Advance(DefaultSessionLifetime - time.Second)
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, 0, "成功")
	wantNoSession(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, token))) // idle for 2h
	clock.Advance(DefaultSessionLifetime)
	wantNoSession(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)))

	// A new login gives a working token, RevokeSessions ends it.
	token = login(t, s, s.Username, s.Password)
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, token)), http.StatusOK, 0, "成功")
	s.RevokeSessions()
	wantNoSession(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, token)))
	if n := len(s.Companies()); n != 6 {
		t.Errorf("%d companies, want 6", n)
	}
}

// TestSessionFilterOnGET: a GET without a session is redirected to the
// login page, or answered 401 when it says it is an XMLHttpRequest.
func TestSessionFilterOnGET(t *testing.T) {
	s := NewServer()
	defer s.Close()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(xhr bool) *http.Response {
		r, _ := http.NewRequest(http.MethodGet, s.URL+"/app/"+ServiceSaveProperty+"?page=1", nil)
		r.Header.Set("Authorization", "Bearer expired")
		if xhr {
			r.Header.Set("X-Requested-With", "XMLHttpRequest")
		}
		resp, err := noRedirect.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := get(false); resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/user.html#/pages/frame/login" {
		t.Errorf("GET: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp := get(true); resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("Location") != "/user.html#/pages/frame/login" {
		t.Errorf("XHR GET: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestGETSignedOverDecodedQuery: a GET is signed over "?" and the decoded
// query; its parameters reach the command.
func TestGETSignedOverDecodedQuery(t *testing.T) {
	s := NewServer()
	defer s.Close()
	q := "name=" + url.QueryEscape("物业公司C") + "&address=a&tel=13800000009&corporation=c&foundingTime=2020-01-01"
	r, _ := http.NewRequest(http.MethodGet, s.URL+"/app/"+ServiceSaveProperty+"?"+q, nil)
	r.Header.Set("Accept", "application/json")
	r.Header.Set("Authorization", "Bearer "+s.Token)
	r.Header.Set("app-id", s.AppID)
	r.Header.Set("transaction-id", nextTxID())
	r.Header.Set("req-time", testReqTime)
	resign(r, "?name=物业公司C&address=a&tel=13800000009&corporation=c&foundingTime=2020-01-01", s.SecurityCode)
	// The sign passes; saveProperty is a POST service, so the dispatcher
	// refuses the method, with its message doubled.
	m := "服务【property.saveProperty】调用方式不对请检查,当前请求方式为：GET"
	wantResultError(t, do(t, r), "内部异常："+m+m)
	// Signed over the encoded query instead: rejected.
	r, _ = http.NewRequest(http.MethodGet, s.URL+"/app/"+ServiceSaveProperty+"?"+q, nil)
	r.Header.Set("Accept", "application/json")
	r.Header.Set("Authorization", "Bearer "+s.Token)
	r.Header.Set("app-id", s.AppID)
	r.Header.Set("transaction-id", nextTxID())
	r.Header.Set("req-time", testReqTime)
	resign(r, "?"+q, s.SecurityCode)
	wantResultError(t, do(t, r), "鉴权失败：签名失败")
	if c := s.Companies(); len(c) != 0 {
		t.Errorf("companies = %+v", c)
	}
}

func TestSeedDialectSession(t *testing.T) {
	s := NewServer(WithSeedDialect())
	defer s.Close()
	wantText(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, "nope")), http.StatusUnauthorized, "用户未登录或登录已失效")
	s.RevokeSessions()
	wantText(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusUnauthorized, "用户未登录或登录已失效")
}

func TestSessionLifetimeOption(t *testing.T) {
	clock := &fakeClock{now: time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC)}
	s := NewServer(WithClock(clock.Now), WithSessionLifetime(time.Minute), WithCredentials("ops", "secret"))
	defer s.Close()
	if s.Username != "ops" || s.Password != "secret" {
		t.Fatalf("credentials %q %q", s.Username, s.Password)
	}
	token := login(t, s, "ops", "secret")
	clock.Advance(time.Minute)
	wantNoSession(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, token)))
}

func TestLogin(t *testing.T) {
	s := NewServer(WithUser("admin2", "18900000002", "other-password"))
	defer s.Close()

	for name, body := range map[string]string{
		"wrong password":         loginBody("admin", "nope"),
		"plain password":         `{"username":"admin","passwd":"admin-password"}`,
		"unknown user":           loginBody("nobody", "admin-password"),
		"tel before any company": loginBody("18909711449", "18909711449"),
	} {
		t.Run(name, func(t *testing.T) {
			wantResultError(t, do(t, newRequest(t, s, ServiceLogin, body, "")), "用户或密码错误")
		})
	}
	for name, tt := range map[string]struct{ body, msg string }{
		"no username":    {`{"passwd":"x"}`, "用户登录，未包含username节点，请检查"},
		"null username":  {`{"username":null,"passwd":"x"}`, "用户登录，未包含username节点，请检查"},
		"empty password": {`{"username":"x","passwd":""}`, "用户登录，未包含passwd节点，请检查"},
	} {
		t.Run(name, func(t *testing.T) {
			wantResultError(t, do(t, newRequest(t, s, ServiceLogin, tt.body, "")), tt.msg)
		})
	}
	// A body that is not JSON fails in the dispatcher (see
	// TestBodyThatIsNotAJSONObject).
	if got := do(t, newRequest(t, s, ServiceLogin, `username=admin`, "")); got.status != http.StatusOK || !strings.HasPrefix(got.envelope(t).Msg, "内部异常：syntax error") {
		t.Errorf("a form body: %d %s", got.status, got.body)
	}
	// The four wrong credentials reached the login command; malformed
	// bodies did not.
	if s.Logins() != 4 {
		t.Errorf("Logins = %d after failures, want 4", s.Logins())
	}

	// Login goes through the dispatcher's checks too, but needs no
	// user-id header.
	r := newRequest(t, s, ServiceLogin, loginBody("admin", "admin-password"), "")
	r.Header.Set("sign", "00000000000000000000000000000000")
	wantResultError(t, do(t, r), "鉴权失败：签名失败")
	r = newRequest(t, s, ServiceLogin, loginBody("admin", "admin-password"), "")
	r.Header.Del("user-id")
	resign(r, loginBody("admin", "admin-password"), s.SecurityCode)
	if got := do(t, r); got.status != http.StatusOK || got.envelope(t).Code != 0 {
		t.Errorf("login without user-id: %d %s", got.status, got.body)
	}

	// "admin" matches admin2 too, newer, so listed first: a client must
	// pick its own entry.
	got := do(t, newRequest(t, s, ServiceLogin, loginBody("admin", "admin-password"), ""))
	if got.status != http.StatusOK || got.contentType != contentTypeJSON || !strings.HasPrefix(got.body, `{"code":0,"data":[{"userId":"`) ||
		!strings.HasSuffix(got.body, `],"msg":"成功","page":0,"records":1,"rows":0,"total":1}`) { // ResultVo.DEFAULT_TOTAL
		t.Errorf("login answer %d %q %s", got.status, got.contentType, got.body)
	}
	entries := loginEntries(t, s, "admin", "admin-password")
	if len(entries) != 2 || entries[0].UserName != "admin2" || entries[1].UserName != "admin" ||
		entries[1].Tel != DefaultUserTel || entries[1].StoreTypeCd != "800900000001" || entries[1].StoreName == "" {
		t.Errorf("entries = %+v", entries)
	}
	// admin2's own login lists only admin2; by tel, the tel's user.
	if e := loginEntries(t, s, "admin2", "other-password"); len(e) != 1 || e[0].UserName != "admin2" {
		t.Errorf("admin2 entries = %+v", e)
	}
	if e := loginEntries(t, s, DefaultUserTel, "admin-password"); len(e) != 1 || e[0].UserName != "admin" {
		t.Errorf("by tel entries = %+v", e)
	}
	if s.Logins() != 9 {
		t.Errorf("Logins = %d, want 9", s.Logins())
	}
}

// TestLoginPasswordHashedByPropertyApp: HC's own web app sends the
// password, which its server hashes; every other app sends the hash.
func TestLoginPasswordHashedByPropertyApp(t *testing.T) {
	s := NewServer(WithApp(PropertyAppID, "code"))
	defer s.Close()
	wantResultError(t, do(t, newRequest(t, s, ServiceLogin, loginBody("admin", "admin-password"), "")), "用户或密码错误")
	got := do(t, newRequest(t, s, ServiceLogin, `{"username":"admin","passwd":"admin-password"}`, ""))
	wantJSON(t, got, http.StatusOK, 0, "成功")
}

func TestLoginLockout(t *testing.T) {
	clock := &fakeClock{now: time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC)}
	s := NewServer(WithClock(clock.Now))
	defer s.Close()
	for range MaxLoginFailures {
		wantResultError(t, do(t, newRequest(t, s, ServiceLogin, loginBody("admin", "wrong"), "")), "用户或密码错误")
	}
	// Locked, even with the right password.
	wantResultError(t, do(t, newRequest(t, s, ServiceLogin, loginBody("admin", "admin-password"), "")), "登陆错误次数过多，请休息一会再试")
	clock.Advance(LoginLockout)
	login(t, s, "admin", "admin-password")
}

func TestSeedDialectLogin(t *testing.T) {
	s := NewServer(WithSeedDialect(), WithUser("admin2", "18900000002", "x"))
	defer s.Close()
	wantText(t, do(t, newRequest(t, s, ServiceLogin, loginBody("admin", "wrong"), "")), http.StatusUnauthorized, "用户或密码错误")
	got := do(t, newRequest(t, s, ServiceLogin, loginBody("admin", "admin-password"), ""))
	var u struct{ UserID, UserName, Token string }
	if got.status != http.StatusOK || strings.Contains(got.body, `"code"`) || json.Unmarshal([]byte(got.body), &u) != nil ||
		u.UserName != "admin" || u.UserID == "" || u.Token == "" {
		t.Fatalf("login answer %d %s", got.status, got.body)
	}
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, u.Token)), http.StatusOK, 0, "成功")
}

func TestLastRequest(t *testing.T) {
	s := NewServer()
	defer s.Close()
	if _, ok := s.LastRequest(ServiceSaveProperty); ok {
		t.Fatal("LastRequest before any request")
	}
	r := newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)
	do(t, r)
	last, ok := s.LastRequest(ServiceSaveProperty)
	if !ok || last.Method != http.MethodPost || last.ServiceCode != ServiceSaveProperty ||
		!bytes.Equal(last.Body, []byte(seedBody)) || last.Header.Get("Sign") != r.Header.Get("sign") ||
		last.Header.Get("Authorization") != "Bearer "+s.Token || last.HTTPStatus != http.StatusOK || last.ReceivedAt.IsZero() {
		t.Errorf("LastRequest = %+v", last)
	}
	last.Body[0] = 'x'
	last.Header.Set("Sign", "changed")
	if again, _ := s.LastRequest(ServiceSaveProperty); again.Body[0] != '{' || again.Header.Get("Sign") == "changed" {
		t.Error("LastRequest does not return a copy")
	}
}

func TestOtherPathsNotFound(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, p := range []string{"/", "/app/", "/app", "/api/property.saveProperty", "/app/a/b"} {
		r, _ := http.NewRequest(http.MethodPost, s.URL+p, strings.NewReader("{}"))
		if got := do(t, r); got.status != http.StatusNotFound {
			t.Errorf("%s: status %d", p, got.status)
		}
	}
	// Counted and logged as kanfangtest counts and logs an unknown path.
	if s.Requests("") != 5 {
		t.Errorf("Requests = %d, want 5", s.Requests(""))
	}
	log := s.RequestLog()
	if len(log) != 5 {
		t.Errorf("RequestLog has %d entries, want 5", len(log))
	}
	for _, rec := range log {
		if rec.HTTPStatus != http.StatusNotFound || rec.ServiceCode != "" || rec.Method != http.MethodPost {
			t.Errorf("RequestLog entry %+v", rec)
		}
	}
}

func TestWithListenerAndHandler(t *testing.T) {
	l, err := net.Listen("tcp4", "0.0.0.0:0")
	if err != nil {
		t.Skip(err)
	}
	s := NewServer(WithListener(l))
	port := l.Addr().(*net.TCPAddr).Port
	if want := "http://127.0.0.1:" + strconv.Itoa(port); s.URL != want {
		t.Errorf("URL = %q, want %q", s.URL, want)
	}
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, 0, "成功")

	// The Handler shares the state.
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	r := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	r.URL.Host = strings.TrimPrefix(hs.URL, "http://")
	wantJSON(t, do(t, r), http.StatusOK, 0, "成功")
	if n := len(s.Companies()); n != 2 {
		t.Errorf("%d companies, want 2", n)
	}

	s.Close()
	s.Close() // idempotent
	if _, err := net.Dial("tcp", l.Addr().String()); err == nil {
		t.Error("listener still open after Close")
	}
	r = newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	r.URL.Host = strings.TrimPrefix(hs.URL, "http://")
	if got := do(t, r); got.status != http.StatusServiceUnavailable {
		t.Errorf("Handler after Close: %d", got.status)
	}
}

func TestNewServerPanicsOnBadOptions(t *testing.T) {
	for name, opt := range map[string]Option{
		"empty app id":      WithApp("", "x"),
		"empty username":    WithCredentials("", "x"),
		"empty password":    WithCredentials("x", ""),
		"zero lifetime":     WithSessionLifetime(0),
		"negative lifetime": WithSessionLifetime(-time.Second),
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			NewServer(opt).Close()
		})
	}
}
