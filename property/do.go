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

	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
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
// parameter replace the header of that name. So is a value holding & # +
// { or }, which the gateway cannot forward to the service intact (it
// passes the decoded query on as a URI template). POST sends in as the JSON body:
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
	req := &call.Request{Spec: &call.Spec{Op: op, Method: method, Path: "/app/" + service, Idempotent: method == http.MethodGet}}
	var err error
	if req.Params, req.Body, err = c.proto.Encode(method, in); err != nil {
		chk.Add("in", err.Error())
	}
	for _, name := range reservedParams(req.Params) {
		chk.Add("in", fmt.Sprintf("query parameter %q would replace the gateway's %s header: not sent", name, strings.ToLower(strings.ReplaceAll(name, "_", "-"))))
	}
	for _, name := range unforwardableParams(req.Params) {
		chk.Add("in", fmt.Sprintf("query parameter %q %s", name, forwardableReason))
	}
	if err := c.caller.Invalid(chk); err != nil {
		return err
	}
	ans, err := c.caller.Do(ctx, req)
	switch {
	case err != nil:
		return err
	case ans.Enveloped || isJSONObject(ans.Body):
		return ans.Into(out)
	case method == http.MethodPost:
		return ans.Unknown() // a write's answer that says nothing of it
	}
	return ans.Fail("the answer is not a JSON object")
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

// isJSONObject reports whether b is a JSON object.
func isJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{' && json.Valid(b)
}
