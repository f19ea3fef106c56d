package call

import (
	"context"

	"github.com/fangsdk/fang/internal/check"
)

// Endpoint declares one remote call of an API: its Spec, how its request
// (Req) is checked and encoded, and what its answer decodes into (Resp).
// A client's method is one line over it: Call.
type Endpoint[Req, Resp any] struct {
	Spec
	// Check records the problems of a request (a nil request and a nil
	// context are refused before it runs); nil: none to check.
	Check func(c *check.Checker, req *Req)
	// Encode returns the value the API encodes (a struct with `url` tags,
	// or one marshalled to JSON): a copy with defaults filled in, say.
	// nil: the request itself.
	Encode func(req *Req) any
	// Decode fills out from a successful answer; nil: Answer.Into.
	Decode func(a *Answer, out *Resp) error
}

// Call checks req, encodes it and runs it on c, then decodes the answer.
// A request that fails its checks is not sent: the error is the API's
// *InvalidRequestError.
func (e *Endpoint[Req, Resp]) Call(ctx context.Context, c *Caller, req *Req) (*Resp, error) {
	chk := check.New(e.Op)
	switch {
	case ctx == nil:
		chk.Context(ctx)
	case req == nil:
		chk.Add("request", "is nil")
	case e.Check != nil:
		e.Check(chk, req)
	}
	if err := c.Invalid(chk); err != nil {
		return nil, err
	}
	var in any = req
	if e.Encode != nil {
		in = e.Encode(req)
	}
	r := &Request{Spec: &e.Spec}
	var err error
	if r.Params, r.Body, err = c.cfg.API.Encode(e.Method, in); err != nil {
		return nil, c.cfg.API.Error(Failure{Msg: "encoding the request: " + err.Error(), Meta: Meta{Op: e.Op, Cause: err}})
	}
	ans, err := c.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	out := new(Resp)
	if e.Decode != nil {
		err = e.Decode(ans, out)
	} else {
		err = ans.Into(out)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}
