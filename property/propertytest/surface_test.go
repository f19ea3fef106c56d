package propertytest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// getRequest builds a correctly signed GET of service with the raw query
// q (signed over "?" and the decoded query, as the gateway checks it).
func getRequest(t testing.TB, s *Server, service, q, token string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, s.URL+"/app/"+service+"?"+q, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Accept", "application/json")
	r.Header.Set("app-id", s.AppID)
	r.Header.Set("transaction-id", nextTxID())
	r.Header.Set("req-time", testReqTime)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	decoded, err := url.QueryUnescape(q)
	if err != nil {
		t.Fatal(err)
	}
	resign(r, "?"+decoded, s.SecurityCode)
	return r
}

// TestRequestLogRecordsEveryRequest: every request is in RequestLog once
// answered or abandoned, with the status answered, whatever answered it
// (a command, the gateway's checks, an injected failure, a dropped
// connection, a path the gateway does not serve, the closed server), as
// kanfangtest's RequestLog records them.
func TestRequestLogRecordsEveryRequest(t *testing.T) {
	s := NewServer()

	ok := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	txid := ok.Header.Get("transaction-id")
	wantJSON(t, do(t, ok), http.StatusOK, 0, "成功")

	bad := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	bad.Header.Set("sign", strings.Repeat("0", 32))
	wantResultError(t, do(t, bad), "鉴权失败：签名失败")

	do(t, getRequest(t, s, ServiceListProperty, "page=1&row=10", s.Token))

	s.FailNext(1, Failure{Endpoint: ServiceSaveProperty, HTTPStatus: http.StatusBadGateway})
	if got := do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)); got.status != http.StatusBadGateway {
		t.Fatalf("injected: status %d", got.status)
	}
	s.FailNext(1, Failure{Endpoint: ServiceSaveProperty, CloseConnection: true})
	if _, err := try(newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)); err == nil {
		t.Fatal("dropped connection answered")
	}
	r, _ := http.NewRequest(http.MethodGet, s.URL+"/elsewhere", nil)
	do(t, r)
	s.Close()
	r, _ = http.NewRequest(http.MethodPost, s.URL, nil)
	s.Handler().ServeHTTP(httptest.NewRecorder(), r)

	log := s.RequestLog()
	type entry struct {
		service  string
		status   int
		sign     SignCheck
		injected bool
		state    int
	}
	want := []entry{
		{ServiceSaveProperty, http.StatusOK, SignValid, false, 0},
		{ServiceSaveProperty, http.StatusOK, SignInvalid, false, codeError},
		{ServiceListProperty, http.StatusOK, SignValid, false, 0},
		{ServiceSaveProperty, http.StatusBadGateway, SignNone, true, 0},
		{ServiceSaveProperty, 0, SignNone, true, 0},
		{"", http.StatusNotFound, SignNone, false, 0},
		{"", http.StatusServiceUnavailable, SignNone, false, 0},
	}
	if len(log) != len(want) || s.Requests("") != len(want) {
		t.Fatalf("RequestLog has %d entries, Requests(\"\") = %d, want %d", len(log), s.Requests(""), len(want))
	}
	for i, w := range want {
		got := entry{log[i].ServiceCode, log[i].HTTPStatus, log[i].Sign, log[i].Injected, log[i].State}
		if got != w {
			t.Errorf("entry %d = %+v, want %+v", i, got, w)
		}
	}
	first := log[0]
	if first.Method != http.MethodPost || first.Path != "/app/"+ServiceSaveProperty || first.TransactionID != txid ||
		string(first.Body) != plainBody || first.Header.Get("Authorization") != "Bearer "+s.Token || first.ReceivedAt.IsZero() {
		t.Errorf("first entry %+v", first)
	}
	if log[1].SignProblem != "sign does not match" {
		t.Errorf("SignProblem = %q", log[1].SignProblem)
	}
	if log[2].Method != http.MethodGet || log[2].Query.Get("row") != "10" {
		t.Errorf("GET entry: %s %v", log[2].Method, log[2].Query)
	}
	// A copy: changing it changes nothing kept.
	log[0].Header.Set("Authorization", "changed")
	log[0].Body[0] = 'x'
	log[2].Query.Set("row", "changed")
	again := s.RequestLog()
	if again[0].Header.Get("Authorization") == "changed" || again[0].Body[0] != '{' || again[2].Query.Get("row") != "10" {
		t.Error("RequestLog does not return a copy")
	}
}

// TestAdvanceExpiresSession: Advance moves the clock sessions expire on,
// without waiting, on top of WithClock.
func TestAdvanceExpiresSession(t *testing.T) {
	base := time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC)
	s := NewServer(WithClock(func() time.Time { return base }))
	defer s.Close()
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, 0, "成功")
	s.Advance(DefaultSessionLifetime - time.Second)
	if want := base.Add(DefaultSessionLifetime - time.Second); !s.Now().Equal(want) {
		t.Fatalf("Now = %v, want %v", s.Now(), want)
	}
	// Still live, and the call slides it: a session lifetime from now.
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, 0, "成功")
	s.Advance(DefaultSessionLifetime)
	wantNoSession(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)))
	log := s.RequestLog()
	if got := log[len(log)-1].ReceivedAt; !got.Equal(base.Add(2*DefaultSessionLifetime - time.Second)) {
		t.Errorf("ReceivedAt = %v, not on the advanced clock", got)
	}
	// Back in time: the expired session stays gone, a new login works.
	s.Advance(-DefaultSessionLifetime)
	token := login(t, s, s.Username, s.Password)
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, token)), http.StatusOK, 0, "成功")
}

// TestHandle: a service registered with Handle is served under the
// gateway's rules — sign, session filter, method, failure queue — with the
// session's additions in its parameters.
func TestHandle(t *testing.T) {
	s := NewServer()
	defer s.Close()
	var calls atomic.Int32
	s.Handle(http.MethodPost, "fang.echo", func(p Params) (int, any) {
		calls.Add(1)
		if p.Get("name") == "" {
			return 7, "name is required"
		}
		return 0, map[string]string{"name": p.Get("name"), "userId": p.Get("userId")}
	})
	s.Handle(http.MethodGet, "fang.count", func(p Params) (int, any) { return 0, []string{p.Get("page")} })

	got := do(t, newRequest(t, s, "fang.echo", `{"name":"A"}`, s.Token))
	var env struct {
		Code int
		Msg  string
		Data map[string]string
	}
	if err := json.Unmarshal([]byte(got.body), &env); err != nil || got.status != http.StatusOK ||
		env.Code != 0 || env.Msg != "成功" || env.Data["name"] != "A" || env.Data["userId"] == "" {
		t.Fatalf("echo: %d %s", got.status, got.body)
	}
	wantJSON(t, do(t, newRequest(t, s, "fang.echo", `{}`, s.Token)), http.StatusOK, 7, "name is required")
	if got := do(t, getRequest(t, s, "fang.count", "page=3", s.Token)); !strings.Contains(got.body, `"data":["3"]`) {
		t.Errorf("GET service: %s", got.body)
	}
	if calls.Load() != 2 {
		t.Fatalf("calls = %d, want 2", calls.Load())
	}

	// The gateway's rules stand in front of the handler.
	bad := newRequest(t, s, "fang.echo", `{"name":"A"}`, s.Token)
	bad.Header.Set("sign", strings.Repeat("0", 32))
	wantResultError(t, do(t, bad), "鉴权失败：签名失败")
	wantNoSession(t, do(t, newRequest(t, s, "fang.echo", `{"name":"A"}`, "expired")))
	m := "服务【fang.echo】调用方式不对请检查,当前请求方式为：GET"
	wantResultError(t, do(t, getRequest(t, s, "fang.echo", "name=A", s.Token)), "内部异常："+m+m)
	wantResultError(t, do(t, newRequest(t, s, "fang.other", `{}`, s.Token)), "鉴权失败：AppId 没有权限访问 serviceCode = fang.other")
	if calls.Load() != 2 {
		t.Fatalf("a refused request reached the handler: calls = %d", calls.Load())
	}

	// Injected failures: in front of the handler, or after it.
	s.FailNext(1, Failure{Endpoint: "fang.echo", HTTPStatus: http.StatusServiceUnavailable})
	if got := do(t, newRequest(t, s, "fang.echo", `{"name":"A"}`, s.Token)); got.status != http.StatusServiceUnavailable || calls.Load() != 2 {
		t.Errorf("FailNext: %d, calls %d", got.status, calls.Load())
	}
	s.FailNext(1, ReadTimeout("fang.echo"))
	wantResultError(t, do(t, newRequest(t, s, "fang.echo", `{"name":"A"}`, s.Token)), readTimeoutMsg("fang.echo"))
	if calls.Load() != 3 {
		t.Errorf("AfterApply: calls = %d, want 3", calls.Load())
	}
	if s.Requests("fang.echo") != 7 {
		t.Errorf("Requests(fang.echo) = %d, want 7", s.Requests("fang.echo"))
	}
	if last, ok := s.LastRequest("fang.echo"); !ok || last.HTTPStatus != http.StatusOK || !last.Injected || last.Sign != SignValid {
		t.Errorf("LastRequest = %+v", last)
	}
}

func TestHandleRefusals(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, tt := range []struct {
		name, method, service string
		fn                    HandlerFunc
		want                  string
	}{
		{"own service", http.MethodPost, ServiceSaveProperty, func(Params) (int, any) { return 0, nil }, "propertytest: Handle: property.saveProperty is served by the fake itself"},
		{"method", http.MethodPut, "fang.x", func(Params) (int, any) { return 0, nil }, "propertytest: Handle: needs GET or POST and a function"},
		{"nil", http.MethodPost, "fang.x", nil, "propertytest: Handle: needs GET or POST and a function"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if p, _ := recover().(string); p != tt.want {
					t.Fatalf("panic %q, want %q", p, tt.want)
				}
			}()
			s.Handle(tt.method, tt.service, tt.fn)
		})
	}
}
