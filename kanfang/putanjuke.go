package kanfang

import (
	"context"
	"net/http"

	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
)

// MaxFieldLength is the most characters packageId and anjukeBianHao may
// hold.
const MaxFieldLength = 128

// PutAnjukeBianHaoRequest sets the Anjuke store number of a panorama data
// package. The `url` tags are the form's names (it may also be given to
// Do).
type PutAnjukeBianHaoRequest struct {
	PackageID     string `url:"packageId"`     // id of the panorama data package (≤ 128 characters)
	AnjukeBianHao string `url:"anjukeBianHao"` // the listing's number in the Anjuke online store (≤ 128 characters)
}

// PutAnjukeBianHaoResponse is what the server stored.
type PutAnjukeBianHaoResponse struct {
	PackageID     string `json:"packageId"`
	AnjukeBianHao string `json:"anjukeBianHao"`
}

// putAnjukeBianHao is the endpoint. Setting a number is idempotent:
// transient failures are retried.
var putAnjukeBianHao = call.Endpoint[PutAnjukeBianHaoRequest, PutAnjukeBianHaoResponse]{
	Spec: call.Spec{Op: "PutAnjukeBianHao", Method: http.MethodPost, Path: PathPutAnjukeBianHao, Idempotent: true},
	Check: func(c *check.Checker, r *PutAnjukeBianHaoRequest) {
		c.RequiredText("PackageID", r.PackageID, MaxFieldLength)
		c.RequiredText("AnjukeBianHao", r.AnjukeBianHao, MaxFieldLength)
	},
	Decode: func(a *call.Answer, out *PutAnjukeBianHaoResponse) error {
		if err := a.Into(out); err != nil {
			return err
		}
		if out.PackageID == "" || out.AnjukeBianHao == "" {
			// A state-200 answer that does not say what was stored is
			// not a success ({}, null, another object).
			return a.Fail("success without packageId and anjukeBianHao in the payload")
		}
		return nil
	},
}

// PutAnjukeBianHao sets the Anjuke store number of a panorama data package
// (POST /v2/houseTask/putAnjukeBianHao, form encoded). Setting a number is
// idempotent, so transient failures are retried.
//
// Errors: one matching ErrInvalidRequest when req fails validation (nothing
// is sent); an *Error for everything after that: a failure the server
// answered (ErrRejected for an unknown package, for instance), or none
// (wrapping the cause, with context errors visible to errors.Is).
func (c *Client) PutAnjukeBianHao(ctx context.Context, req *PutAnjukeBianHaoRequest) (*PutAnjukeBianHaoResponse, error) {
	return putAnjukeBianHao.Call(ctx, c.caller, req)
}
