package kanfang

import (
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/envelope"
	"github.com/fangsdk/fang/internal/placement"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/sign"
)

const (
	stateOK          = 200
	stateServerError = 500 // 服务器内部错误: the server failed, perhaps after acting
)

// protocol is what 123kanfang brings to the call package (call.API): where
// the token goes, strong validation, the state envelope and *Error.
type protocol struct {
	base      string // the base URL, paths are appended to it
	placement auth.Placement
	signKey   string
	now       func() time.Time
}

// Encode is the form (POST) or query (GET) of in: nil, url.Values, or a
// struct with `url` tags.
func (p *protocol) Encode(_ string, in any) (url.Values, []byte, error) {
	v, err := call.Values(in)
	return v, nil, err
}

// Build places token (none when "") where the client sends it and signs
// the values sent: the one route of every kanfang request. The parameters
// go in the form of a POST and the query of a GET; they are copied only
// when the token joins them (req.Params may be the caller's, given to Do).
func (p *protocol) Build(req *call.Request, token string) (*wire.Call, error) {
	spec := req.Spec
	var header http.Header
	if spec.Method == http.MethodPost {
		header = wire.NewHeader("Accept", "application/json", "Content-Type", "application/x-www-form-urlencoded")
	} else {
		header = wire.NewHeader("Accept", "application/json")
	}
	values := req.Params
	if values == nil {
		values = url.Values{}
	}
	var query, form url.Values
	if spec.Method == http.MethodPost {
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
			return nil, p.Error(call.Failure{Msg: err.Error(), Meta: call.Meta{Op: spec.Op, Cause: err}})
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
	wc := &wire.Call{
		Op:         spec.Op,
		Method:     spec.Method,
		URL:        p.base + spec.Path,
		Header:     header,
		RawQuery:   query.Encode(),
		Idempotent: spec.Idempotent,
	}
	if form != nil {
		wc.Body = wire.EncodeForm(form)
	}
	return wc, nil
}

// cloneValues copies v's map (the value slices are shared: they are only
// read).
func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v)+1)
	maps.Copy(out, v)
	return out
}

// Decode maps an HTTP answer to its payload or to the failure it is. The
// status comes first: a non-2xx answer is never a success, whatever its
// body says. Every message quoted from the server goes through q.
//
// Any 5xx answer, whatever its body says (a gateway's page, the platform
// failing part-way), state 500 (服务器内部错误: an exception inside the
// platform, which may come after it acted) unless under a 4xx, and a body
// that is not the platform's envelope on a success (a proxy's page, a
// body cut short) do not say whether the call was carried out: its
// outcome is unknown. A 4xx answer refused the request; any other error
// envelope under a 2xx (401, 403, 4011) is the platform's refusal.
func (p *protocol) Decode(req *call.Request, _ *wire.Call, resp *wire.Response, q call.Quoter) (*call.Answer, *call.Failure) {
	env, ok := envelope.DecodeKanfang(resp.Body)
	var msg string
	switch {
	case !ok:
		msg = q.Quote(resp.Body)
	case env.State != stateOK:
		msg = q.Quote([]byte(envelope.Text(env.Payload)))
	case resp.Status/100 != 2:
		msg = "a success envelope with an error status"
	default:
		return &call.Answer{Body: resp.Body, Data: env.Payload, Code: env.State, Enveloped: true}, nil
	}
	return nil, &call.Failure{Code: env.State, Msg: msg, HTTPStatus: resp.Status, Meta: call.Meta{
		Login:   req.Spec.Path == PathGetAccessToken, // GetAccessToken, or Do reaching it
		Unknown: resp.Status >= 500 || resp.Status/100 != 4 && (!ok || env.State == stateServerError),
	}}
}

// Rejected: state 401 means the token was refused before anything ran —
// unless it came under an HTTP 5xx status: a gateway's page whose body
// says 401 does not say that nothing ran, and sending again could repeat
// a call that did.
func (p *protocol) Rejected(f *call.Failure) bool {
	return f.Code == 401 && f.HTTPStatus < 500
}
