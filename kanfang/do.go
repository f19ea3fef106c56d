package kanfang

import (
	"context"
	"net/http"
	"strings"

	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/pipeline"
)

// Do calls any 123kanfang endpoint through the same pipeline as the
// wrapped calls (token and its placement, strong validation, retries,
// decoding): {method} {base}{path}, path starting with "/v2/".
//
// in is nil, url.Values, or a struct with `url` tags (encoded by
// go-querystring): the form body of a POST, the query of a GET. out, when
// not nil, receives the payload of a state-200 answer. A GET is idempotent
// and retried after transient failures; a POST through Do is not repeated
// once it may have reached the server. Failures are *Error, matched by the
// same sentinels as every call.
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	const op = "Do"
	chk := check.New(op)
	chk.Context(ctx)
	chk.Method(method)
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "?#") {
		chk.Add("path", `must be an endpoint path such as "/v2/houseTask/putAnjukeBianHao"`)
	}
	params, err := pipeline.Values(in)
	if err != nil {
		chk.Add("in", err.Error())
	}
	if err := invalidRequest(chk); err != nil {
		return err
	}
	ep := c.pipe.Bind(pipeline.Endpoint{Op: op, Method: method, Path: path, Idempotent: method == http.MethodGet})
	ans, err := c.pipe.Do(ctx, &pipeline.Request{Endpoint: ep, Params: params})
	if err != nil {
		return err
	}
	return ans.into(op, out)
}
