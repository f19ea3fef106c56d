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

// Canonical spellings of the HC header names, what Header.Set makes of
// "app-id" and the others (the server lower-cases names anyway).
const (
	hdrAppID         = "App-Id"
	hdrTransactionID = "Transaction-Id"
	hdrReqTime       = "Req-Time"
	hdrSign          = "Sign"
	hdrUserID        = "User-Id"
)

// jsonValue is the Content-Type and Accept value of every request, shared:
// net/http only reads a request's header values, and the three-index
// slices below make any append copy.
var jsonValue = []string{"application/json"}

// send signs req with a new transaction-id and sends it once (the engine
// only repeats it when nothing can have reached the server). token "" sends
// no Authorization header.
func (c *Client) send(ctx context.Context, req request, token string) (json.RawMessage, string, error) {
	now := c.now()
	txID := c.ids.NextAt(now)
	reqTime := sign.ReqTime(now)
	// The header is built as Header.Set would build it, without its
	// per-call costs: the names are written in their canonical form, and
	// one slice holds the per-call values, each header getting a
	// one-element, full-capacity window of it.
	size := 8
	if req.userID != "" {
		size++
	}
	header := make(http.Header, size)
	vals := make([]string, 5)
	vals[0], vals[1], vals[2] = c.appID, txID, reqTime
	vals[3] = sign.MicroCommunityBytes(txID, reqTime, c.appID, req.body, c.securityCode)
	header["Content-Type"] = jsonValue[:1:1]
	header["Accept"] = jsonValue[:1:1]
	header[hdrAppID] = vals[0:1:1]
	header[hdrTransactionID] = vals[1:2:2]
	header[hdrReqTime] = vals[2:3:3]
	header[hdrSign] = vals[3:4:4]
	if req.userID != "" {
		vals[4] = req.userID
		header[hdrUserID] = vals[4:5:5]
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
		Msg:           redact.Excerpt([]byte(err.Error()), token, c.securityCode),
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
			Msg:           redact.Excerpt(resp.Body, token, c.securityCode),
			HTTPStatus:    resp.Status,
			TransactionID: txID,
			// A gateway's error page (502, 504, ...) says nothing about
			// whether the backend ran the command; a 2xx whose body is not
			// an envelope (cut short, say) may be its success.
			unknown: resp.Status >= 500 || resp.Status/100 == 2,
		}
	}
	if env.Code != 0 {
		return nil, &Error{
			op:            op,
			Code:          env.Code,
			Msg:           redact.Excerpt([]byte(env.Msg), token, c.securityCode),
			HTTPStatus:    resp.Status,
			TransactionID: txID,
		}
	}
	return env.Data, nil
}
