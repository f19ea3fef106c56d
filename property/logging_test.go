package property

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
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/property/propertytest"
	"github.com/fangsdk/fang/sign"
)

// collectSecrets reports every secret of one exchange with the fake
// gateway: session tokens sent and handed out, and login passwords.
func collectSecrets(r *http.Request, reqBody, respBody []byte, add func(string)) {
	add(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	var login struct{ Passwd string }
	if json.Unmarshal(reqBody, &login) == nil {
		add(login.Passwd)
	}
	var env struct{ Data struct{ Token string } }
	if json.Unmarshal(respBody, &env) == nil {
		add(env.Data.Token)
	}
}

func newCompany(name string) *SavePropertyRequest {
	return &SavePropertyRequest{Name: name, Address: "北京市朝阳区XX路XX号", Tel: "18909711449", Corporation: "张三", FoundingTime: "2022-09-01"}
}

// TestLogsCarryNoSecrets runs a refused first attempt (retried), logins,
// saves, a rejected session and re-login, a gateway error page, a bad
// static token and wrong credentials with a debug JSON logger, and checks
// that the log has the lines an operator needs (op, path, status, attempt,
// transaction_id) and none of the secrets.
func TestLogsCarryNoSecrets(t *testing.T) {
	fake := propertytest.NewServer()
	defer fake.Close()
	tap := testkit.NewSecretTap(fake.Token, fake.Password, sign.HCPassword(fake.Password), fake.SecurityCode)
	srv := httptest.NewServer(tap.Wrap(fake.Handler(), collectSecrets))
	defer srv.Close()

	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx := context.Background()
	common := []Option{WithBaseURL(srv.URL), WithAppID(fake.AppID), WithSecurityCode(fake.SecurityCode),
		WithLogger(logger), WithRetry(3, time.Millisecond, 5*time.Millisecond)}

	c, err := NewClient(append(common, WithCredentials(fake.Username, fake.Password), WithHTTPClient(refusedOnce(t)))...)
	if err != nil {
		t.Fatal(err)
	}
	// Refused, retried; log in; save.
	if _, err := c.SaveProperty(ctx, newCompany("物业公司A")); err != nil {
		t.Fatal(err)
	}
	// The session is rejected (401): log in again, save once more.
	fake.RevokeSessions()
	if _, err := c.SaveProperty(ctx, newCompany("物业公司B")); err != nil {
		t.Fatal(err)
	}
	// A proxy's error page.
	fake.FailNext(1, propertytest.Failure{Endpoint: ServiceSaveProperty, HTTPStatus: 502, Body: "<html>502 Bad Gateway</html>"})
	if _, err := c.SaveProperty(ctx, newCompany("物业公司C")); !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("502: err = %v", err)
	}
	// A static token the gateway does not know.
	const badToken = "bad-static-session-0123"
	tap.Add(badToken)
	bad, err := NewClient(append(common, WithToken(auth.StaticToken(badToken)))...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.SaveProperty(ctx, newCompany("物业公司D")); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("bad token: err = %v", err)
	}
	// Wrong credentials.
	const wrongPassword = "wrong-password-4567"
	tap.Add(wrongPassword)
	tap.Add(sign.HCPassword(wrongPassword))
	wrong, err := NewClient(append(common, WithCredentials(fake.Username, wrongPassword))...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wrong.SaveProperty(ctx, newCompany("物业公司E")); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("wrong credentials: err = %v", err)
	}

	out := buf.Bytes()
	secrets := tap.List()
	if len(secrets) < 6 {
		t.Fatalf("only %d secrets crossed the wire: the scenario did not run", len(secrets))
	}
	for _, s := range secrets {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("secret %.6s… in the log", s)
		}
	}
	lines := testkit.LogLines(t, out)
	path := "/app/" + ServiceSaveProperty
	for _, want := range []map[string]any{
		{"msg": "fang: retrying", "level": "WARN", "op": "Login", "path": "/app/" + ServiceLogin, "attempt": 1},
		{"msg": "fang: http attempt", "op": "Login", "path": "/app/" + ServiceLogin, "status": 200, "attempt": 2},
		{"msg": "fang: http attempt", "op": "SaveProperty", "method": "POST", "path": path, "status": 200, "attempt": 1},
		{"msg": "fang: http attempt", "op": "SaveProperty", "path": path, "status": 502, "attempt": 1},
	} {
		if !testkit.HasLine(lines, want) {
			t.Errorf("no log line with %v", want)
		}
	}
	// Every request the gateway saw is logged with its transaction-id.
	logged := map[string]bool{}
	for _, l := range lines {
		if id, ok := l["transaction_id"].(string); ok && l["msg"] == "fang: http attempt" {
			logged[id] = true
		}
	}
	for _, id := range fake.TransactionIDs() {
		if !logged[id] {
			t.Errorf("transaction-id %s not in the log", id)
		}
	}
	if t.Failed() {
		t.Logf("log:\n%s", out)
	}
}

// echo is a server that answers with everything it received (method, URL,
// headers, body) and the application's security code inside the answer
// that reply builds, as a careless or hostile server might.
func echo(t *testing.T, reply func(w http.ResponseWriter, r *http.Request, dump string)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		reply(w, r, fmt.Sprintf("%s %s %v %s security=%s", r.Method, r.URL.RequestURI(), r.Header, body, testSecurity))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func envelopeReply(status, code int) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, _ *http.Request, dump string) {
		msg := dump
		if status == http.StatusInternalServerError {
			msg = "请求发生异常，" + dump // AppController's answer
		}
		b, _ := json.Marshal(map[string]any{"code": code, "msg": msg})
		w.WriteHeader(status)
		w.Write(b)
	}
}

func plainReply(status int) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, _ *http.Request, dump string) {
		w.WriteHeader(status)
		io.WriteString(w, dump)
	}
}

// TestErrorsCarryNoSecrets makes every kind of error the package returns,
// against servers that echo what they received, and checks that no
// rendering of the error (%v, %+v, %#v) shows a secret.
func TestErrorsCarryNoSecrets(t *testing.T) {
	const (
		password = "secret-password-9c0d1e2f"
		session  = "secret-session-from-login-77aa"
	)
	secrets := []string{testToken, testSecurity, password, session}
	ctx := context.Background()
	client := func(t *testing.T, base string, opts ...Option) *Client {
		t.Helper()
		return newTestClient(t, base, opts...) // testToken, testSecurity
	}
	save := func(c *Client) error { _, err := c.SaveProperty(ctx, vectorRequest); return err }
	credentials := func(t *testing.T, base string) *Client {
		t.Helper()
		c, err := NewClient(WithBaseURL(base), WithAppID(testAppID), WithSecurityCode(testSecurity), WithCredentials("admin", password))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	blocked := func(w http.ResponseWriter, r *http.Request, _ string) { <-r.Context().Done() }

	tests := []struct {
		name string
		err  func(t *testing.T) error
		is   error // a sentinel the error must match; nil: none
	}{
		{"invalid request", func(t *testing.T) error {
			_, err := client(t, "http://127.0.0.1:1").SaveProperty(ctx, &SavePropertyRequest{Name: testToken})
			return err
		}, ErrInvalidRequest},
		{"config: password in the base URL", func(t *testing.T) error {
			_, err := NewClient(WithBaseURL("http://admin:"+password+"@127.0.0.1:1"), WithAppID(testAppID))
			return err
		}, ErrConfig},
		{"code -1", func(t *testing.T) error { return save(client(t, echo(t, envelopeReply(200, -1)).URL)) }, ErrSaveFailed},
		{"code -2", func(t *testing.T) error { return save(client(t, echo(t, envelopeReply(200, -2)).URL)) }, ErrCommunityAlreadySettled},
		{"code -3", func(t *testing.T) error { return save(client(t, echo(t, envelopeReply(200, -3)).URL)) }, ErrDefaultPrivilegeMissing},
		{"gateway catch-all", func(t *testing.T) error { return save(client(t, echo(t, envelopeReply(500, 404)).URL)) }, ErrGateway},
		{"HTTP 401 plain text", func(t *testing.T) error { return save(client(t, echo(t, plainReply(401)).URL)) }, ErrUnauthorized},
		{"HTML 502", func(t *testing.T) error { return save(client(t, echo(t, plainReply(502)).URL)) }, ErrOutcomeUnknown},
		{"login: HTTP 401", func(t *testing.T) error {
			_, err := client(t, echo(t, plainReply(401)).URL).Login(ctx, "admin", password)
			return err
		}, ErrUnauthorized},
		{"login: success without a token", func(t *testing.T) error {
			_, err := client(t, echo(t, func(w http.ResponseWriter, _ *http.Request, dump string) {
				b, _ := json.Marshal(map[string]any{"code": 0, "msg": "成功", "data": map[string]string{"echo": dump}})
				w.Write(b)
			}).URL).Login(ctx, "admin", password)
			return err
		}, ErrUnexpectedResponse},
		{"credentials rejected", func(t *testing.T) error { return save(credentials(t, echo(t, plainReply(401)).URL)) }, nil},
		{"session rejected, re-login rejected", func(t *testing.T) error {
			var logins atomic.Int32
			return save(credentials(t, echo(t, func(w http.ResponseWriter, r *http.Request, dump string) {
				if strings.HasSuffix(r.URL.Path, ServiceLogin) && logins.Add(1) == 1 {
					fmt.Fprintf(w, `{"code":0,"msg":"成功","data":{"userId":"1","token":%q}}`, session)
					return
				}
				w.WriteHeader(http.StatusUnauthorized)
				io.WriteString(w, dump)
			}).URL))
		}, nil},
		{"redirect", func(t *testing.T) error {
			return save(client(t, echo(t, func(w http.ResponseWriter, r *http.Request, dump string) {
				http.Redirect(w, r, "http://192.0.2.1/next?echo="+strings.ReplaceAll(dump, " ", "+"), http.StatusTemporaryRedirect)
			}).URL))
		}, nil},
		{"refused", func(t *testing.T) error { return save(client(t, "http://"+testkit.ClosedAddr(t))) }, nil},
		{"timeout", func(t *testing.T) error {
			return save(client(t, echo(t, blocked).URL, WithTimeout(20*time.Millisecond)))
		}, context.DeadlineExceeded},
		{"body too large", func(t *testing.T) error {
			return save(client(t, echo(t, plainReply(502)).URL, WithMaxResponseBytes(16)))
		}, ErrOutcomeUnknown},
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
			var pe *Error
			if errors.As(err, &pe) && !regexp.MustCompile(`^\d{30}$`).MatchString(pe.TransactionID) && pe.TransactionID != "" {
				t.Errorf("transaction-id %q", pe.TransactionID)
			}
		})
	}
}

// TestPrintingShowsNoSecrets: a client, printed or logged in any way, shows
// neither the session token nor the security code.
func TestPrintingShowsNoSecrets(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1")
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "client", c)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "client", c)
	all := fmt.Sprintf("%v %+v %#v %s | %s", c, c, c, c, buf.String())
	for _, s := range []string{testToken, testSecurity} {
		if strings.Contains(all, s) {
			t.Errorf("secret %q in %s", s, all)
		}
	}
}
