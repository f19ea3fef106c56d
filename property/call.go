package property

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/envelope"
	"github.com/fangsdk/fang/internal/redact"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/sign"
)

// request is one HC call before signing.
type request struct {
	op     string // service code, for errors and logs
	url    string
	body   []byte // the JSON body, signed and sent as is
	userID string // user-id header; "" for none
}

// call authenticates, signs, sends and decodes req. A session the gateway
// rejects (HTTP 401, before the command runs) is renewed once, when the
// token source can renew, and the call repeated once with a new
// transaction-id. It returns the envelope's data on success.
func (c *Client) call(ctx context.Context, req request) (json.RawMessage, string, error) {
	if c.tokens == nil {
		return nil, "", configError("%s needs a session: give WithToken or WithCredentials", req.op)
	}
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return nil, "", &Error{op: req.op, Msg: "obtaining a session token: " + err.Error(), cause: err}
	}
	data, txID, err := c.send(ctx, req, tok.Value)
	renewer, ok := c.tokens.(auth.Renewer)
	if !ok || !errors.Is(err, ErrUnauthorized) {
		return data, txID, err
	}
	if tok, err = renewer.Renew(ctx, tok); err != nil {
		return nil, txID, &Error{op: req.op, Msg: "renewing the rejected session: " + err.Error(), TransactionID: txID, cause: err}
	}
	return c.send(ctx, req, tok.Value)
}

// send signs req with a new transaction-id and sends it once (the engine
// only repeats it when nothing can have reached the server). token "" sends
// no Authorization header.
func (c *Client) send(ctx context.Context, req request, token string) (json.RawMessage, string, error) {
	now := c.now()
	txID := c.ids.NextAt(now)
	reqTime := sign.ReqTime(now)
	header := make(http.Header, 9)
	header.Set("Content-Type", "application/json")
	header.Set("Accept", "application/json")
	header.Set("app-id", c.appID)
	header.Set("transaction-id", txID)
	header.Set("req-time", reqTime)
	header.Set("sign", sign.MicroCommunityBytes(txID, reqTime, c.appID, req.body, c.securityCode))
	if req.userID != "" {
		header.Set("user-id", req.userID)
	}
	if token != "" {
		if err := auth.InHeader.Place(auth.Carrier{Header: header}, "Bearer "+token); err != nil {
			return nil, txID, &Error{op: req.op, Msg: err.Error(), TransactionID: txID, cause: err}
		}
	}
	resp, err := c.engine.Do(ctx, &wire.Call{
		Op:            req.op,
		Method:        http.MethodPost,
		URL:           req.url,
		Header:        header,
		Body:          req.body,
		TransactionID: txID,
		// HC calls are never repeated once they may have reached the
		// server: the transaction-id must not repeat, and saveProperty is
		// not idempotent.
		Idempotent: false,
	})
	if err != nil {
		return nil, txID, c.transportError(req.op, txID, err, token)
	}
	data, err := c.decode(req.op, txID, resp, token)
	return data, txID, err
}

// transportError turns an engine failure into an *Error, flagging the
// outcome unknown when the request may have reached the server.
func (c *Client) transportError(op, txID string, err error, token string) error {
	var se *wire.SendError
	unknown := errors.As(err, &se) && se.Sent
	var be *wire.BodyError
	if errors.As(err, &be) {
		unknown = true
	}
	var re *wire.RedirectError
	if errors.As(err, &re) {
		unknown = false // a redirect answer means the command did not run here
	}
	return &Error{
		op:            op,
		Msg:           redact.String(err.Error(), token, c.securityCode),
		TransactionID: txID,
		cause:         err,
		unknown:       unknown,
	}
}

// decode maps an HTTP answer to the envelope's data or an *Error.
func (c *Client) decode(op, txID string, resp *wire.Response, token string) (json.RawMessage, error) {
	env, ok := envelope.DecodeHC(resp.Body)
	if !ok {
		return nil, &Error{
			op:            op,
			Msg:           redact.String(envelope.Excerpt(resp.Body), token, c.securityCode),
			HTTPStatus:    resp.Status,
			TransactionID: txID,
			// A gateway's error page (502, 504, ...) says nothing about
			// whether the backend ran the command.
			unknown: resp.Status >= 500,
		}
	}
	if env.Code != 0 {
		return nil, &Error{
			op:            op,
			Code:          env.Code,
			Msg:           redact.String(env.Msg, token, c.securityCode),
			HTTPStatus:    resp.Status,
			TransactionID: txID,
		}
	}
	return env.Data, nil
}
