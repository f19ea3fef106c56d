package main

import (
	"testing"

	"github.com/fangsdk/fang/kanfang/kanfangtest"
)

// TestAccountRules pins the rules both APIs share, through the commands,
// with each API's names in the messages: a token wins over credentials,
// credentials make the client log in, and anything missing is a usage
// error naming what to set, before anything is sent.
func TestAccountRules(t *testing.T) {
	t.Parallel()
	kf := kanfangServer(t)
	hc := propertyServer(t)
	kfEnv := func(token, user, secret string) map[string]string {
		return map[string]string{"FANG_KANFANG_BASE_URL": kf.URL, "FANG_KANFANG_TOKEN": token,
			"FANG_KANFANG_AUTH_KEY": user, "FANG_KANFANG_AUTH_VALUE": secret}
	}
	hcEnv := func(token, user, secret string) map[string]string {
		return map[string]string{"FANG_PROPERTY_BASE_URL": hc.URL, "FANG_PROPERTY_APP_ID": hc.AppID,
			"FANG_PROPERTY_SECURITY_CODE": hc.SecurityCode, "FANG_PROPERTY_TOKEN": token,
			"FANG_PROPERTY_USERNAME": user, "FANG_PROPERTY_PASSWORD": secret}
	}
	put := []string{"kanfang", "put-anjuke-bianhao", "--package-id", "p", "--bianhao", "b"}
	find := []string{"property", "find", "--tel", "13800000000"}
	cases := []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr string // "" for success
		logins  int    // logins the success made
	}{
		{"kanfang token", kfEnv(kf.Token, "", ""), put, "", 0},
		{"kanfang token wins", kfEnv(kf.Token, "u", "wrong"), put, "", 0},
		{"kanfang credentials", kfEnv("", kf.AuthKey, kf.AuthValue), put, "", 1},
		{"kanfang nothing", kfEnv("", "", ""), put,
			"no kanfang token: set --token or FANG_KANFANG_TOKEN, or --auth-key and --auth-value (FANG_KANFANG_AUTH_KEY, FANG_KANFANG_AUTH_VALUE)", 0},
		{"kanfang no auth key", kfEnv("", "", "s"), put, "no kanfang auth key: set --auth-key or FANG_KANFANG_AUTH_KEY", 0},
		{"kanfang no auth value", kfEnv("", "u", ""), put, "no kanfang auth value: set --auth-value or FANG_KANFANG_AUTH_VALUE", 0},
		{"kanfang login command", kfEnv("", kf.AuthKey, kf.AuthValue), []string{"kanfang", "token"}, "", 1},
		{"kanfang login command no credentials", kfEnv("tok", "", ""), []string{"kanfang", "token"},
			"no kanfang credentials: set --auth-key and --auth-value (FANG_KANFANG_AUTH_KEY, FANG_KANFANG_AUTH_VALUE)", 0},
		{"HC token", hcEnv(hc.Token, "", ""), find, "", 0},
		{"HC credentials", hcEnv("", hc.Username, hc.Password), find, "", 1},
		{"HC nothing", hcEnv("", "", ""), find,
			"no HC session: set --token or FANG_PROPERTY_TOKEN, or --username and --password (FANG_PROPERTY_USERNAME, FANG_PROPERTY_PASSWORD)", 0},
		{"HC no username", hcEnv("", "", "s"), append(find, "--dry-run"), "no HC username: set --username or FANG_PROPERTY_USERNAME", 0},
		{"HC no password", hcEnv("", "u", ""), find, "no HC password: set --password or FANG_PROPERTY_PASSWORD", 0},
		{"HC login command", hcEnv("", hc.Username, hc.Password), []string{"property", "login"}, "", 1},
		{"HC login command no username", hcEnv("", "", "s"), []string{"property", "login"}, "no HC username: set --username or FANG_PROPERTY_USERNAME", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := kf.Logins() + hc.Logins()
			if tc.wantErr != "" {
				r := fang(t, tc.env, tc.args...).wantCode(t, exitUsage)
				wantContains(t, r.stderr, "fang "+tc.args[0]+" "+tc.args[1]+": "+tc.wantErr+"\n")
			} else {
				fang(t, tc.env, tc.args...).wantCode(t, exitOK)
			}
			if n := kf.Logins() + hc.Logins() - before; n != tc.logins {
				t.Errorf("%d logins, want %d", n, tc.logins)
			}
		})
	}
	if n := kf.Requests(kanfangtest.PathPutAnjukeBianHao); n != 3 {
		t.Errorf("%d puts sent, want 3 (one per successful put)", n)
	}
}

// TestLoginCommandsTakeNoToken: a login command has no --token; the
// others do, each flag with its API's environment variable.
func TestLoginCommandsTakeNoToken(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args    []string
		want    []string
		without string
	}{
		{[]string{"kanfang", "token"}, []string{"--auth-key", "FANG_KANFANG_AUTH_KEY", "--auth-value-file", "FANG_KANFANG_AUTH_VALUE_FILE"}, "--token"},
		{[]string{"kanfang", "push"}, []string{"--token-file", "FANG_KANFANG_TOKEN_FILE", "--auth-value", "FANG_KANFANG_AUTH_VALUE"}, ""},
		{[]string{"property", "login"}, []string{"--username", "FANG_PROPERTY_USERNAME", "--password-file", "FANG_PROPERTY_PASSWORD_FILE"}, "--token"},
		{[]string{"property", "update"}, []string{"--token-file", "FANG_PROPERTY_TOKEN_FILE", "--password", "FANG_PROPERTY_PASSWORD"}, ""},
	} {
		help := fang(t, nil, append(tc.args, "--help")...).wantCode(t, exitOK).stdout
		wantContains(t, help, tc.want...)
		if tc.without != "" {
			wantNotContains(t, help, "  "+tc.without+"\n", "  "+tc.without+"-file")
		}
	}
}
