package property

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/envelope"
)

// ServiceListCommunities is the service code of ListCommunities.
const ServiceListCommunities = "community.listCommunitys"

// ListCommunitiesRequest filters community.listCommunitys. Every filter
// is optional.
type ListCommunitiesRequest struct {
	CommunityID string `url:"communityId,omitempty"` // exactly
	Name        string `url:"name,omitempty"`        // by substring (% and _ match themselves)
	CityCode    string `url:"cityCode,omitempty"`    // exactly
	Page        int    `url:"page"`                  // 1-based page; zero means 1
	Row         int    `url:"row"`                   // rows per page; zero means 10
}

// Community is a community (小区) as community.listCommunitys lists it;
// the JSON names are the server's.
type Community struct {
	CommunityID     string `json:"communityId"`
	Name            string `json:"name"`
	Address         string `json:"address"`
	CityCode        string `json:"cityCode"`
	CityName        string `json:"cityName"`
	NearbyLandmarks string `json:"nearbyLandmarks"` // lower-case b here, unlike a company's nearByLandmarks
	MapX            string `json:"mapX"`
	MapY            string `json:"mapY"`
	State           string `json:"state"` // 1100: approved
	StateName       string `json:"stateName"`
	Tel             string `json:"tel"`
}

// ListCommunitiesResponse is one page of communities.
type ListCommunitiesResponse struct {
	Total       int         `json:"total"` // communities matching, on every page
	Communities []Community `json:"communities"`
}

// firstPage is page and row, zero meaning 1 and 10: what a list sends.
func firstPage(page, row int) (int, int) {
	if page == 0 {
		page = 1
	}
	if row == 0 {
		row = 10
	}
	return page, row
}

// checkPageRow records a negative page or row.
func checkPageRow(c *check.Checker, page, row int) {
	if page < 0 {
		c.Add("Page", "is negative")
	}
	if row < 0 {
		c.Add("Row", "is negative")
	}
}

// listCommunities is sent without a session: the session filter skips
// community.listCommunitys and the list is not scoped to a caller, so a
// client without one can list communities.
var listCommunities = call.Endpoint[ListCommunitiesRequest, ListCommunitiesResponse]{
	Spec: call.Spec{Op: "ListCommunities", Method: http.MethodGet, Path: "/app/" + ServiceListCommunities, Idempotent: true, Auth: call.NoToken},
	Check: func(c *check.Checker, r *ListCommunitiesRequest) {
		for _, f := range [][2]string{{"CommunityID", r.CommunityID}, {"Name", r.Name}, {"CityCode", r.CityCode}} {
			c.Text(f[0], f[1])
			checkForwardable(c, f[0], f[1])
		}
		checkPageRow(c, r.Page, r.Row)
	},
	Encode: func(r *ListCommunitiesRequest) any {
		q := *r
		q.Page, q.Row = firstPage(q.Page, q.Row)
		q.Name = likeLiteral.Replace(q.Name)
		return &q
	},
	Decode: func(a *call.Answer, out *ListCommunitiesResponse) error {
		return decodeList(a, "communitys", &out.Communities, &out.Total)
	},
}

// likeLiteral escapes a name for a LIKE pattern the server binds as a
// parameter (community.listCommunitys: t.name like
// concat('%',#{name},'%')), where %, _ and \ are not plain characters:
// escaped, they match themselves, so the name matches by substring.
var likeLiteral = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// decodeList decodes the answer of a list service that answers a bare
// object (with or without a code 0) whose entries are under key (or,
// failing that, a ResultVo's data array) into *list and *total.
// An answer that is not such an object is an *Error matching
// ErrUnexpectedResponse.
//
// The body is walked once to find the members (envelope.Object: no
// decoding, no copy), then the list is decoded once: a large page is not
// decoded twice. The members are matched as before: key, data and the
// presence of total by their exact names, total's value as encoding/json
// matches a field (case-insensitively, every occurrence an integer or
// null).
func decodeList[T any](ans *call.Answer, key string, list *[]T, total *int) error {
	var listRaw, dataRaw []byte
	var hasList, hasTotal bool
	var totals [][]byte
	valid := envelope.Object(ans.Body, func(name, value []byte) {
		switch string(name) {
		case key:
			listRaw, hasList = value, true
		case "data":
			dataRaw = value
		case "total":
			hasTotal = true
		}
		if envelope.NameIs(name, "total") {
			totals = append(totals, value)
		}
	})
	if !valid {
		return ans.Fail("the answer is not a JSON object: " + ans.Excerpt())
	}
	if !hasList && len(dataRaw) > 0 && dataRaw[0] == '[' {
		key, listRaw, hasList = "data", dataRaw, true // a server that wraps the list in ResultVo
	}
	if !hasList && !hasTotal {
		return ans.Fail("the answer has neither " + key + " nor total: " + ans.Excerpt())
	}
	bad := false
	for _, raw := range totals {
		bad = bad || json.Unmarshal(raw, total) != nil
	}
	*list = []T{}
	if bad || hasList && string(listRaw) != "null" && json.Unmarshal(listRaw, list) != nil {
		return ans.Fail("the answer's " + key + " has the wrong shape")
	}
	return nil
}

// ListCommunities lists the communities (GET /app/community.listCommunitys),
// for instance to find the CommunityIDs to give SavePropertyRequest. The
// list is not scoped to the caller and needs no session: the call is sent
// without one, so a client made without WithToken or WithCredentials may
// make it. page and row are always sent (the server requires them).
//
// Servers since 2025-03 answer {"code":0,"communitys":[…],"total":n},
// older ones the same without code; both are understood. A list only
// reads: it is retried like any read. Errors: ErrInvalidRequest (nothing
// sent), *Error matching ErrGateway for the server's refusals, and
// ErrUnexpectedResponse for an answer that is not a list of communities.
func (c *Client) ListCommunities(ctx context.Context, req *ListCommunitiesRequest) (*ListCommunitiesResponse, error) {
	return listCommunities.Call(ctx, c.caller, req)
}
