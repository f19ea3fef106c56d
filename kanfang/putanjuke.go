package kanfang

import (
	"github.com/google/go-querystring/query"

	"context"
	"net/http"

	"github.com/fangsdk/fang/internal/check"
)

// MaxFieldLength is the most characters packageId and anjukeBianHao may
// hold.
const MaxFieldLength = 128

// PutAnjukeBianHaoRequest sets the Anjuke store number of a panorama data
// package.
type PutAnjukeBianHaoRequest struct {
	PackageID     string `url:"packageId"`     // id of the panorama data package (≤ 128 characters)
	AnjukeBianHao string `url:"anjukeBianHao"` // the listing's number in the Anjuke online store (≤ 128 characters)
}

// PutAnjukeBianHaoResponse is what the server stored.
type PutAnjukeBianHaoResponse struct {
	PackageID     string `json:"packageId"`
	AnjukeBianHao string `json:"anjukeBianHao"`
}

func (r *PutAnjukeBianHaoRequest) validate() error {
	c := check.New("kanfang", "PutAnjukeBianHao", ErrInvalidRequest)
	if r == nil {
		c.Add("request", "is nil")
		return invalidRequest(c)
	}
	c.RequiredText("PackageID", r.PackageID, MaxFieldLength)
	c.RequiredText("AnjukeBianHao", r.AnjukeBianHao, MaxFieldLength)
	return invalidRequest(c)
}

// PutAnjukeBianHao sets the Anjuke store number of a panorama data package
// (POST /v2/houseTask/putAnjukeBianHao, form encoded). Setting a number is
// idempotent, so transient failures are retried.
//
// Errors: one matching ErrInvalidRequest when req fails validation (nothing
// is sent); an *Error for a failure the server answered (ErrRejected for an
// unknown package, for instance); otherwise the transport's error, with
// context errors visible to errors.Is.
func (c *Client) PutAnjukeBianHao(ctx context.Context, req *PutAnjukeBianHaoRequest) (*PutAnjukeBianHaoResponse, error) {
	if ctx == nil {
		return nil, errNilContext("PutAnjukeBianHao")
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	form, err := query.Values(req) // the `url` tags name the form fields
	if err != nil {
		return nil, &Error{op: "PutAnjukeBianHao", Message: "encoding the request: " + err.Error(), cause: err}
	}
	out := new(PutAnjukeBianHaoResponse)
	err = c.call(ctx, request{
		op:         "PutAnjukeBianHao",
		method:     http.MethodPost,
		url:        c.urlPut,
		params:     form,
		idempotent: true,
	}, out)
	if err != nil {
		return nil, err
	}
	if out.PackageID == "" || out.AnjukeBianHao == "" {
		// A state-200 answer that does not say what was stored is not a
		// success ({}, null, another object).
		return nil, &Error{op: "PutAnjukeBianHao", State: stateOK, HTTPStatus: http.StatusOK,
			Message: "success without packageId and anjukeBianHao in the payload"}
	}
	return out, nil
}
