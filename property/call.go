package property

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/envelope"
	"github.com/fangsdk/fang/internal/redact"
	"github.com/fangsdk/fang/internal/session"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/sign"
)

// request is one HC call before signing.
type request struct {
	op      string // the Go method, for errors and logs
	service string // the service code, for logs
	method  string // "" means POST
	url     string
	body    []byte // the JSON body (POST) or "?"+decoded query (GET), signed and sent as is
	query   string // the encoded query of a GET
	userID  string // user-id header; "" for none
	secrets []string
}

// call authenticates, signs, sends and decodes req. A session the gateway
// rejects (the session filter's 1996 answer, or HTTP 401: nothing ran) is
// renewed once, when the token source can renew, and the call repeated
// once with a new transaction-id. It returns the envelope's data on
// success.
func (c *Client) call(ctx context.Context, req request) (*answer, error) {
	if c.tokens == nil {
		return nil, configError("%s needs a session: give WithToken or WithCredentials", req.op)
	}
	var ans *answer
	err := session.Do(ctx, c.tokens, session.Hooks{
		Send: func(ctx context.Context, token string) error {
			var err error
			ans, err = c.send(ctx, req, token)
			return err
		},
		Rejected:   func(err error) bool { return errors.Is(err, ErrUnauthorized) },
		TokenError: func(doing string, err error) error { return c.tokenError(req.op, doing, err) },
	})
	if err != nil {
		return nil, err
	}
	return ans, nil
}

// tokenError is the error of a call whose session could not be had. A
// failed login is returned as it is (the login's own *Error, its code,
// message and transaction-id), so that errors.As reaches the server's
// answer; any other failure is wrapped.
func (c *Client) tokenError(op, doing string, err error) error {
	var perr *Error
	if errors.As(err, &perr) {
		return err
	}
	return &Error{op: op, Msg: doing + ": " + redact.Excerpt([]byte(err.Error()), c.securityCode), cause: err}
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

// jsonValue is the Content-Type and Accept value, shared by every request:
// net/http only reads a request's header values, and the three-index
// slices make any append copy.
var jsonValue = []string{"application/json"}

// answer is a successful HTTP answer to one attempt.
type answer struct {
	env    envelope.HC
	hasEnv bool // the body was an HC envelope (with code 0)
	body   []byte
	status int
	txID   string
}

// send signs req with a new transaction-id and sends it. A POST is sent
// once (the engine repeats it only when nothing can have reached the
// server); a GET is idempotent and may be retried, each attempt with a new
// transaction-id, req-time and sign. token "" sends no Authorization
// header.
func (c *Client) send(ctx context.Context, req request, token string) (*answer, error) {
	method := req.method
	if method == "" {
		method = http.MethodPost
	}
	header := make(http.Header, 9)
	header["Accept"] = jsonValue[:1:1]
	if method == http.MethodPost {
		header["Content-Type"] = jsonValue[:1:1]
	} else {
		// The session filter then answers a rejected session with 401,
		// not with a redirect to its login page.
		header["X-Requested-With"] = []string{"XMLHttpRequest"}
	}
	header[hdrAppID] = []string{c.appID}
	if req.userID != "" {
		header[hdrUserID] = []string{req.userID}
	}
	if token != "" {
		if err := auth.InHeader.Place(auth.Carrier{Header: header}, "Bearer "+token); err != nil {
			return nil, &Error{op: req.op, Msg: err.Error(), cause: err}
		}
	}
	call := &wire.Call{
		Op:     req.service,
		Method: method,
		URL:    req.url,
		Header: header,
		// A POST is never repeated once it may have reached the server
		// (saveProperty is not idempotent); a GET only reads.
		Idempotent: method == http.MethodGet,
		Resign:     func(call *wire.Call) { c.sign(call, req.body) },
	}
	c.sign(call, req.body)
	if method == http.MethodPost {
		call.Body = req.body
	} else {
		call.RawQuery = req.query
	}
	secrets := append([]string{token, c.securityCode}, req.secrets...)
	resp, err := c.engine.Do(ctx, call)
	if err != nil {
		return nil, transportError(req.op, call.TransactionID, err, secrets)
	}
	return decode(req.op, call.TransactionID, resp, secrets)
}

// sign gives call a new transaction-id and req-time and signs payload (the
// body of a POST, "?" and the decoded query of a GET).
func (c *Client) sign(call *wire.Call, payload []byte) {
	now := c.now()
	txID := c.ids.NextAt(now)
	reqTime := sign.ReqTime(now)
	call.TransactionID = txID
	call.Header[hdrTransactionID] = []string{txID}
	call.Header[hdrReqTime] = []string{reqTime}
	call.Header[hdrSign] = []string{sign.MicroCommunityBytes(txID, reqTime, c.appID, payload, c.securityCode)}
}

// transportError turns an engine failure into an *Error, flagging the
// outcome unknown when the request may have reached the server.
func transportError(op, txID string, err error, secrets []string) error {
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
	e := &Error{
		op:            op,
		Msg:           redact.Excerpt([]byte(err.Error()), secrets...),
		TransactionID: txID,
		cause:         err,
		unknown:       unknown,
	}
	if se != nil {
		e.attempts = se.Attempts
	}
	return e
}

// decode maps an HTTP answer to an *answer or an *Error. The status comes
// first: a non-2xx answer is never a success, whatever its body says.
func decode(op, txID string, resp *wire.Response, secrets []string) (*answer, error) {
	fail := func(code int, msg string) *Error {
		return &Error{op: op, Code: code, Msg: redact.Excerpt([]byte(msg), secrets...), HTTPStatus: resp.Status, TransactionID: txID}
	}
	env, ok := envelope.DecodeHC(resp.Body)
	if resp.Status/100 != 2 {
		switch {
		case resp.Status == http.StatusUnauthorized:
			return nil, fail(0, envelope.Excerpt(resp.Body)) // the session filter, or an older login
		case ok && env.Code == 404 && resp.Status == http.StatusInternalServerError && strings.HasPrefix(env.Msg, "请求发生异常，"):
			return nil, fail(env.Code, env.Msg) // AppController: a definite failure
		}
		e := fail(0, string(resp.Body))
		if ok && env.Code != 0 {
			e = fail(env.Code, env.Msg)
		}
		// A gateway's error page says nothing about whether the command
		// ran; a 4xx means it was refused.
		e.unknown = resp.Status >= 500
		return nil, e
	}
	if !ok {
		if code, msg, ok := sessionRejected(resp.Body); ok {
			return nil, fail(code, msg)
		}
		return &answer{body: resp.Body, status: resp.Status, txID: txID}, nil // the caller decides what a body without code means
	}
	if env.Code != 0 {
		e := fail(env.Code, env.Msg)
		e.unknown = env.Code == 404 && unknownOutcome(env.Msg)
		return nil, e
	}
	return &answer{env: env, hasEnv: true, body: resp.Body, status: resp.Status, txID: txID}, nil
}

// sessionRejected recognises the session filter's answer
// {"meta":{"code":"1996","message":"您还没有登录，请先登录",...}}.
func sessionRejected(body []byte) (int, string, bool) {
	var v struct {
		Meta *struct {
			Code    json.RawMessage `json:"code"`
			Message string          `json:"message"`
		} `json:"meta"`
	}
	if json.Unmarshal(body, &v) != nil || v.Meta == nil {
		return 0, "", false
	}
	code := strings.Trim(string(v.Meta.Code), `"`)
	if code != strconv.Itoa(SessionRejectedCode) {
		return 0, "", false
	}
	return SessionRejectedCode, v.Meta.Message, true
}
