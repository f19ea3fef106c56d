package kanfang

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/envelope"
	"github.com/fangsdk/fang/internal/redact"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/sign"
)

const stateOK = 200

// request describes one endpoint call before authentication.
type request struct {
	op         string
	method     string
	url        string
	params     url.Values // form values (POST) or query values (GET); signed with WithSignKey
	fields     []field    // when params is nil: the parameters, from formOf
	idempotent bool
}

// Header values shared by every request. net/http only reads a request's
// header values (the engine sends a copy of the header when a cookie jar
// could add to it), and the three-index slices below make any append copy.
var (
	formContentType = []string{"application/x-www-form-urlencoded"}
	acceptJSON      = []string{"application/json"}
)

// call authenticates req with the client's token, sends it and decodes the
// payload of a successful answer into out. A token the server rejects
// (state 401) is renewed once, when the token source can renew, and the
// call repeated once.
func (c *Client) call(ctx context.Context, req request, out any) error {
	if c.tokens == nil {
		return configError("%s needs a token: give WithToken or WithCredentials", req.op)
	}
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return tokenError(req.op, "obtaining a token", err)
	}
	err = c.send(ctx, req, tok.Value, c.placement, out)
	renewer, ok := c.tokens.(auth.Renewer)
	if !ok || !errors.Is(err, ErrUnauthorized) {
		return err
	}
	if tok, err = renewer.Renew(ctx, tok); err != nil {
		return tokenError(req.op, "renewing the rejected token", err)
	}
	return c.send(ctx, req, tok.Value, c.placement, out)
}

// tokenError is the error of a call whose token could not be had: a
// failed login or refresh is returned as its own *Error (errors.As reaches
// the server's answer); anything else is wrapped in one.
func tokenError(op, doing string, err error) error {
	var kerr *Error
	if errors.As(err, &kerr) {
		return err
	}
	return &Error{op: op, Message: doing + ": " + err.Error(), cause: err}
}

// send places token, signs, sends and decodes: the steps every endpoint
// shares.
func (c *Client) send(ctx context.Context, req request, token string, placement auth.Placement, out any) error {
	header := make(http.Header, 6)
	call := &wire.Call{
		Op:         req.op,
		Method:     req.method,
		URL:        req.url,
		Header:     header,
		Idempotent: req.idempotent,
	}
	if req.params == nil && req.method == http.MethodPost && c.signKey == "" &&
		(token == "" || placement == auth.InHeader || placement == auth.InCookie) {
		// The common case: a form body and a token in a header. The
		// fields are encoded straight into the body, as
		// url.Values.Encode would encode them, without building maps.
		if token != "" {
			if err := placement.Place(auth.Carrier{Header: header}, token); err != nil {
				return transportError(req.op, err)
			}
		}
		header["Content-Type"] = formContentType[:1:1]
		call.Body = encodeFields(req.fields)
	} else if err := c.prepare(call, req, token, placement); err != nil {
		return err
	}
	header["Accept"] = acceptJSON[:1:1]

	resp, err := c.engine.Do(ctx, call)
	if err != nil {
		return transportError(req.op, err)
	}
	return decode(req.op, resp, out, token, c.signKey)
}

// prepare completes call for any request: a GET, a signed request, a token
// in the form or the query.
func (c *Client) prepare(call *wire.Call, req request, token string, placement auth.Placement) error {
	params := req.params
	if params == nil {
		params = make(url.Values, len(req.fields))
		for _, f := range req.fields {
			params[f.name] = append(params[f.name], f.value)
		}
	}
	header := call.Header
	query := url.Values{}
	var form url.Values
	if req.method == http.MethodPost {
		form = make(url.Values, len(params)+1)
		for k, v := range params {
			form[k] = v
		}
	} else {
		for k, v := range params {
			query[k] = v
		}
	}
	if token != "" {
		if err := placement.Place(auth.Carrier{Header: header, Query: query, Form: form}, token); err != nil {
			return transportError(req.op, err)
		}
	}
	if c.signKey != "" {
		// The platform signs every value it receives: all form values of
		// a POST, all query values of a GET, a token placed there
		// included.
		signed := query
		if form != nil {
			signed = form
		}
		ts := c.now().UnixMilli()
		header.Set("timestamp", strconv.FormatInt(ts, 10))
		header.Set("sign", sign.Kanfang(c.signKey, signed, ts))
	}
	call.RawQuery = query.Encode()
	if form != nil {
		header["Content-Type"] = formContentType[:1:1]
		call.Body = []byte(form.Encode())
	}
	return nil
}

// decode maps an HTTP answer to out or to an *Error. The status comes
// first: a non-2xx answer is never a success, whatever its body says.
// secrets are scrubbed from any message quoted from the server; a success
// payload of the wrong shape is described, never quoted (it may hold new
// tokens).
func decode(op string, resp *wire.Response, out any, secrets ...string) error {
	if err := decodeEnvelope(op, resp, out, secrets...); err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.attempts = resp.Attempts
		}
		return err
	}
	return nil
}

func decodeEnvelope(op string, resp *wire.Response, out any, secrets ...string) error {
	env, ok := envelope.DecodeKanfang(resp.Body)
	switch {
	case !ok:
		return &Error{op: op, Message: redact.Excerpt(resp.Body, secrets...), HTTPStatus: resp.Status}
	case env.State != stateOK:
		return &Error{op: op, State: env.State, Message: redact.Excerpt([]byte(envelope.Text(env.Payload)), secrets...), HTTPStatus: resp.Status}
	case resp.Status/100 != 2:
		return &Error{op: op, State: env.State, Message: "a success envelope with an error status", HTTPStatus: resp.Status}
	}
	if out != nil {
		if err := json.Unmarshal(env.Payload, out); err != nil {
			return &Error{op: op, State: env.State, Message: "success without the expected payload: " + jsonErrorKind(err), HTTPStatus: resp.Status}
		}
	}
	return nil
}

// jsonErrorKind describes a decoding error without quoting the input.
func jsonErrorKind(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return "the payload is a JSON " + te.Value
		}
		return fmt.Sprintf("field %q is a JSON %s", te.Field, te.Value)
	}
	return "the payload is not valid JSON"
}
