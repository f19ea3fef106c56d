package property

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"

	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/pipeline"
)

// ServiceListProperty is the service code of ListProperties.
const ServiceListProperty = "property.listProperty"

// ListPropertiesRequest filters property.listProperty. The server scopes
// the list to the caller's company (from the session): the platform
// operator's company sees every property company, any other only itself.
type ListPropertiesRequest struct {
	StoreID, Name, Tel string // filters ("" means none): name by substring, tel and storeId exactly
	Page, Row          int    // 1-based page and rows per page; zero means 1 and 10
}

// Property is a property company as property.listProperty lists it.
type Property struct {
	StoreID         string `json:"storeId"`
	Name            string `json:"name"`
	Address         string `json:"address"`
	Tel             string `json:"tel"`
	NearbyLandmarks string `json:"nearByLandmarks"` // the server's spelling
	MapX            string `json:"mapX"`
	MapY            string `json:"mapY"`
	StoreTypeCd     string `json:"storeTypeCd"`
}

// ListPropertiesResponse is one page of companies.
type ListPropertiesResponse struct {
	Total      int // companies matching, on every page
	Properties []Property
}

func (r *ListPropertiesRequest) validate() error {
	c := check.New("ListProperties")
	if r == nil {
		c.Add("request", "is nil")
		return invalidRequest(c)
	}
	c.Text("StoreID", r.StoreID)
	c.OptionalText("Name", r.Name, MaxNameLength)
	c.OptionalText("Tel", r.Tel, MaxTelLength)
	if r.Page < 0 {
		c.Add("Page", "is negative")
	}
	if r.Row < 0 {
		c.Add("Row", "is negative")
	}
	return invalidRequest(c)
}

// values is the query of r, zero page and row meaning 1 and 10.
func (r *ListPropertiesRequest) values() url.Values {
	page, row := r.Page, r.Row
	if page == 0 {
		page = 1
	}
	if row == 0 {
		row = 10
	}
	v := url.Values{"page": {strconv.Itoa(page)}, "row": {strconv.Itoa(row)}}
	for name, value := range map[string]string{"name": r.Name, "tel": r.Tel, "storeId": r.StoreID} {
		if value != "" {
			v.Set(name, value)
		}
	}
	return v
}

// ListProperties lists property companies (GET /app/property.listProperty,
// signed over "?" and the decoded query). It is how a caller reconciles a
// SaveProperty that ended in ErrOutcomeUnknown: look the company up by the
// tel it was given before deciding to save again —
//
//	_, err := c.SaveProperty(ctx, req)
//	if errors.Is(err, property.ErrOutcomeUnknown) {
//		found, lerr := c.ListProperties(ctx, &property.ListPropertiesRequest{Tel: req.Tel, Name: req.Name})
//		if lerr == nil && found.Total > 0 {
//			// the save went through: do not repeat it
//		}
//	}
//
// A rejected session is renewed once with WithCredentials, like every call.
func (c *Client) ListProperties(ctx context.Context, req *ListPropertiesRequest) (*ListPropertiesResponse, error) {
	const op = "ListProperties"
	if ctx == nil {
		return nil, errNilContext(op)
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	ans, err := c.pipe.Do(ctx, &pipeline.Request{Endpoint: c.endpoints.list, Params: req.values()})
	if err != nil {
		return nil, err
	}
	var page struct {
		Total int        `json:"total"`
		Data  []Property `json:"data"`
	}
	if !ans.hasEnv || json.Unmarshal(ans.body, &page) != nil {
		return nil, &Error{op: op, Msg: "the answer is not a list of companies", HTTPStatus: ans.status, TransactionID: ans.txID, shape: true}
	}
	if page.Data == nil {
		page.Data = []Property{}
	}
	return &ListPropertiesResponse{Total: page.Total, Properties: page.Data}, nil
}
