package property

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/envelope"
	"github.com/fangsdk/fang/sign"
)

// TestEncodedSecretsNeverShown: a gateway that echoes the session token,
// the login body or the security code URL-encoded or JSON-escaped in its
// message reveals none of them, in the error, its %+v or a log line; nor
// does a secret straddling the 2 KiB excerpt's cut.
func TestEncodedSecretsNeverShown(t *testing.T) {
	const (
		token    = "sess+ion/tok=en=="
		password = "pass/word+ 1"
		code     = "sec/code+=xyz"
	)
	hash := sign.HCPassword(password)
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var login struct{ Passwd string }
		_ = json.Unmarshal(body, &login)
		got := r.Header.Get("Authorization") + "|" + login.Passwd
		msg := fmt.Sprintf("鉴权失败：query=%s path=%s code=%s", url.QueryEscape(got), url.PathEscape(got), url.QueryEscape(code))
		// A secret straddling the cut of the excerpt.
		msg = strings.Repeat("x", envelope.MaxExcerpt-len(msg)-5) + msg + " " + got
		b, _ := json.Marshal(map[string]any{"code": 404, "msg": msg + " json=" + string(body)})
		w.Write(b)
	}))
	defer echo.Close()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := NewClient(WithBaseURL(echo.URL), WithAppID("app"), WithSecurityCode(code), WithToken(auth.StaticToken(token)), WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	var errs []error
	_, err = c.SaveProperty(context.Background(), company(1))
	errs = append(errs, err)
	_, err = c.Login(context.Background(), "admin", password)
	errs = append(errs, err)
	c2, _ := NewClient(WithBaseURL(echo.URL), WithAppID("app"), WithSecurityCode(code), WithPasswordMode(PasswordPlain))
	_, err = c2.Login(context.Background(), "admin", password)
	errs = append(errs, err)
	for _, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "鉴权失败") {
			t.Fatalf("err = %v: the echo did not happen", err)
		}
		text := fmt.Sprintf("%v %+v", err, err) + logs.String()
		for _, secret := range []string{token, password, hash, code, url.QueryEscape(token), url.PathEscape(token),
			url.QueryEscape(password), url.QueryEscape(code), "sess+ion", "sess%2Bion", "sess", "pass%2F", "pass/", hash[:8]} {
			if strings.Contains(text, secret) {
				t.Errorf("%q shown in %s", secret, text)
			}
		}
	}
}
