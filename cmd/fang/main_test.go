package main

import (
	"bytes"
	"context"
	"encoding/json"
	sdk "github.com/fangsdk/fang"
	"maps"
	"strings"
	"testing"

	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/property/propertytest"
)

// result is what one run of the command produced.
type result struct {
	code           int
	stdout, stderr string
}

// fang runs the command with args and the environment env (nothing else
// of the process environment is visible).
func fang(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	return fangCtx(t, context.Background(), env, args...)
}

func fangCtx(t *testing.T, ctx context.Context, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, &stdout, &stderr, func(k string) string { return env[k] })
	return result{code, stdout.String(), stderr.String()}
}

func (r result) wantCode(t *testing.T, code int) result {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	return r
}

// jsonOut decodes --json output.
func (r result) jsonOut(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, r.stdout)
	}
	return m
}

func (r result) all() string { return r.stdout + r.stderr }

func wantContains(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("output lacks %q:\n%s", sub, s)
		}
	}
}

func wantNotContains(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if sub != "" && strings.Contains(s, sub) {
			t.Errorf("output contains %q, which it must not:\n%s", sub, s)
		}
	}
}

func kanfangServer(t *testing.T, opts ...kanfangtest.Option) *kanfangtest.Server {
	srv := kanfangtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

func propertyServer(t *testing.T, opts ...propertytest.Option) *propertytest.Server {
	srv := propertytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// kanfangEnv configures the kanfang commands for srv with its token.
func kanfangEnv(srv *kanfangtest.Server) map[string]string {
	return map[string]string{"FANG_KANFANG_BASE_URL": srv.URL, "FANG_KANFANG_TOKEN": srv.Token}
}

// kanfangCredEnv configures the kanfang commands for srv with credentials.
func kanfangCredEnv(srv *kanfangtest.Server) map[string]string {
	return withCredentials(kanfangEnv(srv), "FANG_KANFANG_TOKEN",
		"FANG_KANFANG_AUTH_KEY", srv.AuthKey, "FANG_KANFANG_AUTH_VALUE", srv.AuthValue)
}

// propertyEnv configures the property commands for srv with its token.
func propertyEnv(srv *propertytest.Server) map[string]string {
	return map[string]string{
		"FANG_PROPERTY_URL":           srv.URL,
		"FANG_PROPERTY_APP_ID":        srv.AppID,
		"FANG_PROPERTY_SECURITY_CODE": srv.SecurityCode,
		"FANG_PROPERTY_TOKEN":         srv.Token,
	}
}

// propertyCredEnv configures the property commands with credentials.
func propertyCredEnv(srv *propertytest.Server) map[string]string {
	return withCredentials(propertyEnv(srv), "FANG_PROPERTY_TOKEN",
		"FANG_PROPERTY_USERNAME", srv.Username, "FANG_PROPERTY_PASSWORD", srv.Password)
}

// withCredentials is env with the credentials in place of the token.
func withCredentials(env map[string]string, tokenKey, userKey, user, secretKey, secret string) map[string]string {
	delete(env, tokenKey)
	env[userKey], env[secretKey] = user, secret
	return env
}

func TestHelpEverywhere(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"-h"}, []string{"fang kanfang put-anjuke-bianhao", "fang mock", "Exit codes"}},
		{[]string{"--help"}, []string{"fang property save-property"}},
		{[]string{"help"}, []string{"fang property login"}},
		{[]string{"help", "kanfang", "token"}, []string{"--show-secret", "FANG_KANFANG_AUTH_VALUE"}},
		{[]string{"kanfang", "-h"}, []string{"put-anjuke-bianhao", "token", "FANG_KANFANG_TOKEN"}},
		{[]string{"kanfang", "--help"}, []string{"FANG_KANFANG_BASE_URL"}},
		{[]string{"kanfang", "put-anjuke-bianhao", "-h"}, []string{"--package-id", "--bianhao", "--dry-run", "--json", "--placement", "FANG_KANFANG_AUTH_KEY"}},
		{[]string{"kanfang", "token", "--help"}, []string{"--show-secret", "FANG_KANFANG_AUTH_KEY"}},
		{[]string{"property", "-h"}, []string{"save-property", "login", "FANG_PROPERTY_SECURITY_CODE"}},
		{[]string{"property", "save-property", "--help"}, []string{"--file", "--community-id", "--group-id", "--founding-time", "FANG_PROPERTY_URL", "FANG_PROPERTY_PASSWORD"}},
		{[]string{"property", "login", "-h"}, []string{"--show-secret", "FANG_PROPERTY_USERNAME"}},
		{[]string{"mock", "-h"}, []string{"--addr", "--allow-non-loopback"}},
		{[]string{"mock", "--help"}, []string{"SIGINT"}},
	}
	for _, tc := range cases {
		r := fang(t, nil, tc.args...).wantCode(t, exitOK)
		wantContains(t, r.stdout, append(tc.want, "Usage")...)
		if r.stderr != "" {
			t.Errorf("%v: stderr %q, want none", tc.args, r.stderr)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		want string
	}{
		{nil, "Usage"},
		{[]string{"nope"}, `unknown command "nope"`},
		{[]string{"kanfang"}, "missing subcommand"},
		{[]string{"kanfang", "nope"}, `unknown subcommand "nope"`},
		{[]string{"property", "nope"}, `unknown subcommand "nope"`},
		{[]string{"kanfang", "token", "--bogus"}, "unknown flag --bogus\nRun 'fang kanfang token --help' for usage."},
		// A near miss is named, not answered with the whole help.
		{[]string{"kanfnag"}, `unknown command "kanfnag" (did you mean kanfang?)`},
		{[]string{"prop"}, `unknown command "prop" (did you mean property?)`},
		{[]string{"property", "save"}, `unknown subcommand "save" (did you mean save-property?)`},
		{[]string{"kanfang", "tokn"}, `unknown subcommand "tokn" (did you mean token?)`},
		{[]string{"kanfang", "put-anjuke-bianhao", "--package-di", "p"}, "unknown flag --package-di (did you mean --package-id?)"},
		{[]string{"property", "login", "--pasword", "p"}, "unknown flag --pasword (did you mean --password?)"},
		{[]string{"completion", "bsh"}, `unknown shell "bsh" (did you mean bash?)`},
		{[]string{"version", "--yaml"}, `unexpected "--yaml"`},
		{[]string{"kanfang", "put-anjuke-bianhao", "--timeout", "5"}, `invalid --timeout "5": use a duration such as 5s`},
		{[]string{"kanfang", "put-anjuke-bianhao", "--package-id"}, "flag --package-id needs a value"},
		{[]string{"kanfang", "token", "extra"}, `unexpected argument "extra"`},
		// token and login log in: they take no --token.
		{[]string{"kanfang", "token", "--token", "x"}, "unknown flag --token"},
		{[]string{"property", "login", "--token", "x"}, "unknown flag --token"},
		{[]string{"kanfang", "token", "--timeout", "0s"}, "--timeout must be positive"},
		{[]string{"kanfang", "put-anjuke-bianhao", "--timeout", "soon"}, `invalid --timeout "soon": use a duration such as 5s`},
		{[]string{"mock", "extra"}, `unexpected argument "extra"`},
	}
	for _, tc := range cases {
		r := fang(t, nil, tc.args...).wantCode(t, exitUsage)
		wantContains(t, r.stderr, tc.want)
		if strings.Contains(tc.want, "unknown") && (strings.Contains(r.stderr, "Subcommands:") || strings.Contains(r.stderr, "Flags:")) {
			t.Errorf("%v: the whole help was printed:\n%s", tc.args, r.stderr)
		}
	}
}

func TestVersionJSON(t *testing.T) {
	t.Parallel()
	m := fang(t, nil, "version", "--json").wantCode(t, exitOK).jsonOut(t)
	if m["version"] != sdk.Version || m["goVersion"] == "" {
		t.Fatalf("version --json = %v", m)
	}
}

// TestUsageErrorJSON: a usage error is JSON when --json is given, wherever
// it stands: also after the bad flag or argument that stopped parsing.
func TestUsageErrorJSON(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"kanfang", "token", "--json", "--bogus"},
		{"kanfang", "token", "--bogus", "--json"},
		{"property", "find", "--bogus", "-json=true"},
		{"kanfang", "token", "stray", "--json"},
	} {
		r := fang(t, nil, args...).wantCode(t, exitUsage)
		m := r.jsonOut(t)
		if m["ok"] != false || m["error"].(map[string]any)["kind"] != "usage" {
			t.Errorf("%q: got %v", args, m)
		}
	}
	for _, args := range [][]string{
		{"kanfang", "token", "--bogus", "--json=false"},
		{"kanfang", "token", "--bogus", "--", "--json"},
	} {
		r := fang(t, nil, args...).wantCode(t, exitUsage)
		if r.stdout != "" || !strings.Contains(r.stderr, "unknown flag --bogus") {
			t.Errorf("%q: stdout %q, stderr %q: want the text error", args, r.stdout, r.stderr)
		}
	}
}

func TestBadEnvValue(t *testing.T) {
	t.Parallel()
	srv := kanfangServer(t)
	env := kanfangEnv(srv)
	env["FANG_KANFANG_PLACEMENT"] = "pigeon"
	r := fang(t, env, "kanfang", "put-anjuke-bianhao", "--package-id", "p", "--bianhao", "b").wantCode(t, exitUsage)
	wantContains(t, r.stderr, "FANG_KANFANG_PLACEMENT", "header, form, cookie or query")
	if n := srv.Requests(kanfangtest.PathPutAnjukeBianHao); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestMissingConfig checks that each missing setting exits 2 naming the
// flag and the environment variable to set, before anything is sent.
func TestMissingConfig(t *testing.T) {
	t.Parallel()
	kf := kanfangServer(t)
	hc := propertyServer(t)
	without := func(env map[string]string, keys ...string) map[string]string {
		out := map[string]string{}
		maps.Copy(out, env)
		for _, k := range keys {
			delete(out, k)
		}
		return out
	}
	put := []string{"kanfang", "put-anjuke-bianhao", "--package-id", "p", "--bianhao", "b"}
	save := []string{"property", "save-property", "--name", "n", "--address", "a", "--tel", "13800000000", "--corporation", "c", "--founding-time", "2022-09-01"}
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"kanfang no token", without(kanfangEnv(kf), "FANG_KANFANG_TOKEN"), put, []string{"--token", "FANG_KANFANG_TOKEN", "FANG_KANFANG_AUTH_KEY"}},
		{"kanfang half credentials", without(kanfangCredEnv(kf), "FANG_KANFANG_AUTH_VALUE"), put, []string{"--auth-value", "FANG_KANFANG_AUTH_VALUE"}},
		{"kanfang token no credentials", kanfangEnv(kf), []string{"kanfang", "token"}, []string{"FANG_KANFANG_AUTH_KEY", "FANG_KANFANG_AUTH_VALUE"}},
		{"property no url", without(propertyEnv(hc), "FANG_PROPERTY_URL"), save, []string{"no HC base URL: set --base-url or FANG_PROPERTY_BASE_URL"}},
		{"property no app-id", without(propertyEnv(hc), "FANG_PROPERTY_APP_ID"), save, []string{"--app-id", "FANG_PROPERTY_APP_ID"}},
		{"property no session", without(propertyEnv(hc), "FANG_PROPERTY_TOKEN"), save, []string{"FANG_PROPERTY_TOKEN", "FANG_PROPERTY_USERNAME"}},
		{"property no password", without(propertyCredEnv(hc), "FANG_PROPERTY_PASSWORD"), save, []string{"--password", "FANG_PROPERTY_PASSWORD"}},
		{"property login no credentials", propertyEnv(hc), []string{"property", "login"}, []string{"FANG_PROPERTY_USERNAME", "FANG_PROPERTY_PASSWORD"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := fang(t, tc.env, tc.args...).wantCode(t, exitUsage)
			wantContains(t, r.stderr, tc.want...)
			rj := fang(t, tc.env, append(tc.args, "--json")...).wantCode(t, exitUsage)
			if kind := rj.jsonOut(t)["error"].(map[string]any)["kind"]; kind != "usage" {
				t.Errorf("kind %v, want usage", kind)
			}
		})
	}
	if n := kf.Requests(kanfangtest.PathPutAnjukeBianHao) + kf.Logins(); n != 0 {
		t.Errorf("kanfang fake got %d requests", n)
	}
	if n := hc.Requests(""); n != 0 {
		t.Errorf("HC fake got %d requests", n)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	r := fang(t, nil, "version").wantCode(t, exitOK)
	wantContains(t, r.stdout, "fang "+sdk.Version)
}
