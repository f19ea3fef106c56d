package property

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
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

// MarshalJSON is the body SaveProperty sends: the fields by their json
// tags, the landmark also under nearByLandmarks (the field the server
// reads), empty optional fields left out. Do sends the same body when
// given the request.
func (r SavePropertyRequest) MarshalJSON() ([]byte, error) {
	type plain SavePropertyRequest
	return json.Marshal(struct {
		plain
		NearByLandmarks string `json:"nearByLandmarks,omitempty"`
	}{plain(r), r.NearbyLandmarks})
}

// SavePropertyResponse is the server's answer to a successful save, as it
// was sent. (It does not carry the new company's id: find the company with
// its tel.)
type SavePropertyResponse struct {
	Code          int
	Msg           string
	TransactionID string // the transaction-id this call was sent with
}

// checkSave records the problems of a SavePropertyRequest.
func checkSave(c *check.Checker, r *SavePropertyRequest) {
	c.RequiredText("Name", r.Name, MaxNameLength)
	c.RequiredText("Address", r.Address, MaxAddressLength)
	c.RequiredText("Tel", r.Tel, MaxTelLength)
	c.RequiredText("Corporation", r.Corporation, MaxCorporationLength)
	if c.Required("FoundingTime", r.FoundingTime) {
		checkDate(c, r.FoundingTime)
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
}

// checkDate records a FoundingTime that is not a real date.
func checkDate(c *check.Checker, date string) {
	if t, err := time.Parse(FoundingTimeLayout, date); err != nil || t.Format(FoundingTimeLayout) != date {
		c.Add("FoundingTime", fmt.Sprintf("is not a real date in the form YYYY-MM-DD (%q)", date))
	}
}

// saveProperty creates a company: not idempotent, never repeated once it
// may have reached the server. A 2xx answer without a code (cut short, a
// proxy's page) says nothing about whether the company was created.
var saveProperty = call.Endpoint[SavePropertyRequest, SavePropertyResponse]{
	Spec:  call.Spec{Op: "SaveProperty", Method: http.MethodPost, Path: "/app/" + ServiceSaveProperty},
	Check: checkSave,
	Decode: func(a *call.Answer, out *SavePropertyResponse) error {
		if !a.Enveloped {
			return a.Unknown()
		}
		*out = SavePropertyResponse{Code: a.Code, Msg: a.Msg, TransactionID: a.TransactionID}
		return nil
	},
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
	return saveProperty.Call(ctx, c.caller, req)
}
