package kanfang

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
)

// TestEncodedSecretsNeverShown: a server that echoes what it received —
// the form body and query as sent (URL-encoded), JSON-escaped, path-escaped
// — in its failure message reveals no token, authValue or sign key, in the
// error, its %+v, or a log line.
func TestEncodedSecretsNeverShown(t *testing.T) {
	const (
		token     = "tok+en/x=y==abc"
		authValue = "pa ss/wo+rd=="
		signKey   = "sign/key+=abc"
	)
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		// What the server received, echoed in other encodings too.
		got := r.Header.Get("Authorization") + form.Get("Authorization") + r.URL.Query().Get("Authorization") + r.URL.Query().Get("authValue")
		quoted, _ := json.Marshal(got)
		msg := fmt.Sprintf("rejected: query=%s body=%s json=%s path=%s key=%s", r.URL.RawQuery, body, quoted,
			url.PathEscape(got), url.QueryEscape(signKey))
		b, _ := json.Marshal(map[string]any{"state": 403, "payload": msg})
		w.Write(b)
	}))
	defer echo.Close()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var errs []error
	for _, p := range []auth.Placement{auth.InForm, auth.InQuery, auth.InHeader} {
		c, err := NewClient(WithBaseURL(echo.URL), WithToken(auth.StaticToken(token)), WithTokenPlacement(p),
			WithSignKey(signKey), WithLogger(logger), WithoutRetry())
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.PutAnjukeBianHao(context.Background(), putReq)
		errs = append(errs, err)
		_, err = c.RefreshToken(context.Background(), token)
		errs = append(errs, err)
		_, err = c.GetAccessToken(context.Background(), "user", authValue)
		errs = append(errs, err)
	}
	for _, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "rejected: query=") {
			t.Fatalf("err = %v: the echo did not happen", err)
		}
		text := fmt.Sprintf("%v %+v", err, err) + logs.String()
		for _, secret := range []string{token, authValue, signKey, url.QueryEscape(token), url.QueryEscape(authValue),
			url.PathEscape(token), url.QueryEscape(signKey), "tok+en", "tok%2Ben", "pa+ss", "pa%20ss"} {
			if strings.Contains(text, secret) {
				t.Errorf("%q shown in %s", secret, text)
			}
		}
	}
}
