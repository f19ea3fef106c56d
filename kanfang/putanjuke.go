package kanfang

import (
	"context"
	"net/url"

	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/pipeline"
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
	c := check.New("PutAnjukeBianHao")
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
// is sent); an *Error for everything after that: a failure the server
// answered (ErrRejected for an unknown package, for instance), or none
// (wrapping the cause, with context errors visible to errors.Is).
func (c *Client) PutAnjukeBianHao(ctx context.Context, req *PutAnjukeBianHaoRequest) (*PutAnjukeBianHaoResponse, error) {
	const op = "PutAnjukeBianHao"
	if ctx == nil {
		return nil, errNilContext(op)
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	out := new(PutAnjukeBianHaoResponse)
	ans, err := c.pipe.Do(ctx, &pipeline.Request{Endpoint: c.endpoints.put, Params: req.values()})
	if err == nil {
		err = ans.into(op, out)
	}
	if err != nil {
		return nil, err
	}
	if out.PackageID == "" || out.AnjukeBianHao == "" {
		// A state-200 answer that does not say what was stored is not a
		// success ({}, null, another object).
		return nil, ans.fail(op, "success without packageId and anjukeBianHao in the payload")
	}
	return out, nil
}

// values is the form of r, the names of its `url` tags (a test keeps the
// two the same, so that r may also be given to Do).
func (r *PutAnjukeBianHaoRequest) values() url.Values {
	return url.Values{"packageId": {r.PackageID}, "anjukeBianHao": {r.AnjukeBianHao}}
}
