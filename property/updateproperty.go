package property

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/pipeline"
)

// ServiceUpdateProperty is the service code of UpdateProperty.
const ServiceUpdateProperty = "property.updateProperty"

// UpdatePropertyRequest changes a property company
// (property.updateProperty). StoreID is required; every other field is
// left unchanged when empty, and sent only when set. The widths are those
// of SavePropertyRequest.
type UpdatePropertyRequest struct {
	StoreID         string // the company to change, required: without it the gateway would change the caller's own company
	Name            string // new name, ≤ 50 characters; also renames the admin user
	Address         string // ≤ 200 characters
	Tel             string // ≤ 11 characters (the admin account keeps its username)
	Corporation     string // ≤ 50 characters
	FoundingTime    string // "YYYY-MM-DD"
	NearbyLandmarks string // ≤ 200 characters; sent as nearByLandmarks, the field the server reads (and nearbyLandmarks)
	MapX, MapY      string // ≤ 20 characters each
}

// updateBody is the JSON body sent: only the fields set, the landmark
// under both spellings as SaveProperty sends it.
type updateBody struct {
	StoreID         string `json:"storeId"`
	Name            string `json:"name,omitempty"`
	Address         string `json:"address,omitempty"`
	Tel             string `json:"tel,omitempty"`
	Corporation     string `json:"corporation,omitempty"`
	FoundingTime    string `json:"foundingTime,omitempty"`
	NearbyLandmarks string `json:"nearbyLandmarks,omitempty"`
	NearByLandmarks string `json:"nearByLandmarks,omitempty"`
	MapX            string `json:"mapX,omitempty"`
	MapY            string `json:"mapY,omitempty"`
}

func (r *UpdatePropertyRequest) validate() error {
	c := check.New("UpdateProperty")
	if r == nil {
		c.Add("request", "is nil")
		return invalidRequest(c)
	}
	if c.Required("StoreID", r.StoreID) && r.Name == "" && r.Address == "" && r.Tel == "" && r.Corporation == "" &&
		r.FoundingTime == "" && r.NearbyLandmarks == "" && r.MapX == "" && r.MapY == "" {
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
		if t, err := time.Parse(FoundingTimeLayout, r.FoundingTime); err != nil || t.Format(FoundingTimeLayout) != r.FoundingTime {
			c.Add("FoundingTime", fmt.Sprintf("is not a real date in the form YYYY-MM-DD (%q)", r.FoundingTime))
		}
	}
	c.OptionalText("NearbyLandmarks", r.NearbyLandmarks, MaxLandmarksLength)
	c.OptionalText("MapX", r.MapX, MaxMapLength)
	c.OptionalText("MapY", r.MapY, MaxMapLength)
	return invalidRequest(c)
}

// UpdateProperty changes a property company (POST
// /app/property.updateProperty): only the fields set in req are sent, and
// only those change on the server. A new name also renames the company's
// admin user (its username for logging in by name). The server also
// records the caller as the company's user.
//
// StoreID is required: the gateway fills a body without storeId with the
// caller's own company, so a forgotten id would change the wrong company.
//
// Setting values is safe to repeat, so fang retries it like a read. Errors:
//   - matching ErrInvalidRequest: req failed validation, nothing was sent;
//   - *Error matching ErrGateway with Msg 更新数据失败: no company has
//     that StoreID (or the write failed);
//   - *Error matching ErrOutcomeUnknown: the change may or may not have
//     been made; sending the same request again is harmless;
//   - other *Error values for gateway and transport failures.
func (c *Client) UpdateProperty(ctx context.Context, req *UpdatePropertyRequest) error {
	const op = "UpdateProperty"
	if ctx == nil {
		return errNilContext(op)
	}
	if err := req.validate(); err != nil {
		return err
	}
	body, err := json.Marshal(updateBody{
		StoreID: req.StoreID, Name: req.Name, Address: req.Address, Tel: req.Tel,
		Corporation: req.Corporation, FoundingTime: req.FoundingTime,
		NearbyLandmarks: req.NearbyLandmarks, NearByLandmarks: req.NearbyLandmarks,
		MapX: req.MapX, MapY: req.MapY,
	})
	if err != nil {
		return &Error{op: op, Msg: "encoding the request: " + err.Error(), cause: err}
	}
	ans, err := c.pipe.Do(ctx, &pipeline.Request{Endpoint: c.endpoints.update, Body: body})
	if err != nil {
		return err
	}
	if !ans.hasEnv {
		// A 2xx answer without a code says nothing about the change.
		return &Error{op: op, Msg: ans.excerpt(), HTTPStatus: ans.status, TransactionID: ans.txID, unknown: true}
	}
	return nil
}
