package property

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
)

// ServiceListProperty is the service code of ListProperties.
const ServiceListProperty = "property.listProperty"

// ListPropertiesRequest filters property.listProperty. The server scopes
// the list to the caller's company (from the session): the platform
// operator's company sees every property company, any other only itself.
// The server lists the newest company first.
//
// The server pastes Name into its SQL as text (like '%${name}%'), so a Name
// containing %, _, ' or \ is refused before sending (an
// *InvalidRequestError naming Name): a ' would break the query, a \
// escapes what follows it, and % and _ would act as wildcards. Escaping
// them with a backslash works only under MySQL's default sql_mode (not
// with NO_BACKSLASH_ESCAPES), which a client cannot see, so fang refuses
// instead of guessing. To find such a company, filter by Tel and compare
// the names yourself.
type ListPropertiesRequest struct {
	StoreID string `url:"storeId,omitempty"` // exactly; "" means any; a StoreID that names no live company (unknown or deleted) fails with ErrGateway, Msg 非法操作, not an empty page
	Name    string `url:"name,omitempty"`    // by substring; "" means any
	Tel     string `url:"tel,omitempty"`     // exactly; "" means any
	Page    int    `url:"page"`              // 1-based page; zero means 1
	Row     int    `url:"row"`               // rows per page; zero means 10
}

// likeUnsafe are the characters ListPropertiesRequest.Name may not
// contain: the server interpolates the name into SQL LIKE.
const likeUnsafe = `%_'\`

// Property is a property company as property.listProperty lists it (the
// server's StoreDto; json tags as the server spells them).
type Property struct {
	StoreID         string `json:"storeId"`
	Name            string `json:"name"`
	Address         string `json:"address"`
	Tel             string `json:"tel"`
	Corporation     string `json:"corporation"`
	FoundingTime    string `json:"foundingTime"`    // as saved, YYYY-MM-DD
	NearbyLandmarks string `json:"nearByLandmarks"` // the server's spelling
	MapX            string `json:"mapX"`
	MapY            string `json:"mapY"`
	CreateTime      string `json:"createTime"` // "yyyy-MM-dd HH:mm:ss", China Standard Time, as the server formats it
	State           string `json:"state"`
	StoreTypeCd     string `json:"storeTypeCd"` // 800900000003 for a property company
}

// ListPropertiesResponse is one page of companies.
type ListPropertiesResponse struct {
	Total      int // companies matching, on every page
	Properties []Property
}

// listProperties only reads: retried like any read.
var listProperties = call.Endpoint[ListPropertiesRequest, ListPropertiesResponse]{
	Spec: call.Spec{Op: "ListProperties", Method: http.MethodGet, Path: "/app/" + ServiceListProperty, Idempotent: true},
	Check: func(c *check.Checker, r *ListPropertiesRequest) {
		c.Text("StoreID", r.StoreID)
		checkForwardable(c, "StoreID", r.StoreID)
		c.OptionalText("Name", r.Name, MaxNameLength)
		checkForwardable(c, "Name", r.Name)
		if strings.ContainsAny(r.Name, likeUnsafe) {
			c.Add("Name", "must not contain % _ ' or \\: the server pastes the name into SQL LIKE (filter by Tel and compare names instead)")
		}
		c.OptionalText("Tel", r.Tel, MaxTelLength)
		checkForwardable(c, "Tel", r.Tel)
		checkPageRow(c, r.Page, r.Row)
	},
	Encode: func(r *ListPropertiesRequest) any {
		q := *r
		q.Page, q.Row = firstPage(q.Page, q.Row)
		return &q
	},
	Decode: func(a *call.Answer, out *ListPropertiesResponse) error {
		// The envelope was only walked (envelope.DecodeHC): this is the
		// one decoding of the page.
		var page struct {
			Total int        `json:"total"`
			Data  []Property `json:"data"`
		}
		if !a.Enveloped || json.Unmarshal(a.Body, &page) != nil {
			return a.Fail("the answer is not a list of companies")
		}
		if page.Data == nil {
			page.Data = []Property{}
		}
		*out = ListPropertiesResponse{Total: page.Total, Properties: page.Data}
		return nil
	},
}

// ListProperties lists property companies (GET /app/property.listProperty,
// signed over "?" and the decoded query), newest first. It is how a caller
// reconciles a SaveProperty that ended in ErrOutcomeUnknown: look the
// company up by the tel it was given before deciding to save again —
//
//	_, err := c.SaveProperty(ctx, req)
//	if errors.Is(err, property.ErrOutcomeUnknown) {
//		found, lerr := c.ListProperties(ctx, &property.ListPropertiesRequest{Tel: req.Tel})
//		if lerr == nil && found.Total > 0 {
//			// the save went through (or a company with that tel existed
//			// before): do not repeat it
//		}
//	}
//
// CreateProperty does all of this for you, and returns the new company.
//
// A rejected session is renewed once with WithCredentials, like every call.
// The page is read whole, up to WithMaxResponseBytes (default 32 MiB, about
// 80,000 companies; a larger answer fails with ErrResponseTooLarge: ask
// for smaller pages), and decoded once.
func (c *Client) ListProperties(ctx context.Context, req *ListPropertiesRequest) (*ListPropertiesResponse, error) {
	return listProperties.Call(ctx, c.caller, req)
}
