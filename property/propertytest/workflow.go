package propertytest

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
)

// CommunityDetails is a community as community.listCommunitys lists it.
// A community given only by id (WithCommunities) gets made-up details:
// the name "小区" followed by its id, a Beijing address and city code
// 110105.
type CommunityDetails struct {
	CommunityID     string
	Name            string
	Address         string
	CityCode        string
	CityName        string
	NearbyLandmarks string
	MapX, MapY      string
	Tel             string
}

// MenuGroupDetails is a menu group as menuGroup.listMenuGroups lists it. A
// group given only by id (WithMenuGroups) is a property company's group
// (storeType 800900000003, groupType P_WEB) named "菜单组" followed by its
// id.
type MenuGroupDetails struct {
	GID         string
	Name        string
	Label       string
	StoreType   string
	Icon        string
	Description string
	GroupType   string
	Seq         int
}

// WithCommunity adds a community with its details, after the communities
// set so far (the default DefaultCommunityID, or those of an earlier
// WithCommunities: options apply in order). An empty CommunityID is
// ignored.
func WithCommunity(d CommunityDetails) Option {
	return func(c *config) {
		if d.CommunityID == "" {
			return
		}
		if c.communityDetails == nil {
			c.communityDetails = map[string]CommunityDetails{}
		}
		c.communityDetails[d.CommunityID] = d
		c.communities = append(c.communities, d.CommunityID)
	}
}

// WithMenuGroup adds a menu group with its details, after the groups set
// so far (options apply in order). An empty GID is ignored.
func WithMenuGroup(d MenuGroupDetails) Option {
	return func(c *config) {
		if d.GID == "" {
			return
		}
		if c.groupDetails == nil {
			c.groupDetails = map[string]MenuGroupDetails{}
		}
		c.groupDetails[d.GID] = d
		c.groups = append(c.groups, d.GID)
	}
}

// WithOldCommunityShape makes community.listCommunitys answer as servers
// before 2025-03 do: the same object without its "code" member.
func WithOldCommunityShape() Option { return func(c *config) { c.oldCommunityShape = true } }

// WithDemoEnvironment makes the server behave as one whose HC_ENV is DEV
// or TEST: failed logins are not counted (no account is ever locked), and
// property.deleteProperty answers 为了保证体验 此功能演示环境不开放.
func WithDemoEnvironment() Option { return func(c *config) { c.demo = true } }

// updatable are the StorePo fields property.updateProperty changes when
// the key is present.
var updatable = []string{"name", "address", "tel", "nearByLandmarks", "mapX", "mapY", "corporation", "foundingTime"}

// updateProperty is property.updateProperty (UpdatePropertyCmd). storeId
// is required, but dealCmd has put the caller's own into a body without
// one: such a call changes the caller's company. Only the fields present
// change; a new name also renames the administrator. An unknown or
// deleted store: 更新数据失败.
func (s *Server) updateProperty(c *call) response {
	storeID, _ := param(c.params, "storeId")
	if storeID == "" {
		return resultError("storeId不能为空")
	}
	strs := map[string]string{}
	for _, k := range updatable {
		if v, ok := param(c.params, k); ok {
			strs[k] = v
		}
	}
	if msg := tooLong(strs); msg != "" {
		return resultError(msg)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if storeID == s.operatorStoreID && !s.operatorDeleted {
		return jsonResponse(http.StatusOK, 0, "成功") // the operator's own company, which Companies does not list
	}
	i := s.companyIndexLocked(storeID)
	if i < 0 {
		return resultError("更新数据失败")
	}
	co := &s.companies[i]
	for k, v := range strs {
		switch k {
		case "name":
			co.Name = v
		case "address":
			co.Address = v
		case "tel":
			co.Tel = v
		case "nearByLandmarks":
			co.NearbyLandmarks = v
		case "mapX":
			co.MapX = v
		case "mapY":
			co.MapY = v
		case "corporation":
			co.Corporation = v
		case "foundingTime":
			co.FoundingTime = v
		}
	}
	if name, ok := strs["name"]; ok {
		for j := range s.users {
			u := &s.users[j]
			if u.storeID == storeID {
				u.storeName = name
				if u.userID == co.AdminUserID {
					u.name = name
				}
			}
		}
	}
	return jsonResponse(http.StatusOK, 0, "成功")
}

// deleteProperty is property.deleteProperty (DeletePropertyCmd). storeId
// and storeTypeCd are required, but dealCmd has put the caller's own
// storeId into a body without one: such a call deletes the caller's own
// company. It soft-deletes the store, deletes its staff accounts (their
// logins then fail with 用户或密码错误) and frees its communities. An
// unknown or already deleted store: 删除数据失败.
func (s *Server) deleteProperty(c *call) response {
	if s.cfg.demo {
		return resultError("为了保证体验 此功能演示环境不开放")
	}
	storeID, _ := param(c.params, "storeId")
	if storeID == "" {
		return resultError("storeId不能为空")
	}
	if v, _ := param(c.params, "storeTypeCd"); v == "" {
		return resultError("storeTypeCd不能为空")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	switch i := s.companyIndexLocked(storeID); {
	case storeID == s.operatorStoreID && !s.operatorDeleted:
		s.operatorDeleted = true
	case i >= 0:
		s.companies[i].Deleted = true
		for id, owner := range s.settled {
			if owner == storeID {
				delete(s.settled, id)
			}
		}
	default:
		return resultError("删除数据失败")
	}
	staff := s.users[:0]
	for _, u := range s.users {
		if u.storeID != storeID {
			staff = append(staff, u)
		}
	}
	s.users = staff
	return jsonResponse(http.StatusOK, 0, "成功")
}

// companyIndexLocked is the index of the company storeID that is not
// deleted, or -1; s.mu must be held.
func (s *Server) companyIndexLocked(storeID string) int {
	for i, c := range s.companies {
		if c.StoreID == storeID && !c.Deleted {
			return i
		}
	}
	return -1
}

// communityEntry is one community of community.listCommunitys (ApiCommunityDataVo).
type communityEntry struct {
	Address           string `json:"address"`
	CityCode          string `json:"cityCode"`
	CityName          string `json:"cityName"`
	CommunityAttrDtos []any  `json:"communityAttrDtos"`
	CommunityID       string `json:"communityId"`
	MapX              string `json:"mapX"`
	MapY              string `json:"mapY"`
	Name              string `json:"name"`
	NearbyLandmarks   string `json:"nearbyLandmarks"`
	State             string `json:"state"`
	StateName         string `json:"stateName"`
	Tel               string `json:"tel"`
}

// communityDetails are the details of community id.
func (s *Server) communityDetails(id string) CommunityDetails {
	if d, ok := s.cfg.communityDetails[id]; ok {
		return d
	}
	name := "小区" + id
	if id == DefaultCommunityID {
		name = "fang 测试小区"
	}
	return CommunityDetails{CommunityID: id, Name: name, Address: "北京市朝阳区建国路1号", CityCode: "110105", CityName: "朝阳区", MapX: "116.46", MapY: "39.91"}
}

// listCommunities is community.listCommunitys (ListCommunitysCmd): no
// session needed, not scoped to a caller. page and row are required;
// communityId and cityCode match exactly, name by substring. The answer
// is {"code":0,"communitys":[…],"page":0,"records":…,"rows":0,"total":…}
// (no msg), or the same without code (WithOldCommunityShape).
func (s *Server) listCommunities(c *call) response {
	page, row, fail := pageRow(c.params)
	if fail != nil {
		return *fail
	}
	id, _ := param(c.params, "communityId")
	name, _ := param(c.params, "name")
	city, _ := param(c.params, "cityCode")
	ids := make([]string, 0, len(s.communities))
	for cid := range s.communities {
		ids = append(ids, cid)
	}
	sort.Strings(ids)
	found := []communityEntry{}
	for _, cid := range ids {
		d := s.communityDetails(cid)
		if id != "" && cid != id || name != "" && !strings.Contains(d.Name, name) || city != "" && d.CityCode != city {
			continue
		}
		found = append(found, communityEntry{Address: d.Address, CityCode: d.CityCode, CityName: d.CityName, CommunityAttrDtos: []any{},
			CommunityID: cid, MapX: d.MapX, MapY: d.MapY, Name: d.Name, NearbyLandmarks: d.NearbyLandmarks,
			State: "1100", StateName: "审核通过", Tel: d.Tel})
	}
	from, to, records, ok := pageOf(len(found), page, row)
	if !ok {
		return resultError(sqlSyntaxError)
	}
	answer := map[string]any{"communitys": found[from:to], "page": 0, "records": records, "rows": 0, "total": len(found)}
	if !s.cfg.oldCommunityShape {
		answer["code"] = 0
	}
	return bareJSON(answer)
}

// menuGroupEntry is one group of menuGroup.listMenuGroups (MenuGroupDto).
type menuGroupEntry struct {
	Description string `json:"description"`
	GID         string `json:"gId"`
	GroupType   string `json:"groupType"`
	Icon        string `json:"icon"`
	Label       string `json:"label"`
	Name        string `json:"name"`
	Seq         int    `json:"seq"`
	StoreType   string `json:"storeType"`
}

// listMenuGroups is menuGroup.listMenuGroups (GET, with a session): page
// and row (all groups when absent), storeType matched exactly; the answer
// is {"menuGroups":[…],"page":0,"records":…,"rows":0,"total":…} without
// code.
func (s *Server) listMenuGroups(c *call) response {
	page, row := -1, 0
	if _, ok := c.params["page"]; ok {
		var fail *response
		if page, row, fail = pageRow(c.params); fail != nil {
			return *fail
		}
	}
	storeType, _ := param(c.params, "storeType")
	ids := make([]string, 0, len(s.groups))
	for id := range s.groups {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	found := []menuGroupEntry{}
	for _, id := range ids {
		d, ok := s.cfg.groupDetails[id]
		if !ok {
			d = MenuGroupDetails{GID: id, Name: "菜单组" + id, Label: "物业", StoreType: storeTypeProperty, GroupType: "P_WEB", Icon: "fa-desktop", Seq: 1}
		}
		if storeType != "" && d.StoreType != storeType {
			continue
		}
		found = append(found, menuGroupEntry{Description: d.Description, GID: id, GroupType: d.GroupType, Icon: d.Icon,
			Label: d.Label, Name: d.Name, Seq: d.Seq, StoreType: d.StoreType})
	}
	from, to, records, ok := pageOf(len(found), page, row)
	if !ok {
		return resultError(sqlSyntaxError)
	}
	return bareJSON(map[string]any{"menuGroups": found[from:to], "page": 0, "records": records, "rows": 0, "total": len(found)})
}

// bareJSON is an HTTP 200 JSON answer of v (a map: members in
// alphabetical order, as fastjson writes them).
func bareJSON(v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		panic("propertytest: " + err.Error())
	}
	return response{status: http.StatusOK, contentType: contentTypeJSON, body: b}
}
