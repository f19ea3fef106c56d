package main

import (
	"crypto/md5"
	"encoding/hex"
	"maps"
	"net"
	"strings"
	"testing"

	"github.com/fangsdk/fang/sign"
)

// Secrets of the dry-run tests: none may appear in any output.
const (
	kfToken     = "kf-secret-token-1234"
	kfAuthValue = "kf-secret-auth-value"
	kfSignKey   = "kf-secret-sign-key"
	hcToken     = "hc-secret-token-5678"
	hcCode      = "hc-secret-security-code"
	hcPassword  = "hc-secret-password"
)

var allSecrets = []string{kfToken, kfAuthValue, kfSignKey, hcToken, hcCode, hcPassword, sign.HCPassword(hcPassword)}

// noConnections returns a base URL on a live loopback listener and a check
// that fails the test if anything connected to it. The check dials a probe
// connection and accepts: the accept queue is first in, first out, so the
// first connection accepted is the probe exactly when nobody else
// connected.
func noConnections(t *testing.T) (string, func()) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return "http://" + l.Addr().String(), func() {
		t.Helper()
		probe, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer probe.Close()
		c, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if c.RemoteAddr().String() != probe.LocalAddr().String() {
			t.Errorf("the dry run connected to the server (from %s)", c.RemoteAddr())
		}
	}
}

// TestDryRun: the dry run prints the first request the SDK builds and
// signs, sends nothing, and shows no secret: the SDK's redaction replaces
// each by [REDACTED]. With credentials the first request is the login.
func TestDryRun(t *testing.T) {
	// Not parallel: it counts the captures of the whole package.
	kfTok := map[string]string{"FANG_KANFANG_TOKEN": kfToken, "FANG_KANFANG_SIGN_KEY": ""}
	kfCred := map[string]string{"FANG_KANFANG_AUTH_KEY": "kf-user", "FANG_KANFANG_AUTH_VALUE": kfAuthValue}
	hcTok := map[string]string{"FANG_PROPERTY_APP_ID": "app-1", "FANG_PROPERTY_SECURITY_CODE": hcCode, "FANG_PROPERTY_TOKEN": hcToken}
	hcCred := map[string]string{"FANG_PROPERTY_APP_ID": "app-1", "FANG_PROPERTY_SECURITY_CODE": hcCode,
		"FANG_PROPERTY_USERNAME": "hc-user", "FANG_PROPERTY_PASSWORD": hcPassword}
	put := []string{"kanfang", "put-anjuke-bianhao", "--package-id", "pkg-1", "--bianhao", "AJK-1"}
	login := "GET /v2/Authorization/GetAccessToken?authKey=kf-user&authValue=%5BREDACTED%5D&clientEdtion=ps_1.0.0"
	save := saveArgs()
	cases := []struct {
		name    string
		urlKey  string // environment variable of the base URL
		env     map[string]string
		args    []string
		want    []string
		signed  bool // an HC request: its sign is checked
		unreach bool // use http://127.0.0.1:1 instead of a listener
	}{
		{"kanfang put header", "FANG_KANFANG_BASE_URL", kfTok, put,
			[]string{"POST /v2/houseTask/putAnjukeBianHao", "Authorization: [REDACTED]", "anjukeBianHao=AJK-1&packageId=pkg-1"}, false, false},
		{"kanfang put form", "FANG_KANFANG_BASE_URL", kfTok, append(put, "--placement", "form"),
			[]string{"Authorization=[REDACTED]&anjukeBianHao=AJK-1"}, false, false},
		{"kanfang put cookie", "FANG_KANFANG_BASE_URL", kfTok, append(put, "--placement", "cookie"),
			[]string{"Cookie: Authorization=[REDACTED]"}, false, false},
		{"kanfang put query", "FANG_KANFANG_BASE_URL", kfTok, append(put, "--placement", "query"),
			// A query placement on a POST travels in the form, never the URL.
			[]string{"POST /v2/houseTask/putAnjukeBianHao\n", "Authorization=[REDACTED]&anjukeBianHao=AJK-1"}, false, true},
		{"kanfang put credentials", "FANG_KANFANG_BASE_URL", kfCred, put, []string{login}, false, false},
		{"kanfang put sign key", "FANG_KANFANG_BASE_URL", kfTok, append(put, "--sign-key", kfSignKey),
			[]string{"Timestamp: ", "Sign: ", "anjukeBianHao=AJK-1&packageId=pkg-1"}, false, false},
		{"kanfang token", "FANG_KANFANG_BASE_URL", kfCred, []string{"kanfang", "token", "--show-secret"}, []string{login}, false, false},
		{"property save token", "FANG_PROPERTY_URL", hcTok, save,
			[]string{"POST /app/property.saveProperty", "Authorization: Bearer [REDACTED]", "Transaction-Id: ", "Req-Time: ", "Sign: ", `"name":"物业公司A"`}, true, true},
		{"property save credentials", "FANG_PROPERTY_URL", hcCred, save,
			[]string{"POST /app/login.pcUserLogin", `{"username":"hc-user","passwd":"[REDACTED]"}`}, true, false},
		{"property login", "FANG_PROPERTY_URL", hcCred, []string{"property", "login", "--show-secret"},
			[]string{"POST /app/login.pcUserLogin", `{"username":"hc-user","passwd":"[REDACTED]"}`, "User-Id: -1"}, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base, check := noConnections(t)
			if tc.unreach {
				base, check = "http://127.0.0.1:1", func() {}
			}
			env := map[string]string{tc.urlKey: base}
			maps.Copy(env, tc.env)
			before := captures.Load()
			r := fang(t, env, append(tc.args, "--dry-run", "--timeout", "5s")...).wantCode(t, exitOK)
			check()
			if n := captures.Load() - before; n != 1 {
				t.Errorf("%d requests captured, want 1", n)
			}
			wantContains(t, r.stdout, "NOT sent")
			for _, w := range tc.want {
				wantContains(t, r.stdout, strings.ReplaceAll(w, " /", " "+base+"/"))
			}
			wantNotContains(t, r.all(), allSecrets...)

			// The JSON form: the same request; for HC, with the password
			// hash put back, the printed request is exactly what the sign
			// header covers.
			before = captures.Load()
			m := fang(t, env, append(tc.args, "--dry-run", "--json")...).wantCode(t, exitOK).jsonOut(t)
			wantNotContains(t, r.all(), allSecrets...)
			if n := captures.Load() - before; n != 1 {
				t.Errorf("%d requests captured, want 1", n)
			}
			req := m["request"].(map[string]any)
			if m["ok"] != true || m["dryRun"] != true || !strings.HasPrefix(req["url"].(string), base+"/") {
				t.Errorf("JSON %v", m)
			}
			if tc.signed {
				h := req["headers"].(map[string]any)
				tx, rt, app := h["Transaction-Id"].(string), h["Req-Time"].(string), h["App-Id"].(string)
				body := strings.ReplaceAll(req["body"].(string), "[REDACTED]", sign.HCPassword(hcPassword))
				if len(tx) != 30 || len(rt) != 14 || app != "app-1" {
					t.Errorf("headers %v", h)
				}
				sum := md5.Sum([]byte(tx + rt + app + body + hcCode))
				if h["Sign"] != hex.EncodeToString(sum[:]) {
					t.Errorf("sign %v is not the md5 of the printed request with the secrets put back", h["Sign"])
				}
			}
		})
	}
}

func TestDryRunStillValidates(t *testing.T) {
	base, check := noConnections(t)
	env := map[string]string{"FANG_PROPERTY_URL": base, "FANG_PROPERTY_APP_ID": "app", "FANG_PROPERTY_TOKEN": hcToken}
	before := captures.Load()
	r := fang(t, env, "property", "save-property", "--name", "n", "--dry-run").wantCode(t, exitUsage)
	wantContains(t, r.stderr, "invalid request", "--address is required")
	r = fang(t, map[string]string{"FANG_KANFANG_BASE_URL": base}, "kanfang", "put-anjuke-bianhao", "--package-id", "p", "--bianhao", "b", "--dry-run").wantCode(t, exitUsage)
	wantContains(t, r.stderr, "FANG_KANFANG_TOKEN")
	check()
	if n := captures.Load() - before; n != 0 {
		t.Errorf("%d requests captured, want 0", n)
	}
}

// TestDryRunShortSecrets: a token or password shorter than the SDK's
// redaction handles (under 4 bytes) is still never printed: the dry run
// masks the fields that carry them.
func TestDryRunShortSecrets(t *testing.T) {
	const token, password = "Zq9", "Xw7"
	put := []string{"kanfang", "put-anjuke-bianhao", "--package-id", "pkg-1", "--bianhao", "AJK-1", "--dry-run"}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"kanfang header", map[string]string{"FANG_KANFANG_TOKEN": token}, put, "Authorization: [REDACTED]"},
		{"kanfang form", map[string]string{"FANG_KANFANG_TOKEN": token}, append(put, "--placement", "form"), "Authorization=[REDACTED]&"},
		{"kanfang cookie", map[string]string{"FANG_KANFANG_TOKEN": token}, append(put, "--placement", "cookie"), "Cookie: Authorization=[REDACTED]"},
		{"kanfang login", map[string]string{"FANG_KANFANG_AUTH_KEY": "kf-user", "FANG_KANFANG_AUTH_VALUE": password}, put, "authValue=%5BREDACTED%5D"},
		{"property token", map[string]string{"FANG_PROPERTY_APP_ID": "app-1", "FANG_PROPERTY_SECURITY_CODE": hcCode, "FANG_PROPERTY_TOKEN": token},
			append(saveArgs(), "--dry-run"), "Authorization: Bearer [REDACTED]"},
		// The staff app's id: the password is sent as it is, not hashed.
		{"property plain password", map[string]string{"FANG_PROPERTY_APP_ID": "992020022270580001", "FANG_PROPERTY_SECURITY_CODE": hcCode,
			"FANG_PROPERTY_USERNAME": "hc-user", "FANG_PROPERTY_PASSWORD": password},
			[]string{"property", "login", "--dry-run"}, `"passwd":"[REDACTED]"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"FANG_KANFANG_BASE_URL": "http://127.0.0.1:1", "FANG_PROPERTY_BASE_URL": "http://127.0.0.1:1"}
			maps.Copy(env, tc.env)
			r := fang(t, env, tc.args...).wantCode(t, exitOK)
			wantContains(t, r.stdout, tc.want)
			wantNotContains(t, r.all(), token, password)
		})
	}
}
