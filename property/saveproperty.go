package property

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/fangsdk/fang/internal/check"
)

// MaxNameLength is the most characters a company name may hold.
const MaxNameLength = 64

// FoundingTimeLayout is the Go layout of SavePropertyRequest.FoundingTime.
const FoundingTimeLayout = "2006-01-02"

// SavePropertyRequest creates a property company (property.saveProperty).
// Empty optional fields are left out of the JSON body, never sent as null.
type SavePropertyRequest struct {
	Name            string   `json:"name"`                      // company name, ≤ 64 characters
	Address         string   `json:"address"`                   // company address
	Tel             string   `json:"tel"`                       // administrator's mobile number: becomes the admin account and its initial password
	Corporation     string   `json:"corporation"`               // legal representative
	FoundingTime    string   `json:"foundingTime"`              // "YYYY-MM-DD"
	NearbyLandmarks string   `json:"nearbyLandmarks,omitempty"` // optional
	CommunityIDs    []string `json:"communityIds,omitempty"`    // optional: communities to bind to the company
	GroupIDs        []string `json:"groupIds,omitempty"`        // optional: menu groups to open; required with CommunityIDs
}

// SavePropertyResponse is the server's answer to a successful save.
type SavePropertyResponse struct {
	Code          int
	Msg           string
	TransactionID string // the transaction-id this call was sent with
}

func (r *SavePropertyRequest) validate() error {
	c := check.New("property", "SaveProperty", ErrInvalidRequest)
	if r == nil {
		c.Add("request", "is nil")
		return c.Err()
	}
	if c.Required("Name", r.Name) {
		c.MaxRunes("Name", r.Name, MaxNameLength)
	}
	c.Required("Address", r.Address)
	c.Required("Tel", r.Tel)
	c.Required("Corporation", r.Corporation)
	if c.Required("FoundingTime", r.FoundingTime) {
		var buf [len(FoundingTimeLayout)]byte
		if t, err := time.Parse(FoundingTimeLayout, r.FoundingTime); err != nil || string(t.AppendFormat(buf[:0], FoundingTimeLayout)) != r.FoundingTime {
			c.Add("FoundingTime", fmt.Sprintf("is not a real date in the form YYYY-MM-DD (%q)", r.FoundingTime))
		}
	}
	c.Text("NearbyLandmarks", r.NearbyLandmarks)
	for i, id := range r.CommunityIDs {
		if id == "" || !utf8.ValidString(id) { // the field name is formatted only for a bad id
			c.Required(fmt.Sprintf("CommunityIDs[%d]", i), id)
		}
	}
	for i, id := range r.GroupIDs {
		if id == "" || !utf8.ValidString(id) {
			c.Required(fmt.Sprintf("GroupIDs[%d]", i), id)
		}
	}
	if len(r.CommunityIDs) > 0 && len(r.GroupIDs) == 0 {
		c.Add("GroupIDs", "is required when CommunityIDs is given (the server answers 未包含小区开通功能)")
	}
	return c.Err()
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
	if err := req.validate(); err != nil {
		return nil, err
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("property: SaveProperty: encoding the request: %w", err)
	}
	_, txID, err := c.call(ctx, request{op: ServiceSaveProperty, url: c.urlSave, body: body, userID: c.userID})
	if err != nil {
		return nil, err
	}
	return &SavePropertyResponse{Code: 0, Msg: "成功", TransactionID: txID}, nil
}
