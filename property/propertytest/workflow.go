package propertytest

import (
	"maps"
	"net/http"
	"slices"
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
// WithCommunities: options apply in order); a later one with the same
// CommunityID replaces it. An empty CommunityID is ignored.
func WithCommunity(d CommunityDetails) Option {
	return func(c *config) {
		if d.CommunityID != "" {
			c.communities = append(c.communities, d)
		}
	}
}

// WithMenuGroup adds a menu group with its details, after the groups set
// so far (options apply in order); a later one with the same GID replaces
// it. An empty GID is ignored.
func WithMenuGroup(d MenuGroupDetails) Option {
	return func(c *config) {
		if d.GID != "" {
			c.groups = append(c.groups, d)
		}
	}
}

// madeUpCommunity are the details of a community given only by id.
func madeUpCommunity(id string) CommunityDetails {
	name := "小区" + id
	if id == DefaultCommunityID {
		name = "fang 测试小区"
	}
	return CommunityDetails{CommunityID: id, Name: name, Address: "北京市朝阳区建国路1号", CityCode: "110105", CityName: "朝阳区", MapX: "116.46", MapY: "39.91"}
}

// madeUpMenuGroup are the details of a menu group given only by id.
func madeUpMenuGroup(id string) MenuGroupDetails {
	return MenuGroupDetails{GID: id, Name: "菜单组" + id, Label: "物业", StoreType: storeTypeProperty, GroupType: "P_WEB", Icon: "fa-desktop", Seq: 1}
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

// updateProperty is property.updateProperty (UpdatePropertyCmd), as the
// package documentation describes it.
func (s *Server) updateProperty(c *call) response {
	storeID := c.params.Get("storeId")
	if storeID == "" {
		return resultError("storeId不能为空")
	}
	// An empty value changes nothing: updateStoreInfo and
	// updateStoreAttrInfo set a column only <if test="x != null and
	// x != ''"> (java110-db/src/main/resources/mapper/store/
	// StoreV1ServiceDaoImplMapper.xml:75-101, StoreAttrV1ServiceDaoImplMapper.xml:66-68).
	strs := map[string]string{}
	for _, k := range updatable {
		if v, ok := c.params.lookup(k); ok && v != "" {
			strs[k] = v
		}
	}
	// state is a column of s_store too (48002 locks the company's logins,
	// PcUserLoginCmd.java:140-146), not a field of Company.
	state := c.params.Get("state")
	if msg := tooLong(map[string]string{"state": state}); msg != "" {
		return resultError(msg)
	}
	if msg := tooLong(strs); msg != "" {
		return resultError(msg)
	}

	// updateStoreInfo matches the store by store_id alone, deleted or not,
	// and always sets status_cd to StorePo's statusCd, "0" unless the body
	// says otherwise (StoreV1ServiceDaoImplMapper.xml:70-106, StorePo.java:26):
	// updating a deleted company succeeds and brings it back, without the
	// staff and communities its deletion removed.
	s.mu.Lock()
	defer s.mu.Unlock()
	if storeID == s.operatorStoreID {
		s.operatorDeleted = false
		if state != "" {
			s.storeStates[storeID] = state
		}
		return jsonResponse(http.StatusOK, 0, "成功") // the operator's own company, which Companies does not list
	}
	i := s.storeIndexLocked(storeID)
	if i < 0 {
		return resultError("更新数据失败")
	}
	if state != "" {
		s.storeStates[storeID] = state
	}
	co := &s.companies[i]
	if co.Deleted {
		co.Deleted, co.CommunityIDs, co.GroupIDs = false, nil, nil
	}
	if v := c.params.Get("userId"); v != "" { // the caller's, from dealCmd
		s.storeUsers[storeID] = v
	}
	fields := map[string]*string{
		"name": &co.Name, "address": &co.Address, "tel": &co.Tel, "nearByLandmarks": &co.NearbyLandmarks,
		"mapX": &co.MapX, "mapY": &co.MapY, "corporation": &co.Corporation, "foundingTime": &co.FoundingTime,
	}
	for k, v := range strs {
		*fields[k] = v
	}
	if name, ok := strs["name"]; ok {
		for j := range s.users {
			u := &s.users[j]
			if u.storeID == storeID {
				u.storeName = name // the staff query joins s_store
				// The administrator is renamed only for a name that is not
				// blank (StringUtil.isEmpty, UpdatePropertyCmd.java:182).
				if u.userID == co.AdminUserID && strings.TrimSpace(name) != "" {
					u.name = name
				}
			}
		}
	}
	return jsonResponse(http.StatusOK, 0, "成功")
}

// deleteProperty is property.deleteProperty (DeletePropertyCmd), as the
// package documentation describes it: a soft delete of the store, its
// staff accounts deleted and its communities freed.
func (s *Server) deleteProperty(c *call) response {
	if s.cfg.demo {
		return resultError("为了保证体验 此功能演示环境不开放")
	}
	storeID := c.params.Get("storeId")
	if storeID == "" {
		return resultError("storeId不能为空")
	}
	if v := c.params.Get("storeTypeCd"); v == "" {
		return resultError("storeTypeCd不能为空")
	}

	// deleteStore is updateStoreInfo with status_cd 1, which matches the
	// store by store_id alone (StoreV1InnerServiceSMOImpl.deleteStore,
	// StoreV1ServiceDaoImplMapper.xml:70-106): deleting a deleted company
	// again finds its row and succeeds, with no staff or community left to
	// remove (DeletePropertyCmd.java:117-134).
	s.mu.Lock()
	defer s.mu.Unlock()
	switch i := s.storeIndexLocked(storeID); {
	case storeID == s.operatorStoreID:
		s.operatorDeleted = true
	case i >= 0:
		s.companies[i].Deleted = true
		if v := c.params.Get("userId"); v != "" { // deleteStore is an update too
			s.storeUsers[storeID] = v
		}
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

// storeIndexLocked is the index of the company storeID, deleted or not,
// or -1; s.mu must be held.
func (s *Server) storeIndexLocked(storeID string) int {
	return slices.IndexFunc(s.companies, func(c Company) bool { return c.StoreID == storeID })
}

// companyIndexLocked is the index of the company storeID that is not
// deleted, or -1; s.mu must be held.
func (s *Server) companyIndexLocked(storeID string) int {
	if i := s.storeIndexLocked(storeID); i >= 0 && !s.companies[i].Deleted {
		return i
	}
	return -1
}

// listCommunities is community.listCommunitys (ListCommunitysCmd), as
// the package documentation describes it; each entry is
// ApiCommunityDataVo.
func (s *Server) listCommunities(c *call) response {
	page, row, fail := pageRow(c.params)
	if fail != nil {
		return *fail
	}
	id := c.params.Get("communityId")
	name := c.params.Get("name")
	nameMatch := boundLike(name) // t.name like concat('%',#{name},'%'), CommunityServiceDaoImplMapper.xml (getCommunityInfoNew)
	city := c.params.Get("cityCode")
	found := []map[string]any{}
	// order by t.create_time desc (CommunityServiceDaoImplMapper.xml,
	// getCommunityInfoNew): the communities were created in the order the
	// options gave them, so the last one comes first.
	for _, cid := range slices.Backward(s.communityOrder) {
		d := s.communities[cid]
		if id != "" && cid != id || name != "" && !nameMatch(d.Name) || city != "" && d.CityCode != city {
			continue
		}
		found = append(found, map[string]any{"address": d.Address, "cityCode": d.CityCode, "cityName": d.CityName,
			"communityAttrDtos": []any{}, "communityId": cid, "mapX": d.MapX, "mapY": d.MapY, "name": d.Name,
			"nearbyLandmarks": d.NearbyLandmarks, "state": "1100", "stateName": "审核通过", "tel": d.Tel})
	}
	list, ok := listPage("communitys", found, page, row)
	if !ok {
		return resultError(sqlSyntaxError)
	}
	if !s.cfg.oldCommunityShape {
		list["code"] = 0
	}
	return answer(list)
}

// listMenuGroups is menuGroup.listMenuGroups (GET, with a session), as the
// package documentation describes it; each entry is MenuGroupDto. page
// and row are required, as ListMenuGroupsCmd.validate's
// validatePageInfo requires them (service-dev/.../menuGroup/ListMenuGroupsCmd.java:30).
func (s *Server) listMenuGroups(c *call) response {
	page, row, fail := pageRow(c.params)
	if fail != nil {
		return *fail
	}
	storeType := c.params.Get("storeType")
	found := []map[string]any{}
	// order by t.seq (MenuServiceDaoImplMapper.xml, getMenuGroupInfo); the
	// fake keeps the gId order among equal seqs.
	ids := slices.Sorted(maps.Keys(s.groups))
	slices.SortStableFunc(ids, func(a, b string) int { return s.groups[a].Seq - s.groups[b].Seq })
	for _, id := range ids {
		d := s.groups[id]
		if storeType != "" && d.StoreType != storeType {
			continue
		}
		found = append(found, map[string]any{"description": d.Description, "gId": id, "groupType": d.GroupType,
			"icon": d.Icon, "label": d.Label, "name": d.Name, "seq": d.Seq, "storeType": d.StoreType})
	}
	list, ok := listPage("menuGroups", found, page, row)
	if !ok {
		return resultError(sqlSyntaxError)
	}
	return answer(list)
}

// listPage is the answer of a list command that is not ResultVo: one page
// of found under key, page and rows 0, records the number of pages and
// total the number of rows; ok is false for a page MySQL refuses.
func listPage(key string, found []map[string]any, page, row int) (list map[string]any, ok bool) {
	from, to, records, ok := pageOf(len(found), page, row)
	return map[string]any{key: found[from:to], "page": 0, "records": records, "rows": 0, "total": len(found)}, ok
}
