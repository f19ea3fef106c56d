package kanfang

import (
	"context"
	"net/http"
	"strings"

	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
)

// Do calls any 123kanfang endpoint through the same pipeline as the
// wrapped calls (token and its placement, strong validation, retries,
// decoding): {method} {base}{path}, path starting with "/v2/".
//
// in is nil, url.Values, or a struct with `url` tags (encoded by
// go-querystring): the form body of a POST, the query of a GET. out, when
// not nil, receives the payload of a state-200 answer. A GET is idempotent
// and retried after transient failures; a POST through Do is not repeated
// once it may have reached the server: when it may have been carried out
// and no definite answer came back (a timeout or a connection lost after
// sending, a body cut off, any 5xx answer, state 500, a 2xx body that is
// not the platform's envelope), the *Error matches ErrOutcomeUnknown. Failures are *Error,
// matched by the same sentinels as every call.
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	spec := &call.Spec{Op: "Do", Method: method, Path: path, Idempotent: method == http.MethodGet}
	chk := check.New(spec.Op)
	chk.Context(ctx)
	chk.Method(method)
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "?#") {
		chk.Add("path", `must be an endpoint path such as "/v2/houseTask/putAnjukeBianHao"`)
	}
	params, _, err := c.proto.Encode(method, in)
	if err != nil {
		chk.Add("in", err.Error())
	}
	if err := c.caller.Invalid(chk); err != nil {
		return err
	}
	ans, err := c.caller.Do(ctx, &call.Request{Spec: spec, Params: params})
	if err != nil {
		return err
	}
	return ans.Into(out)
}
