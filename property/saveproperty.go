package property

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/pipeline"
)

// Column widths of the HC tables saveProperty writes, in characters: a
// longer value would fail the insert on the server (保存数据失败), so it
// is refused before sending.
const (
	MaxNameLength        = 50  // name, also the admin user's name (varchar(50))
	MaxAddressLength     = 200 // address
	MaxTelLength         = 11  // tel, also the admin account (varchar(11))
	MaxCorporationLength = 50  // corporation
	MaxLandmarksLength   = 200 // nearByLandmarks
	MaxMapLength         = 20  // mapX, mapY
)

// FoundingTimeLayout is the Go layout of SavePropertyRequest.FoundingTime.
const FoundingTimeLayout = "2006-01-02"

// SavePropertyRequest creates a property company (property.saveProperty).
// Empty optional fields are left out of the JSON body, never sent as null.
//
// The body is sent with the landmark under both nearbyLandmarks (the
// seed document's name) and nearByLandmarks (the field the server reads).
type SavePropertyRequest struct {
	Name            string   `json:"name"`                      // company name, ≤ 50 characters; also the admin user's name
	Address         string   `json:"address"`                   // company address, ≤ 200 characters
	Tel             string   `json:"tel"`                       // administrator's mobile number, ≤ 11 characters: becomes the admin account and its initial password
	Corporation     string   `json:"corporation"`               // legal representative, ≤ 50 characters
	FoundingTime    string   `json:"foundingTime"`              // "YYYY-MM-DD"
	NearbyLandmarks string   `json:"nearbyLandmarks,omitempty"` // optional, ≤ 200 characters
	MapX            string   `json:"mapX,omitempty"`            // optional coordinate, ≤ 20 characters (the server stores "1" when absent)
	MapY            string   `json:"mapY,omitempty"`            // optional coordinate, ≤ 20 characters
	CommunityIDs    []string `json:"communityIds,omitempty"`    // optional: communities to bind to the company
	GroupIDs        []string `json:"groupIds,omitempty"`        // optional: menu groups to open; required with CommunityIDs
}

// saveBody is the JSON body sent: the request with the landmark under
// both spellings. Empty optional fields are left out, never null.
type saveBody struct {
	Name            string   `json:"name"`
	Address         string   `json:"address"`
	Tel             string   `json:"tel"`
	Corporation     string   `json:"corporation"`
	FoundingTime    string   `json:"foundingTime"`
	NearbyLandmarks string   `json:"nearbyLandmarks,omitempty"`
	NearByLandmarks string   `json:"nearByLandmarks,omitempty"`
	MapX            string   `json:"mapX,omitempty"`
	MapY            string   `json:"mapY,omitempty"`
	CommunityIDs    []string `json:"communityIds,omitempty"`
	GroupIDs        []string `json:"groupIds,omitempty"`
}

// SavePropertyResponse is the server's answer to a successful save, as it
// was sent. (It does not carry the new company's id: find the company with
// its tel.)
type SavePropertyResponse struct {
	Code          int
	Msg           string
	TransactionID string // the transaction-id this call was sent with
}

func (r *SavePropertyRequest) validate() error {
	c := check.New("SaveProperty")
	if r == nil {
		c.Add("request", "is nil")
		return invalidRequest(c)
	}
	c.RequiredText("Name", r.Name, MaxNameLength)
	c.RequiredText("Address", r.Address, MaxAddressLength)
	c.RequiredText("Tel", r.Tel, MaxTelLength)
	c.RequiredText("Corporation", r.Corporation, MaxCorporationLength)
	if c.Required("FoundingTime", r.FoundingTime) {
		if t, err := time.Parse(FoundingTimeLayout, r.FoundingTime); err != nil || t.Format(FoundingTimeLayout) != r.FoundingTime {
			c.Add("FoundingTime", fmt.Sprintf("is not a real date in the form YYYY-MM-DD (%q)", r.FoundingTime))
		}
	}
	c.OptionalText("NearbyLandmarks", r.NearbyLandmarks, MaxLandmarksLength)
	c.OptionalText("MapX", r.MapX, MaxMapLength)
	c.OptionalText("MapY", r.MapY, MaxMapLength)
	for i, id := range r.CommunityIDs {
		if strings.TrimSpace(id) == "" || !utf8.ValidString(id) { // the field name is formatted only for a bad id
			c.Required(fmt.Sprintf("CommunityIDs[%d]", i), id)
		}
	}
	for i, id := range r.GroupIDs {
		if strings.TrimSpace(id) == "" || !utf8.ValidString(id) {
			c.Required(fmt.Sprintf("GroupIDs[%d]", i), id)
		}
	}
	if len(r.CommunityIDs) > 0 && len(r.GroupIDs) == 0 {
		c.Add("GroupIDs", "is required when community ids are given (the server answers 未包含小区开通功能)")
	}
	return invalidRequest(c)
}

// SaveProperty creates a property company, with an admin account whose
// username and initial password are req.Tel, and binds the given
// communities to it (POST /app/property.saveProperty).
//
// It is not idempotent, and fang never repeats it once it may have reached
// the server. Errors:
//   - matching ErrInvalidRequest: req failed validation, nothing was sent;
//   - *Error matching ErrCommunityAlreadySettled, ErrDefaultPrivilegeMissing
//     or ErrSaveFailed: the documented failure codes;
//   - *Error matching ErrOutcomeUnknown: the company may or may not have been
//     created; reconcile with TransactionID before trying again;
//   - other *Error values for gateway and transport failures.
func (c *Client) SaveProperty(ctx context.Context, req *SavePropertyRequest) (*SavePropertyResponse, error) {
	const op = "SaveProperty"
	if ctx == nil {
		return nil, errNilContext(op)
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	body, err := json.Marshal(saveBody{
		Name: req.Name, Address: req.Address, Tel: req.Tel, Corporation: req.Corporation,
		FoundingTime:    req.FoundingTime,
		NearbyLandmarks: req.NearbyLandmarks, NearByLandmarks: req.NearbyLandmarks,
		MapX: req.MapX, MapY: req.MapY,
		CommunityIDs: req.CommunityIDs, GroupIDs: req.GroupIDs,
	})
	if err != nil {
		return nil, &Error{op: op, Msg: "encoding the request: " + err.Error(), cause: err}
	}
	ans, err := c.pipe.Do(ctx, &pipeline.Request{Endpoint: c.endpoints.save, Body: body})
	if err != nil {
		return nil, err
	}
	if !ans.hasEnv {
		// A 2xx answer without a code (cut short, a proxy's page) says
		// nothing about whether the company was created. Such a page
		// may echo the request, session token included: quoted only
		// scrubbed.
		return nil, &Error{op: op, Msg: ans.excerpt(), HTTPStatus: ans.status, TransactionID: ans.txID, unknown: true}
	}
	return &SavePropertyResponse{Code: ans.env.Code, Msg: ans.env.Msg, TransactionID: ans.txID}, nil
}
