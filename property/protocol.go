package property

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/envelope"
	"github.com/fangsdk/fang/internal/pipeline"
	"github.com/fangsdk/fang/internal/placement"
	"github.com/fangsdk/fang/internal/redact"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/sign"
)

// protocol is what HC brings to the call pipeline: the signed headers
// with a fresh transaction-id on every attempt, the code envelope, and
// what a rejected session looks like.
type protocol struct {
	appID        string
	securityCode string
	userID       string // the user-id header of calls with a session; "" for none
	ids          *sign.TransactionIDGenerator
	now          func() time.Time
	// credentials are what no error may quote besides the pipeline's
	// secrets: the password of WithCredentials and its hash, set before
	// the client is used.
	credentials []string
}

// secrets are every value an error built from one answer must not quote:
// the pipeline's (token, security code, the request's own) and the
// client's credentials.
type secrets struct {
	pipe  pipeline.Secrets
	extra []string
}

// all lists every secret; it allocates, so it is called on failure paths
// only.
func (s secrets) all() []string { return append(s.pipe.All(), s.extra...) }

// quote is what an error may show of text from the server: every secret
// scrubbed, in every encoding redact knows, then cut to an excerpt —
// scrubbed first, so that no secret straddling the cut leaks its
// beginning. It is the one way server text becomes error text.
func (s secrets) quote(text []byte) string { return redact.Excerpt(text, s.all()...) }

// Canonical spellings of the HC header names, what Header.Set makes of
// "app-id" and the others (the server lower-cases names anyway).
const (
	hdrAppID         = "App-Id"
	hdrTransactionID = "Transaction-Id"
	hdrReqTime       = "Req-Time"
	hdrSign          = "Sign"
	hdrUserID        = "User-Id"
)

// contentJSON is the Content-Type and Accept of every request.
const contentJSON = "application/json"

// answer is a successful HTTP answer to one attempt.
type answer struct {
	env    envelope.HC
	hasEnv bool // the body was an HC envelope (with code 0)
	body   []byte
	status int
	txID   string
	sec    secrets // to quote body in an error
}

// excerpt is what an error may quote of the answer's body: secrets
// scrubbed, then cut.
func (a *answer) excerpt() string { return a.sec.quote(a.body) }

// Build signs req with a new transaction-id: the one route of every HC
// request. A POST sends req.Body as its JSON body; a GET sends req.Params
// as the query, names sorted, and signs "?" and the decoded query. Each
// further attempt (only a GET's, or one that cannot have been sent) is
// signed anew with a new transaction-id and req-time. token "" sends no
// Authorization header; such a call (the login) goes with user-id -1, as
// HC's own web app sends it.
func (p *protocol) Build(req *pipeline.Request, token string) (*wire.Call, error) {
	ep := req.Endpoint
	userID := p.userID
	if token == "" {
		userID = "-1"
	}
	kv := [...]string{"Accept", contentJSON, "Content-Type", contentJSON, hdrAppID, p.appID, hdrUserID, userID}
	if ep.Method != http.MethodPost {
		// The session filter then answers a rejected session with 401,
		// not with a redirect to its login page.
		kv[2], kv[3] = "X-Requested-With", "XMLHttpRequest"
	}
	n := len(kv)
	if userID == "" {
		n -= 2
	}
	header := wire.NewHeader(kv[:n]...)
	if token != "" {
		if err := placement.Place(auth.InHeader, placement.Carrier{Header: header}, "Bearer "+token); err != nil {
			return nil, &Error{op: ep.Op, Msg: err.Error(), cause: err}
		}
	}
	call := &wire.Call{Op: ep.Op, Method: ep.Method, URL: ep.URL(), Header: header, Idempotent: ep.Idempotent}
	payload := req.Body
	if ep.Method == http.MethodPost {
		call.Body = req.Body
	} else {
		call.RawQuery, payload = encodeQuery(req.Params)
	}
	call.Resign = func(call *wire.Call) { p.sign(call, payload) }
	p.sign(call, payload)
	return call, nil
}

// encodeQuery returns the query to send, names sorted, and what the sign
// covers: "?" and the same pairs decoded ("" when empty).
func encodeQuery(values url.Values) (encoded string, signed []byte) {
	encoded = values.Encode()
	return encoded, []byte(sign.MicroCommunityQuery(encoded))
}

// sign gives call a new transaction-id and req-time and signs payload (the
// body of a POST, "?" and the decoded query of a GET).
func (p *protocol) sign(call *wire.Call, payload []byte) {
	now := p.now()
	txID := p.ids.NextAt(now)
	reqTime := sign.ReqTime(now)
	call.TransactionID = txID
	wire.SetHeaders(call.Header, hdrTransactionID, txID, hdrReqTime, reqTime,
		hdrSign, sign.MicroCommunityBytes(txID, reqTime, p.appID, payload, p.securityCode))
}

// Failed is the *Error of a call that got no usable answer.
func (p *protocol) Failed(req *pipeline.Request, call *wire.Call, err error, s pipeline.Secrets) error {
	return transportError(req.Endpoint.Op, call.TransactionID, err, secrets{s, p.credentials})
}

// Decode maps an HTTP answer to an *answer or an *Error.
func (p *protocol) Decode(req *pipeline.Request, call *wire.Call, resp *wire.Response, s pipeline.Secrets) (*answer, error) {
	return decode(req.Endpoint, call.TransactionID, resp, secrets{s, p.credentials})
}

// Rejected: the session filter's 1996 answer on a 2xx, or HTTP 401, to a
// call with a session: nothing ran, so renewing the session and sending
// again is safe. An answer whose outcome is unknown (a 502 whose body
// says 1996, say) never is, nor is a refused login.
func (p *protocol) Rejected(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.sessionRejected()
}

// TokenError is the error of a call whose session could not be had. A
// failed login is returned as it is (the login's own *Error, its code,
// message and transaction-id), so that errors.As reaches the server's
// answer; any other failure is wrapped.
func (p *protocol) TokenError(op, doing string, err error) error {
	if _, ok := errors.AsType[*Error](err); ok {
		return err
	}
	return &Error{op: op, Msg: doing + ": " + redact.Excerpt([]byte(err.Error()), append([]string{p.securityCode}, p.credentials...)...), cause: err}
}

// NoTokens is the error of a call that needs a session on a client without
// a token source: an *Error matching ErrConfig. Nothing was sent.
func (p *protocol) NoTokens(op string) error {
	return &Error{op: op, Msg: "no session: give WithToken or WithCredentials to NewClient", cause: ErrConfig}
}

// transportError turns an engine failure into an *Error, flagging the
// outcome unknown when the request may have reached the server.
func transportError(op, txID string, err error, s secrets) error {
	var se *wire.SendError
	unknown := errors.As(err, &se) && se.Sent
	if _, ok := errors.AsType[*wire.BodyError](err); ok {
		unknown = true
	}
	if _, ok := errors.AsType[*wire.RedirectError](err); ok {
		unknown = false // a redirect answer means the command did not run here
	}
	e := &Error{
		op:            op,
		Msg:           s.quote([]byte(err.Error())),
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
// Every message quoted is scrubbed of s's secrets before it is cut.
func decode(ep *pipeline.Endpoint, txID string, resp *wire.Response, s secrets) (*answer, error) {
	login := ep.Path == "/app/"+ServiceLogin // Login, or Do reaching the same service
	fail := func(code int, msg string) *Error {
		return &Error{op: ep.Op, Code: code, Msg: s.quote([]byte(msg)), HTTPStatus: resp.Status, TransactionID: txID,
			attempts: resp.Attempts, login: login}
	}
	env, ok := envelope.DecodeHC(resp.Body)
	if resp.Status/100 != 2 {
		switch {
		case resp.Status == http.StatusUnauthorized:
			return nil, fail(0, string(resp.Body)) // the session filter, or an older login
		case ok && env.Code == 404 && resp.Status == http.StatusInternalServerError && strings.HasPrefix(env.Msg, "请求发生异常，"):
			return nil, fail(env.Code, env.Msg) // AppController: a definite failure
		}
		e := fail(0, string(resp.Body))
		if ok && env.Code != 0 {
			e = fail(env.Code, env.Msg)
		}
		// A gateway's error page says nothing about whether the command
		// ran, whatever its body says (a 1996 or a refused login in a
		// 502 is not the session filter's answer); a 4xx means it was
		// refused.
		e.unknown = resp.Status >= 500
		return nil, e
	}
	if !ok {
		if code, msg, ok := sessionRejected(resp.Body); ok {
			return nil, fail(code, msg)
		}
		return &answer{body: resp.Body, status: resp.Status, txID: txID, sec: s}, nil // the caller decides what a body without code means
	}
	if env.Code != 0 {
		e := fail(env.Code, env.Msg)
		e.unknown = env.Code == 404 && unknownOutcome(env.Msg)
		return nil, e
	}
	return &answer{env: env, hasEnv: true, body: resp.Body, status: resp.Status, txID: txID, sec: s}, nil
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
