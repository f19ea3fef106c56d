package kanfang

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
)

const secretSignKey = "sign-key-5b8e0d1f"

// collectSecrets reports every secret of one exchange with the fake: the
// token wherever it travels (header, form, cookie, query), the login's
// authValue, and the tokens the server hands out.
func collectSecrets(r *http.Request, reqBody, respBody []byte, add func(string)) {
	add(r.Header.Get("Authorization"))
	if c, err := r.Cookie("Authorization"); err == nil {
		add(c.Value)
	}
	q := r.URL.Query()
	add(q.Get("Authorization"))
	add(q.Get("authValue"))
	if form, err := url.ParseQuery(string(reqBody)); err == nil {
		add(form.Get("Authorization"))
	}
	var env struct {
		Payload struct{ Token, RefreshToken string }
	}
	if json.Unmarshal(respBody, &env) == nil {
		add(env.Payload.Token)
		add(env.Payload.RefreshToken)
	}
}

// TestLogsCarryNoSecrets runs logins, refreshes, retries and 401s in every
// token placement with a debug JSON logger and checks that the log has the
// lines an operator needs and none of the secrets that crossed the wire.
func TestLogsCarryNoSecrets(t *testing.T) {
	fake := kanfangtest.NewServer(kanfangtest.WithSignKey(secretSignKey))
	defer fake.Close()
	tap := testkit.NewSecretTap(fake.Token, fake.RefreshToken, fake.AuthValue, secretSignKey)
	srv := httptest.NewServer(tap.Wrap(fake.Handler(), collectSecrets))
	defer srv.Close()

	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx := context.Background()
	common := []Option{WithBaseURL(srv.URL), WithSignKey(secretSignKey), WithLogger(logger), WithRetry(3, time.Millisecond, 5*time.Millisecond)}

	for _, p := range []auth.Placement{auth.InHeader, auth.InForm, auth.InCookie, auth.InQuery} {
		c, err := NewClient(append(common, WithCredentials(fake.AuthKey, fake.AuthValue), WithTokenPlacement(p))...)
		if err != nil {
			t.Fatal(err)
		}
		// Log in, then set a number.
		if _, err := c.PutAnjukeBianHao(ctx, putReq); err != nil {
			t.Fatalf("%v: %v", p, err)
		}
		// A gateway's 503 once: retried.
		fake.FailNext(1, kanfangtest.Failure{Endpoint: kanfangtest.PathPutAnjukeBianHao, HTTPStatus: 503, Body: "<html>busy</html>", RetryAfter: "0"})
		if _, err := c.PutAnjukeBianHao(ctx, putReq); err != nil {
			t.Fatalf("%v after a 503: %v", p, err)
		}
		// The token is revoked: state 401, refresh (the refresh token
		// travels in p), repeat.
		fake.RevokeTokens()
		if _, err := c.PutAnjukeBianHao(ctx, putReq); err != nil {
			t.Fatalf("%v after revocation: %v", p, err)
		}
		// The refresh token is revoked too: 401, 4011, log in again.
		fake.RevokeTokens()
		fake.RevokeRefreshTokens()
		if _, err := c.PutAnjukeBianHao(ctx, putReq); err != nil {
			t.Fatalf("%v after revoking everything: %v", p, err)
		}
	}
	// A static token the server does not know: 401, not renewed.
	const badToken = "bad-static-token-0123"
	tap.Add(badToken)
	c, err := NewClient(append(common, WithToken(auth.StaticToken(badToken)), WithTokenPlacement(auth.InQuery))...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutAnjukeBianHao(ctx, putReq); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("bad static token: err = %v", err)
	}
	// Wrong credentials.
	const wrongValue = "wrong-auth-value-4567"
	tap.Add(wrongValue)
	c, err = NewClient(append(common, WithCredentials(fake.AuthKey, wrongValue))...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutAnjukeBianHao(ctx, putReq); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("wrong credentials: err = %v", err)
	}

	out := buf.Bytes()
	secrets := tap.List()
	if len(secrets) < 16 { // 4 placements × (login + refresh + login) × 2 tokens, and the rest
		t.Fatalf("only %d secrets crossed the wire: the scenario did not run", len(secrets))
	}
	for _, s := range secrets {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("secret %.6s… in the log", s)
		}
	}
	lines := testkit.LogLines(t, out)
	for _, want := range []map[string]any{
		{"msg": "fang: http attempt", "op": "PutAnjukeBianHao", "method": "POST", "path": PathPutAnjukeBianHao, "status": 200, "attempt": 1},
		{"msg": "fang: http attempt", "op": "PutAnjukeBianHao", "path": PathPutAnjukeBianHao, "status": 503, "attempt": 1},
		{"msg": "fang: http attempt", "op": "PutAnjukeBianHao", "path": PathPutAnjukeBianHao, "status": 200, "attempt": 2},
		{"msg": "fang: retrying", "level": "WARN", "op": "PutAnjukeBianHao", "path": PathPutAnjukeBianHao, "attempt": 1, "reason": "HTTP 503"},
		{"msg": "fang: http attempt", "op": "GetAccessToken", "method": "GET", "path": PathGetAccessToken, "status": 200},
		{"msg": "fang: http attempt", "op": "RefreshToken", "method": "GET", "path": PathRefreshToken, "status": 200},
	} {
		if !testkit.HasLine(lines, want) {
			t.Errorf("no log line with %v", want)
		}
	}
	if t.Failed() {
		t.Logf("log:\n%s", out)
	}
}

// echo is a server that answers with everything it received (method, URL
// with query, headers with cookies, body) inside the answer that reply
// builds, as a careless or hostile server might.
func echo(t *testing.T, reply func(w http.ResponseWriter, r *http.Request, dump string)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		reply(w, r, fmt.Sprintf("%s %s %v %s", r.Method, r.URL.RequestURI(), r.Header, body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func envelopeReply(state int) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, _ *http.Request, dump string) {
		b, _ := json.Marshal(map[string]any{"state": state, "payload": dump})
		w.Write(b)
	}
}

// TestErrorsCarryNoSecrets makes every kind of error the package returns,
// against servers that echo what they received, and checks that no
// rendering of the error (%v, %+v, %#v) shows a secret.
func TestErrorsCarryNoSecrets(t *testing.T) {
	const (
		token     = "secret-token-1a2b3c4d"
		refresh   = "secret-refresh-5e6f7a8b"
		authValue = "secret-authvalue-9c0d1e2f"
	)
	secrets := []string{token, refresh, authValue, secretSignKey}
	ctx := context.Background()
	client := func(t *testing.T, base string, opts ...Option) *Client {
		t.Helper()
		c, err := NewClient(append([]Option{WithBaseURL(base), WithToken(auth.StaticToken(token)), WithSignKey(secretSignKey),
			WithRetry(3, time.Millisecond, 5*time.Millisecond)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	put := func(c *Client) error { _, err := c.PutAnjukeBianHao(ctx, putReq); return err }
	blocked := func(w http.ResponseWriter, r *http.Request, _ string) { <-r.Context().Done() }

	tests := []struct {
		name string
		err  func(t *testing.T) error
		is   error // a sentinel the error must match; nil: none
	}{
		{"invalid request", func(t *testing.T) error {
			_, err := client(t, "http://127.0.0.1:1").PutAnjukeBianHao(ctx, &PutAnjukeBianHaoRequest{PackageID: token})
			return err
		}, ErrInvalidRequest},
		{"config: password in the base URL", func(t *testing.T) error {
			_, err := NewClient(WithBaseURL("http://user:"+authValue+"@127.0.0.1:1"), WithToken(auth.StaticToken(token)))
			return err
		}, ErrConfig},
		{"config: password in an unparsable base URL", func(t *testing.T) error {
			_, err := NewClient(WithBaseURL("http://user:"+authValue+"@127.0.0.1:port"), WithToken(auth.StaticToken(token)))
			return err
		}, ErrConfig},
		{"config: token in the base URL's query", func(t *testing.T) error {
			_, err := NewClient(WithBaseURL("http://127.0.0.1:1/?Authorization="+token), WithToken(auth.StaticToken(token)))
			return err
		}, ErrConfig},
		{"state 401 (header)", func(t *testing.T) error { return put(client(t, echo(t, envelopeReply(401)).URL)) }, ErrUnauthorized},
		{"state 403 (form)", func(t *testing.T) error {
			return put(client(t, echo(t, envelopeReply(403)).URL, WithTokenPlacement(auth.InForm)))
		}, ErrRejected},
		{"state 500 (cookie)", func(t *testing.T) error {
			return put(client(t, echo(t, envelopeReply(500)).URL, WithTokenPlacement(auth.InCookie)))
		}, ErrServerError},
		{"other state (query)", func(t *testing.T) error {
			return put(client(t, echo(t, envelopeReply(9999)).URL, WithTokenPlacement(auth.InQuery)))
		}, nil},
		{"success without a payload", func(t *testing.T) error { return put(client(t, echo(t, envelopeReply(200)).URL)) }, ErrUnexpectedResponse},
		{"HTML 502", func(t *testing.T) error {
			return put(client(t, echo(t, func(w http.ResponseWriter, _ *http.Request, dump string) {
				w.WriteHeader(http.StatusBadGateway)
				io.WriteString(w, "<html><body>"+dump+"</body></html>")
			}).URL, WithTokenPlacement(auth.InQuery)))
		}, ErrUnexpectedResponse},
		{"login: state 401", func(t *testing.T) error {
			_, err := client(t, echo(t, envelopeReply(401)).URL).GetAccessToken(ctx, "user", authValue)
			return err
		}, ErrUnauthorized},
		{"refresh: state 4011", func(t *testing.T) error {
			_, err := client(t, echo(t, envelopeReply(4011)).URL, WithTokenPlacement(auth.InQuery)).RefreshToken(ctx, refresh)
			return err
		}, ErrRefreshFailed},
		{"credentials rejected", func(t *testing.T) error {
			c, err := NewClient(WithBaseURL(echo(t, envelopeReply(401)).URL), WithCredentials("user", authValue), WithSignKey(secretSignKey))
			if err != nil {
				t.Fatal(err)
			}
			return put(c)
		}, ErrUnauthorized},
		{"redirect echoing the query", func(t *testing.T) error {
			return put(client(t, echo(t, func(w http.ResponseWriter, r *http.Request, _ string) {
				http.Redirect(w, r, "http://192.0.2.1/next?"+r.URL.RawQuery, http.StatusFound)
			}).URL, WithTokenPlacement(auth.InQuery)))
		}, nil},
		{"login: refused", func(t *testing.T) error {
			_, err := client(t, "http://"+testkit.ClosedAddr(t)).GetAccessToken(ctx, "user", authValue)
			return err
		}, nil},
		{"login: timeout", func(t *testing.T) error {
			_, err := client(t, echo(t, blocked).URL, WithTimeout(20*time.Millisecond)).GetAccessToken(ctx, "user", authValue)
			return err
		}, context.DeadlineExceeded},
		{"timeout (query)", func(t *testing.T) error {
			return put(client(t, echo(t, blocked).URL, WithTimeout(20*time.Millisecond), WithTokenPlacement(auth.InQuery)))
		}, context.DeadlineExceeded},
		{"body too large (query)", func(t *testing.T) error {
			return put(client(t, echo(t, envelopeReply(401)).URL, WithMaxResponseBytes(16), WithTokenPlacement(auth.InQuery)))
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err(t)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want it to match %v", err, tt.is)
			}
			all := fmt.Sprintf("%v %+v %#v", err, err, err)
			for _, s := range secrets {
				if strings.Contains(all, s) {
					t.Errorf("secret %q in %s", s, all)
				}
			}
		})
	}
}

// TestPrintingShowsNoSecrets: a client and a token, printed or logged in
// any way, show neither the token nor the sign key.
func TestPrintingShowsNoSecrets(t *testing.T) {
	const token, refresh = "print-token-31c4", "print-refresh-8d2e"
	c, err := NewClient(WithToken(auth.StaticToken(token)), WithSignKey(secretSignKey))
	if err != nil {
		t.Fatal(err)
	}
	tok := auth.Token{Value: token, RefreshToken: refresh}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "client", c, "token", tok, "ptr", &tok)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "client", c, "token", tok, "ptr", &tok)
	all := fmt.Sprintf("%v %+v %#v %s | %v %+v %#v | %v %+v %#v | %s", c, c, c, c, tok, tok, tok, &tok, &tok, &tok, buf.String())
	for _, s := range []string{token, refresh, secretSignKey} {
		if strings.Contains(all, s) {
			t.Errorf("secret %q in %s", s, all)
		}
	}
}
