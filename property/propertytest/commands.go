package propertytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"

	jsonenv "github.com/fangsdk/fang/internal/envelope"
	"github.com/fangsdk/fang/sign"
)

// value is a raw JSON value as fastjson's getString reads it: a JSON
// string unquoted, a number or boolean as written, absent or null as
// ("", false).
func value(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	return jsonenv.Text(raw), len(raw) > 0 && string(raw) != "null"
}

// loginEntry is one element of login.pcUserLogin's data: the staff entry
// (UserDto as JSON, userPwd removed) and the session token issued for it.
type loginEntry struct {
	UserID      string `json:"userId"`
	UserName    string `json:"userName"`
	Tel         string `json:"tel"`
	StoreName   string `json:"storeName"`
	StoreTypeCd string `json:"storeTypeCd"`
	Token       string `json:"token"`
}

// login is login.pcUserLogin (PcUserLoginCmd).
func (s *Server) login(c *call) response {
	username := c.params.Get("username")
	if username == "" {
		return resultError("用户登录，未包含username节点，请检查")
	}
	passwd := c.params.Get("passwd")
	if passwd == "" {
		return resultError("用户登录，未包含passwd节点，请检查")
	}
	// HC's own web app sends the password; its server hashes it here.
	if c.appID == PropertyAppID {
		passwd = sign.HCPassword(passwd)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.logins.Add(1) // every login the command carries out, successful or not
	now := s.Now()
	if f, ok := s.failed[username]; ok && now.Before(f.expires) && f.n >= MaxLoginFailures && !s.cfg.demo {
		return resultError("登陆错误次数过多，请休息一会再试")
	}

	// getUsers: the name and the password, else the tel and the password.
	// u.name = #{name} and u.tel = #{tel} compare as the *_general_ci
	// collation does: without regard to case or trailing spaces
	// (UserServiceDaoImplMapper.xml, getUsers).
	first := slices.IndexFunc(s.users, func(u user) bool { return sqlEqual(u.name, username) && u.passwdHash == passwd })
	byTel := false
	if first < 0 {
		first = slices.IndexFunc(s.users, func(u user) bool { return sqlEqual(u.tel, username) && u.passwdHash == passwd })
		byTel = first >= 0
	}
	if first < 0 {
		f := s.failed[username]
		if !now.Before(f.expires) {
			f.n = 0
		}
		f.n++
		f.expires = now.Add(LoginLockout)
		s.failed[username] = f
		if s.cfg.seedDialect {
			return textResponse(http.StatusUnauthorized, "用户或密码错误")
		}
		return resultError("用户或密码错误")
	}
	// A success leaves the failure counter as it is: it lives out its
	// window (AuthenticationFactory.userLoginError keeps no reset).

	// The company of the first user found may not be locked
	// (PcUserLoginCmd.java:135-147): HTTP 401 from the command, code 404
	// from the gateway.
	if s.storeStateLocked(s.users[first].storeID) == storeStateLocked {
		if s.cfg.seedDialect {
			return textResponse(http.StatusUnauthorized, "当前商户限制登录，请联系管理员")
		}
		return resultError("当前商户限制登录，请联系管理员")
	}

	// getStaffs: every user whose name is like '%username%' (so % and _
	// are wildcards; UserServiceDaoImplMapper.xml, getStaffs) or whose tel
	// equals it (u.tel = #{tel}, as MySQL compares), newest first,
	// whatever their password.
	nameLike := boundLike(username)
	var entries []loginEntry
	for _, u := range slices.Backward(s.users) {
		if byTel && !sqlEqual(u.tel, username) || !byTel && !nameLike(u.name) {
			continue
		}
		entries = append(entries, loginEntry{u.userID, u.name, u.tel, u.storeName, u.storeTypeCd, s.newSessionLocked(u.userID)})
	}
	if s.cfg.seedDialect {
		// Older servers: the bare object of the user who logged in.
		for _, e := range entries {
			if sqlEqual(e.UserName, username) || sqlEqual(e.Tel, username) {
				return answer(map[string]string{"userId": e.UserID, "userName": e.UserName, "token": e.Token})
			}
		}
	}
	return answer(envelope{Code: 0, Msg: "成功", Data: entries, Records: 1, Total: 1}) // ResultVo.createResponseEntity(data): DEFAULT_RECORD, DEFAULT_TOTAL
}

// requiredFields are saveProperty's required fields in the order the real
// command checks them (SavePropertyCmd.validate), with its message.
var requiredFields = []struct{ name, msg string }{
	{"name", "请求报文中未包含名称"},
	{"address", "请求报文中未包含地址"},
	{"tel", "请求报文中未包含tel"},
	{"corporation", "请求报文中未包含法人"},
	{"foundingTime", "请求报文中未包含成立日期"},
}

// columnLimits are the widths of the columns saveProperty and
// updateProperty write, in characters, and the column's name; a longer
// value makes MySQL (strict mode) refuse the write with its own message
// (tooLong), never 保存数据失败.
var columnLimits = []struct {
	name   string
	limit  int
	column string
}{
	{"name", 50, "name"}, {"address", 200, "address"}, {"tel", 11, "tel"},
	// corporation and foundingTime are s_store_attr rows: VALUE varchar(50)
	// (docs/db/TT.sql, CREATE TABLE s_store_attr).
	{"corporation", 50, "value"}, {"foundingTime", 50, "value"},
	{"nearByLandmarks", 200, "nearby_landmarks"}, {"mapX", 20, "map_x"}, {"mapY", 20, "map_y"},
	{"state", 12, "state"}, // updateProperty's only: saveProperty sets 48001
}

// saveColumns are the columns saveProperty's inserts write, in the order
// MySQL sees them: s_store (saveStoreInfo's column list:
// address, name varchar(100), tel, map_y, map_x, nearby_landmarks;
// StoreV1ServiceDaoImplMapper.xml:7-11), the corporation and foundingTime
// rows of s_store_attr (VALUE varchar(50)), then u_user, whose name is
// varchar(50) (docs/db/TT.sql).
var saveColumns = []struct {
	name   string
	limit  int
	column string
}{
	{"address", 200, "address"}, {"name", 100, "name"}, {"tel", 11, "tel"},
	{"mapY", 20, "map_y"}, {"mapX", 20, "map_x"}, {"nearByLandmarks", 200, "nearby_landmarks"},
	{"corporation", 50, "value"}, {"foundingTime", 50, "value"},
	{"name", 50, "name"},
}

// tooLong is the first value of strs wider than its column, as MySQL
// words it ("" when none is).
func tooLong(strs map[string]string) string {
	for _, c := range columnLimits {
		if utf8.RuneCountInString(strs[c.name]) > c.limit {
			return "Data truncation: Data too long for column '" + c.column + "' at row 1"
		}
	}
	return ""
}

// stringArray decodes an array parameter. A null array is a
// NullPointerException in the real command (ok false); absent is empty.
func stringArray(params Params, name string) (ids []string, ok bool) {
	raw, present := params[name]
	if !present {
		return nil, true
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil || elems == nil {
		return nil, false
	}
	for _, e := range elems {
		v, _ := value(e)
		ids = append(ids, v)
	}
	return ids, true
}

// saveProperty is property.saveProperty (SavePropertyCmd). It is
// all-or-nothing: every failure leaves nothing behind, as the platform's
// compensating rollback (@Java110Transactional) does.
func (s *Server) saveProperty(c *call) response {
	if resp, held := s.holdSave(c); held { // HoldNextSave (landing.go)
		return resp
	}
	return s.save(c)
}

// save runs saveProperty's command, held or not.
func (s *Server) save(call *call) response {
	params, txid := call.params, call.txid
	seed := s.cfg.seedDialect
	strs := map[string]string{}
	for _, f := range requiredFields {
		v, ok := params.lookup(f.name)
		if !ok || v == "" { // Assert.hasKeyAndValue: only spaces pass
			return resultError(f.msg)
		}
		strs[f.name] = v
	}
	communityIDs, ok1 := stringArray(params, "communityIds")
	groupIDs, ok2 := stringArray(params, "groupIds")
	if !ok1 || !ok2 {
		return resultError("") // a NullPointerException has no message
	}
	if len(communityIDs) > 0 && len(groupIDs) == 0 {
		return resultError("未包含小区开通功能")
	}
	// StorePo is filled by name: the real server reads nearByLandmarks;
	// the seed documents nearbyLandmarks.
	landmarkKeys := []string{"nearByLandmarks"}
	if seed {
		landmarkKeys = []string{"nearbyLandmarks", "nearByLandmarks"}
	}
	for _, k := range landmarkKeys {
		if v, ok := params.lookup(k); ok {
			strs["nearByLandmarks"] = v
			break
		}
	}
	failed := func(seedCode int, seedMsg, msg string) response {
		if seed {
			return jsonResponse(http.StatusOK, seedCode, seedMsg)
		}
		return resultError(msg)
	}
	// mapX and mapY are "1" only when absent (SavePropertyCmd.java:187-192):
	// a null one goes into the insert as NULL, which map_y and map_x (NOT
	// NULL, in that order in saveStoreInfo's column list) refuse.
	strs["mapX"], strs["mapY"] = "1", "1"
	null := map[string]bool{}
	for _, k := range []string{"mapY", "mapX"} {
		if raw, present := params[k]; present {
			v, notNull := value(raw)
			strs[k], null[k] = v, !notNull
		}
	}
	// The inserts in the command's order, each column in its statement's
	// order: the first value MySQL refuses decides the message.
	for _, col := range saveColumns {
		if null[col.name] {
			return failed(-1, "保存数据失败", "Column '"+col.column+"' cannot be null")
		}
		if utf8.RuneCountInString(strs[col.name]) > col.limit {
			return failed(-1, "保存数据失败", "Data truncation: Data too long for column '"+col.column+"' at row 1")
		}
	}
	if s.cfg.noDefaultPrivilege {
		return failed(-3, "未配置物业默认权限", "未配置物业默认权限")
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	var known []string // unknown group ids are skipped
	for _, id := range groupIDs {
		if _, ok := s.groups[id]; ok {
			known = append(known, id)
		}
	}
	// Each community in turn: already settled, unknown, then its menu
	// groups (saveMenuGroupCommunity, SavePropertyCmd.java:328-363 and
	// :410-412), before the next community is looked at.
	binding := make(map[string]bool, len(communityIDs))
	for _, id := range communityIDs {
		if _, taken := s.settled[id]; taken || binding[id] {
			return failed(-2, "小区已入驻", "小区已经入驻"+id)
		}
		if _, ok := s.communities[id]; !ok {
			return resultError("小区不存在")
		}
		if len(known) == 0 {
			return resultError("没有分配任何功能")
		}
		binding[id] = true
	}
	if len(communityIDs) > 0 {
		groupIDs = known
	}

	c := Company{
		StoreID:         s.newIDLocked("10"),
		Name:            strs["name"],
		Address:         strs["address"],
		Tel:             strs["tel"],
		Corporation:     strs["corporation"],
		FoundingTime:    strs["foundingTime"],
		NearbyLandmarks: strs["nearByLandmarks"],
		CommunityIDs:    append([]string(nil), communityIDs...),
		GroupIDs:        append([]string(nil), groupIDs...),
		MapX:            strs["mapX"],
		MapY:            strs["mapY"],
		AdminUsername:   strs["tel"],
		TransactionID:   txid,
		CreatedAt:       s.Now(),
	}
	// The admin account: the company's name, its tel, the tel as password.
	admin := s.addUserLocked(c.Name, c.Tel, c.Tel, c.StoreID, c.Name, storeTypeProperty)
	c.AdminUserID = admin.userID
	// s_store.user_id is the body's userId, which dealCmd fills with the
	// caller's (saveStoreInfo, StoreV1ServiceDaoImplMapper.xml:7-11).
	s.storeUsers[c.StoreID] = params.Get("userId")
	for _, id := range c.CommunityIDs {
		s.settled[id] = c.StoreID
	}
	s.companies = append(s.companies, c)
	call.created = &c
	return jsonResponse(http.StatusOK, 0, "成功")
}

// createTimeLayout is how StoreDto writes createTime (China time).
const createTimeLayout = "2006-01-02 15:04:05"

// pageRow reads the required page and row parameters as ListPropertyCmd,
// ListCommunitysCmd and ListMenuGroupsCmd do (Cmd.validatePageInfo): each missing one is 请求中未包含page信息 (…row…);
// a value that is not a number is Integer.parseInt's failure.
func pageRow(params Params) (page, row int, fail *response) {
	for _, name := range []string{"page", "row"} {
		if _, ok := params[name]; !ok {
			r := resultError("请求中未包含" + name + "信息")
			return 0, 0, &r
		}
	}
	page, err := strconv.Atoi(params.Get("page"))
	if err == nil {
		row, err = strconv.Atoi(params.Get("row"))
	}
	if bad, ok := errors.AsType[*strconv.NumError](err); ok { // Atoi's every error
		r := resultError(`For input string: "` + bad.Num + `"`)
		return 0, 0, &r
	}
	return page, row, nil
}

// pageOf cuts one page out of n rows as the platform's SQL does: page -1
// is every row (no LIMIT); a page below 1 otherwise, or a negative row,
// is MySQL's refusal of a negative LIMIT (ok false); records is the
// number of pages (pageCount), whatever the page.
func pageOf(n, page, row int) (from, to, records int, ok bool) {
	if page == -1 {
		return 0, n, pageCount(n, row), true
	}
	if page < 1 || row < 0 {
		return 0, 0, 0, false
	}
	from = min((page-1)*row, n)
	return from, min(from+row, n), pageCount(n, row), true
}

// pageCount is the list commands' records, (int) Math.ceil((double)
// count / (double) row) (ListPropertyCmd.java:145, ListCommunitysCmd.java:93,
// ListMenuGroupsCmd.java:50): computed for page -1 too, Integer.MAX_VALUE
// for a row of 0 (the division is infinite; 0 when there are no rows, NaN),
// and negative for a negative row.
func pageCount(n, row int) int {
	if row == 0 {
		if n == 0 {
			return 0
		}
		return math.MaxInt32
	}
	return int(math.Ceil(float64(n) / float64(row)))
}

// sqlSyntaxError is MySQL's answer to a negative LIMIT.
const sqlSyntaxError = "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '-10,10' at line 1"

// listProperty is property.listProperty (ListPropertyCmd). page and row
// are required; dealCmd has put the caller's storeId into the parameters
// when they had none, and that store must exist (非法操作 otherwise): the
// operator's company sees every property company, any other only itself.
// name matches as the real SQL's like '%${name}%' (sqlLike), tel exactly;
// deleted companies are hidden;
// newest company first (create_time desc).
func (s *Server) listProperty(c *call) response {
	page, row, fail := pageRow(c.params)
	if fail != nil {
		return *fail
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	storeID, ok := c.params.lookup("storeId")
	if !ok || storeID == "" {
		storeID = s.storeOfLocked(c.se.userID)
	}
	filter := storeID
	switch {
	case storeID == s.operatorStoreID && !s.operatorDeleted:
		filter = "" // the operator sees every property company
	case s.companyIndexLocked(storeID) < 0:
		return resultError("非法操作")
	}
	name := c.params.Get("name")
	nameMatch, ok := sqlLike(name)
	if !ok {
		return resultError(likeSyntaxError(name))
	}
	tel := c.params.Get("tel")
	// The rest of the parameters fill StoreDto too (ListPropertyCmd.java:117)
	// and getStoreInfo filters on each that is not empty
	// (StoreV1ServiceDaoImplMapper.xml:14-67): address, nearByLandmarks,
	// mapX, mapY and state exactly, and statusCd, "0" unless the call says
	// otherwise (StoreDto's default) — statusCd=1 lists the deleted
	// companies, an empty one every company.
	exact := map[string]string{"statusCd": "0"}
	if v, ok := c.params.lookup("statusCd"); ok {
		exact["statusCd"] = v
	}
	for _, k := range []string{"address", "nearByLandmarks", "mapX", "mapY", "state"} {
		exact[k] = c.params.Get(k)
	}
	found := []map[string]string{}                   // StoreDto
	for _, c := range slices.Backward(s.companies) { // newest first
		if filter != "" && c.StoreID != filter || name != "" && !nameMatch(c.Name) || tel != "" && c.Tel != tel {
			continue
		}
		statusCd := "0"
		if c.Deleted {
			statusCd = "1"
		}
		entry := map[string]string{
			"storeId": c.StoreID, "name": c.Name, "address": c.Address, "tel": c.Tel,
			"nearByLandmarks": c.NearbyLandmarks, "mapX": c.MapX, "mapY": c.MapY,
			"corporation": c.Corporation, "foundingTime": c.FoundingTime,
			"createTime":  c.CreatedAt.In(sign.ChinaStandardTime()).Format(createTimeLayout),
			"storeTypeCd": storeTypeProperty, "storeTypeName": "物业商户", "statusCd": statusCd, "userId": s.storeUsers[c.StoreID],
			"state": s.storeStateLocked(c.StoreID),
		}
		if matchesExactly(entry, exact) {
			found = append(found, entry)
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i]["createTime"] > found[j]["createTime"] })
	from, to, records, ok := pageOf(len(found), page, row)
	if !ok {
		return resultError(sqlSyntaxError)
	}
	return answer(envelope{Code: 0, Msg: "成功", Data: found[from:to], Records: records, Total: len(found)})
}

// matchesExactly reports whether entry has, for every key of want whose
// value is not empty, that value (compared as MySQL's = does).
func matchesExactly(entry, want map[string]string) bool {
	for k, v := range want {
		if v != "" && !sqlEqual(entry[k], v) {
			return false
		}
	}
	return true
}

// storeStateLocked is s_store.state of the company storeID; s.mu must be
// held.
func (s *Server) storeStateLocked(storeID string) string {
	if v, ok := s.storeStates[storeID]; ok {
		return v
	}
	return storeStateNormal
}

// storeOfLocked is the company of the user userID; s.mu must be held.
func (s *Server) storeOfLocked(userID string) string {
	for _, u := range s.users {
		if u.userID == userID {
			return u.storeID
		}
	}
	return ""
}
