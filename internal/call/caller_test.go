package call

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fangsdk/fang/auth"
)

// TestCallerSteps follows calls of each kind of endpoint through the
// steps, against a loopback server that refuses the token tokOld.
func TestCallerSteps(t *testing.T) {
	src := &renewing{}
	fx := newFixture(t, src, nil)
	ctx := context.Background()

	// FromSource: rejected, renewed once, sent again with the new token.
	ans, err := fx.caller.Do(ctx, &Request{Spec: &getSpec, Params: url.Values{"a": {"1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := fx.api.took(); got != "build "+tokOld+",decode,build "+tokNew+",decode" {
		t.Errorf("steps %s", got)
	}
	if got := fx.srv.took(); got != "GET /get "+tokOld+",GET /get "+tokNew {
		t.Errorf("server saw %s", got)
	}
	if src.count() != 1 || !strings.Contains(string(ans.Data), `"query":"a=1"`) {
		t.Errorf("renewals %d, answer %s", src.count(), ans.Data)
	}
	if ans.Status != http.StatusOK || ans.Attempts != 1 || ans.TransactionID != "tx-2" {
		t.Errorf("answer status %d, attempts %d, transaction-id %q", ans.Status, ans.Attempts, ans.TransactionID)
	}

	// NoToken sends none and GivenToken sends req.Token: neither asks the
	// source.
	if _, err := fx.caller.Do(ctx, &Request{Spec: &loginSpec}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.caller.Do(ctx, &Request{Spec: &refreshSpec, Token: tokGiven}); err != nil {
		t.Fatal(err)
	}
	if got := fx.api.took(); got != "build ,decode,build "+tokGiven+",decode" {
		t.Errorf("steps %s", got)
	}
	if got := fx.srv.took(); got != "POST /login,GET /refresh "+tokGiven {
		t.Errorf("server saw %s", got)
	}

	// A GivenToken endpoint that is rejected is not recovered.
	_, err = fx.caller.Do(ctx, &Request{Spec: &refreshSpec, Token: "stale-token"})
	if fe := asFake(t, err); fe.f.Code != http.StatusUnauthorized || src.count() != 1 {
		t.Errorf("err %v, renewals %d", err, src.count())
	}
	if got := fx.api.took(); got != "build stale-token,decode" {
		t.Errorf("steps %s", got)
	}

	// A failure to get an answer is the API's error of the transport
	// failure: nothing is decoded.
	fx.srv.Close()
	_, err = fx.caller.Do(ctx, &Request{Spec: &loginSpec})
	if fe := asFake(t, err); fe.f.Cause == nil || fe.f.Op != "Login" || fe.f.HTTPStatus != 0 {
		t.Errorf("err %v", err)
	}
	if got := fx.api.took(); got != "build " {
		t.Errorf("steps %s", got)
	}
}

// TestBuildError: a call the API cannot build fails with the API's error
// as is, and nothing is sent.
func TestBuildError(t *testing.T) {
	fx := newFixture(t, &renewing{}, nil)
	fx.api.buildErr = &fakeError{Failure{Msg: "the token cannot travel in a header", Meta: Meta{Op: "Get"}}}
	if _, err := fx.caller.Do(context.Background(), &Request{Spec: &getSpec}); err != fx.api.buildErr { //nolint:errorlint // Build's very error
		t.Errorf("err %v", err)
	}
	if steps, seen := fx.api.took(), fx.srv.took(); steps != "build "+tokOld || seen != "" {
		t.Errorf("steps %q, server saw %q", steps, seen)
	}
}

// TestRecoverOnce: a rejected token is renewed exactly once and the call
// sent once more — only when the source can renew, only for a rejection.
func TestRecoverOnce(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name     string
		src      auth.TokenSource
		spec     *Spec
		code     int    // the failure's code; 0: success
		sent     string // the tokens the server saw
		renewals int
	}{
		{"renewed", &renewing{}, &getSpec, 0, tokOld + "," + tokNew, 1},
		{"static source cannot renew", auth.StaticToken(tokOld), &getSpec, 401, tokOld, 0},
		{"not a rejection", &renewing{first: tokNew}, &failSpec, 500, tokNew, 0},
		{"rejected again: not twice", &renewing{next: "still-bad-token"}, &getSpec, 401, tokOld + ",still-bad-token", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, tt.src, nil)
			_, err := fx.caller.Do(ctx, &Request{Spec: tt.spec})
			switch {
			case tt.code == 0 && err != nil:
				t.Fatal(err)
			case tt.code != 0 && asFake(t, err).f.Code != tt.code:
				t.Errorf("err %v, want code %d", err, tt.code)
			}
			var tokens []string
			for s := range strings.SplitSeq(fx.srv.took(), ",") {
				tokens = append(tokens, s[strings.LastIndexByte(s, ' ')+1:])
			}
			if got := strings.Join(tokens, ","); got != tt.sent {
				t.Errorf("sent %s, want %s", got, tt.sent)
			}
			if r, ok := tt.src.(*renewing); ok && r.count() != tt.renewals {
				t.Errorf("renewals %d, want %d", r.count(), tt.renewals)
			}
		})
	}
}

// TestTokenErrors: a token that cannot be had is the API's error wrapping
// the source's, and nothing (more) is sent; the message scrubs the
// client's and the request's secrets, and the rejected token of a failed
// renewal. A login's or refresh's own *Error is passed through as is.
func TestTokenErrors(t *testing.T) {
	ctx := context.Background()
	cause := errors.New("store said " + tokOld + ", client-secret-1 and password-4 are wrong")
	refused := &fakeError{Failure{Code: 401, Msg: "wrong password", HTTPStatus: 200, Meta: Meta{Op: "Login", Login: true}}}
	for _, tt := range []struct {
		name  string
		src   auth.TokenSource
		cause error
		doing string // "": refused is returned as is
		sent  string
	}{
		{"obtaining", failing{cause}, cause, "obtaining a token", ""},
		{"empty static token", auth.StaticToken(""), auth.ErrEmptyToken, "obtaining a token", ""},
		{"renewing", &renewing{err: cause}, cause, "renewing the rejected token", "GET /get " + tokOld},
		{"login refused when obtaining", failing{refused}, refused, "", ""},
		{"login refused when renewing", &renewing{err: refused}, refused, "", "GET /get " + tokOld},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, tt.src, nil)
			_, err := fx.caller.Do(ctx, &Request{Spec: &getSpec, Secrets: []string{"password-4"}})
			if !errors.Is(err, tt.cause) {
				t.Fatalf("err %v does not wrap %v", err, tt.cause)
			}
			if got := fx.srv.took(); got != tt.sent {
				t.Errorf("server saw %q, want %q", got, tt.sent)
			}
			if tt.doing == "" {
				if err != tt.cause { //nolint:errorlint // the very error of the login
					t.Errorf("err %v is not the login's own error", err)
				}
				return
			}
			fe := asFake(t, err)
			if fe.f.Op != "Get" || fe.f.HTTPStatus != 0 || !strings.HasPrefix(fe.f.Msg, tt.doing+": ") {
				t.Errorf("failure %+v", fe.f)
			}
			secrets := []string{"client-secret-1", "password-4"}
			if tt.sent != "" {
				secrets = append(secrets, tokOld) // the rejected token
			}
			for _, secret := range secrets {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q quotes %s", err, secret)
				}
			}
		})
	}
}

// TestNoTokens: a FromSource call on a caller without tokens is the
// ErrConfig failure with the NoTokens message, and nothing is built or
// sent; NoToken and GivenToken calls still go.
func TestNoTokens(t *testing.T) {
	fx := newFixture(t, nil, nil)
	ctx := context.Background()
	_, err := fx.caller.Do(ctx, &Request{Spec: &getSpec})
	if !errors.Is(err, errFakeConfig) {
		t.Fatalf("err %v is not ErrConfig", err)
	}
	if fe := asFake(t, err); fe.f.Msg != fakeNoTokens || fe.f.Op != "Get" {
		t.Errorf("failure %+v", fe.f)
	}
	if steps, seen := fx.api.took(), fx.srv.took(); steps != "" || seen != "" {
		t.Errorf("steps %q, server saw %q", steps, seen)
	}
	if _, err := fx.caller.Do(ctx, &Request{Spec: &loginSpec}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.caller.Do(ctx, &Request{Spec: &refreshSpec, Token: tokGiven}); err != nil {
		t.Fatal(err)
	}
	if got := fx.srv.took(); got != "POST /login,GET /refresh "+tokGiven {
		t.Errorf("server saw %s", got)
	}
}

// TestSecretsNeverQuoted: a failure's message quotes the server's answer
// with the token, the client's secrets and the request's secrets scrubbed.
func TestSecretsNeverQuoted(t *testing.T) {
	ctx := context.Background()
	secrets := []string{tokOld, tokNew, tokGiven, "client-secret-1", "password-4"}
	params := url.Values{"key": {"client-secret-1"}, "pw": {"password-4"}}
	for _, tt := range []struct {
		name string
		src  auth.TokenSource
		req  Request
	}{
		{"rejected token", auth.StaticToken(tokOld), Request{Spec: &getSpec, Params: params}},
		{"source token", &renewing{first: tokNew}, Request{Spec: &Spec{Op: "Fail", Method: http.MethodGet, Path: "/fail"}, Params: params}},
		{"given token", nil, Request{Spec: &Spec{Op: "Fail", Method: http.MethodGet, Path: "/fail", Auth: GivenToken}, Token: tokGiven, Params: params}},
		{"JSON body", &renewing{first: tokNew}, Request{Spec: &failSpec, Body: []byte(`{"pw":"password-4","key":"client-secret-1"}`)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, tt.src, nil)
			tt.req.Secrets = []string{"password-4"}
			_, err := fx.caller.Do(ctx, &tt.req)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), auth.Redacted) {
				t.Errorf("error %q scrubbed nothing: the test proves nothing", err)
			}
			for _, s := range secrets {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q quotes %s", err, s)
				}
			}
		})
	}
}

// TestQuoter: every secret of a Quoter is scrubbed, in its encodings,
// before the text is cut.
func TestQuoter(t *testing.T) {
	q := Quoter{token: "token-abc", client: []string{"client-xyz"}, request: []string{"pass word"}}
	got := q.Quote([]byte(`token-abc client-xyz pass+word "pass word"` + strings.Repeat(" ", 5000) + "tail"))
	if strings.Contains(got, "token-abc") || strings.Contains(got, "client-xyz") || strings.Contains(got, "pass") {
		t.Errorf("Quote left a secret: %q", got)
	}
	if strings.Contains(got, "tail") || strings.Count(got, auth.Redacted) != 4 {
		t.Errorf("Quote = %q", got)
	}
	if got := (Quoter{}).Quote([]byte(" plain ")); got != "plain" {
		t.Errorf("Quote without secrets = %q", got)
	}
}
