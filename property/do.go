package property

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/pipeline"
)

// Do calls any HC service through the same pipeline as the wrapped calls
// (session, signing, transaction-id, recovery): {method} {base}/app/{service}.
//
// GET sends in — nil, url.Values, or a struct with `url` tags (encoded by
// go-querystring) — as the query, names in sorted order, signed over "?"
// and the decoded query; it is idempotent and may be retried, each attempt
// with a new transaction-id and sign. A query parameter named like one of
// the signed headers — app-id, transaction-id, req-time, sign, user-id,
// store-id or java110-lang, in any case, with a dash or an underscore — is
// refused before sending (ErrInvalidRequest): the gateway lets such a
// parameter replace the header of that name. POST sends in as the JSON body:
// []byte and json.RawMessage as they are, nil as {}, anything else
// marshalled; it is never repeated once it may have reached the server.
//
// out, when not nil, receives the whole JSON answer. A `code` other than 0
// is an *Error (matched by the same sentinels as every call); an answer
// without a `code` member (community.listCommunitys answers
// {"communitys":[...],"total":...}) is a success.
func (c *Client) Do(ctx context.Context, method, service string, in, out any) error {
	const op = "Do"
	chk := check.New(op)
	chk.Context(ctx)
	chk.Method(method)
	if service == "" || strings.ContainsAny(service, "/?#% ") {
		chk.Add("service", "must be a service code such as community.listCommunitys")
	}
	req := &pipeline.Request{}
	var err error
	if method == http.MethodGet {
		req.Params, err = pipeline.Values(in)
		for _, name := range reservedParams(req.Params) {
			chk.Add("in", fmt.Sprintf("query parameter %q would replace the gateway's %s header: not sent", name, strings.ToLower(strings.ReplaceAll(name, "_", "-"))))
		}
	} else {
		req.Body, err = jsonBody(in)
	}
	if err != nil {
		chk.Add("in", err.Error())
	}
	if err := invalidRequest(chk); err != nil {
		return err
	}
	req.Endpoint = c.pipe.Bind(pipeline.Endpoint{Op: op, Method: method, Path: "/app/" + service, Idempotent: method == http.MethodGet})
	ans, err := c.pipe.Do(ctx, req)
	if err != nil {
		return err
	}
	if !ans.hasEnv && !isJSONObject(ans.body) {
		return &Error{op: op, Msg: "the answer is not a JSON object", HTTPStatus: ans.status, TransactionID: ans.txID,
			shape: true, unknown: method == http.MethodPost}
	}
	if out != nil {
		if err := json.Unmarshal(ans.body, out); err != nil {
			return &Error{op: op, Msg: "decoding the answer: " + jsonErrorKind(err), HTTPStatus: ans.status, TransactionID: ans.txID, shape: true}
		}
	}
	return nil
}

// reservedHeaders are the headers a query parameter of the same name
// replaces at the gateway (BaseController); the server also reads their
// underscore spellings.
var reservedHeaders = []string{"app-id", "transaction-id", "req-time", "sign", "user-id", "store-id", "java110-lang"}

// reservedParams returns the names in v, sorted, that the gateway would
// take for one of reservedHeaders.
func reservedParams(v url.Values) []string {
	var found []string
	for name := range v {
		n := strings.ToLower(strings.ReplaceAll(name, "_", "-"))
		if slices.Contains(reservedHeaders, n) {
			found = append(found, name)
		}
	}
	slices.Sort(found)
	return found
}

// jsonBody is the body of a POST through Do.
func jsonBody(in any) ([]byte, error) {
	switch v := in.(type) {
	case nil:
		return []byte("{}"), nil
	case []byte:
		return v, nil
	case json.RawMessage:
		return v, nil
	}
	return json.Marshal(in)
}

func isJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{' && json.Valid(b)
}
