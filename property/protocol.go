package property

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/envelope"
	"github.com/fangsdk/fang/internal/placement"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/sign"
)

// protocol is what HC brings to package call: the JSON body or query, the
// signed headers with a fresh transaction-id on every attempt, the code
// envelope, what a rejected session looks like, and the *Error.
type protocol struct {
	base         string // the base URL, paths are appended to it
	appID        string
	securityCode string
	userID       string // the user-id header of calls with a session; "" for none
	ids          *sign.TransactionIDGenerator
	now          func() time.Time
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

// contentJSON is the Content-Type and Accept of every request.
const contentJSON = "application/json"

// Encode turns in into a GET's query (nil, url.Values, or a struct with
// `url` tags) or a POST's JSON body ([]byte and json.RawMessage as they
// are, nil as {}, anything else marshalled).
func (p *protocol) Encode(method string, in any) (url.Values, []byte, error) {
	if method == http.MethodGet {
		v, err := call.Values(in)
		return v, nil, err
	}
	switch v := in.(type) {
	case nil:
		return nil, []byte("{}"), nil
	case []byte:
		return nil, v, nil
	case json.RawMessage:
		return nil, v, nil
	}
	b, err := json.Marshal(in)
	return nil, b, err
}

// Build signs req with a new transaction-id: the one route of every HC
// request. A POST sends req.Body as its JSON body; a GET sends req.Params
// as the query, names sorted, and signs "?" and the decoded query. Each
// further attempt (only a GET's, or one that cannot have been sent) is
// signed anew with a new transaction-id and req-time. token "" sends no
// Authorization header; such a call (the login) goes with user-id -1, as
// HC's own web app sends it.
func (p *protocol) Build(req *call.Request, token string) (*wire.Call, error) {
	spec := req.Spec
	userID := p.userID
	if token == "" {
		userID = "-1"
	}
	kv := []string{"Accept", contentJSON, "Content-Type", contentJSON, hdrAppID, p.appID, hdrUserID, userID}
	if spec.Method != http.MethodPost {
		// The session filter then answers a rejected session with 401,
		// not with a redirect to its login page.
		kv[2], kv[3] = "X-Requested-With", "XMLHttpRequest"
	}
	if userID == "" {
		kv = kv[:6]
	}
	header := wire.NewHeader(kv...)
	if token != "" {
		if err := placement.Place(tokenPlacement, placement.Carrier{Header: header}, tokenScheme+token); err != nil {
			return nil, &Error{Msg: err.Error(), meta: call.Meta{Op: spec.Op, Cause: err}}
		}
	}
	wc := &wire.Call{Op: spec.Op, Method: spec.Method, URL: p.base + spec.Path, Header: header, Idempotent: spec.Idempotent}
	payload := req.Body
	if spec.Method == http.MethodPost {
		wc.Body = req.Body
	} else {
		wc.RawQuery = req.Params.Encode()
		payload = []byte(sign.MicroCommunityQuery(wc.RawQuery))
	}
	wc.Resign = func(wc *wire.Call) { p.sign(wc, payload) }
	p.sign(wc, payload)
	return wc, nil
}

// sign gives wc a new transaction-id and req-time and signs payload (the
// body of a POST, "?" and the decoded query of a GET).
func (p *protocol) sign(wc *wire.Call, payload []byte) {
	now := p.now()
	txID := p.ids.NextAt(now)
	reqTime := sign.ReqTime(now)
	wc.TransactionID = txID
	wire.SetHeaders(wc.Header, hdrTransactionID, txID, hdrReqTime, reqTime,
		hdrSign, sign.MicroCommunityBytes(txID, reqTime, p.appID, payload, p.securityCode))
}

// Decode maps an HTTP answer to an Answer or a Failure. The status comes
// first: a non-2xx answer is never a success, whatever its body says.
// Every message quoted is scrubbed of q's secrets before it is cut. A 2xx
// body without a code is an Answer that is not Enveloped: the endpoint
// decides what it means.
func (p *protocol) Decode(req *call.Request, _ *wire.Call, resp *wire.Response, q call.Quoter) (*call.Answer, *call.Failure) {
	login := req.Spec.Path == "/app/"+ServiceLogin // Login, or Do reaching the same service
	fail := func(code int, msg string) *call.Failure {
		return &call.Failure{Code: code, Msg: q.Quote([]byte(msg)), HTTPStatus: resp.Status, Meta: call.Meta{Login: login}}
	}
	env, ok := envelope.DecodeHC(resp.Body)
	if resp.Status/100 != 2 {
		switch {
		case resp.Status == http.StatusUnauthorized:
			return nil, fail(0, string(resp.Body)) // the session filter, or an older login
		case ok && env.Code == 404 && resp.Status == http.StatusInternalServerError && strings.HasPrefix(env.Msg, "请求发生异常，"):
			return nil, fail(env.Code, env.Msg) // AppController: a definite failure
		}
		f := fail(0, string(resp.Body))
		if ok && env.Code != 0 {
			f = fail(env.Code, env.Msg)
		}
		// A gateway's error page says nothing about whether the command
		// ran, whatever its body says (a 1996 or a refused login in a
		// 502 is not the session filter's answer); a 4xx means it was
		// refused.
		f.Unknown = resp.Status >= 500
		return nil, f
	}
	if !ok {
		if code, msg, ok := sessionRejected(resp.Body); ok {
			return nil, fail(code, msg)
		}
		return &call.Answer{Body: resp.Body, Data: resp.Body}, nil
	}
	if env.Code != 0 {
		f := fail(env.Code, env.Msg)
		f.Unknown = env.Code == 404 && unknownOutcome(env.Msg)
		return nil, f
	}
	return &call.Answer{Body: resp.Body, Data: resp.Body, Code: env.Code, Msg: env.Msg, Enveloped: true}, nil
}

// Rejected: the session filter's 1996 answer on a 2xx, or HTTP 401, to a
// call with a session: nothing ran, so renewing the session and sending
// again is safe. An answer whose outcome is unknown (a 502 whose body
// says 1996, say) never is, nor is a refused login.
func (p *protocol) Rejected(f *call.Failure) bool { return sessionRefused(f) }

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
