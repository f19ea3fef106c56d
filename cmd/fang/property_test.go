package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/property/propertytest"
	"github.com/fangsdk/fang/sign"
)

var companyFlags = []string{
	"--name", "物业公司A", "--address", "北京市朝阳区XX路XX号", "--tel", "18909711449",
	"--corporation", "张三", "--founding-time", "2022-09-01", "--nearby-landmarks", "国投广场",
	"--community-id", propertytest.DefaultCommunityID, "--group-id", propertytest.DefaultMenuGroupID,
}

func saveArgs(extra ...string) []string {
	return append(append([]string{"property", "save-property"}, companyFlags...), extra...)
}

func TestPropertySaveWithFlags(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t)
	r := fang(t, propertyEnv(srv), saveArgs()...).wantCode(t, exitOK)
	companies := srv.Companies()
	if len(companies) != 1 {
		t.Fatalf("%d companies, want 1", len(companies))
	}
	c := companies[0]
	want := propertytest.Company{
		Name: "物业公司A", Address: "北京市朝阳区XX路XX号", Tel: "18909711449", Corporation: "张三",
		FoundingTime: "2022-09-01", NearbyLandmarks: "国投广场",
		CommunityIDs: []string{propertytest.DefaultCommunityID}, GroupIDs: []string{propertytest.DefaultMenuGroupID},
	}
	got := propertytest.Company{
		Name: c.Name, Address: c.Address, Tel: c.Tel, Corporation: c.Corporation,
		FoundingTime: c.FoundingTime, NearbyLandmarks: c.NearbyLandmarks,
		CommunityIDs: c.CommunityIDs, GroupIDs: c.GroupIDs,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("company %+v, want %+v", got, want)
	}
	wantContains(t, r.stdout, "物业公司A", c.TransactionID)
	wantNotContains(t, r.all(), srv.Token, srv.SecurityCode)
}

func TestPropertySaveWithFileAndOverrides(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t, propertytest.WithCommunities("c1", "c2"), propertytest.WithMenuGroups("g1"))
	dir := t.TempDir()
	file := filepath.Join(dir, "company.json")
	body := `{"name":"From File","address":"addr","tel":"13800000000","corporation":"corp",
	  "foundingTime":"2020-01-31","nearbyLandmarks":"park","communityIds":["c1"],"groupIds":["g1"]}`
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}

	m := fang(t, propertyCredEnv(srv), "property", "save-property", "--file", file, "--json").wantCode(t, exitOK).jsonOut(t)
	res := m["result"].(map[string]any)
	if m["ok"] != true || res["code"] != 0.0 || res["transactionId"] == "" {
		t.Errorf("JSON %v", m)
	}
	// Flags override the file's fields.
	fang(t, propertyCredEnv(srv), "property", "save-property", "--file", file,
		"--name", "From Flag", "--tel", "13900000000", "--community-id", "c2").wantCode(t, exitOK)

	cs := srv.Companies()
	if len(cs) != 2 {
		t.Fatalf("%d companies, want 2", len(cs))
	}
	if c := cs[0]; c.Name != "From File" || c.Tel != "13800000000" || c.FoundingTime != "2020-01-31" ||
		c.NearbyLandmarks != "park" || !reflect.DeepEqual(c.CommunityIDs, []string{"c1"}) || !reflect.DeepEqual(c.GroupIDs, []string{"g1"}) {
		t.Errorf("company from file: %+v", c)
	}
	if c := cs[1]; c.Name != "From Flag" || c.Tel != "13900000000" || c.Address != "addr" ||
		!reflect.DeepEqual(c.CommunityIDs, []string{"c2"}) || !reflect.DeepEqual(c.GroupIDs, []string{"g1"}) {
		t.Errorf("company with overrides: %+v", c)
	}
	if srv.Logins() != 2 {
		t.Errorf("%d logins, want 2 (one per command)", srv.Logins())
	}

	// A file with an unknown field, or missing, is a usage error.
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"name":"x","communityId":["c1"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	r := fang(t, propertyEnv(srv), "property", "save-property", "--file", bad).wantCode(t, exitUsage)
	wantContains(t, r.stderr, "communityId")
	r = fang(t, propertyEnv(srv), "property", "save-property", "--file", filepath.Join(dir, "missing.json")).wantCode(t, exitUsage)
	wantContains(t, r.stderr, "missing.json")
	if n := srv.Requests(""); n != 4 { // 2 logins + 2 saves
		t.Errorf("%d requests, want 4", n)
	}
}

func TestPropertySaveConflict(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t)
	fang(t, propertyEnv(srv), saveArgs()...).wantCode(t, exitOK)

	r := fang(t, propertyEnv(srv), saveArgs()...).wantCode(t, exitAPI)
	wantContains(t, r.stderr, "code 404", "小区已经入驻"+propertytest.DefaultCommunityID, "transaction-id")

	m := fang(t, propertyEnv(srv), saveArgs("--json")...).wantCode(t, exitAPI).jsonOut(t)
	e := m["error"].(map[string]any)
	last, _ := srv.LastRequest("property.saveProperty")
	if m["ok"] != false || e["kind"] != "api" || e["code"] != 404.0 ||
		!strings.Contains(e["message"].(string), "小区已经入驻"+propertytest.DefaultCommunityID) ||
		e["httpStatus"] != 200.0 || e["transactionId"] != last.TransactionID {
		t.Errorf("JSON %v (last transaction-id %s)", m, last.TransactionID)
	}
	if n := len(srv.Companies()); n != 1 {
		t.Errorf("%d companies, want 1", n)
	}
}

func TestPropertySaveDefaultPrivilegeMissing(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t, propertytest.WithoutDefaultPrivilege())
	m := fang(t, propertyEnv(srv), saveArgs("--json")...).wantCode(t, exitAPI).jsonOut(t)
	if e := m["error"].(map[string]any); e["code"] != 404.0 || !strings.Contains(e["message"].(string), "未配置物业默认权限") {
		t.Errorf("JSON %v", m)
	}
}

func TestPropertySaveOutcomeUnknown(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t)
	srv.FailNext(1, propertytest.Failure{Endpoint: "property.saveProperty", CloseConnection: true, AfterApply: true})
	r := fang(t, propertyEnv(srv), saveArgs()...).wantCode(t, exitUnknown)
	wantContains(t, r.stderr, "outcome unknown", "before trying again")
	if n := srv.Requests("property.saveProperty"); n != 1 {
		t.Errorf("saveProperty sent %d times, want exactly 1", n)
	}
	srv.FailNext(1, propertytest.Failure{Endpoint: "property.saveProperty", CloseConnection: true, AfterApply: true})
	m := fang(t, propertyEnv(srv), "property", "save-property", "--name", "B", "--address", "a", "--tel", "13700000000",
		"--corporation", "c", "--founding-time", "2022-09-01", "--json").wantCode(t, exitUnknown).jsonOut(t)
	if e := m["error"].(map[string]any); e["kind"] != "outcome_unknown" || e["transactionId"] == "" {
		t.Errorf("JSON %v", m)
	}
}

func TestPropertySaveValidation(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t)
	r := fang(t, propertyEnv(srv), "property", "save-property", "--name", "n", "--founding-time", "2022-02-30",
		"--community-id", "c1").wantCode(t, exitUsage)
	wantContains(t, r.stderr, "--address is required", "--tel is required", "--founding-time is not a real date", "--group-id is required")
	wantNotContains(t, r.stderr, "FoundingTime", "GroupIDs", "CommunityIDs")
	m := fang(t, propertyEnv(srv), "property", "save-property", "--json").wantCode(t, exitUsage).jsonOut(t)
	e := m["error"].(map[string]any)
	if e["kind"] != "validation" || len(e["problems"].([]any)) != 5 {
		t.Errorf("JSON %v", m)
	}
	if n := srv.Requests(""); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestPropertyLogin(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t)
	r := fang(t, propertyCredEnv(srv), "property", "login").wantCode(t, exitOK)
	wantContains(t, r.stdout, "session expires:", "(in 2h0m0s)", "logged in as "+srv.Username+" (user id 30",
		"company: fang 运营团队 (type 800900000001)")
	wantNotContains(t, r.all(), srv.Password, sign.HCPassword(srv.Password), srv.SecurityCode, srv.Token)
	if srv.Logins() != 1 {
		t.Errorf("%d logins", srv.Logins())
	}

	m := fang(t, propertyCredEnv(srv), "property", "login", "--json").wantCode(t, exitOK).jsonOut(t)
	res := m["result"].(map[string]any)
	if !secondsNear(res["expiresInSeconds"], 7200) || res["token"] != nil || res["userName"] != srv.Username ||
		res["passwordHashed"] != true || len(res["companies"].([]any)) != 1 {
		t.Errorf("JSON %v", m)
	}
	m = fang(t, propertyCredEnv(srv), "property", "login", "--json", "--show-secret").wantCode(t, exitOK).jsonOut(t)
	tok, _ := m["result"].(map[string]any)["token"].(string)
	if tok == "" {
		t.Fatalf("no token with --show-secret: %v", m)
	}
	// The token works.
	env := propertyEnv(srv)
	env["FANG_PROPERTY_TOKEN"] = tok
	fang(t, env, "property", "save-property", "--name", "n", "--address", "a", "--tel", "13600000000",
		"--corporation", "c", "--founding-time", "2022-09-01").wantCode(t, exitOK)
	r = fang(t, propertyCredEnv(srv), "property", "login", "--show-secret").wantCode(t, exitOK)
	wantContains(t, r.stdout, "token: ")

	// Wrong password: exit 1, not echoed.
	env = propertyCredEnv(srv)
	env["FANG_PROPERTY_PASSWORD"] = "wrong-password-value"
	r = fang(t, env, "property", "login").wantCode(t, exitAPI)
	wantContains(t, r.stderr, "用户或密码错误", `user "`+srv.Username+`"`)
	wantNotContains(t, r.all(), "wrong-password-value", sign.HCPassword("wrong-password-value"))

	// Wrong security code: the gateway rejects the signature.
	env = propertyCredEnv(srv)
	env["FANG_PROPERTY_SECURITY_CODE"] = "wrong-code-value"
	r = fang(t, env, "property", "login").wantCode(t, exitAPI)
	wantContains(t, r.stderr, "签名失败", "--security-code")
	wantNotContains(t, r.all(), "wrong-code-value")
}

// TestPropertySaveEchoPageScrubbed: a proxy or WAF page answered 200 to
// save-property, echoing the request with its session token, the security
// code, the password and its hash (raw, URL-encoded, JSON-escaped), shows
// none of them in the text or --json output.
func TestPropertySaveEchoPageScrubbed(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t)
	hash := sign.HCPassword(srv.Password)
	secrets := []string{srv.Token, srv.SecurityCode, srv.Password, hash}
	var page strings.Builder
	page.WriteString("<html><body><h1>Request blocked by WAF</h1><pre>")
	for _, s := range secrets {
		j, _ := json.Marshal(s)
		fmt.Fprintf(&page, "Authorization: Bearer %s\nquery: t=%s\njson: {\"t\":%s}\n", s, url.QueryEscape(s), j)
	}
	page.WriteString("</pre></body></html>")
	echo := propertytest.Failure{Endpoint: "property.saveProperty", Body: page.String()}

	forms := func(s string) []string {
		j, _ := json.Marshal(s)
		return []string{s, url.QueryEscape(s), string(j[1 : len(j)-1])}
	}
	for i, env := range []map[string]string{propertyEnv(srv), propertyCredEnv(srv)} {
		// What the client holds: the token it was given, or the password
		// and its hash (the session's token is then its own, not srv.Token).
		known := secrets[:2]
		if i == 1 {
			known = secrets[1:]
		}
		srv.FailNext(1, echo)
		r := fang(t, env, saveArgs()...).wantCode(t, exitUnknown)
		wantContains(t, r.stderr, "Request blocked by WAF", "outcome unknown")
		srv.FailNext(1, echo)
		j := fang(t, env, saveArgs("--json")...).wantCode(t, exitUnknown)
		if e := j.jsonOut(t)["error"].(map[string]any); e["kind"] != "outcome_unknown" || !strings.Contains(e["message"].(string), "Request blocked by WAF") {
			t.Errorf("JSON %s", j.stdout)
		}
		for _, s := range known {
			wantNotContains(t, r.all()+j.all(), forms(s)...)
		}
	}
	if n := srv.Requests("property.saveProperty"); n != 4 {
		t.Errorf("%d saves sent, want 4 (one per command)", n)
	}
}

// TestSecretsFromFiles: every secret can come from a file, named by a
// --…-file flag or a …_FILE variable, so that it is in neither the
// process list nor the shell history; a missing file is a usage error
// naming the file, never a secret.
func TestSecretsFromFiles(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pw := write("password", srv.Password+"\n")
	sc := write("code", srv.SecurityCode+"\r\n")
	env := propertyEnv(srv)
	delete(env, "FANG_PROPERTY_SECURITY_CODE")
	delete(env, "FANG_PROPERTY_TOKEN")
	env["FANG_PROPERTY_USERNAME"] = srv.Username
	env["FANG_PROPERTY_PASSWORD_FILE"] = pw
	env["FANG_PROPERTY_SECURITY_CODE_FILE"] = sc
	fang(t, env, "property", "login").wantCode(t, exitOK)

	env = propertyEnv(srv)
	delete(env, "FANG_PROPERTY_SECURITY_CODE")
	delete(env, "FANG_PROPERTY_TOKEN")
	r := fang(t, env, "property", "login", "--username", srv.Username, "--password-file", pw, "--security-code-file", sc).wantCode(t, exitOK)
	wantNotContains(t, r.all(), srv.Password, srv.SecurityCode)

	r = fang(t, env, "property", "login", "--username", srv.Username, "--password-file", filepath.Join(dir, "nope")).wantCode(t, exitUsage)
	wantContains(t, r.stderr, "--password-file", "nope")
	r = fang(t, env, "property", "login", "--username", srv.Username, "--password-file", write("empty", "")).wantCode(t, exitUsage)
	wantContains(t, r.stderr, "is empty")

	k := kanfangtest.NewServer()
	defer k.Close()
	tok := write("token", k.Token+"\n")
	r = fang(t, map[string]string{"FANG_KANFANG_BASE_URL": k.URL, "FANG_KANFANG_TOKEN_FILE": tok},
		"kanfang", "put-anjuke-bianhao", "--package-id", "p", "--bianhao", "1").wantCode(t, exitOK)
	wantNotContains(t, r.all(), k.Token)
}

// TestPropertyCreate: create saves once and prints the storeId of the
// company it created, in text and JSON.
func TestPropertyCreate(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t)
	args := append([]string{"property", "create"}, companyFlags...)
	r := fang(t, propertyEnv(srv), args...).wantCode(t, exitOK)
	companies := srv.Companies()
	if len(companies) != 1 || srv.Requests(property.ServiceSaveProperty) != 1 {
		t.Fatalf("%d companies, %d saves", len(companies), srv.Requests(property.ServiceSaveProperty))
	}
	wantContains(t, r.stdout, "company \"物业公司A\" created: storeId "+companies[0].StoreID)

	args = append(slices.Clip(args), "--json", "--tel", "13700000000")
	args = slicesWithout(args, "--community-id", "--group-id")
	m := fang(t, propertyEnv(srv), args...).wantCode(t, exitOK).jsonOut(t)
	res, _ := m["result"].(map[string]any)
	if res["storeId"] == "" || res["storeId"] == nil || res["tel"] != "13700000000" {
		t.Fatalf("JSON %v", m)
	}
}

// slicesWithout drops each named flag and its value from args.
func slicesWithout(args []string, flags ...string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		drop := false
		for _, f := range flags {
			if args[i] == f {
				drop = true
			}
		}
		if drop {
			i++
			continue
		}
		out = append(out, args[i])
	}
	return out
}

// TestServerMessagesInEnglish: every HC message fang knows gets an English
// hint beside the server's Chinese, and the SDK's own "property:
// SaveProperty:" prefix is not repeated after the command's.
func TestServerMessagesInEnglish(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t)
	fang(t, propertyEnv(srv), saveArgs()...).wantCode(t, exitOK)
	r := fang(t, propertyEnv(srv), saveArgs()...).wantCode(t, exitAPI)
	wantContains(t, r.stderr, "fang property save-property: code 404: 小区已经入驻",
		"hint: HC says a community already has a property company (小区已经入驻)")
	wantNotContains(t, r.stderr, "property: SaveProperty:")

	env := propertyEnv(srv)
	env["FANG_PROPERTY_APP_ID"] = "unknown-app"
	r = fang(t, env, saveArgs()...).wantCode(t, exitAPI)
	wantContains(t, r.stderr, "初始化失败", "hint: HC does not know this app-id (初始化失败); check --app-id (FANG_PROPERTY_APP_ID)")

	r = fang(t, propertyEnv(srv), "property", "call", property.ServiceListProperty, "--get", "row=10").wantCode(t, exitAPI)
	wantContains(t, r.stderr, "请求中未包含page信息", "hint: HC requires a page number: add page=1")

	m := fang(t, propertyEnv(srv), "property", "call", property.ServiceListProperty, "--get", "row=10", "--json").wantCode(t, exitAPI).jsonOut(t)
	e := m["error"].(map[string]any)
	if msg, _ := e["message"].(string); strings.HasPrefix(msg, "property: ") || !strings.Contains(e["hint"].(string), "page number") {
		t.Errorf("JSON error %v", e)
	}

	// AppController's privilege check: HTTP 500, nothing ran (exit 1, not 3).
	srv.FailNext(1, propertytest.Failure{Endpoint: property.ServiceListMenuGroups, HTTPStatus: 500, Code: 404, Message: "请求发生异常，用户没有权限操作"})
	r = fang(t, propertyEnv(srv), "property", "menu-groups").wantCode(t, exitAPI)
	wantContains(t, r.stderr, "用户没有权限操作", "hint: HC says this account lacks the privilege for the service")

	// Every known message has a hint, and the table's more specific rows
	// come before the general ones they contain.
	for i, k := range knownMessages {
		for _, later := range knownMessages[i+1:] {
			if strings.Contains(later.zh, k.zh) {
				t.Errorf("%q would hide the more specific %q below it", k.zh, later.zh)
			}
		}
	}
}

// TestPropertyBaseURLSpellings: the property commands take --base-url and
// FANG_PROPERTY_BASE_URL like the kanfang ones, and still the older --url
// and FANG_PROPERTY_URL. A flag wins over any variable; of two flags or
// two variables, the new spelling wins.
func TestPropertyBaseURLSpellings(t *testing.T) {
	t.Parallel()
	const oldURL, newURL = "http://old.invalid:1", "http://new.invalid:1"
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"old variable", map[string]string{"FANG_PROPERTY_URL": oldURL}, nil, oldURL},
		{"new variable", map[string]string{"FANG_PROPERTY_BASE_URL": newURL}, nil, newURL},
		{"both variables", map[string]string{"FANG_PROPERTY_URL": oldURL, "FANG_PROPERTY_BASE_URL": newURL}, nil, newURL},
		{"old flag", nil, []string{"--url", oldURL}, oldURL},
		{"new flag", nil, []string{"--base-url", newURL}, newURL},
		{"both flags", nil, []string{"--base-url", newURL, "--url", oldURL}, newURL},
		{"both flags, old last", nil, []string{"--url", oldURL, "--base-url", newURL}, newURL},
		{"old flag over new variable", map[string]string{"FANG_PROPERTY_BASE_URL": newURL}, []string{"--url", oldURL}, oldURL},
		{"new flag over old variable", map[string]string{"FANG_PROPERTY_URL": oldURL}, []string{"--base-url", newURL}, newURL},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"FANG_PROPERTY_APP_ID": "app", "FANG_PROPERTY_TOKEN": "session-token"}
			maps.Copy(env, tc.env)
			args := append([]string{"property", "find", "--tel", "13800000000", "--dry-run", "--json"}, tc.args...)
			m := fang(t, env, args...).wantCode(t, exitOK).jsonOut(t)
			if u, _ := m["request"].(map[string]any)["url"].(string); !strings.HasPrefix(u, tc.want+"/app/") {
				t.Errorf("request URL %q, want it under %s", u, tc.want)
			}
		})
	}
	help := fang(t, nil, "property", "find", "--help").wantCode(t, exitOK).stdout
	wantContains(t, help, "--base-url", "FANG_PROPERTY_BASE_URL", "--url", "FANG_PROPERTY_URL", "--base-url wins")
	wantContains(t, fang(t, nil, "property", "--help").stdout, "--base-url", "FANG_PROPERTY_BASE_URL")
}
