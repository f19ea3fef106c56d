package kanfang

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
)

// TestTokenPayloadNeverQuoted: a login or refresh answer with a field of
// the wrong type carries the new tokens; the error names the field, never
// the payload, including through WithCredentials.
func TestTokenPayloadNeverQuoted(t *testing.T) {
	const newToken, newRefresh = "fresh-access-token-123", "fresh-refresh-token-456"
	for _, payload := range []string{
		`{"token":"` + newToken + `","tokenExpireIn":"172800","refreshToken":"` + newRefresh + `","refreshTokenExpireIn":2592000}`,
		`{"token":"` + newToken + `","tokenExpireIn":172800,"refreshToken":"` + newRefresh + `","refreshTokenExpireIn":[1]}`,
		`{"token":"` + newToken + `","tokenExpireIn":1e3,"refreshToken":"` + newRefresh + `"}`,
	} {
		rec := newRecorder(t, reply{200, `{"state":200,"payload":` + payload + `}`, nil})
		c, err := NewClient(WithBaseURL(rec.URL), WithoutRetry())
		if err != nil {
			t.Fatal(err)
		}
		_, err1 := c.GetAccessToken(context.Background(), "user", "pass")
		_, err2 := c.RefreshToken(context.Background(), "old-refresh")
		cred, _ := NewClient(WithBaseURL(rec.URL), WithCredentials("user", "pass"), WithoutRetry())
		_, err3 := cred.PutAnjukeBianHao(context.Background(), putReq)
		for _, err := range []error{err1, err2, err3} {
			text := fmt.Sprintf("%v %+v", err, err)
			if !errors.Is(err, ErrUnexpectedResponse) || strings.Contains(text, newToken) || strings.Contains(text, newRefresh) ||
				!strings.Contains(text, "field") {
				t.Errorf("payload %s: err = %s", payload, text)
			}
		}
	}
}

// TestHugeTokenLifetimeClamped: tokenExpireIn of 1e10 seconds would
// overflow a time.Duration (every call would renew); it is clamped, and two
// calls log in once.
func TestHugeTokenLifetimeClamped(t *testing.T) {
	var logins atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "GetAccessToken") {
			logins.Add(1)
			fmt.Fprint(w, `{"state":200,"payload":{"token":"t","tokenExpireIn":10000000000,"refreshToken":"r","refreshTokenExpireIn":99999999999}}`)
			return
		}
		fmt.Fprint(w, `{"state":200,"payload":{"packageId":"p","anjukeBianHao":"b"}}`)
	}))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithCredentials("u", "v"))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := c.PutAnjukeBianHao(context.Background(), putReq); err != nil {
			t.Fatal(err)
		}
	}
	if n := logins.Load(); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
	now := time.Now()
	tok, err := c.GetAccessToken(context.Background(), "u", "v")
	if err != nil {
		t.Fatal(err)
	}
	if tok.Expiry.Before(now.Add(MaxTokenLifetime-time.Hour)) || tok.Expiry.After(now.Add(MaxTokenLifetime+time.Hour)) ||
		tok.RefreshExpiry.Before(now.Add(MaxTokenLifetime-time.Hour)) {
		t.Errorf("expiry %v / %v, want about now + %v", tok.Expiry, tok.RefreshExpiry, MaxTokenLifetime)
	}
}

// TestNilContext: every method given a nil context returns an error, with
// WithCredentials too; nothing is sent.
func TestNilContext(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, rec.URL)
	cred, _ := NewClient(WithBaseURL(rec.URL), WithCredentials("u", "v"))
	var nilCtx context.Context
	for name, call := range map[string]func() error{
		"PutAnjukeBianHao":             func() error { _, err := c.PutAnjukeBianHao(nilCtx, putReq); return err },
		"PutAnjukeBianHao credentials": func() error { _, err := cred.PutAnjukeBianHao(nilCtx, putReq); return err },
		"GetAccessToken":               func() error { _, err := c.GetAccessToken(nilCtx, "u", "v"); return err },
		"RefreshToken":                 func() error { _, err := c.RefreshToken(nilCtx, "r"); return err },
		"Do":                           func() error { return c.Do(nilCtx, http.MethodPost, PathPutAnjukeBianHao, nil, nil) },
		"Do credentials":               func() error { return cred.Do(nilCtx, http.MethodGet, "/v2/x", nil, nil) },
	} {
		if err := call(); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestHeaderUnsafeConfiguration: a user agent or a static token that cannot
// travel in a header (or cookie) fails NewClient, without showing it.
func TestHeaderUnsafeConfiguration(t *testing.T) {
	for name, opts := range map[string][]Option{
		"user agent":    {WithUserAgent("ua\r\nX-Evil: 1")},
		"header token":  {WithToken(auth.StaticToken("tok-secret\r\nX: y"))},
		"cookie token":  {WithToken(auth.StaticToken("tok-secret;x")), WithTokenPlacement(auth.InCookie)},
		"header token2": {WithToken(auth.StaticToken("tok-secret\x00"))},
	} {
		_, err := NewClient(opts...)
		if !errors.Is(err, ErrConfig) || strings.Contains(err.Error(), "tok-secret") || strings.Contains(err.Error(), "X-Evil") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	// In the form or the query any token travels (it is encoded).
	if _, err := NewClient(WithToken(auth.StaticToken("tok;\r\n")), WithTokenPlacement(auth.InForm)); err != nil {
		t.Errorf("form token: %v", err)
	}
}

// TestFailedLoginInsideACall: errors.As reaches the login's own failure,
// without a stuttered prefix.
func TestFailedLoginInsideACall(t *testing.T) {
	rec := newRecorder(t, reply{200, `{"state":401,"payload":"wrong credentials"}`, nil})
	c, _ := NewClient(WithBaseURL(rec.URL), WithCredentials("u", "wrong-value"))
	_, err := c.PutAnjukeBianHao(context.Background(), putReq)
	var ke *Error
	if !errors.As(err, &ke) || ke.State != 401 || ke.HTTPStatus != 200 || ke.Message != "wrong credentials" {
		t.Fatalf("err = %v", err)
	}
	if text := err.Error(); strings.Count(text, "kanfang:") != 1 || !strings.Contains(text, "GetAccessToken") || strings.Contains(text, "wrong-value") {
		t.Errorf("error text %q", text)
	}
}

// TestInvalidRequestError: every validation failure is a
// *kanfang.InvalidRequestError naming the method and each bad field.
func TestInvalidRequestError(t *testing.T) {
	c, _ := NewClient(WithToken(auth.StaticToken("t")))
	for _, tt := range []struct {
		call   func() error
		op     string
		fields string
	}{
		{func() error {
			_, err := c.PutAnjukeBianHao(context.Background(), &PutAnjukeBianHaoRequest{})
			return err
		}, "PutAnjukeBianHao", "PackageID,AnjukeBianHao"},
		{func() error { _, err := c.GetAccessToken(context.Background(), "", ""); return err }, "GetAccessToken", "authKey,authValue"},
		{func() error { _, err := c.RefreshToken(context.Background(), ""); return err }, "RefreshToken", "refreshToken"},
		{func() error { return c.Do(context.Background(), "PUT", "x", nil, nil) }, "Do", "method,path"},
	} {
		err := tt.call()
		var ie *InvalidRequestError
		if !errors.As(err, &ie) || !errors.Is(err, ErrInvalidRequest) || ie.Op != tt.op || strings.Join(ie.Fields(), ",") != tt.fields ||
			!strings.HasPrefix(err.Error(), "kanfang: "+tt.op+": invalid request: ") {
			t.Errorf("%s: err = %v (%+v)", tt.op, err, ie)
		}
	}
}

// TestSuccessBodyWithRetryableStatus: a 503 (or 502, 504, 429) whose body
// is a success envelope is retried like any 503, and after the last attempt
// the call fails with an *Error carrying the status: never a success.
func TestSuccessBodyWithRetryableStatus(t *testing.T) {
	for _, status := range []int{429, 502, 503, 504} {
		rec := newRecorder(t, reply{status, `{"state":200,"payload":{"packageId":"p","anjukeBianHao":"b"}}`, map[string]string{"Retry-After": "0"}})
		c := newTestClient(t, rec.URL)
		out, err := c.PutAnjukeBianHao(context.Background(), putReq)
		var ke *Error
		if out != nil || !errors.As(err, &ke) || ke.HTTPStatus != status || ke.State != 200 || ke.Attempts() != 3 ||
			!errors.Is(err, ErrUnexpectedResponse) {
			t.Errorf("HTTP %d: out = %v, err = %v", status, out, err)
		}
		if n := len(rec.requests()); n != 3 {
			t.Errorf("HTTP %d: %d attempts, want 3", status, n)
		}
	}
}
