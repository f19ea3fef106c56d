package propertytest

// Tests of the fake's fidelity to the real server: each names the java110
// MicroCommunity source (the 2025 line, commit 45102fc) it follows.

import (
	"encoding/json"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fangsdk/fang/sign"
)

// TestListMenuGroupsRequiresPageAndRow: ListMenuGroupsCmd.validate calls
// validatePageInfo (service-dev/src/main/java/com/java110/dev/cmd/menuGroup/
// ListMenuGroupsCmd.java:30; Cmd.java:26-29), so a call without page or row
// is refused, not answered with every group.
func TestListMenuGroupsRequiresPageAndRow(t *testing.T) {
	s := NewServer()
	defer s.Close()
	wantResultError(t, signedGet(t, s, ServiceListMenuGroups, s.Token), "请求中未包含page信息")
	wantResultError(t, signedGet(t, s, ServiceListMenuGroups, s.Token, [2]string{"storeType", storeTypeProperty}), "请求中未包含page信息")
	wantResultError(t, signedGet(t, s, ServiceListMenuGroups, s.Token, [2]string{"page", "1"}), "请求中未包含row信息")
}

// TestShortAuthorizationIsNotTheSessionAnswer: JwtFilter.getToken takes
// authorization.substring("Bearer ".length()) of any non-empty header
// (service-api/src/main/java/com/java110/api/filter/JwtFilter.java:119-120);
// a shorter header throws StringIndexOutOfBoundsException, which the
// filter's catch-all answers with noLogin (JwtFilter.java:80-83) even for a
// POST: a redirect, or 401 with X-Requested-With — never the 1996 answer
// a client renews its session on. A valid cookie does not help: the header
// is read after it.
func TestShortAuthorizationIsNotTheSessionAnswer(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, auth := range []string{"Bearer", "x"} {
		r := newRequest(t, s, ServiceSaveProperty, plainBody, "")
		r.Header.Set("Authorization", auth)
		r.AddCookie(&http.Cookie{Name: "_java110_token_", Value: s.Token})
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/user.html#/pages/frame/login" {
			t.Errorf("Authorization %q: %d %v, want a redirect to the login page", auth, resp.StatusCode, resp.Header)
		}

		r = newRequest(t, s, ServiceSaveProperty, plainBody, "")
		r.Header.Set("Authorization", auth)
		r.Header.Set("X-Requested-With", "XMLHttpRequest")
		if got := do(t, r); got.status != http.StatusUnauthorized || got.body != "" {
			t.Errorf("Authorization %q with X-Requested-With: %d %q, want 401", auth, got.status, got.body)
		}
	}
	if n := len(s.Companies()); n != 0 {
		t.Errorf("%d companies created", n)
	}
	// Seven characters or more is a token, however wrong: the 1996 answer.
	r := newRequest(t, s, ServiceSaveProperty, plainBody, "")
	r.Header.Set("Authorization", "Bearer x")
	if got := do(t, r); got.status != http.StatusOK || !strings.Contains(got.body, `"code":"1996"`) {
		t.Errorf("a wrong token: %d %s", got.status, got.body)
	}
}

// TestQueryParametersOverrideHeaders: BaseController.initUrlParam copies a
// query parameter named app-id, transaction-id, req-time, sign or user-id
// over the header of that name (java110-core/src/main/java/com/java110/
// core/base/controller/BaseController.java:71-74, hasValidHeader at
// :87-111), for a POST as for a GET, and the dispatcher reads the result
// (ApiDataFlow.doBuilder). The fake read only the headers.
func TestQueryParametersOverrideHeaders(t *testing.T) {
	s := NewServer()
	defer s.Close()
	post := func(query string) result {
		r := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
		r.URL.RawQuery = query
		return do(t, r)
	}
	wantResultError(t, post("app-id=other-app"), "初始化失败：当前没有获取到AppId对应的信息，appId = other-app")
	wantResultError(t, post("transaction-id="), "鉴权失败：TRANSACTION_ID 不能为空")
	wantResultError(t, post("sign=0123"), "鉴权失败：签名失败")
	wantResultError(t, post("req-time=2024"), "鉴权失败：签名失败") // the sign covers the req-time read
	// A name in another case is not one of them.
	wantJSON(t, post("APP-ID=other-app"), http.StatusOK, 0, "成功")
	if n := len(s.Companies()); n != 1 {
		t.Fatalf("%d companies, want 1", n)
	}

	// A GET whose transaction-id travels only in its (signed) query is
	// accepted, under that transaction-id.
	const txid = "100000000020240101120000999999"
	r, _ := http.NewRequest(http.MethodGet, s.URL+"/app/"+ServiceListCommunities+"?page=1&row=10&transaction-id="+txid, nil)
	r.Header.Set("app-id", s.AppID)
	r.Header.Set("req-time", testReqTime)
	r.Header.Set("sign", sign.MicroCommunity(txid, testReqTime, s.AppID, "?page=1&row=10&transaction-id="+txid, s.SecurityCode))
	if got := do(t, r); got.status != http.StatusOK || !strings.Contains(got.body, `"code":0`) {
		t.Errorf("transaction-id in the query: %d %s", got.status, got.body)
	}
	if !s.SeenTransactionID(txid) {
		t.Errorf("transaction-id %s not recorded", txid)
	}
}

// TestEmptyUserIDWithoutSession: judgeAuthority refuses an empty user id
// (service-api/src/main/java/com/java110/api/smo/impl/ApiServiceSMOImpl.java:333-336).
// ApiSMOImpl.doApi (service-api/.../smo/api/impl/ApiSMOImpl.java:95-117)
// puts -1 for an absent user-id and the session's user for a session, so
// only a user-id header (or query parameter) sent empty to a service the
// session filter skips reaches that check: the login, for one.
func TestEmptyUserIDWithoutSession(t *testing.T) {
	s := NewServer()
	defer s.Close()
	r := newRequest(t, s, ServiceLogin, loginBody(s.Username, s.Password), "")
	r.Header.Set("user-id", "")
	wantResultError(t, do(t, r), "鉴权失败：USER_ID 不能为空")
	r = newRequest(t, s, ServiceLogin, loginBody(s.Username, s.Password), "")
	r.URL.RawQuery = "user-id="
	wantResultError(t, do(t, r), "鉴权失败：USER_ID 不能为空")
	if s.Logins() != 0 {
		t.Errorf("%d logins ran", s.Logins())
	}
	// Absent, or -1: accepted; with a session the session's user replaces it.
	r = newRequest(t, s, ServiceLogin, loginBody(s.Username, s.Password), "")
	r.Header.Del("user-id")
	if got := do(t, r); !strings.Contains(got.body, `"code":0`) {
		t.Errorf("no user-id: %s", got.body)
	}
	r = newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	r.Header.Set("user-id", "")
	wantJSON(t, do(t, r), http.StatusOK, 0, "成功")
}

// TestUpdateWithEmptyValuesChangesNothing: updateStoreInfo sets a column
// only when its value is neither null nor empty (java110-db/src/main/resources/
// mapper/store/StoreV1ServiceDaoImplMapper.xml:75-101), and so does
// updateStoreAttrInfo for corporation and foundingTime
// (StoreAttrV1ServiceDaoImplMapper.xml:66-68): a field sent empty keeps its
// value. UpdatePropertyCmd renames the administrator only for a name that
// is not blank (service-store/src/main/java/com/java110/store/cmd/property/
// UpdatePropertyCmd.java:182).
func TestUpdateWithEmptyValuesChangesNothing(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := save(t, s, "空值物业", "13900000071")
	empty := map[string]any{"storeId": c.StoreID}
	for _, k := range updatable {
		empty[k] = ""
	}
	wantJSON(t, do(t, newRequest(t, s, ServiceUpdateProperty, body(t, empty), s.Token)), http.StatusOK, 0, "成功")
	got := s.Companies()[0]
	if !reflect.DeepEqual(got, c) {
		t.Errorf("after an update with empty values:\n got %+v\nwant %+v", got, c)
	}
	// A blank name renames the company, not its administrator.
	wantJSON(t, do(t, newRequest(t, s, ServiceUpdateProperty, body(t, map[string]any{"storeId": c.StoreID, "name": " "}), s.Token)), http.StatusOK, 0, "成功")
	if got := s.Companies()[0].Name; got != " " {
		t.Errorf("name %q", got)
	}
	login(t, s, "空值物业", "13900000071")
}

// TestUpdateBringsBackADeletedCompany: updateStoreInfo matches the store by
// store_id alone and always sets status_cd (java110-db/src/main/resources/
// mapper/store/StoreV1ServiceDaoImplMapper.xml:70-106) to StorePo's
// statusCd, "0" by default (java110-bean/src/main/java/com/java110/po/
// store/StorePo.java:26), so UpdatePropertyCmd (UpdatePropertyCmd.java:124-129)
// succeeds on a deleted company and makes it visible again. The fake
// answered 更新数据失败.
func TestUpdateBringsBackADeletedCompany(t *testing.T) {
	s := NewServer()
	defer s.Close()
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, seedBody, s.Token)), http.StatusOK, 0, "成功")
	c := s.Companies()[0]
	wantJSON(t, do(t, newRequest(t, s, ServiceDeleteProperty, `{"storeId":"`+c.StoreID+`","storeTypeCd":"800900000003"}`, s.Token)), http.StatusOK, 0, "成功")
	wantJSON(t, do(t, newRequest(t, s, ServiceUpdateProperty, `{"storeId":"`+c.StoreID+`","address":"新地址"}`, s.Token)), http.StatusOK, 0, "成功")
	got := s.Companies()[0]
	if got.Deleted || got.Address != "新地址" || len(got.CommunityIDs) != 0 {
		t.Errorf("after the update: %+v", got)
	}
	a := decodeList(t, getList(t, s, s.Token, [][2]string{{"page", "1"}, {"row", "10"}, {"storeId", c.StoreID}}))
	if a.Total != 1 || a.Data[0]["address"] != "新地址" {
		t.Errorf("listed: %+v", a)
	}
	// Its communities stay free; its administrator stays deleted.
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, body(t, map[string]any{"tel": "13900000072"}), s.Token)), http.StatusOK, 0, "成功")
	wantResultError(t, do(t, newRequest(t, s, ServiceLogin, loginBody(c.Tel, c.Tel), "")), "用户或密码错误")
	// A store that never existed still fails.
	wantResultError(t, do(t, newRequest(t, s, ServiceUpdateProperty, `{"storeId":"999","address":"x"}`, s.Token)), "更新数据失败")
}

// TestDeleteADeletedCompanyAgain: deleteStore is updateStoreInfo with
// status_cd 1 (service-store/src/main/java/com/java110/store/smo/impl/
// StoreV1InnerServiceSMOImpl.java:62-65), which matches the store by
// store_id alone (StoreV1ServiceDaoImplMapper.xml:70-106; MySQL Connector/J
// counts matched rows), so DeletePropertyCmd (DeletePropertyCmd.java:117-134)
// succeeds again on a deleted company: no staff, no community is left to
// remove. The fake answered 删除数据失败. An unknown store still fails.
func TestDeleteADeletedCompanyAgain(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := save(t, s, "再删物业", "13900000073")
	del := `{"storeId":"` + c.StoreID + `","storeTypeCd":"800900000003"}`
	wantJSON(t, do(t, newRequest(t, s, ServiceDeleteProperty, del, s.Token)), http.StatusOK, 0, "成功")
	wantJSON(t, do(t, newRequest(t, s, ServiceDeleteProperty, del, s.Token)), http.StatusOK, 0, "成功")
	if got := s.Companies()[0]; !got.Deleted {
		t.Errorf("%+v", got)
	}
	wantResultError(t, do(t, newRequest(t, s, ServiceDeleteProperty, `{"storeId":"999","storeTypeCd":"800900000003"}`, s.Token)), "删除数据失败")
}

// TestSaveRefusesWhatMySQLRefuses: foundingTime is saved as an
// s_store_attr row whose VALUE is varchar(50) (SavePropertyCmd.java:210-218;
// docs/db/TT.sql, CREATE TABLE s_store_attr), so a longer one fails the
// insert; mapX and mapY become "1" only when absent
// (service-store/src/main/java/com/java110/store/cmd/property/
// SavePropertyCmd.java:187-192), so a null one goes into saveStoreInfo's
// insert (StoreV1ServiceDaoImplMapper.xml:7-11) as NULL, which the NOT
// NULL columns map_y and map_x refuse. The fake accepted both.
func TestSaveRefusesWhatMySQLRefuses(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, c := range []struct {
		edit map[string]any
		msg  string
	}{
		{map[string]any{"foundingTime": strings.Repeat("1", 51)}, "Data truncation: Data too long for column 'value' at row 1"},
		{map[string]any{"mapX": json.RawMessage("null")}, "Column 'map_x' cannot be null"},
		{map[string]any{"mapX": "1", "mapY": json.RawMessage("null")}, "Column 'map_y' cannot be null"},
	} {
		wantResultError(t, do(t, newRequest(t, s, ServiceSaveProperty, body(t, c.edit), s.Token)), c.msg)
	}
	if n := len(s.Companies()); n != 0 {
		t.Fatalf("%d companies created", n)
	}
	// Fifty characters fit; an empty mapX is kept as it is.
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, body(t, map[string]any{"foundingTime": strings.Repeat("1", 50), "mapX": ""}), s.Token)), http.StatusOK, 0, "成功")
	if c := s.Companies()[0]; c.MapX != "" || c.MapY != "1" {
		t.Errorf("%+v", c)
	}
}

// TestListPropertyNameIsPastedIntoSQL: the mapper filters with
// t.name like '%${name}%' (java110-db/src/main/resources/mapper/store/
// StoreV1ServiceDaoImplMapper.xml:36-38 and :119-121, string
// interpolation), so % and _ are wildcards, a backslash escapes, letters
// match whatever their case (a *_general_ci collation), and a quote breaks
// the statement. The fake matched a plain, case-sensitive substring, so a
// client that forgets to refuse these characters went unnoticed.
func TestListPropertyNameIsPastedIntoSQL(t *testing.T) {
	s := NewServer()
	defer s.Close()
	save(t, s, "50%物业", "13900000081")
	save(t, s, "abc物业", "13900000082")
	save(t, s, "东方物业", "13900000083")
	for name, want := range map[string]int{
		"%":      3,
		"东_物业":   1,
		`\%`:     1,
		"ABC":    1,
		"a''bc":  0, // '' is a quote in the literal: no name has one
		"物业":     3,
		"东方物业二":  0,
		`50\%物业`: 1,
	} {
		a := decodeList(t, getList(t, s, s.Token, [][2]string{{"page", "1"}, {"row", "10"}, {"name", name}}))
		if a.Code != 0 || a.Total != want {
			t.Errorf("name %q: %d companies (code %d), want %d", name, a.Total, a.Code, want)
		}
	}
	got := getList(t, s, s.Token, [][2]string{{"page", "1"}, {"row", "10"}, {"name", "a'b"}})
	if e := got.envelope(t); e.Code != codeError || !strings.HasPrefix(e.Msg, "You have an error in your SQL syntax") {
		t.Errorf("a quote: %s", got.body)
	}
}

// TestBodyThatIsNotAJSONObject: the dispatcher parses a POST body with
// fastjson's JSONObject.parseObject (java110-core/src/main/java/com/
// java110/core/context/ApiDataFlow.java:123) and answers its exception as
// any other, HTTP 200 内部异常：<message><message> (service-api/src/main/
// java/com/java110/api/smo/impl/ApiServiceSMOImpl.java:121-123); only the
// staff of a company that is not the operator have their body parsed
// earlier, by ApiSMOImpl (service-api/.../smo/api/impl/ApiSMOImpl.java:69),
// whose exception AppController answers HTTP 500 请求发生异常
// (AppController.java:107-110). A body fastjson reads as null passes every
// check and fails in dealCmd (ApiServiceSMOImpl.java:586-587): 内部异常：
// nullnull. No body at all is Spring's 400 (@RequestBody is required). The
// fake answered all of them HTTP 500 请求发生异常，JSON 格式错误.
func TestBodyThatIsNotAJSONObject(t *testing.T) {
	s := NewServer()
	defer s.Close()
	post := func(service, body, token string) (result, envelope) {
		got := do(t, newRequest(t, s, service, body, token))
		if got.status == http.StatusBadRequest {
			return got, envelope{}
		}
		return got, got.envelope(t)
	}
	// The operator's session and the login: the dispatcher.
	for _, c := range []struct{ service, token string }{{ServiceSaveProperty, s.Token}, {ServiceLogin, ""}} {
		if got, e := post(c.service, `[1]`, c.token); got.status != http.StatusOK || e.Code != codeError || e.Msg != "内部异常：can not cast to JSONObject.can not cast to JSONObject." {
			t.Errorf("%s, an array: %d %s", c.service, got.status, got.body)
		}
		if got, e := post(c.service, `{"name":`, c.token); got.status != http.StatusOK || !strings.HasPrefix(e.Msg, "内部异常：syntax error") {
			t.Errorf("%s, broken JSON: %d %s", c.service, got.status, got.body)
		}
		if got, e := post(c.service, `null`, c.token); got.status != http.StatusOK || e.Msg != "内部异常：nullnull" {
			t.Errorf("%s, null: %d %s", c.service, got.status, got.body)
		}
		if got, _ := post(c.service, ``, c.token); got.status != http.StatusBadRequest || !strings.Contains(got.body, `"status":400`) {
			t.Errorf("%s, no body: %d %s", c.service, got.status, got.body)
		}
	}
	// A property company's staff: the controller.
	c := save(t, s, "员工物业", "13900000091")
	admin := login(t, s, c.Tel, c.Tel)
	if got, e := post(ServiceUpdateProperty, `[1]`, admin); got.status != http.StatusInternalServerError || e.Msg != "请求发生异常，can not cast to JSONObject." {
		t.Errorf("staff, an array: %d %s", got.status, got.body)
	}
	// null is checked after the sign.
	r := newRequest(t, s, ServiceSaveProperty, `null`, s.Token)
	r.Header.Set("sign", "0")
	wantResultError(t, do(t, r), "鉴权失败：签名失败")
}

// TestRecordsIsTheCommandsDivision: the list commands answer records =
// (int) Math.ceil((double) count / (double) row) whatever the page
// (service-store/src/main/java/com/java110/store/cmd/property/
// ListPropertyCmd.java:145; ListCommunitysCmd.java:93;
// ListMenuGroupsCmd.java:50): page -1 still divides by row, and a row of 0
// gives Integer.MAX_VALUE. The fake answered 1 and 0.
func TestRecordsIsTheCommandsDivision(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, tel := range []string{"13900000101", "13900000102", "13900000103"} {
		save(t, s, "分页物业"+tel, tel)
	}
	for _, c := range []struct {
		page, row     string
		records, rows int
	}{
		{"-1", "2", 2, 3},
		{"1", "0", math.MaxInt32, 0},
		{"1", "2", 2, 2},
	} {
		a := decodeList(t, getList(t, s, s.Token, [][2]string{{"page", c.page}, {"row", c.row}}))
		if a.Code != 0 || a.Records != c.records || len(a.Data) != c.rows || a.Total != 3 {
			t.Errorf("page %s row %s: %+v", c.page, c.row, a)
		}
	}
	got := signedGet(t, s, ServiceListCommunities, "", [2]string{"page", "-1"}, [2]string{"row", "0"})
	if !strings.Contains(got.body, `"records":2147483647`) {
		t.Errorf("communities: %s", got.body)
	}
}

// TestSessionAnswerResponseTime: the session filter's 1996 answer is
// DataTransactionFactory.pageResponseJson, whose responseTime is
// DateUtil.getNowDefault(), yyyyMMddHHmmss (java110-core/src/main/java/com/
// java110/core/factory/DataTransactionFactory.java:370; java110-utils/src/
// main/java/com/java110/utils/util/DateUtil.java:193-195). The fake wrote
// yyyy-MM-dd HH:mm:ss.
func TestSessionAnswerResponseTime(t *testing.T) {
	s := NewServer(WithClock(func() time.Time { return time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC) }))
	defer s.Close()
	got := do(t, newRequest(t, s, ServiceSaveProperty, plainBody, ""))
	if !strings.Contains(got.body, `"responseTime":"20240101120000"`) {
		t.Errorf("answer %s", got.body)
	}
}

// TestMissingAppIDIsNull: without an app-id the dispatcher looks up the
// routes of a null app id and words its refusal with Java's "null"
// (service-api/src/main/java/com/java110/api/smo/impl/ApiServiceSMOImpl.java:281-286;
// AppRouteCache.getAppRoute). The fake left it empty.
func TestMissingAppIDIsNull(t *testing.T) {
	s := NewServer()
	defer s.Close()
	r := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	r.Header.Del("app-id")
	wantResultError(t, do(t, r), "初始化失败：当前没有获取到AppId对应的信息，appId = null")
	r = newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	r.Header.Set("app-id", "")
	wantResultError(t, do(t, r), "初始化失败：当前没有获取到AppId对应的信息，appId = ")
}

// TestListCommunitiesNameIsALikePattern: getCommunityInfoNew filters with
// t.name like concat('%',#{name},'%') (java110-db/src/main/resources/
// mapper/community/CommunityServiceDaoImplMapper.xml, getCommunityInfoNew
// and queryCommunitysCount): % and _ are wildcards and case is ignored.
// The fake matched a plain, case-sensitive substring.
func TestListCommunitiesNameIsALikePattern(t *testing.T) {
	s := NewServer(WithCommunity(CommunityDetails{CommunityID: "2023000000000001", Name: "Garden 东园"}))
	defer s.Close()
	for name, want := range map[string]int{"%": 2, "garden": 1, "东_": 1, "Garden 东园": 1, `\%`: 0} {
		got := signedGet(t, s, ServiceListCommunities, "", append(page1, [2]string{"name", name})...)
		var a struct{ Total int }
		if json.Unmarshal([]byte(got.body), &a) != nil || a.Total != want {
			t.Errorf("name %q: %s, want %d", name, got.body, want)
		}
	}
}

// TestLoginMatchesNamesAsMySQL: the login's getUsers compares
// u.name = #{name} and getStaffs filters u.name like
// concat('%',#{name},'%') (java110-db/src/main/resources/mapper/user/
// UserServiceDaoImplMapper.xml, getUsers and getStaffs; called by
// PcUserLoginCmd.java:122 and :150) on a *_general_ci column: case and
// trailing spaces do not count, % and _ are wildcards. The fake compared
// exactly and listed by plain substring.
func TestLoginMatchesNamesAsMySQL(t *testing.T) {
	s := NewServer(WithUser("ad_min", "18900000002", "pw-1"), WithUser("adXmin", "18900000003", "pw-2"))
	defer s.Close()
	names := func(entries []loginEntry) (out []string) {
		for _, e := range entries {
			out = append(out, e.UserName)
		}
		return out
	}
	if got := names(loginEntries(t, s, "ad_min", "pw-1")); !slices.Equal(got, []string{"adXmin", "ad_min"}) {
		t.Errorf("entries of ad_min: %q", got)
	}
	if got := names(loginEntries(t, s, "ADMIN", s.Password)); !slices.Contains(got, "admin") {
		t.Errorf("entries of ADMIN: %q", got)
	}
}

// TestLoginMatchesTelsAsMySQL: getUsers' and getStaffs' u.tel = #{tel}
// (java110-db/src/main/resources/mapper/user/UserServiceDaoImplMapper.xml:677
// and :561; PcUserLoginCmd.java:125 and :150) compare on a utf8_general_ci
// varchar(11) (docs/db/TT.sql:34140): trailing spaces do not count. The
// fake compared exactly and refused "18900000002 ".
func TestLoginMatchesTelsAsMySQL(t *testing.T) {
	s := NewServer(WithUser("tom", "18900000002", "pw-1"))
	defer s.Close()
	entries := loginEntries(t, s, "18900000002 ", "pw-1")
	if len(entries) != 1 || entries[0].UserName != "tom" {
		t.Errorf("entries of \"18900000002 \": %+v", entries)
	}
}

// TestMenuGroupsBySeq: getMenuGroupInfo orders by t.seq
// (java110-db/src/main/resources/mapper/community/MenuServiceDaoImplMapper.xml,
// getMenuGroupInfo). The fake ordered by gId.
func TestMenuGroupsBySeq(t *testing.T) {
	s := NewServer(WithMenuGroups(),
		WithMenuGroup(MenuGroupDetails{GID: "1", Name: "三", Seq: 3}),
		WithMenuGroup(MenuGroupDetails{GID: "2", Name: "一", Seq: 1}),
		WithMenuGroup(MenuGroupDetails{GID: "3", Name: "二", Seq: 2}))
	defer s.Close()
	var a struct{ MenuGroups []menuGroupEntry }
	got := signedGet(t, s, ServiceListMenuGroups, s.Token, page1...)
	if json.Unmarshal([]byte(got.body), &a) != nil || len(a.MenuGroups) != 3 ||
		a.MenuGroups[0].GID != "2" || a.MenuGroups[1].GID != "3" || a.MenuGroups[2].GID != "1" {
		t.Errorf("answer %s", got.body)
	}
}

// TestListPropertyFiltersOnEveryStoreField: ListPropertyCmd fills StoreDto
// with every parameter (service-store/src/main/java/com/java110/store/cmd/
// property/ListPropertyCmd.java:117) and getStoreInfo filters on each that
// is not empty (java110-db/src/main/resources/mapper/store/
// StoreV1ServiceDaoImplMapper.xml:14-67): address, nearByLandmarks, mapX,
// mapY, state, and statusCd — "0" by default (StoreDto's), so statusCd=1
// lists the deleted companies and an empty one all. The fake ignored them.
func TestListPropertyFiltersOnEveryStoreField(t *testing.T) {
	s := NewServer()
	defer s.Close()
	gone := save(t, s, "已删物业", "13900000111")
	wantJSON(t, do(t, newRequest(t, s, ServiceDeleteProperty, `{"storeId":"`+gone.StoreID+`","storeTypeCd":"800900000003"}`, s.Token)), http.StatusOK, 0, "成功")
	wantJSON(t, do(t, newRequest(t, s, ServiceSaveProperty, body(t, map[string]any{"name": "东物业", "tel": "13900000112", "address": "东路1号", "mapX": "116.1", "communityIds": nil, "groupIds": nil}), s.Token)), http.StatusOK, 0, "成功")
	save(t, s, "西物业", "13900000113")
	for _, c := range []struct {
		key, value string
		want       int
	}{
		{"statusCd", "1", 1},
		{"statusCd", "", 3},
		{"statusCd", "0", 2},
		{"address", "东路1号", 1},
		{"mapX", "116.1", 1},
		{"state", "48002", 0},
	} {
		a := decodeList(t, getList(t, s, s.Token, [][2]string{{"page", "1"}, {"row", "10"}, {c.key, c.value}}))
		if a.Code != 0 || a.Total != c.want {
			t.Errorf("%s=%s: %d companies, want %d", c.key, c.value, a.Total, c.want)
		}
	}
	a := decodeList(t, getList(t, s, s.Token, [][2]string{{"page", "1"}, {"row", "10"}, {"statusCd", "1"}}))
	if len(a.Data) != 1 || a.Data[0]["storeId"] != gone.StoreID || a.Data[0]["statusCd"] != "1" {
		t.Errorf("deleted: %+v", a)
	}
}

// TestListPropertyEntryIsTheStoreRow: getStoreInfo answers
// t.user_id userId — the column saveStoreInfo fills with the body's
// userId, which dealCmd sets to the caller's (StoreV1ServiceDaoImplMapper.xml:7-11
// and :14-28; ApiServiceSMOImpl.java:586-589), and updateStoreInfo
// replaces (:93-95) — and storeTypeName 物业商户 for a property company
// (:19-25). The fake answered the administrator's id and 物业.
func TestListPropertyEntryIsTheStoreRow(t *testing.T) {
	s := NewServer(WithUser("second", "18900000004", "pw-2"))
	defer s.Close()
	c := save(t, s, "行物业", "13900000121")
	operator := loginEntries(t, s, s.Username, s.Password)[0].UserID
	entry := func() propertyEntry {
		a := decodeList(t, getList(t, s, s.Token, [][2]string{{"page", "1"}, {"row", "10"}}))
		if len(a.Data) != 1 {
			t.Fatalf("%+v", a)
		}
		return a.Data[0]
	}
	if e := entry(); e["userId"] != operator || e["userId"] == c.AdminUserID || e["storeTypeName"] != "物业商户" {
		t.Errorf("entry %v, want userId %s", e, operator)
	}
	second := login(t, s, "second", "pw-2")
	wantJSON(t, do(t, newRequest(t, s, ServiceUpdateProperty, `{"storeId":"`+c.StoreID+`","address":"改"}`, second)), http.StatusOK, 0, "成功")
	secondID := ""
	for _, e := range loginEntries(t, s, "second", "pw-2") {
		if e.UserName == "second" {
			secondID = e.UserID
		}
	}
	if e := entry(); e["userId"] != secondID {
		t.Errorf("after second's update: %v, want userId %s", e, secondID)
	}
}

// TestContentTypeFollowsAccept: AppController answers ResponseEntity<String>
// without a type (service-api/src/main/java/com/java110/api/controller/app/
// AppController.java:86-114), so Spring writes the type the Accept header
// asks for with HC's UTF-8 StringHttpMessageConverter
// (java110-service/src/main/java/com/java110/service/configuration/
// CustomMVCConfiguration.java:20-33): application/json only when asked,
// text/plain;charset=UTF-8 for */* or no Accept. The fake always said JSON,
// so a client that decodes by Content-Type without asking for JSON passed.
func TestContentTypeFollowsAccept(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for accept, want := range map[string]string{
		"":                                      "text/plain;charset=UTF-8",
		"*/*":                                   "text/plain;charset=UTF-8",
		"application/json":                      "application/json;charset=UTF-8",
		"application/json, text/plain, */*":     "application/json;charset=UTF-8",
		"text/plain;q=0.5, application/json":    "application/json;charset=UTF-8",
		"application/*":                         "application/json;charset=UTF-8",
		"text/html,application/xhtml+xml;q=0.9": "text/html;charset=UTF-8",
	} {
		r := newRequest(t, s, ServiceListProperty, plainBody, s.Token) // a POST to a GET service: a refusal
		if accept == "" {
			r.Header.Del("Accept")
		} else {
			r.Header.Set("Accept", accept)
		}
		if got := do(t, r); got.contentType != want || !strings.Contains(got.body, `"code":404`) {
			t.Errorf("Accept %q: %q %s, want %q", accept, got.contentType, got.body, want)
		}
	}
	// The session filter writes text/plain whatever the Accept.
	if got := do(t, newRequest(t, s, ServiceSaveProperty, plainBody, "")); got.contentType != contentTypeText {
		t.Errorf("1996: %q", got.contentType)
	}
}

// TestLockedCompanyRefusesLogins: updateProperty writes state, a column of
// s_store (StoreV1ServiceDaoImplMapper.xml:90-92, via StorePo), and the
// login refuses the staff of a company whose state is 48002
// (service-user/src/main/java/com/java110/user/cmd/login/
// PcUserLoginCmd.java:135-147) with 当前商户限制登录，请联系管理员. The fake
// ignored state.
func TestLockedCompanyRefusesLogins(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := save(t, s, "锁定物业", "13900000131")
	update := func(state string) {
		wantJSON(t, do(t, newRequest(t, s, ServiceUpdateProperty, `{"storeId":"`+c.StoreID+`","state":"`+state+`"}`, s.Token)), http.StatusOK, 0, "成功")
	}
	update("48002")
	wantResultError(t, do(t, newRequest(t, s, ServiceLogin, loginBody(c.Tel, c.Tel), "")), "当前商户限制登录，请联系管理员")
	a := decodeList(t, getList(t, s, s.Token, [][2]string{{"page", "1"}, {"row", "10"}, {"state", "48002"}}))
	if a.Total != 1 || a.Data[0]["state"] != "48002" {
		t.Errorf("listed: %+v", a)
	}
	update("48001")
	login(t, s, c.Tel, c.Tel)
}

// TestCommunitiesNewestFirst: getCommunityInfoNew orders by
// t.create_time desc (java110-db/src/main/resources/mapper/community/
// CommunityServiceDaoImplMapper.xml, getCommunityInfoNew); the fake's
// communities are created in the order the options give them, so the last
// comes first. The fake sorted them by id.
func TestCommunitiesNewestFirst(t *testing.T) {
	s := NewServer(WithCommunities("c2", "c3", "c1"))
	defer s.Close()
	var a struct{ Communitys []communityEntry }
	got := signedGet(t, s, ServiceListCommunities, "", page1...)
	if json.Unmarshal([]byte(got.body), &a) != nil || len(a.Communitys) != 3 ||
		a.Communitys[0].CommunityID != "c1" || a.Communitys[1].CommunityID != "c3" || a.Communitys[2].CommunityID != "c2" {
		t.Errorf("answer %s", got.body)
	}
}

// TestOtherMethods: AppController maps GET, POST, PUT and DELETE
// (service-api/src/main/java/com/java110/api/controller/app/
// AppController.java:82, :124, :241, :275): a PUT goes through the
// dispatcher like a POST and is refused for its method
// (ApiServiceSMOImpl.java:400-406, the message doubled by :123), Spring
// serves HEAD with the GET handler, and any other method is Spring's 405.
// The fake answered HTTP 500 请求发生异常 to all of them.
func TestOtherMethods(t *testing.T) {
	s := NewServer()
	defer s.Close()
	r := newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	r.Method = http.MethodPut
	m := "服务【property.saveProperty】调用方式不对请检查,当前请求方式为：PUT"
	wantResultError(t, do(t, r), "内部异常："+m+m)

	r = newRequest(t, s, ServiceSaveProperty, plainBody, s.Token)
	r.Method = http.MethodPatch
	if got := do(t, r); got.status != http.StatusMethodNotAllowed || !strings.Contains(got.body, `"status":405`) {
		t.Errorf("PATCH: %d %s", got.status, got.body)
	}
	if n := len(s.Companies()); n != 0 {
		t.Errorf("%d companies", n)
	}

	q := "page=1&row=10"
	r = getRequest(t, s, ServiceListProperty, q, s.Token)
	r.Method = http.MethodHead
	if got := do(t, r); got.status != http.StatusOK {
		t.Errorf("HEAD: %d", got.status)
	}
	if last, _ := s.LastRequest(ServiceListProperty); last.State != 0 || last.HTTPStatus != http.StatusOK {
		t.Errorf("HEAD: %+v", last)
	}
}

// TestSaveFailsWhereTheRealCommandFails: with several faults, the first
// the real command meets decides the answer. The store's insert lists
// address before name and map_y before nearby_landmarks
// (java110-db/src/main/resources/mapper/store/StoreV1ServiceDaoImplMapper.xml:7-11),
// and the command checks each community's menu groups right after the
// community (service-store/src/main/java/com/java110/store/cmd/property/
// SavePropertyCmd.java:328-363, :410-412), before the next community.
// The fake checked name first and every community before the groups.
func TestSaveFailsWhereTheRealCommandFails(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for _, c := range []struct {
		edit map[string]any
		msg  string
	}{
		{map[string]any{"name": strings.Repeat("名", 60), "address": strings.Repeat("址", 201)}, "Data truncation: Data too long for column 'address' at row 1"},
		{map[string]any{"nearByLandmarks": strings.Repeat("标", 201), "mapY": json.RawMessage("null")}, "Column 'map_y' cannot be null"},
		{map[string]any{"communityIds": []string{DefaultCommunityID, "999"}, "groupIds": []string{"888"}}, "没有分配任何功能"},
	} {
		wantResultError(t, do(t, newRequest(t, s, ServiceSaveProperty, body(t, c.edit), s.Token)), c.msg)
	}
	if n := len(s.Companies()); n != 0 {
		t.Errorf("%d companies", n)
	}
}

// TestLoginAnswerTotalIsOne: the login answers
// ResultVo.createResponseEntity(data) (PcUserLoginCmd.java:185), which sets
// records and total to DEFAULT_RECORD and DEFAULT_TOTAL, 1 and 1
// (java110-bean/src/main/java/com/java110/vo/ResultVo.java:46-47, :229-233),
// however many entries data lists. The fake answered their number.
func TestLoginAnswerTotalIsOne(t *testing.T) {
	s := NewServer(WithUser("admin2", "18900000002", "pw-2"))
	defer s.Close()
	got := do(t, newRequest(t, s, ServiceLogin, loginBody(s.Username, s.Password), ""))
	var a struct {
		Data           []loginEntry
		Records, Total int
	}
	if json.Unmarshal([]byte(got.body), &a) != nil || len(a.Data) != 2 || a.Records != 1 || a.Total != 1 {
		t.Errorf("answer %s", got.body)
	}
}

// TestGETQueryAsTheGatewayForwardsIt: the gateway forwards a GET's query
// to the service decoded, appended to the service's URL as a URI template
// (BaseController's REQUEST_URL, ApiServiceSMOImpl.java:505-511): & and =
// split the pairs anew, + arrives as a space, # drops the rest of the
// query, and a {…} fails RestTemplate's template (内部异常, :121-123).
func TestGETQueryAsTheGatewayForwardsIt(t *testing.T) {
	s := NewServer()
	defer s.Close()
	s.Handle(http.MethodGet, "test.echo", func(p Params) (int, any) { return 0, p })
	echo := func(query ...[2]string) map[string]string {
		t.Helper()
		r := signedGet(t, s, "test.echo", s.Token, query...)
		wantJSON(t, r, http.StatusOK, 0, "成功")
		var env struct{ Data map[string]string }
		if err := json.Unmarshal([]byte(r.body), &env); err != nil {
			t.Fatalf("%v: %s", err, r.body)
		}
		return env.Data
	}
	got := echo([2]string{"a", "A&B=C"}, [2]string{"b", "+86 1"}, [2]string{"c", "1#楼"}, [2]string{"d", "after"})
	want := map[string]string{"a": "A", "B": "C", "b": " 86 1", "c": "1"}
	if _, ok := got["d"]; ok {
		t.Errorf("d, after the #, arrived: %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	// listProperty's page and row after a # never arrive.
	wantResultError(t, signedGet(t, s, ServiceListProperty, s.Token, [2]string{"name", "1#楼"}, [2]string{"page", "1"}, [2]string{"row", "10"}), "请求中未包含page信息")
	msg := "Not enough variable values available to expand 'x'"
	wantResultError(t, signedGet(t, s, "test.echo", s.Token, [2]string{"a", "{x}"}), "内部异常："+msg+msg)
	// A lone brace is only percent-encoded: it arrives.
	if a := echo([2]string{"a", "x}"})["a"]; a != "x}" {
		t.Errorf("a = %q", a)
	}
}
