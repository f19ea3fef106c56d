package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fangsdk/fang/property/propertytest"
)

func TestPropertyCallAndFind(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t, propertytest.WithCommunities("c1"))
	env := propertyEnv(srv)
	// GET: an unwrapped service, its whole answer printed.
	r := fang(t, env, "property", "call", "community.listCommunitys", "--get", "page=1", "--get", "row=10").wantCode(t, exitOK)
	wantContains(t, r.stdout, `"communityId": "c1"`, `"total": 1`)
	// POST with --data: a company created.
	r = fang(t, env, "property", "call", "property.saveProperty", "--data",
		`{"name":"命令行物业","address":"a","tel":"13900000066","corporation":"c","foundingTime":"2022-09-01"}`).wantCode(t, exitOK)
	wantContains(t, r.stdout, `"code": 0`)
	// find by tel and by name.
	r = fang(t, env, "property", "find", "--tel", "13900000066").wantCode(t, exitOK)
	wantContains(t, r.stdout, "1 company matches", "命令行物业")
	m := fang(t, env, "property", "find", "--name", "命令行", "--json").wantCode(t, exitOK).jsonOut(t)
	if res := m["result"].(map[string]any); res["total"] != 1.0 {
		t.Errorf("JSON %v", m)
	}
	r = fang(t, env, "property", "find", "--tel", "13000000000").wantCode(t, exitOK)
	wantContains(t, r.stdout, "0 companies match")
	// Failures: a code-404 answer; bad --data; no service.
	r = fang(t, env, "property", "call", "property.saveProperty", "--data", `{"name":"x"}`).wantCode(t, exitAPI)
	wantContains(t, r.stderr, "请求报文中未包含地址")
	fang(t, env, "property", "call", "property.saveProperty", "--data", `{"name":`).wantCode(t, exitUsage)
	fang(t, env, "property", "call").wantCode(t, exitUsage)
	// Dry run: the signed GET, nothing sent.
	before := srv.Requests("")
	r = fang(t, env, "property", "call", "community.listCommunitys", "--get", "name=东方", "--dry-run").wantCode(t, exitOK)
	wantContains(t, r.stdout, "GET ", "/app/community.listCommunitys?name=%E4%B8%9C%E6%96%B9", "X-Requested-With: XMLHttpRequest", "Sign: ")
	if srv.Requests("") != before {
		t.Error("a dry run sent a request")
	}
}

func TestKanfangCall(t *testing.T) {
	t.Parallel()
	srv := kanfangServer(t)
	env := kanfangEnv(srv)
	r := fang(t, env, "kanfang", "call", "/v2/houseTask/putAnjukeBianHao", "--data", `{"packageId":"p-call","anjukeBianHao":"77"}`).wantCode(t, exitOK)
	wantContains(t, r.stdout, `"anjukeBianHao": "77"`)
	if got, _ := srv.AnjukeBianHao("p-call"); got != "77" {
		t.Errorf("stored %q", got)
	}
	r = fang(t, env, "kanfang", "call", "/v2/nope").wantCode(t, exitAPI)
	wantContains(t, r.stderr, "HTTP 404", "check --base-url")
	fang(t, env, "kanfang", "call", "/v2/houseTask/putAnjukeBianHao", "--data", `{"packageId":1}`).wantCode(t, exitUsage)
	r = fang(t, env, "kanfang", "call", "/v2/houseTask/putAnjukeBianHao", "--data", `{"packageId":"p","anjukeBianHao":"1"}`, "--dry-run").wantCode(t, exitOK)
	wantContains(t, r.stdout, "POST ", "Authorization: [REDACTED]", "anjukeBianHao=1&packageId=p")
}

// TestCallData: --data reads inline JSON, @file and @- (standard input)
// for both call commands.
func TestCallData(t *testing.T) {
	// Not parallel: it replaces stdin.
	old := stdin
	defer func() { stdin = old }()
	hc := propertyServer(t)
	kf := kanfangServer(t)
	file := filepath.Join(t.TempDir(), "company.json")
	company := `{"name":"文件物业","address":"a","tel":"13900000088","corporation":"c","foundingTime":"2022-09-01"}`
	if err := os.WriteFile(file, []byte(company), 0o600); err != nil {
		t.Fatal(err)
	}
	fang(t, propertyEnv(hc), "property", "call", "property.saveProperty", "--data", "@"+file).wantCode(t, exitOK)
	stdin = strings.NewReader(strings.Replace(company, "文件物业", "标准输入物业", 1))
	fang(t, propertyEnv(hc), "property", "call", "property.saveProperty", "--data", "@-").wantCode(t, exitOK)
	if cs := hc.Companies(); len(cs) != 2 || cs[0].Name != "文件物业" || cs[1].Name != "标准输入物业" {
		t.Errorf("companies %+v", cs)
	}
	stdin = strings.NewReader(`{"packageId":"p-stdin","anjukeBianHao":"88"}`)
	fang(t, kanfangEnv(kf), "kanfang", "call", "/v2/houseTask/putAnjukeBianHao", "--data", "@-").wantCode(t, exitOK)
	if got, _ := kf.AnjukeBianHao("p-stdin"); got != "88" {
		t.Errorf("stored %q", got)
	}
}

// TestCallUsageErrors: what the two call commands refuse before sending
// anything, in each command's own terms.
func TestCallUsageErrors(t *testing.T) {
	t.Parallel()
	hc := propertyServer(t)
	kf := kanfangServer(t)
	missing := filepath.Join(t.TempDir(), "missing.json")
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{kanfangEnv(kf), []string{"kanfang", "call"}, "fang kanfang call: missing PATH, such as /v2/houseTask/putAnjukeBianHao\n"},
		{propertyEnv(hc), []string{"property", "call", "--get", "a=1"}, "fang property call: missing SERVICE, such as community.listCommunitys\n"},
		{kanfangEnv(kf), []string{"kanfang", "call", "--bogus"}, "fang kanfang call: unknown flag --bogus\nRun 'fang kanfang call --help' for usage."},
		{propertyEnv(hc), []string{"property", "call", "x", "--get", "novalue"}, `fang property call: invalid --get "novalue": want name=value, not "novalue"`},
		{kanfangEnv(kf), []string{"kanfang", "call", "/v2/x", "--data", "@" + missing}, "fang kanfang call: --data: open " + missing},
		{propertyEnv(hc), []string{"property", "call", "x", "--data", "[1"}, "fang property call: --data: not valid JSON: not valid JSON at line 1, column 3"},
		{kanfangEnv(kf), []string{"kanfang", "call", "/v2/x", "--data", `["a"]`}, "fang kanfang call: --data: want a JSON object of string values\n"},
	}
	for _, tc := range cases {
		r := fang(t, tc.env, tc.args...).wantCode(t, exitUsage)
		wantContains(t, r.stderr, tc.want)
	}
	if n := hc.Requests("") + len(kf.RequestLog()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestPrintJSON(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		`{"a":[1,"<b>"]}`: "{\n  \"a\": [\n    1,\n    \"<b>\"\n  ]\n}\n",
		`not JSON`:        "not JSON\n",
	} {
		var b bytes.Buffer
		printJSON(&b, []byte(raw))
		if b.String() != want {
			t.Errorf("printJSON(%s) = %q, want %q", raw, b.String(), want)
		}
	}
}
