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
	"github.com/fangsdk/fang/internal/session"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/sign"
)

const stateOK = 200

// request describes one endpoint call before authentication.
type request struct {
	op         string
	method     string
	url        string
	params     url.Values // form values (POST) or query values (GET), all signed with WithSignKey
	idempotent bool
	secrets    []string // besides the token and the sign key, what errors may not quote
}

// call authenticates req with the client's token, sends it and decodes the
// payload of a successful answer into out. A token the server rejects
// (state 401) is renewed once, when the token source can renew, and the
// call repeated once.
func (c *Client) call(ctx context.Context, req request, out any) error {
	if c.tokens == nil {
		return configError("%s needs a token: give WithToken or WithCredentials", req.op)
	}
	return session.Do(ctx, c.tokens, session.Hooks{
		Send:       func(ctx context.Context, token string) error { return c.send(ctx, req, token, out) },
		Rejected:   func(err error) bool { return errors.Is(err, ErrUnauthorized) },
		TokenError: func(doing string, err error) error { return tokenError(req.op, doing, err) },
	})
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

// send places token (none when ""), signs, sends and decodes: the one
// route of every kanfang request.
func (c *Client) send(ctx context.Context, req request, token string, out any) error {
	header := make(http.Header, 6)
	header.Set("Accept", "application/json")
	// The parameters go in the form of a POST, the query of a GET; a copy
	// is made only where the token is added to them (req.params may be the
	// caller's, given to Do).
	var query, form url.Values
	tokenThere := token != "" && (c.placement == auth.InForm || c.placement == auth.InQuery)
	switch {
	case req.method == http.MethodPost && tokenThere && c.placement == auth.InForm:
		form = cloneValues(req.params)
	case req.method == http.MethodPost:
		form = req.params
		if form == nil {
			form = url.Values{}
		}
	case tokenThere:
		query = cloneValues(req.params)
	default:
		query = req.params
	}
	if query == nil && tokenThere {
		query = url.Values{} // a POST with the token in the query
	}
	if token != "" {
		if err := c.placement.Place(auth.Carrier{Header: header, Query: query, Form: form}, token); err != nil {
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
	call := &wire.Call{
		Op:         req.op,
		Method:     req.method,
		URL:        req.url,
		Header:     header,
		RawQuery:   query.Encode(),
		Idempotent: req.idempotent,
	}
	if form != nil {
		header.Set("Content-Type", "application/x-www-form-urlencoded")
		call.Body = []byte(form.Encode())
	}
	resp, err := c.engine.Do(ctx, call)
	if err != nil {
		return transportError(req.op, err)
	}
	return decode(req.op, resp, out, append([]string{token, c.signKey}, req.secrets...)...)
}

// cloneValues copies v's map (the value slices are shared: they are only
// read).
func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v)+1)
	for k, vs := range v {
		out[k] = vs
	}
	return out
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
