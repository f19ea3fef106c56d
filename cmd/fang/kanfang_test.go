package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/fangsdk/fang/kanfang/kanfangtest"
)

// fakeToken matches the tokens kanfangtest issues (48 hex digits).
var fakeToken = regexp.MustCompile(`[0-9a-f]{48}`)

func TestKanfangPut(t *testing.T) {
	t.Parallel()
	srv := kanfangServer(t)
	r := fang(t, kanfangEnv(srv), "kanfang", "put-anjuke-bianhao", "--package-id", "pkg-1", "--bianhao", "AJK-1").wantCode(t, exitOK)
	wantContains(t, r.stdout, "pkg-1", "AJK-1")
	wantNotContains(t, r.all(), srv.Token)
	if got, ok := srv.AnjukeBianHao("pkg-1"); !ok || got != "AJK-1" {
		t.Errorf("fake stored %q, %v; want AJK-1", got, ok)
	}
}

func TestKanfangPutFlagsAndPlacements(t *testing.T) {
	t.Parallel()
	srv := kanfangServer(t)
	for _, p := range []kanfangtest.Placement{kanfangtest.PlacementHeader, kanfangtest.PlacementForm, kanfangtest.PlacementCookie, kanfangtest.PlacementQuery} {
		pkg := "pkg-" + string(p)
		// Flags only, no environment; flags win over a bad environment.
		env := map[string]string{"FANG_KANFANG_BASE_URL": "http://127.0.0.1:1", "FANG_KANFANG_TOKEN": "wrong"}
		r := fang(t, env, "kanfang", "put-anjuke-bianhao", "--base-url", srv.URL, "--token", srv.Token,
			"--placement", string(p), "--package-id", pkg, "--bianhao", "N-"+string(p), "--json").wantCode(t, exitOK)
		m := r.jsonOut(t)
		res := m["result"].(map[string]any)
		if m["ok"] != true || res["packageId"] != pkg || res["anjukeBianHao"] != "N-"+string(p) {
			t.Errorf("%s: JSON %v", p, m)
		}
		log := srv.RequestLog()
		want := p
		if p == kanfangtest.PlacementQuery {
			want = kanfangtest.PlacementForm // a POST never carries the token in its URL
		}
		if last := log[len(log)-1]; last.TokenPlacement != want || last.Query.Has("Authorization") {
			t.Errorf("token travelled in %q (query %v), want %q", last.TokenPlacement, last.Query, want)
		}
		if got, _ := srv.AnjukeBianHao(pkg); got != "N-"+string(p) {
			t.Errorf("%s: stored %q", p, got)
		}
	}
}

func TestKanfangPutWithCredentials(t *testing.T) {
	t.Parallel()
	srv := kanfangServer(t)
	fang(t, kanfangCredEnv(srv), "kanfang", "put-anjuke-bianhao", "--package-id", "p", "--bianhao", "b").wantCode(t, exitOK)
	if srv.Logins() != 1 {
		t.Errorf("%d logins, want 1", srv.Logins())
	}
	if got, _ := srv.AnjukeBianHao("p"); got != "b" {
		t.Errorf("stored %q", got)
	}
}

func TestKanfangPutFailures(t *testing.T) {
	t.Parallel()
	srv := kanfangServer(t, kanfangtest.WithPackages("known"))

	// Rejected by the server: exit 1, state and message in both forms.
	args := []string{"kanfang", "put-anjuke-bianhao", "--package-id", "unknown", "--bianhao", "b"}
	r := fang(t, kanfangEnv(srv), args...).wantCode(t, exitAPI)
	wantContains(t, r.stderr, "state 403")
	m := fang(t, kanfangEnv(srv), append(args, "--json")...).wantCode(t, exitAPI).jsonOut(t)
	e := m["error"].(map[string]any)
	if m["ok"] != false || e["kind"] != "api" || e["state"] != 403.0 || e["message"] == "" || e["httpStatus"] != 200.0 {
		t.Errorf("JSON %v", m)
	}

	// A wrong token: exit 1 with a hint, and the token is not echoed.
	env := kanfangEnv(srv)
	env["FANG_KANFANG_TOKEN"] = "not-a-valid-token-value"
	r = fang(t, env, "kanfang", "put-anjuke-bianhao", "--package-id", "known", "--bianhao", "b").wantCode(t, exitAPI)
	wantContains(t, r.stderr, "state 401", "FANG_KANFANG_TOKEN")
	wantNotContains(t, r.all(), "not-a-valid-token-value")

	// Validation: exit 2, nothing sent.
	before := srv.Requests(kanfangtest.PathPutAnjukeBianHao)
	r = fang(t, kanfangEnv(srv), "kanfang", "put-anjuke-bianhao", "--package-id", "known").wantCode(t, exitUsage)
	wantContains(t, r.stderr, "--bianhao is required")
	wantNotContains(t, r.stderr, "AnjukeBianHao")
	m = fang(t, kanfangEnv(srv), "kanfang", "put-anjuke-bianhao", "--json").wantCode(t, exitUsage).jsonOut(t)
	e = m["error"].(map[string]any)
	if e["kind"] != "validation" || len(e["problems"].([]any)) != 2 ||
		e["problems"].([]any)[0].(map[string]any)["field"] != "--package-id" {
		t.Errorf("JSON %v", m)
	}
	if n := srv.Requests(kanfangtest.PathPutAnjukeBianHao); n != before {
		t.Errorf("%d requests sent after validation failures", n-before)
	}

	// Transport failure: exit 1.
	env = kanfangEnv(srv)
	env["FANG_KANFANG_BASE_URL"] = "http://127.0.0.1:1"
	m = fang(t, env, "kanfang", "put-anjuke-bianhao", "--package-id", "known", "--bianhao", "b", "--json").wantCode(t, exitAPI).jsonOut(t)
	if e := m["error"].(map[string]any); e["kind"] != "transport" {
		t.Errorf("JSON %v", m)
	}
}

func TestKanfangToken(t *testing.T) {
	t.Parallel()
	srv := kanfangServer(t)
	r := fang(t, kanfangCredEnv(srv), "kanfang", "token").wantCode(t, exitOK)
	wantContains(t, r.stdout, "access token expires:", "refresh token expires:", "(in 48h0m0s)", "(in 720h0m0s)")
	if fakeToken.MatchString(r.all()) {
		t.Errorf("a token was printed without --show-secret:\n%s", r.all())
	}
	wantNotContains(t, r.all(), srv.AuthValue)
	if srv.Logins() != 1 {
		t.Errorf("%d logins", srv.Logins())
	}

	m := fang(t, kanfangCredEnv(srv), "kanfang", "token", "--json").wantCode(t, exitOK).jsonOut(t)
	res := m["result"].(map[string]any)
	// Counted from the login to the print: a loaded machine may take a
	// few seconds in between.
	if !secondsNear(res["expiresInSeconds"], 172800) || !secondsNear(res["refreshExpiresInSeconds"], 2592000) || res["expiry"] == nil {
		t.Errorf("JSON %v", m)
	}
	if _, ok := res["token"]; ok {
		t.Errorf("JSON shows the token without --show-secret: %v", m)
	}

	r = fang(t, kanfangCredEnv(srv), "kanfang", "token", "--show-secret").wantCode(t, exitOK)
	if got := fakeToken.FindAllString(r.stdout, -1); len(got) != 2 {
		t.Errorf("--show-secret printed %d tokens, want 2:\n%s", len(got), r.stdout)
	}
	m = fang(t, kanfangCredEnv(srv), "kanfang", "token", "--json", "--show-secret").wantCode(t, exitOK).jsonOut(t)
	if tok, _ := m["result"].(map[string]any)["token"].(string); !fakeToken.MatchString(tok) {
		t.Errorf("JSON token %q", tok)
	}

	// Wrong credentials: exit 1, the secret not echoed.
	env := kanfangCredEnv(srv)
	env["FANG_KANFANG_AUTH_VALUE"] = "wrong-secret-value"
	r = fang(t, env, "kanfang", "token").wantCode(t, exitAPI)
	wantContains(t, r.stderr, "state 401")
	wantNotContains(t, r.all(), "wrong-secret-value")
}

// TestKanfangTokenMistypedAnswer: a login answer with a field of the wrong
// type carries the new tokens; fang kanfang token shows neither.
func TestKanfangTokenMistypedAnswer(t *testing.T) {
	t.Parallel()
	const newToken = "fresh-token-abcdef123456"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, `{"state":200,"payload":{"token":"`+newToken+`","tokenExpireIn":"172800","refreshToken":"`+newToken+`-r"}}`)
	}))
	defer srv.Close()
	env := map[string]string{"FANG_KANFANG_BASE_URL": srv.URL, "FANG_KANFANG_AUTH_KEY": "u", "FANG_KANFANG_AUTH_VALUE": "auth-value-secret"}
	for _, args := range [][]string{{"kanfang", "token"}, {"kanfang", "token", "--json"}, {"kanfang", "token", "--show-secret"}} {
		r := fang(t, env, args...).wantCode(t, exitAPI)
		wantContains(t, r.all(), "tokenExpireIn")
		wantNotContains(t, r.all(), newToken, "auth-value-secret")
	}
}

// TestKanfangPutGivesUp: after the retries run out the error says how many
// attempts were made and that the body was empty; a 404 hints at the base
// URL.
func TestKanfangPutGivesUp(t *testing.T) {
	t.Parallel()
	busy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer busy.Close()
	env := map[string]string{"FANG_KANFANG_BASE_URL": busy.URL, "FANG_KANFANG_TOKEN": "t0ken-value"}
	// A 5xx does not say the call did not run: exit 3, outcome unknown.
	r := fang(t, env, "kanfang", "put-anjuke-bianhao", "--package-id", "p", "--bianhao", "b").wantCode(t, exitUnknown)
	wantContains(t, r.stderr, "outcome unknown", "unexpected HTTP 503 response: (empty body) (after 3 attempts)",
		"hint: the request may have taken effect: check the server before trying again")
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()
	env["FANG_KANFANG_BASE_URL"] = missing.URL + "/wrong"
	r = fang(t, env, "kanfang", "put-anjuke-bianhao", "--package-id", "p", "--bianhao", "b").wantCode(t, exitAPI)
	wantContains(t, r.stderr, "HTTP 404", "hint: the server has no such path: check --base-url")
}

// TestDebugLogs: --debug (and -v) log every attempt and the login to
// stderr, never a secret; without it nothing is logged.
func TestDebugLogs(t *testing.T) {
	t.Parallel()
	srv := kanfangServer(t)
	for _, flag := range []string{"--debug", "-v"} {
		r := fang(t, kanfangCredEnv(srv), "kanfang", "put-anjuke-bianhao", "--package-id", "p", "--bianhao", "b", flag).wantCode(t, exitOK)
		wantContains(t, r.stderr, "fang: http attempt", "op=GetAccessToken", "op=PutAnjukeBianHao", "status=200")
		wantNotContains(t, r.all(), srv.AuthValue)
		if fakeToken.MatchString(r.all()) {
			t.Errorf("%s: a token in the output:\n%s", flag, r.all())
		}
	}
	r := fang(t, kanfangCredEnv(srv), "kanfang", "put-anjuke-bianhao", "--package-id", "p", "--bianhao", "b").wantCode(t, exitOK)
	wantNotContains(t, r.stderr, "fang: http attempt")
}

// secondsNear reports whether v, a JSON number, is want seconds or up to a
// minute less.
func secondsNear(v any, want float64) bool {
	f, ok := v.(float64)
	return ok && f <= want && f > want-60
}
