package kanfang

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-querystring/query"

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
// once it may have reached the server. Failures are *Error, matched by the
// same sentinels as every call.
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	if ctx == nil {
		return errNilContext("Do")
	}
	chk := check.New("kanfang", "Do", ErrInvalidRequest)
	if method != http.MethodGet && method != http.MethodPost {
		chk.Add("method", "must be GET or POST")
	}
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "?#") {
		chk.Add("path", `must be an endpoint path such as "/v2/houseTask/putAnjukeBianHao"`)
	}
	params, err := formValues(in)
	if err != nil {
		chk.Add("in", err.Error())
	}
	if err := invalidRequest(chk); err != nil {
		return err
	}
	return c.call(ctx, request{
		op:         "Do",
		method:     method,
		url:        c.engine.URL(path),
		params:     params,
		idempotent: method == http.MethodGet,
	}, out)
}

// formValues turns in into form or query values: nil, url.Values, or a
// struct (or pointer to one) with `url` tags.
func formValues(in any) (url.Values, error) {
	switch v := in.(type) {
	case nil:
		return url.Values{}, nil
	case url.Values:
		return v, nil
	}
	return query.Values(in)
}
