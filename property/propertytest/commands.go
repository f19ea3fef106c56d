package propertytest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

const maxNameRunes = 64

// login is login.pcUserLogin.
func (s *Server) login(body []byte) response {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return gatewayError("请求报文格式错误")
	}
	username, ok := jsonString(raw["username"])
	if !ok || strings.TrimSpace(username) == "" {
		return gatewayError("用户名不能为空")
	}
	passwd, ok := jsonString(raw["passwd"])
	if !ok || passwd == "" {
		return gatewayError("密码不能为空")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.accounts[username] {
		if a.password == passwd {
			s.logins++
			token := s.newSessionLocked(username, a.userID)
			return jsonResponse(http.StatusOK, 0, "成功", map[string]string{"userId": a.userID, "token": token})
		}
	}
	return textResponse(http.StatusUnauthorized, "用户或密码错误")
}

// jsonString decodes raw as a JSON string; absent, null or another type
// gives false.
func jsonString(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if raw == nil || bytes.Equal(raw, []byte("null")) {
		return "", false
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", false
	}
	return v, true
}

// saveRequest is a parsed saveProperty body.
type saveRequest struct {
	strs         map[string]string
	communityIDs []string
	groupIDs     []string
}

// requiredFields are saveProperty's required fields in the order the real
// command checks them, with the label of its failure message.
var requiredFields = []struct{ name, label string }{
	{"name", "名称"},
	{"address", "地址"},
	{"tel", "tel"}, // the real command spells it so
	{"corporation", "法人"},
	{"foundingTime", "成立日期"},
}

var optionalStringFields = []string{"nearbyLandmarks", "mapX", "mapY"}
var arrayFields = []string{"communityIds", "groupIds"}

// parseSave decodes and type-checks a saveProperty body. It fails on
// anything but a JSON object, on null for a known field, and on fields of
// the wrong JSON type.
func parseSave(body []byte) (*saveRequest, response, bool) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return nil, gatewayError("请求报文格式错误"), false
	}
	isNull := func(v json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(v), []byte("null")) }

	req := &saveRequest{strs: make(map[string]string)}
	for _, f := range requiredFields {
		v, ok := raw[f.name]
		if !ok {
			continue // reported as missing below
		}
		if isNull(v) {
			return nil, gatewayError("请求报文中未包含" + f.label), false
		}
		s, ok := jsonString(v)
		if !ok {
			return nil, gatewayError(f.name + " 类型错误"), false
		}
		req.strs[f.name] = s
	}
	for _, name := range optionalStringFields {
		v, ok := raw[name]
		if !ok {
			continue
		}
		if isNull(v) {
			return nil, gatewayError(name + " 不能为null"), false
		}
		s, ok := jsonString(v)
		if !ok {
			return nil, gatewayError(name + " 类型错误"), false
		}
		req.strs[name] = s
	}
	for _, name := range arrayFields {
		v, ok := raw[name]
		if !ok {
			continue
		}
		if isNull(v) {
			return nil, gatewayError(name + " 不能为null"), false
		}
		var elems []json.RawMessage
		if err := json.Unmarshal(v, &elems); err != nil {
			return nil, gatewayError(name + " 类型错误"), false
		}
		ids := make([]string, 0, len(elems))
		for _, e := range elems {
			s, ok := jsonString(e)
			if !ok {
				return nil, gatewayError(name + " 类型错误"), false
			}
			ids = append(ids, s)
		}
		if name == "communityIds" {
			req.communityIDs = ids
		} else {
			req.groupIDs = ids
		}
	}
	return req, response{}, true
}

// saveProperty is property.saveProperty. It is all-or-nothing: it checks
// everything, then creates the company under one lock.
func (s *Server) saveProperty(body []byte, txid string) response {
	req, resp, ok := parseSave(body)
	if !ok {
		return resp
	}
	for _, f := range requiredFields {
		if strings.TrimSpace(req.strs[f.name]) == "" {
			return gatewayError("请求报文中未包含" + f.label)
		}
	}
	if utf8.RuneCountInString(req.strs["name"]) > maxNameRunes {
		return gatewayError("名称长度不能超过64")
	}
	if ft := req.strs["foundingTime"]; len(ft) != 10 || !validDate(ft) {
		return gatewayError("成立日期格式不对，遵循yyyy-MM-dd格式")
	}
	if len(req.communityIDs) > 0 && len(req.groupIDs) == 0 {
		return gatewayError("未包含小区开通功能")
	}
	if s.cfg.noDefaultPrivilege {
		return jsonResponse(http.StatusOK, -3, "未配置物业默认权限", nil)
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	binding := make(map[string]bool, len(req.communityIDs))
	for _, id := range req.communityIDs {
		if _, taken := s.settled[id]; taken || binding[id] {
			return jsonResponse(http.StatusOK, -2, "小区已入驻", nil)
		}
		if !s.communities[id] {
			return gatewayError("小区不存在")
		}
		binding[id] = true
	}
	if len(req.communityIDs) > 0 {
		known := 0
		for _, id := range req.groupIDs {
			if s.groups[id] {
				known++
			}
		}
		switch {
		case known == 0:
			return gatewayError("没有分配任何功能")
		case known < len(req.groupIDs):
			return gatewayError("菜单组不存在")
		}
	}

	c := Company{
		StoreID:         s.newIDLocked("10"),
		Name:            req.strs["name"],
		Address:         req.strs["address"],
		Tel:             req.strs["tel"],
		Corporation:     req.strs["corporation"],
		FoundingTime:    req.strs["foundingTime"],
		NearbyLandmarks: req.strs["nearbyLandmarks"],
		CommunityIDs:    append([]string(nil), req.communityIDs...),
		GroupIDs:        append([]string(nil), req.groupIDs...),
		MapX:            "1",
		MapY:            "1",
		AdminUsername:   req.strs["tel"],
		AdminUserID:     s.newIDLocked("30"),
		TransactionID:   txid,
		CreatedAt:       s.now(),
	}
	if v, ok := req.strs["mapX"]; ok {
		c.MapX = v
	}
	if v, ok := req.strs["mapY"]; ok {
		c.MapY = v
	}
	for _, id := range c.CommunityIDs {
		s.settled[id] = c.StoreID
	}
	s.accounts[c.Tel] = append(s.accounts[c.Tel], account{password: c.Tel, userID: c.AdminUserID})
	s.companies = append(s.companies, c)
	return jsonResponse(http.StatusOK, 0, "成功", nil)
}

func validDate(v string) bool {
	_, err := time.Parse("2006-01-02", v)
	return err == nil
}
