package property

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"

	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/envelope"
	"github.com/fangsdk/fang/internal/pipeline"
)

// ServiceListCommunities is the service code of ListCommunities.
const ServiceListCommunities = "community.listCommunitys"

// ListCommunitiesRequest filters community.listCommunitys. Every filter
// is optional.
type ListCommunitiesRequest struct {
	CommunityID, Name, CityCode string // communityId and cityCode exactly, name by substring
	Page, Row                   int    // 1-based page and rows per page; zero means 1 and 10
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

// pageRowValues is the page and row query of a list, zero meaning 1
// and 10, with the non-empty filters.
func pageRowValues(page, row int, filters map[string]string) url.Values {
	if page == 0 {
		page = 1
	}
	if row == 0 {
		row = 10
	}
	v := url.Values{"page": {strconv.Itoa(page)}, "row": {strconv.Itoa(row)}}
	for name, value := range filters {
		if value != "" {
			v.Set(name, value)
		}
	}
	return v
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

func (r *ListCommunitiesRequest) validate() error {
	c := check.New("ListCommunities")
	if r == nil {
		c.Add("request", "is nil")
		return invalidRequest(c)
	}
	c.Text("CommunityID", r.CommunityID)
	c.Text("Name", r.Name)
	c.Text("CityCode", r.CityCode)
	checkPageRow(c, r.Page, r.Row)
	return invalidRequest(c)
}

// decodeList decodes the answer of a list service that answers a bare
// object (with or without a code 0) whose entries are under key (or,
// failing that, a ResultVo's data array) into the entries and the total.
// An answer that is not such an object is an *Error matching
// ErrUnexpectedResponse.
//
// The body is walked once to find the members (envelope.Object: no
// decoding, no copy), then the list is decoded once: a large page is not
// decoded twice. The members are matched as before: key, data and the
// presence of total by their exact names, total's value as encoding/json
// matches a field (case-insensitively, every occurrence an integer or
// null).
func decodeList[T any](op string, ans *answer, key string) ([]T, int, error) {
	var listRaw, dataRaw []byte
	var hasList, hasTotal bool
	var totals [][]byte
	valid := envelope.Object(ans.body, func(name, value []byte) {
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
		return nil, 0, &Error{op: op, Msg: "the answer is not a JSON object: " + ans.excerpt(), HTTPStatus: ans.status, TransactionID: ans.txID, shape: true}
	}
	if !hasList && len(dataRaw) > 0 && dataRaw[0] == '[' {
		key, listRaw, hasList = "data", dataRaw, true // a server that wraps the list in ResultVo
	}
	if !hasList && !hasTotal {
		return nil, 0, &Error{op: op, Msg: "the answer has neither " + key + " nor total: " + ans.excerpt(), HTTPStatus: ans.status, TransactionID: ans.txID, shape: true}
	}
	total := 0
	bad := false
	for _, raw := range totals {
		bad = bad || json.Unmarshal(raw, &total) != nil
	}
	list := []T{}
	if bad || hasList && string(listRaw) != "null" && json.Unmarshal(listRaw, &list) != nil {
		return nil, 0, &Error{op: op, Msg: "the answer's " + key + " has the wrong shape", HTTPStatus: ans.status, TransactionID: ans.txID, shape: true}
	}
	return list, total, nil
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
	const op = "ListCommunities"
	if ctx == nil {
		return nil, errNilContext(op)
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	params := pageRowValues(req.Page, req.Row, map[string]string{"communityId": req.CommunityID, "name": req.Name, "cityCode": req.CityCode})
	ans, err := c.pipe.Do(ctx, &pipeline.Request{Endpoint: c.endpoints.communities, Params: params})
	if err != nil {
		return nil, err
	}
	list, total, err := decodeList[Community](op, ans, "communitys")
	if err != nil {
		return nil, err
	}
	return &ListCommunitiesResponse{Total: total, Communities: list}, nil
}
