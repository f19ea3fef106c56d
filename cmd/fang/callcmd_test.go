package main

import (
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
	wantContains(t, r.stdout, "1 companies match", "命令行物业")
	m := fang(t, env, "property", "find", "--name", "命令行", "--json").wantCode(t, exitOK).jsonOut(t)
	if res := m["result"].(map[string]any); res["Total"] != 1.0 {
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
	wantContains(t, r.stdout, "GET ", "/app/community.listCommunitys?name=%E4%B8%9C%E6%96%B9", "X-Requested-With: XMLHttpRequest", "?name=东方<security-code>", "sign check: ok")
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
	wantContains(t, r.stdout, "POST ", "Authorization: <token>", "anjukeBianHao=1&packageId=p")
}
