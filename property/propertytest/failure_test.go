package propertytest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const proxyPage = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"

func TestFailNextProxyPage(t *testing.T) {
	s := NewServer()
	defer s.Close()
	s.FailNext(2, Failure{Endpoint: ServiceSaveProperty, HTTPStatus: http.StatusBadGateway, Body: proxyPage})

	// Logins are not affected by a failure for another service.
	login(t, s, s.Username, s.Password)

	var txids []string
	for range 2 {
		r := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
		txids = append(txids, r.Header.Get("transaction-id"))
		got := do(t, r)
		if got.status != http.StatusBadGateway || got.body != proxyPage || got.contentType != "text/html;charset=UTF-8" {
			t.Errorf("answer %d %q %q", got.status, got.contentType, got.body)
		}
	}
	// The proxy answered: nothing reached the gateway.
	for _, id := range txids {
		if s.SeenTransactionID(id) {
			t.Errorf("transaction-id %s recorded", id)
		}
	}
	if n := len(s.Companies()); n != 0 {
		t.Errorf("%d companies", n)
	}
	if last, _ := s.LastRequest(ServiceSaveProperty); last.HTTPStatus != http.StatusBadGateway {
		t.Errorf("LastRequest.HTTPStatus = %d", last.HTTPStatus)
	}
	// Used up: the third request is served normally and counts are right.
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, 0, "成功")
	if s.Requests(ServiceSaveProperty) != 3 {
		t.Errorf("Requests = %d, want 3", s.Requests(ServiceSaveProperty))
	}
}

func TestFailNextAnswers(t *testing.T) {
	s := NewServer()
	defer s.Close()

	s.FailNext(1, Failure{Code: -1, Message: "保存数据失败"})
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, -1, "保存数据失败")

	s.FailNext(1, Failure{HTTPStatus: http.StatusServiceUnavailable, Code: 404, Message: "请求发生异常，服务繁忙"})
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusServiceUnavailable, 404, "请求发生异常，服务繁忙")

	s.FailNext(1, Failure{Endpoint: ServiceLogin, HTTPStatus: http.StatusUnauthorized, Body: "用户或密码错误", ContentType: contentTypeText})
	wantText(t, do(t, newRequest(t, s, ServiceLogin, `{"username":"admin","passwd":"admin-password"}`, "")), http.StatusUnauthorized, "用户或密码错误")

	// The failure is taken whatever the request: even an invalid one.
	s.FailNext(1, Failure{Body: `{"code":0,"msg":"成功"}`, HTTPStatus: http.StatusOK})
	got := do(t, newRequest(t, s, ServiceSaveProperty, `{}`, ""))
	wantJSON(t, got, http.StatusOK, 0, "成功")

	if n := len(s.Companies()); n != 0 {
		t.Errorf("%d companies", n)
	}
	if s.Logins() != 0 {
		t.Errorf("Logins = %d", s.Logins())
	}
}

func TestFailNextAfterApplyClosesConnection(t *testing.T) {
	s := NewServer()
	defer s.Close()
	s.FailNext(1, Failure{Endpoint: ServiceSaveProperty, CloseConnection: true, AfterApply: true})

	r := newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)
	if resp, err := http.DefaultClient.Do(r); err == nil {
		resp.Body.Close()
		t.Fatalf("got an answer %d, want a dropped connection", resp.StatusCode)
	}
	cs := s.Companies()
	if len(cs) != 1 || cs[0].TransactionID != r.Header.Get("transaction-id") {
		t.Fatalf("companies = %+v, want exactly one", cs)
	}
	if !s.SeenTransactionID(r.Header.Get("transaction-id")) {
		t.Error("transaction-id not recorded")
	}
	if last, _ := s.LastRequest(ServiceSaveProperty); last.HTTPStatus != 0 {
		t.Errorf("LastRequest.HTTPStatus = %d, want 0", last.HTTPStatus)
	}
	// A client that repeats the call finds the community taken.
	wantResultError(t, do(t, newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)), "小区已经入驻"+DefaultCommunityID)
	if n := len(s.Companies()); n != 1 {
		t.Errorf("%d companies", n)
	}
}

func TestFailNextCloseConnectionBeforeApply(t *testing.T) {
	s := NewServer()
	defer s.Close()
	s.FailNext(1, Failure{CloseConnection: true})
	if resp, err := http.DefaultClient.Do(newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)); err == nil {
		resp.Body.Close()
		t.Fatal("got an answer")
	}
	if n := len(s.Companies()); n != 0 {
		t.Errorf("%d companies", n)
	}
}

func TestFailNextDelayAloneIsSlowServer(t *testing.T) {
	for _, after := range []bool{false, true} {
		s := NewServer()
		s.FailNext(1, Failure{Delay: time.Millisecond, AfterApply: after})
		wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, 0, "成功")
		if n := len(s.Companies()); n != 1 {
			t.Errorf("AfterApply %v: %d companies", after, n)
		}
		s.Close()
	}
}

// delayed starts a request that meets a one-hour delay and returns once the
// delay has started, with a channel giving the client's error.
func delayed(t *testing.T, s *Server, ctx context.Context, baseURL string) <-chan error {
	t.Helper()
	started := make(chan struct{})
	var once sync.Once
	s.lc.SetDelayHook(func(e string) {
		if e == "delay-start" {
			once.Do(func() { close(started) })
		}
	})
	done := make(chan error, 1)
	r := newRequestCtx(t, ctx, s, ServiceSaveProperty, plainBody, s.Token)
	r.URL, _ = url.Parse(baseURL + "/app/" + ServiceSaveProperty)
	go func() {
		resp, err := http.DefaultClient.Do(r)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("request ended before the delay: %v", err)
	}
	return done
}

// within fails the test if f does not return within a few seconds.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { f(); close(done) }()
	timer := time.NewTimer(3 * time.Second)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		t.Fatalf("%s hung", what)
	}
}

func TestCloseDuringDelay(t *testing.T) {
	for _, after := range []bool{false, true} {
		s := NewServer()
		s.FailNext(1, Failure{Delay: time.Hour, HTTPStatus: http.StatusGatewayTimeout, AfterApply: after})
		done := delayed(t, s, context.Background(), s.URL)
		within(t, "Close", s.Close)
		if err := <-done; err == nil {
			t.Errorf("AfterApply %v: client got an answer", after)
		}
		want := 0
		if after {
			want = 1
		}
		if n := len(s.Companies()); n != want {
			t.Errorf("AfterApply %v: %d companies, want %d", after, n, want)
		}
	}
}

func TestClientGoneEndsDelay(t *testing.T) {
	for _, after := range []bool{false, true} {
		s := NewServer()
		// Serve through Handler to see the handler return without Close.
		returned := make(chan struct{})
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer close(returned)
			s.Handler().ServeHTTP(w, r)
		}))
		s.FailNext(1, Failure{Delay: time.Hour, AfterApply: after})
		ctx, cancel := context.WithCancel(context.Background())
		done := delayed(t, s, ctx, hs.URL)
		cancel()
		if err := <-done; err == nil {
			t.Errorf("AfterApply %v: client got an answer", after)
		}
		within(t, "the delayed handler", func() { <-returned })
		want := 0
		if after {
			want = 1
		}
		if n := len(s.Companies()); n != want {
			t.Errorf("AfterApply %v: %d companies, want %d", after, n, want)
		}
		if last, _ := s.LastRequest(ServiceSaveProperty); last.HTTPStatus != 0 {
			t.Errorf("AfterApply %v: HTTPStatus = %d", after, last.HTTPStatus)
		}
		hs.Close()
		s.Close()
	}
}

func TestFailNextIgnoresNonPositive(t *testing.T) {
	s := NewServer()
	defer s.Close()
	s.FailNext(0, Failure{Body: proxyPage})
	s.FailNext(-1, Failure{Body: proxyPage})
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, 0, "成功")
}

// TestReadTimeout: the gateway's read timeout towards the command service
// answers 内部异常 while the company really is created.
func TestReadTimeout(t *testing.T) {
	s := NewServer()
	defer s.Close()
	s.FailNext(1, ReadTimeout(ServiceSaveProperty))
	got := do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token))
	e := got.envelope(t)
	if got.status != http.StatusOK || e.Code != 404 || !strings.HasPrefix(e.Msg, "内部异常：I/O error on POST request for ") ||
		!strings.Contains(e.Msg, "/cmd/property.saveProperty") || !strings.Contains(e.Msg, "Read timed out") {
		t.Errorf("answer %d %s", got.status, got.body)
	}
	if n := len(s.Companies()); n != 1 {
		t.Errorf("%d companies, want 1: the command ran", n)
	}
}

// TestInjectedErrorStatusNeverSuccess: an injected error status never
// carries a success envelope.
func TestInjectedErrorStatusNeverSuccess(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, f := range []Failure{{HTTPStatus: 500}, {HTTPStatus: 503, AfterApply: true}, {HTTPStatus: 502, Message: "bad"}} {
		s.FailNext(1, f)
		got := do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token))
		if got.status != f.HTTPStatus || strings.Contains(got.body, `"code":0`) {
			t.Errorf("%+v: answer %d %s", f, got.status, got.body)
		}
		if f.Message != "" {
			wantJSON(t, got, f.HTTPStatus, 404, f.Message)
		} else if !strings.HasPrefix(got.body, "<html>") {
			t.Errorf("%+v: body %s, want a proxy page", f, got.body)
		}
	}
}

// TestFailNextShared: the vocabulary both fakes share — Retry-After, the
// default message and status, pending and cleared failures, Requests("").
func TestFailNextShared(t *testing.T) {
	s := NewServer()
	defer s.Close()
	s.FailNext(1, Failure{Endpoint: ServiceSaveProperty, HTTPStatus: http.StatusServiceUnavailable, Code: 500, RetryAfter: "7"})
	s.FailNext(2, Failure{Code: 1})
	if s.PendingFailures() != 3 {
		t.Fatalf("pending %d", s.PendingFailures())
	}
	r := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "7" {
		t.Fatalf("answer %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, 1, "injected failure")
	s.ClearFailures()
	if s.PendingFailures() != 0 {
		t.Fatalf("pending %d after ClearFailures", s.PendingFailures())
	}
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)), http.StatusOK, 0, "成功")
	if s.Requests("") != 3 || s.Requests(ServiceSaveProperty) != 3 || len(s.Companies()) != 1 {
		t.Fatalf("requests %d/%d, companies %d", s.Requests(""), s.Requests(ServiceSaveProperty), len(s.Companies()))
	}
}
