package kanfang

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
)

// TestLoginRefusalMatchesErrLoginRefused: GetAccessToken answered state
// 401 (wrong authKey or authValue) is a refused login, so that the
// renewing source holds it; a refresh's 4011 and a call's rejected token
// are not.
func TestLoginRefusalMatchesErrLoginRefused(t *testing.T) {
	srv := kanfangtest.NewServer()
	defer srv.Close()
	c := newCredClient(t, srv, nil)
	_, err := c.GetAccessToken(context.Background(), srv.AuthKey, "wrong-auth-value")
	if !errors.Is(err, auth.ErrLoginRefused) || !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("wrong authValue: err = %v, want auth.ErrLoginRefused", err)
	}
	_, err = c.GetAccessToken(context.Background(), "no-such-key", srv.AuthValue)
	if !errors.Is(err, auth.ErrLoginRefused) {
		t.Fatalf("wrong authKey: err = %v, want auth.ErrLoginRefused", err)
	}
	// Inside a call, through WithCredentials.
	wrong, err := NewClient(WithBaseURL(srv.URL), WithCredentials(srv.AuthKey, "wrong-auth-value"), WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	if err := put(wrong, 1); !errors.Is(err, auth.ErrLoginRefused) {
		t.Fatalf("put with wrong credentials: err = %v", err)
	}

	// Not refused logins.
	if _, err := c.RefreshToken(context.Background(), "bogus-refresh"); !errors.Is(err, ErrRefreshFailed) || errors.Is(err, auth.ErrLoginRefused) {
		t.Errorf("refresh 4011: err = %v", err)
	}
	static, _ := NewClient(WithBaseURL(srv.URL), WithToken(auth.StaticToken("not-a-token")), WithoutRetry())
	if err := put(static, 1); !errors.Is(err, ErrUnauthorized) || errors.Is(err, auth.ErrLoginRefused) {
		t.Errorf("rejected token on a call: err = %v", err)
	}
	srv.FailNext(1, kanfangtest.Failure{Endpoint: kanfangtest.PathGetAccessToken, Code: 500, Message: "服务器错误"})
	if _, err := c.GetAccessToken(context.Background(), srv.AuthKey, srv.AuthValue); !errors.Is(err, ErrServerError) || errors.Is(err, auth.ErrLoginRefused) {
		t.Errorf("login state 500: err = %v", err)
	}
}

// TestAnyRefreshFailureFallsBackToLogin: WithCredentials logs in again
// when a refresh fails, whatever the failure: not only 4011 or 401 but a
// state 500, a gateway's page, a connection closed without an answer.
func TestAnyRefreshFailureFallsBackToLogin(t *testing.T) {
	tests := []struct {
		name string
		f    kanfangtest.Failure
	}{
		{"state 500", kanfangtest.Failure{Code: 500, Message: "服务器错误"}},
		{"state 403", kanfangtest.Failure{Code: 403, Message: "拒绝"}},
		{"HTTP 502 page", kanfangtest.Failure{HTTPStatus: http.StatusBadGateway}},
		{"no answer", kanfangtest.Failure{CloseConnection: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := kanfangtest.NewServer()
			defer srv.Close()
			c := newCredClient(t, srv, nil)
			if err := put(c, 0); err != nil {
				t.Fatal(err)
			}
			// The access token is refused; the refresh token is still
			// good, but the refresh fails.
			srv.RevokeTokens()
			tt.f.Endpoint = kanfangtest.PathRefreshToken
			// Twice: Go's transport may resend a GET whose reused
			// connection was closed; the second attempt fails as well.
			srv.FailNext(2, tt.f)
			if err := put(c, 1); err != nil {
				t.Fatalf("put after a failed refresh: %v", err)
			}
			srv.ClearFailures()
			if n := srv.Requests(kanfangtest.PathRefreshToken); n < 1 {
				t.Errorf("%d refresh requests: the refresh was not tried", n)
			}
			if n := srv.Logins(); n != 2 {
				t.Errorf("%d logins, want the first and the fallback", n)
			}
		})
	}
}

// TestBlankRequiredFieldsRefused: a required value of only white space is
// refused before sending.
func TestBlankRequiredFieldsRefused(t *testing.T) {
	srv := kanfangtest.NewServer()
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithToken(auth.StaticToken(srv.Token)))
	if err != nil {
		t.Fatal(err)
	}
	for _, blank := range []string{" ", "\t ", "\u3000"} {
		for _, tt := range []struct {
			field string
			req   *PutAnjukeBianHaoRequest
		}{
			{"PackageID", &PutAnjukeBianHaoRequest{PackageID: blank, AnjukeBianHao: "123"}},
			{"AnjukeBianHao", &PutAnjukeBianHaoRequest{PackageID: "pkg", AnjukeBianHao: blank}},
		} {
			_, err := c.PutAnjukeBianHao(context.Background(), tt.req)
			var ie *InvalidRequestError
			if !errors.As(err, &ie) || len(ie.Fields()) != 1 || ie.Fields()[0] != tt.field {
				t.Errorf("%s = %q: err = %v", tt.field, blank, err)
			}
		}
		if _, err := c.GetAccessToken(context.Background(), blank, "value"); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("authKey %q: err = %v", blank, err)
		}
		if _, err := c.RefreshToken(context.Background(), blank); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("refreshToken %q: err = %v", blank, err)
		}
	}
	if n := srv.Requests(""); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// TestGatewayPageSaying401NeverResent: a POST answered by an HTTP 5xx page
// whose body is a state-401 envelope is not a token the server refused
// before running anything: the call may have run, so the token is not
// renewed and the POST is not sent again.
func TestGatewayPageSaying401NeverResent(t *testing.T) {
	for _, status := range []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		rec := newRecorder(t,
			reply{200, `{"state":200,"payload":{"token":"t1","tokenExpireIn":3600}}`, nil},
			reply{status, `{"state":401,"payload":"token 已过期"}`, nil},
			reply{200, `{"state":200,"payload":{"token":"t2","tokenExpireIn":3600}}`, nil},
			reply{200, `{"state":200,"payload":{}}`, nil},
		)
		c, err := NewClient(WithBaseURL(rec.URL), WithCredentials("user", "secret"), WithoutRetry())
		if err != nil {
			t.Fatal(err)
		}
		err = c.Do(context.Background(), http.MethodPost, "/v2/house/create", url.Values{"name": {"a"}}, nil)
		var kerr *Error
		if !errors.As(err, &kerr) || kerr.HTTPStatus != status {
			t.Fatalf("HTTP %d: err = %v", status, err)
		}
		posts := 0
		for _, r := range rec.requests() {
			if r.Path == "/v2/house/create" {
				posts++
			}
		}
		if posts != 1 || len(rec.requests()) != 2 {
			t.Fatalf("HTTP %d: %d POSTs in %d requests, want 1 POST after 1 login", status, posts, len(rec.requests()))
		}
	}
}
