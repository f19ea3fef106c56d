package property

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
)

// ServiceUpdateProperty is the service code of UpdateProperty.
const ServiceUpdateProperty = "property.updateProperty"

// UpdatePropertyRequest changes a property company
// (property.updateProperty). StoreID is required; every other field is
// left unchanged when empty, and sent only when set. The widths are those
// of SavePropertyRequest.
type UpdatePropertyRequest struct {
	StoreID         string `json:"storeId"`                   // the company to change, required: without it the gateway would change the caller's own company
	Name            string `json:"name,omitempty"`            // new name, ≤ 50 characters; also renames the admin user
	Address         string `json:"address,omitempty"`         // ≤ 200 characters
	Tel             string `json:"tel,omitempty"`             // ≤ 11 characters (the admin account keeps its username)
	Corporation     string `json:"corporation,omitempty"`     // ≤ 50 characters
	FoundingTime    string `json:"foundingTime,omitempty"`    // "YYYY-MM-DD"
	NearbyLandmarks string `json:"nearbyLandmarks,omitempty"` // ≤ 200 characters; also sent as nearByLandmarks, the field the server reads
	MapX            string `json:"mapX,omitempty"`            // ≤ 20 characters
	MapY            string `json:"mapY,omitempty"`            // ≤ 20 characters
}

// MarshalJSON is the body UpdateProperty sends: only the fields set, the
// landmark under both spellings as SaveProperty sends it.
func (r UpdatePropertyRequest) MarshalJSON() ([]byte, error) {
	type plain UpdatePropertyRequest
	return json.Marshal(struct {
		plain
		NearByLandmarks string `json:"nearByLandmarks,omitempty"`
	}{plain(r), r.NearbyLandmarks})
}

// updateProperty sets values: safe to repeat, so retried like a read.
var updateProperty = call.Endpoint[UpdatePropertyRequest, struct{}]{
	Spec: call.Spec{Op: "UpdateProperty", Method: http.MethodPost, Path: "/app/" + ServiceUpdateProperty, Idempotent: true},
	Check: func(c *check.Checker, r *UpdatePropertyRequest) {
		if c.Required("StoreID", r.StoreID) && *r == (UpdatePropertyRequest{StoreID: r.StoreID}) {
			c.Add("request", "changes nothing: set at least one field besides StoreID")
		}
		optional := func(field, value string, limit int) {
			if value != "" && c.Required(field, value) { // set, but only white space: refused like SaveProperty's
				c.MaxRunes(field, value, limit)
			}
		}
		optional("Name", r.Name, MaxNameLength)
		optional("Address", r.Address, MaxAddressLength)
		optional("Tel", r.Tel, MaxTelLength)
		optional("Corporation", r.Corporation, MaxCorporationLength)
		if r.FoundingTime != "" {
			checkDate(c, r.FoundingTime)
		}
		c.OptionalText("NearbyLandmarks", r.NearbyLandmarks, MaxLandmarksLength)
		c.OptionalText("MapX", r.MapX, MaxMapLength)
		c.OptionalText("MapY", r.MapY, MaxMapLength)
	},
	Decode: decodeWrite,
}

// decodeWrite decodes the answer of a write that returns nothing: a 2xx
// answer without a code says nothing about whether it was done.
func decodeWrite(a *call.Answer, _ *struct{}) error {
	if !a.Enveloped {
		return a.Unknown()
	}
	return nil
}

// UpdateProperty changes a property company (POST
// /app/property.updateProperty): only the fields set in req are sent, and
// only those change on the server. A new name also renames the company's
// admin user (its username for logging in by name). The server also
// records the caller as the company's user.
//
// StoreID is required: the gateway fills a body without storeId with the
// caller's own company, so a forgotten id would change the wrong company.
// The server finds a company by StoreID alone, deleted or not: updating a
// deleted company succeeds and brings it back, without its communities
// and staff. Check with ListProperties first when that matters.
//
// Setting values is safe to repeat, so fang retries it like a read. Errors:
//   - matching ErrInvalidRequest: req failed validation, nothing was sent;
//   - *Error matching ErrGateway with Msg 更新数据失败: no company has
//     that StoreID (or the write failed);
//   - *Error matching ErrOutcomeUnknown: the change may or may not have
//     been made; sending the same request again is harmless;
//   - other *Error values for gateway and transport failures.
func (c *Client) UpdateProperty(ctx context.Context, req *UpdatePropertyRequest) error {
	_, err := updateProperty.Call(ctx, c.caller, req)
	return err
}
