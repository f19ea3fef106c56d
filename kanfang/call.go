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
	idempotent bool
}

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
		return fmt.Errorf("kanfang: %s: obtaining a token: %w", req.op, err)
	}
	err = c.send(ctx, req, tok.Value, c.placement, out)
	renewer, ok := c.tokens.(auth.Renewer)
	if !ok || !errors.Is(err, ErrUnauthorized) {
		return err
	}
	if tok, err = renewer.Renew(ctx, tok); err != nil {
		return fmt.Errorf("kanfang: %s: renewing the rejected token: %w", req.op, err)
	}
	return c.send(ctx, req, tok.Value, c.placement, out)
}

// send places token, signs, sends and decodes: the steps every endpoint
// shares.
func (c *Client) send(ctx context.Context, req request, token string, placement auth.Placement, out any) error {
	header := make(http.Header, 6)
	query := url.Values{}
	var form url.Values
	if req.method == http.MethodPost {
		form = make(url.Values, len(req.params)+1)
		for k, v := range req.params {
			form[k] = v
		}
	} else {
		for k, v := range req.params {
			query[k] = v
		}
	}
	if c.signKey != "" {
		ts := c.now().UnixMilli()
		header.Set("timestamp", strconv.FormatInt(ts, 10))
		header.Set("sign", sign.Kanfang(c.signKey, req.params, ts))
	}
	if token != "" {
		if err := placement.Place(auth.Carrier{Header: header, Query: query, Form: form}, token); err != nil {
			return fmt.Errorf("kanfang: %s: %w", req.op, err)
		}
	}
	call := &wire.Call{
		Op:         req.op,
		Method:     req.method,
		URL:        req.url,
		RawQuery:   query.Encode(),
		Header:     header,
		Idempotent: req.idempotent,
	}
	if form != nil {
		header.Set("Content-Type", "application/x-www-form-urlencoded")
		call.Body = []byte(form.Encode())
	}
	header.Set("Accept", "application/json")

	resp, err := c.engine.Do(ctx, call)
	if err != nil {
		return fmt.Errorf("kanfang: %s: %w", req.op, err)
	}
	return decode(resp, out, token)
}

// decode maps an HTTP answer to out or to an *Error. secrets are scrubbed
// from any message quoted from the server.
func decode(resp *wire.Response, out any, secrets ...string) error {
	env, ok := envelope.DecodeKanfang(resp.Body)
	if !ok {
		return &Error{Message: redact.String(envelope.Excerpt(resp.Body), secrets...), HTTPStatus: resp.Status}
	}
	if env.State != stateOK {
		return &Error{State: env.State, Message: redact.String(envelope.Text(env.Payload), secrets...), HTTPStatus: resp.Status}
	}
	if out != nil {
		if err := json.Unmarshal(env.Payload, out); err != nil {
			return &Error{
				State:      env.State,
				Message:    redact.String("success without the expected payload: "+envelope.Excerpt(env.Payload), secrets...),
				HTTPStatus: resp.Status,
			}
		}
	}
	return nil
}
