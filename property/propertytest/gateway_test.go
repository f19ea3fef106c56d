package propertytest

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
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
	if got.body != `{"code":0,"msg":"成功"}` {
		t.Errorf("body = %s", got.body)
	}

	cs := s.Companies()
	if len(cs) != 1 {
		t.Fatalf("%d companies, want 1", len(cs))
	}
	c := cs[0]
	last, _ := s.LastRequest(ServiceSaveProperty)
	if c.StoreID == "" || c.Name != "物业公司A" || c.Address != "北京市朝阳区XX路XX号" || c.Tel != "18909711449" ||
		c.Corporation != "张三" || c.FoundingTime != "2022-09-01" || c.NearbyLandmarks != "国投广场" ||
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

// TestProtocolVector sends the PROTOCOL.md test vector byte for byte.
func TestProtocolVector(t *testing.T) {
	s := NewServer(WithApp("micro-community", "hc-security-code"))
	defer s.Close()

	r, _ := http.NewRequest(http.MethodPost, s.URL+"/app/property.saveProperty", strings.NewReader(seedBody))
	r.Header.Set("Authorization", "Bearer "+s.Token)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("app-id", "micro-community")
	r.Header.Set("transaction-id", "100000000020240101120000000001")
	r.Header.Set("req-time", "20240101120000")
	r.Header.Set("sign", "ab7be2e9cd7a4736b5928a3d9a3af121")
	wantJSON(t, do(t, r), http.StatusOK, 0, "成功")
	if len(s.Companies()) != 1 {
		t.Fatal("vector request created no company")
	}
}

func TestGatewayRejections(t *testing.T) {
	s := NewServer()
	defer s.Close()

	tests := []struct {
		name   string
		edit   func(r *http.Request) // the request is re-signed afterwards unless noResign
		noSign bool                  // do not re-sign after edit
		reason string
	}{
		{"GET", func(r *http.Request) { r.Method = http.MethodGet }, false, "只支持POST请求"},
		{"PUT", func(r *http.Request) { r.Method = http.MethodPut }, false, "只支持POST请求"},
		{"missing app-id", func(r *http.Request) { r.Header.Del("app-id") }, false, "appId 为空或不正确"},
		{"blank app-id", func(r *http.Request) { r.Header.Set("app-id", " ") }, false, "appId 为空或不正确"},
		{"unknown app-id", func(r *http.Request) { r.Header.Set("app-id", "other-app") }, false, "appId 为空或不正确"},
		{"missing transaction-id", func(r *http.Request) { r.Header.Del("transaction-id") }, false, "TRANSACTION_ID 不能为空"},
		{"short transaction-id", func(r *http.Request) { r.Header.Set("transaction-id", "10000000002024010112000000001") }, false, "transactionId 格式不对，必须为30位数字"},
		{"long transaction-id", func(r *http.Request) { r.Header.Set("transaction-id", "1000000000202401011200000000011") }, false, "transactionId 格式不对，必须为30位数字"},
		{"non-digit transaction-id", func(r *http.Request) { r.Header.Set("transaction-id", "10000000002024010112000000000a") }, false, "transactionId 格式不对，必须为30位数字"},
		{"full-width digits", func(r *http.Request) { r.Header.Set("transaction-id", "１０00000000202401011200000001") }, false, "transactionId 格式不对，必须为30位数字"},
		{"missing req-time", func(r *http.Request) { r.Header.Del("req-time") }, false, "requestTime 格式不对，遵循yyyyMMddHHmmss格式"},
		{"short req-time", func(r *http.Request) { r.Header.Set("req-time", "2024010112000") }, false, "requestTime 格式不对，遵循yyyyMMddHHmmss格式"},
		{"month 13", func(r *http.Request) { r.Header.Set("req-time", "20241301000000") }, false, "requestTime 格式不对，遵循yyyyMMddHHmmss格式"},
		{"February 30", func(r *http.Request) { r.Header.Set("req-time", "20240230120000") }, false, "requestTime 格式不对，遵循yyyyMMddHHmmss格式"},
		{"hour 24", func(r *http.Request) { r.Header.Set("req-time", "20240101240000") }, false, "requestTime 格式不对，遵循yyyyMMddHHmmss格式"},
		{"formatted req-time", func(r *http.Request) { r.Header.Set("req-time", "2024-01-01 12:00") }, false, "requestTime 格式不对，遵循yyyyMMddHHmmss格式"},
		{"wrong sign", func(r *http.Request) { r.Header.Set("sign", "ab7be2e9cd7a4736b5928a3d9a3af121") }, true, "签名失败"},
		{"missing sign", func(r *http.Request) { r.Header.Del("sign") }, true, "签名失败"},
		{"sign over other body", func(r *http.Request) { resign(r, seedBody+" ", s.SecurityCode) }, true, "签名失败"},
		{"sign with other code", func(r *http.Request) { resign(r, seedBody, "other") }, true, "签名失败"},
		{"unknown service", func(r *http.Request) { r.URL.Path = "/app/property.deleteProperty" }, false, "AppId 没有权限访问 serviceCode = property.deleteProperty"},
		{"text/plain", func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, false, "Content-Type 必须为application/json"},
		{"form", func(r *http.Request) { r.Header.Set("Content-Type", "application/x-www-form-urlencoded") }, false, "Content-Type 必须为application/json"},
		{"missing Content-Type", func(r *http.Request) { r.Header.Del("Content-Type") }, false, "Content-Type 必须为application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)
			tt.edit(r)
			if !tt.noSign && r.Header.Get("sign") != "" {
				resign(r, seedBody, s.SecurityCode)
			}
			wantGatewayError(t, do(t, r), tt.reason)
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

func TestContentTypeWithCharsetAccepted(t *testing.T) {
	s := NewServer()
	defer s.Close()
	r := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	r.Header.Set("Content-Type", "application/json; charset=UTF-8")
	wantJSON(t, do(t, r), http.StatusOK, 0, "成功")
}

func TestTransactionIDNeverReusable(t *testing.T) {
	s := NewServer()
	defer s.Close()

	// A success, then the same id again.
	r := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	txid := r.Header.Get("transaction-id")
	wantJSON(t, do(t, r), http.StatusOK, 0, "成功")
	again := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	again.Header.Set("transaction-id", txid)
	resign(again, plainBody, s.SecurityCode)
	wantGatewayError(t, do(t, again), "transactionId 重复")

	// A request rejected after the transaction-id check still uses its id up.
	bad := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	badID := bad.Header.Get("transaction-id")
	bad.Header.Set("sign", "0123456789abcdef0123456789abcdef")
	wantGatewayError(t, do(t, bad), "签名失败")
	retry := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	retry.Header.Set("transaction-id", badID)
	resign(retry, plainBody, s.SecurityCode)
	wantGatewayError(t, do(t, retry), "transactionId 重复")

	// A request rejected before the check does not.
	early := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	earlyID := early.Header.Get("transaction-id")
	early.Header.Set("app-id", "nope")
	wantGatewayError(t, do(t, early), "appId 为空或不正确")
	if s.SeenTransactionID(earlyID) {
		t.Error("id of a request rejected on app-id recorded")
	}

	if !s.SeenTransactionID(txid) || !s.SeenTransactionID(badID) {
		t.Error("SeenTransactionID false for used ids")
	}
	if ids := s.TransactionIDs(); len(ids) != 2 || ids[0] != txid || ids[1] != badID {
		t.Errorf("TransactionIDs = %v", ids)
	}
	if n := len(s.Companies()); n != 1 {
		t.Errorf("%d companies, want 1", n)
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
	wantGatewayError(t, do(t, r), "requestTime 格式不对，遵循yyyyMMddHHmmss格式")
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

func TestAuthorization(t *testing.T) {
	const unauthorized = "用户未登录或登录已失效"
	clock := &fakeClock{now: time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC)}
	s := NewServer(WithClock(clock.Now))
	defer s.Close()

	for name, auth := range map[string]string{
		"missing":       "",
		"unknown token": "Bearer 0123456789abcdef",
		"empty bearer":  "Bearer ",
		"no scheme":     s.Token,
		"basic":         "Basic " + s.Token,
		"lower scheme":  "bearer " + s.Token,
	} {
		t.Run(name, func(t *testing.T) {
			r := newRequest(t, s, ServiceSaveProperty, plainBody, "")
			if auth != "" {
				r.Header.Set("Authorization", auth)
			}
			wantText(t, do(t, r), http.StatusUnauthorized, unauthorized)
		})
	}

	// Login needs no token; the token it issues works.
	token := login(t, s, s.Username, s.Password)
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, token)), http.StatusOK, 0, "成功")

	// Both expire after the session lifetime (2h by default).
	clock.Advance(DefaultSessionLifetime - time.Second)
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, 0, "成功")
	clock.Advance(time.Second)
	wantText(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusUnauthorized, unauthorized)
	wantText(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, token)), http.StatusUnauthorized, unauthorized)

	// A new login gives a working token, RevokeSessions ends it.
	token = login(t, s, s.Username, s.Password)
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, token)), http.StatusOK, 0, "成功")
	s.RevokeSessions()
	wantText(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, token)), http.StatusUnauthorized, unauthorized)
	if n := len(s.Companies()); n != 3 {
		t.Errorf("%d companies, want 3", n)
	}
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
	wantText(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, token)), http.StatusUnauthorized, "用户未登录或登录已失效")
}

func TestLogin(t *testing.T) {
	s := NewServer()
	defer s.Close()

	for name, body := range map[string]string{
		"wrong password":         `{"username":"admin","passwd":"nope"}`,
		"unknown user":           `{"username":"nobody","passwd":"admin-password"}`,
		"tel before any company": `{"username":"18909711449","passwd":"18909711449"}`,
	} {
		t.Run(name, func(t *testing.T) {
			wantText(t, do(t, newRequest(t, s, ServiceLogin, body, "")), http.StatusUnauthorized, "用户或密码错误")
		})
	}
	for name, tt := range map[string]struct{ body, reason string }{
		"not JSON":       {`username=admin`, "请求报文格式错误"},
		"JSON null":      {`null`, "请求报文格式错误"},
		"no username":    {`{"passwd":"admin-password"}`, "用户名不能为空"},
		"null username":  {`{"username":null,"passwd":"x"}`, "用户名不能为空"},
		"empty password": {`{"username":"admin","passwd":""}`, "密码不能为空"},
		"numeric passwd": {`{"username":"admin","passwd":123}`, "密码不能为空"},
	} {
		t.Run(name, func(t *testing.T) {
			wantGatewayError(t, do(t, newRequest(t, s, ServiceLogin, tt.body, "")), tt.reason)
		})
	}
	if s.Logins() != 0 {
		t.Errorf("Logins = %d after failures", s.Logins())
	}

	// Login goes through the gateway rules too.
	r := newRequest(t, s, ServiceLogin, `{"username":"admin","passwd":"admin-password"}`, "")
	r.Header.Set("sign", "00000000000000000000000000000000")
	wantGatewayError(t, do(t, r), "签名失败")

	r = newRequest(t, s, ServiceLogin, `{"username":"admin","passwd":"admin-password"}`, "")
	r.Header.Del("user-id") // optional
	got := do(t, r)
	if got.status != http.StatusOK || got.contentType != contentTypeJSON || !strings.HasPrefix(got.body, `{"code":0,"msg":"成功","data":{`) {
		t.Errorf("login answer %d %q %s", got.status, got.contentType, got.body)
	}
	if last, _ := s.LastRequest(ServiceLogin); last.UserID != "" {
		t.Errorf("UserID = %q, want empty", last.UserID)
	}
	login(t, s, "admin", "admin-password")
	if last, _ := s.LastRequest(ServiceLogin); last.UserID != "-1" || last.Status != http.StatusOK {
		t.Errorf("LastRequest = %+v", last)
	}
	if s.Logins() != 2 {
		t.Errorf("Logins = %d, want 2", s.Logins())
	}
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
		last.Header.Get("Authorization") != "Bearer "+s.Token || last.Status != http.StatusOK || last.ReceivedAt.IsZero() {
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
	if s.Requests("") != 0 {
		t.Errorf("Requests = %d", s.Requests(""))
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
