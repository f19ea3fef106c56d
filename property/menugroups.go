package property

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
)

// ServiceListMenuGroups is the service code of ListMenuGroups.
const ServiceListMenuGroups = "menuGroup.listMenuGroups"

// ListMenuGroupsRequest filters menuGroup.listMenuGroups.
type ListMenuGroupsRequest struct {
	StoreType string `url:"storeType,omitempty"` // the store type the groups are for, such as 800900000003 (property companies); "" means every type
	Page      int    `url:"page"`                // 1-based page; zero means 1
	Row       int    `url:"row"`                 // rows per page; zero means 10
}

// MenuGroup is a menu group (a bundle of functions to open for a
// community), as menuGroup.listMenuGroups lists it: its GID is what
// SavePropertyRequest.GroupIDs takes. The JSON names are the server's.
type MenuGroup struct {
	GID         string `json:"gId"`
	Name        string `json:"name"`
	Label       string `json:"label"`
	StoreType   string `json:"storeType"`
	Icon        string `json:"icon"`
	Seq         int    `json:"seq"` // display order
	Description string `json:"description"`
	GroupType   string `json:"groupType"`
}

// UnmarshalJSON accepts seq as a number or as a string of digits.
func (g *MenuGroup) UnmarshalJSON(b []byte) error {
	type plain MenuGroup
	var v struct {
		*plain
		Seq json.RawMessage `json:"seq"`
	}
	v.plain = (*plain)(g)
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	g.Seq, _ = strconv.Atoi(string(bytes.Trim(v.Seq, `"`)))
	return nil
}

// ListMenuGroupsResponse is one page of menu groups.
type ListMenuGroupsResponse struct {
	Total      int         `json:"total"` // groups matching, on every page
	MenuGroups []MenuGroup `json:"menuGroups"`
}

// listMenuGroups only reads: retried like any read.
var listMenuGroups = call.Endpoint[ListMenuGroupsRequest, ListMenuGroupsResponse]{
	Spec: call.Spec{Op: "ListMenuGroups", Method: http.MethodGet, Path: "/app/" + ServiceListMenuGroups, Idempotent: true},
	Check: func(c *check.Checker, r *ListMenuGroupsRequest) {
		c.Text("StoreType", r.StoreType)
		checkForwardable(c, "StoreType", r.StoreType)
		checkPageRow(c, r.Page, r.Row)
	},
	Encode: func(r *ListMenuGroupsRequest) any {
		q := *r
		q.Page, q.Row = firstPage(q.Page, q.Row)
		return &q
	},
	Decode: func(a *call.Answer, out *ListMenuGroupsResponse) error {
		return decodeList(a, "menuGroups", &out.MenuGroups, &out.Total)
	},
}

// ListMenuGroups lists the menu groups (GET /app/menuGroup.listMenuGroups),
// where SavePropertyRequest.GroupIDs come from. page and row are always
// sent. The answer, {"menuGroups":[…],"total":n}, has no code (one with
// code 0 is understood too). A list only reads: it is retried like any
// read, and a rejected session is renewed once with WithCredentials.
//
// The service is privilege-checked: a stock HC database grants it only to
// its developers' admin group, and any other account gets an *Error
// matching ErrGateway (HTTP 500 请求发生异常，用户没有权限操作) until an
// HC administrator grants the privilege.
func (c *Client) ListMenuGroups(ctx context.Context, req *ListMenuGroupsRequest) (*ListMenuGroupsResponse, error) {
	return listMenuGroups.Call(ctx, c.caller, req)
}
