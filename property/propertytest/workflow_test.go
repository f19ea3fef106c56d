package propertytest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// signedGet sends a signed GET of service with query (in the order given),
// with Authorization: Bearer token when token is not empty.
func signedGet(t *testing.T, s *Server, service, token string, query ...[2]string) result {
	t.Helper()
	var enc, plain []string
	for _, kv := range query {
		enc = append(enc, url.QueryEscape(kv[0])+"="+url.QueryEscape(kv[1]))
		plain = append(plain, kv[0]+"="+kv[1])
	}
	u, payload := s.URL+"/app/"+service, ""
	if len(enc) > 0 {
		u += "?" + strings.Join(enc, "&")
		payload = "?" + strings.Join(plain, "&")
	}
	r, _ := http.NewRequest(http.MethodGet, u, nil)
	r.Header.Set("Accept", "application/json")
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	r.Header.Set("app-id", s.AppID)
	r.Header.Set("transaction-id", nextTxID())
	r.Header.Set("req-time", testReqTime)
	r.Header.Set("X-Requested-With", "XMLHttpRequest")
	resign(r, payload, s.SecurityCode)
	return do(t, r)
}

var page1 = [][2]string{{"page", "1"}, {"row", "10"}}

// save creates a company with name and tel and no communities.
func save(t *testing.T, s *Server, name, tel string) Company {
	t.Helper()
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty,
		body(t, map[string]any{"name": name, "tel": tel, "communityIds": nil, "groupIds": nil}), s.Token)), http.StatusOK, 0, "成功")
	cs := s.Companies()
	return cs[len(cs)-1]
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestListPropertyNewestFirst: ListPropertyCmd orders by create_time desc,
// so Properties[0] is the newest company, whether the companies were
// created in the same second or not.
func TestListPropertyNewestFirst(t *testing.T) {
	clock := &fakeClock{now: time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC)}
	s := NewServer(WithClock(clock.Now))
	defer s.Close()
	save(t, s, "物业一", "13900000001")
	save(t, s, "物业二", "13900000002") // the same second
	clock.Advance(time.Minute)
	save(t, s, "物业三", "13900000003")
	a := decodeList(t, getList(t, s, s.Token, page1))
	var names []string
	for _, e := range a.Data {
		names = append(names, e["name"])
	}
	if strings.Join(names, ",") != "物业三,物业二,物业一" {
		t.Errorf("order = %v, want newest first", names)
	}
	if e := a.Data[0]; e["createTime"] != "2024-01-01 12:01:00" || e["corporation"] != "张三" || e["foundingTime"] != "2022-09-01" ||
		e["storeTypeCd"] != "800900000003" || e["statusCd"] != "0" || e["state"] == "" {
		t.Errorf("entry = %+v", e)
	}
}

// TestListPropertyPaging: page -1 lists everything; page 0 is an SQL
// error; a page that is no number is parseInt's failure.
func TestListPropertyPaging(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, tel := range []string{"13900000001", "13900000002", "13900000003"} {
		save(t, s, "物业"+tel, tel)
	}
	if a := decodeList(t, getList(t, s, s.Token, [][2]string{{"page", "-1"}, {"row", "2"}})); a.Total != 3 || len(a.Data) != 3 {
		t.Errorf("page -1: %+v", a)
	}
	wantResultError(t, getList(t, s, s.Token, [][2]string{{"page", "0"}, {"row", "10"}}), sqlSyntaxError)
	wantResultError(t, getList(t, s, s.Token, [][2]string{{"page", "x"}, {"row", "10"}}), `For input string: "x"`)
}

// TestLoginSuccessKeepsFailureCount: a successful login does not clear
// the failure counter, and each failure restarts its 300 s window.
func TestLoginSuccessKeepsFailureCount(t *testing.T) {
	clock := &fakeClock{now: time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC)}
	s := NewServer(WithClock(clock.Now))
	defer s.Close()
	for range MaxLoginFailures - 1 {
		wantResultError(t, do(t, newRequest(t, s, ServiceLogin, loginBody("admin", "wrong"), "")), "用户或密码错误")
		clock.Advance(4 * time.Minute) // within the window the last failure restarted
	}
	login(t, s, "admin", "admin-password")
	wantResultError(t, do(t, newRequest(t, s, ServiceLogin, loginBody("admin", "wrong"), "")), "用户或密码错误")
	wantResultError(t, do(t, newRequest(t, s, ServiceLogin, loginBody("admin", "admin-password"), "")), "登陆错误次数过多，请休息一会再试")
	clock.Advance(LoginLockout)
	login(t, s, "admin", "admin-password")

	// A demo server (HC_ENV DEV or TEST) counts nothing.
	d := NewServer(WithDemoEnvironment())
	defer d.Close()
	for range MaxLoginFailures + 1 {
		wantResultError(t, do(t, newRequest(t, d, ServiceLogin, loginBody("admin", "wrong"), "")), "用户或密码错误")
	}
	login(t, d, "admin", "admin-password")
}

// TestSaveSkipsUnknownGroups: unknown menu group ids next to a known one
// are skipped; only when none is known does the save fail.
func TestSaveSkipsUnknownGroups(t *testing.T) {
	s := NewServer()
	defer s.Close()
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty,
		body(t, map[string]any{"groupIds": []string{"999", DefaultMenuGroupID}}), s.Token)), http.StatusOK, 0, "成功")
	if c := s.Companies(); len(c) != 1 || len(c[0].GroupIDs) != 1 || c[0].GroupIDs[0] != DefaultMenuGroupID {
		t.Errorf("companies = %+v", c)
	}
}

// TestOnlyServedServices: the command table is the app's routes: any
// other service is the dispatcher's refusal, never another command; a
// service called with the other method is refused too.
func TestOnlyServedServices(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, svc := range []string{"store.listStores", "property.savePropertyX", "area.listAreas"} {
		wantResultError(t, do(t, newRequest(t, s, svc, plainBody, s.Token)), "鉴权失败：AppId 没有权限访问 serviceCode = "+svc)
	}
	m := "服务【property.listProperty】调用方式不对请检查,当前请求方式为：POST"
	wantResultError(t, do(t, newRequest(t, s, ServiceListProperty, `{"page":1,"row":10}`, s.Token)), "内部异常："+m+m)
	if n := len(s.Companies()); n != 0 {
		t.Errorf("%d companies created", n)
	}
}

// TestUpdateProperty: only the fields present change; a new name renames
// the administrator; an unknown store is 更新数据失败; a body without
// storeId changes the caller's own company (dealCmd's injection).
func TestUpdateProperty(t *testing.T) {
	s := NewServer()
	defer s.Close()
	a := save(t, s, "甲物业", "13900000001")
	b := save(t, s, "乙物业", "13900000002")

	up := func(token string, v map[string]any) result {
		return do(t, newRequest(t, s, ServiceUpdateProperty, jsonBody(t, v), token))
	}
	wantJSON(t, up(s.Token, map[string]any{"storeId": a.StoreID, "name": "甲物业新", "nearByLandmarks": "国贸", "mapX": "116.1"}), http.StatusOK, 0, "成功")
	got := s.Companies()[0]
	if got.Name != "甲物业新" || got.NearbyLandmarks != "国贸" || got.MapX != "116.1" || got.Address != a.Address || got.Tel != a.Tel || got.MapY != a.MapY {
		t.Errorf("after update: %+v", got)
	}
	login(t, s, "甲物业新", "13900000001") // the administrator was renamed
	// The seed's spelling of the landmark is not a StorePo field.
	wantJSON(t, up(s.Token, map[string]any{"storeId": a.StoreID, "nearbyLandmarks": "别处"}), http.StatusOK, 0, "成功")
	if got := s.Companies()[0]; got.NearbyLandmarks != "国贸" {
		t.Errorf("nearbyLandmarks changed the landmark: %+v", got)
	}
	wantResultError(t, up(s.Token, map[string]any{"storeId": "999", "name": "x"}), "更新数据失败")
	wantResultError(t, up(s.Token, map[string]any{"storeId": a.StoreID, "name": strings.Repeat("名", 51)}), "Data truncation: Data too long for column 'name' at row 1")

	// The danger: b's administrator forgets storeId and renames b.
	bAdmin := login(t, s, "13900000002", "13900000002")
	wantJSON(t, up(bAdmin, map[string]any{"name": "改错了"}), http.StatusOK, 0, "成功")
	if got := s.Companies(); got[0].Name != "甲物业新" || got[1].Name != "改错了" || got[1].StoreID != b.StoreID {
		t.Errorf("a body without storeId: %+v", got)
	}
	// No session: the session filter.
	wantNoSession(t, up("", map[string]any{"storeId": a.StoreID}))
}

// TestDeleteProperty: a soft delete hidden from listProperty; its staff
// cannot log in any more; its communities are free again; storeTypeCd is
// required; an unknown store is 删除数据失败; a body without storeId
// deletes the caller's own company.
func TestDeleteProperty(t *testing.T) {
	s := NewServer()
	defer s.Close()
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)), http.StatusOK, 0, "成功")
	a := s.Companies()[0]
	b := save(t, s, "乙物业", "13900000002")
	del := func(token string, v map[string]any) result {
		return do(t, newRequest(t, s, ServiceDeleteProperty, jsonBody(t, v), token))
	}
	wantResultError(t, del(s.Token, map[string]any{"storeId": a.StoreID}), "storeTypeCd不能为空")
	wantJSON(t, del(s.Token, map[string]any{"storeId": a.StoreID, "storeTypeCd": "800900000003"}), http.StatusOK, 0, "成功")
	if got := s.Companies(); !got[0].Deleted || got[1].Deleted {
		t.Errorf("companies = %+v", got)
	}
	if l := decodeList(t, getList(t, s, s.Token, page1)); l.Total != 1 || l.Data[0]["storeId"] != b.StoreID {
		t.Errorf("list after delete: %+v", l)
	}
	wantResultError(t, do(t, newRequest(t, s, ServiceLogin, loginBody(a.Tel, a.Tel), "")), "用户或密码错误")
	wantJSON(t, del(s.Token, map[string]any{"storeId": a.StoreID, "storeTypeCd": "800900000003"}), http.StatusOK, 0, "成功") // again: TestDeleteADeletedCompanyAgain
	wantResultError(t, del(s.Token, map[string]any{"storeId": "999", "storeTypeCd": "800900000003"}), "删除数据失败")
	// The community is free: saving it again works.
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)), http.StatusOK, 0, "成功")

	// The danger: b's administrator forgets storeId and deletes b.
	bAdmin := login(t, s, b.Tel, b.Tel)
	wantJSON(t, del(bAdmin, map[string]any{"storeTypeCd": "800900000003"}), http.StatusOK, 0, "成功")
	if got := s.Companies(); !got[1].Deleted {
		t.Errorf("a body without storeId: %+v", got)
	}

	d := NewServer(WithDemoEnvironment())
	defer d.Close()
	c := save(t, d, "丙物业", "13900000003")
	wantResultError(t, do(t, newRequest(t, d, ServiceDeleteProperty, jsonBody(t, map[string]any{"storeId": c.StoreID, "storeTypeCd": "800900000003"}), d.Token)),
		"为了保证体验 此功能演示环境不开放")
}

type communitiesAnswer struct {
	Code       *int
	Communitys []communityEntry
	Records    int
	Total      int
}

// TestListCommunitys: no session needed; page and row required; the
// current answer has code 0, the older one none.
func TestListCommunitys(t *testing.T) {
	s := NewServer(WithCommunity(CommunityDetails{CommunityID: "2023000000000001", Name: "东方花园", Address: "上海市浦东新区", CityCode: "310115", NearbyLandmarks: "陆家嘴"}))
	defer s.Close()
	decode := func(got result) communitiesAnswer {
		t.Helper()
		var a communitiesAnswer
		if got.status != http.StatusOK || json.Unmarshal([]byte(got.body), &a) != nil {
			t.Fatalf("answer %d %s", got.status, got.body)
		}
		return a
	}
	got := signedGet(t, s, ServiceListCommunities, "", page1...)
	if !strings.HasPrefix(got.body, `{"code":0,"communitys":[{"address":`) || !strings.HasSuffix(got.body, `],"page":0,"records":1,"rows":0,"total":2}`) {
		t.Errorf("answer %s", got.body)
	}
	a := decode(got)
	if a.Code == nil || *a.Code != 0 || a.Total != 2 || len(a.Communitys) != 2 || a.Communitys[1].CommunityID != DefaultCommunityID || a.Communitys[1].State != "1100" { // newest first
		t.Errorf("all: %+v", a)
	}
	a = decode(signedGet(t, s, ServiceListCommunities, s.Token, append(page1, [2]string{"name", "东方"})...))
	if a.Total != 1 || a.Communitys[0].Name != "东方花园" || a.Communitys[0].NearbyLandmarks != "陆家嘴" || a.Communitys[0].CityCode != "310115" {
		t.Errorf("by name: %+v", a)
	}
	if a = decode(signedGet(t, s, ServiceListCommunities, "", append(page1, [2]string{"cityCode", "110105"})...)); a.Total != 1 || a.Communitys[0].CommunityID != DefaultCommunityID {
		t.Errorf("by city: %+v", a)
	}
	if a = decode(signedGet(t, s, ServiceListCommunities, "", append(page1, [2]string{"communityId", "2023000000000001"})...)); a.Total != 1 {
		t.Errorf("by id: %+v", a)
	}
	wantResultError(t, signedGet(t, s, ServiceListCommunities, "", [2]string{"row", "10"}), "请求中未包含page信息")
	wantResultError(t, signedGet(t, s, ServiceListCommunities, "", [2]string{"page", "1"}), "请求中未包含row信息")

	old := NewServer(WithOldCommunityShape())
	defer old.Close()
	got = signedGet(t, old, ServiceListCommunities, "", page1...)
	if a := decode(got); a.Code != nil || a.Total != 1 || strings.Contains(got.body, `"code"`) {
		t.Errorf("old shape: %s", got.body)
	}
}

// TestListMenuGroups: a session is needed; storeType filters; the answer
// has no code.
func TestListMenuGroups(t *testing.T) {
	s := NewServer(WithMenuGroup(MenuGroupDetails{GID: "800000000000000001", Name: "商家功能", Label: "商家", StoreType: "800900000005", GroupType: "P_WEB", Seq: 2}))
	defer s.Close()
	got := signedGet(t, s, ServiceListMenuGroups, s.Token, append(page1, [2]string{"storeType", "800900000003"})...)
	var a struct {
		Code       *int
		MenuGroups []menuGroupEntry
		Total      int
	}
	if got.status != http.StatusOK || json.Unmarshal([]byte(got.body), &a) != nil || a.Code != nil || a.Total != 1 ||
		a.MenuGroups[0].GID != DefaultMenuGroupID || !strings.Contains(got.body, `"gId":"802021080609660006"`) {
		t.Errorf("answer %d %s", got.status, got.body)
	}
	got = signedGet(t, s, ServiceListMenuGroups, s.Token, page1...)
	if json.Unmarshal([]byte(got.body), &a) != nil || a.Total != 2 {
		t.Errorf("all: %s", got.body)
	}
	if got := signedGet(t, s, ServiceListMenuGroups, "", page1...); got.status != http.StatusUnauthorized {
		t.Errorf("without a session: %d %s", got.status, got.body)
	}
}
