package kanfang

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/envelope"
	"github.com/fangsdk/fang/internal/pipeline"
	"github.com/fangsdk/fang/internal/placement"
	"github.com/fangsdk/fang/internal/redact"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/sign"
)

const stateOK = 200

// protocol is what 123kanfang brings to the call pipeline: where the token
// goes, strong validation, and the state envelope.
type protocol struct {
	placement auth.Placement
	signKey   string
	now       func() time.Time
	// credentials are what no error may quote besides the pipeline's
	// secrets: the authValue of WithCredentials, set before the client
	// is used.
	credentials []string
}

// answer is the payload of a state-200 answer.
type answer struct {
	payload  json.RawMessage
	status   int
	attempts int
}

// Build places token (none when "") where the client sends it and signs
// the values sent: the one route of every kanfang request. The parameters
// go in the form of a POST and the query of a GET; they are copied only
// when the token joins them (req.Params may be the caller's, given to Do).
func (p *protocol) Build(req *pipeline.Request, token string) (*wire.Call, error) {
	ep := req.Endpoint
	var header http.Header
	if ep.Method == http.MethodPost {
		header = wire.NewHeader("Accept", "application/json", "Content-Type", "application/x-www-form-urlencoded")
	} else {
		header = wire.NewHeader("Accept", "application/json")
	}
	values := req.Params
	if values == nil {
		values = url.Values{}
	}
	var query, form url.Values
	if ep.Method == http.MethodPost {
		form = values
	} else {
		query = values
	}
	if token != "" {
		// The placement follows the method, as the platform reads it: a
		// query placement on a POST travels in the form (a token never
		// goes in a POST's URL, which access logs record), a form
		// placement on a GET in the query.
		place := p.placement
		switch {
		case place != auth.InForm && place != auth.InQuery:
		case form != nil:
			place, form = auth.InForm, cloneValues(form)
		default:
			place, query = auth.InQuery, cloneValues(query)
		}
		if err := placement.Place(place, placement.Carrier{Header: header, Query: query, Form: form}, token); err != nil {
			return nil, transportError(ep.Op, err)
		}
	}
	if p.signKey != "" {
		// The platform signs every value it receives: all form values of
		// a POST, all query values of a GET, a token placed there
		// included.
		signed := query
		if form != nil {
			signed = form
		}
		ts := p.now().UnixMilli()
		wire.SetHeaders(header, "timestamp", strconv.FormatInt(ts, 10), "sign", sign.Kanfang(p.signKey, signed, ts))
	}
	call := &wire.Call{
		Op:         ep.Op,
		Method:     ep.Method,
		URL:        ep.URL(),
		Header:     header,
		RawQuery:   query.Encode(),
		Idempotent: ep.Idempotent,
	}
	if form != nil {
		call.Body = wire.EncodeForm(form)
	}
	return call, nil
}

// cloneValues copies v's map (the value slices are shared: they are only
// read).
func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v)+1)
	maps.Copy(out, v)
	return out
}

// Decode maps an HTTP answer to its payload or to an *Error. The status
// comes first: a non-2xx answer is never a success, whatever its body
// says. Secrets are scrubbed from any message quoted from the server.
func (p *protocol) Decode(req *pipeline.Request, _ *wire.Call, resp *wire.Response, s pipeline.Secrets) (answer, error) {
	op := req.Endpoint.Op
	login := req.Endpoint.Path == PathGetAccessToken // GetAccessToken, or Do reaching it
	// quote scrubs every secret, then cuts: no secret straddles the cut.
	quote := func(text []byte) string { return redact.Excerpt(text, append(s.All(), p.credentials...)...) }
	fail := func(state int, msg string) error {
		return &Error{op: op, State: state, Message: msg, HTTPStatus: resp.Status, attempts: resp.Attempts, login: login}
	}
	env, ok := envelope.DecodeKanfang(resp.Body)
	switch {
	case !ok:
		return answer{}, fail(0, quote(resp.Body))
	case env.State != stateOK:
		return answer{}, fail(env.State, quote([]byte(envelope.Text(env.Payload))))
	case resp.Status/100 != 2:
		return answer{}, fail(env.State, "a success envelope with an error status")
	}
	return answer{payload: env.Payload, status: resp.Status, attempts: resp.Attempts}, nil
}

// into decodes the payload into out. A payload of the wrong shape is
// described, never quoted (it may hold new tokens).
func (a answer) into(op string, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(a.payload, out); err != nil {
		return a.fail(op, "success without the expected payload: "+jsonErrorKind(err))
	}
	return nil
}

// fail is the *Error of a state-200 answer that is not the success it
// should be.
func (a answer) fail(op, msg string) *Error {
	return &Error{op: op, State: stateOK, Message: msg, HTTPStatus: a.status, attempts: a.attempts}
}

// Failed is the *Error of a call that got no usable answer.
func (p *protocol) Failed(req *pipeline.Request, _ *wire.Call, err error, _ pipeline.Secrets) error {
	return transportError(req.Endpoint.Op, err)
}

// Rejected: state 401 means the token was refused before anything ran —
// unless it came under an HTTP 5xx status: a gateway's page whose body
// says 401 does not say that nothing ran, and sending again could repeat
// a call that did.
func (p *protocol) Rejected(err error) bool {
	var kerr *Error
	return errors.Is(err, ErrUnauthorized) && errors.As(err, &kerr) && kerr.HTTPStatus < 500
}

// TokenError is the error of a call whose token could not be had: a
// failed login or refresh is returned as its own *Error (errors.As reaches
// the server's answer); anything else is wrapped in one.
func (p *protocol) TokenError(op, doing string, err error) error {
	if _, ok := errors.AsType[*Error](err); ok {
		return err
	}
	return &Error{op: op, Message: doing + ": " + err.Error(), cause: err}
}

// NoTokens is the error of a call that needs a token on a client without
// one: an *Error matching ErrConfig. Nothing was sent.
func (p *protocol) NoTokens(op string) error {
	return &Error{op: op, Message: "no token: give WithToken or WithCredentials to NewClient", cause: ErrConfig}
}

// jsonErrorKind describes a decoding error without quoting the input.
func jsonErrorKind(err error) string {
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		if te.Field == "" {
			return "the payload is a JSON " + te.Value
		}
		return fmt.Sprintf("field %q is a JSON %s", te.Field, te.Value)
	}
	return "the payload is not valid JSON"
}
