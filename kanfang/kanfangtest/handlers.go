package kanfangtest

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/fangsdk/fang/internal/fakeserver"
	"github.com/fangsdk/fang/sign"
)

// Envelope states the fake answers with.
const (
	StateOK            = 200  // success
	StateUnauthorized  = 401  // token missing, wrong or expired; wrong credentials
	StateRefreshFailed = 4011 // refresh token missing, wrong, used or expired
	StateRejected      = 403  // request rejected (validation, clientEdtion)
	StateNotFound      = 404  // unknown path (HTTP 404)
	StateNotAllowed    = 405  // wrong method on a known path (HTTP 405)
	StateServerError   = 500  // internal error (only through FailNext)
	StateUnavailable   = 503  // the server is closed (HTTP 503)
)

// response is an answer built before it is written.
type response = fakeserver.Response

// handler carries out a request on an endpoint of the fake.
type handler func(s *Server, r *http.Request, body []byte, rec *Request) response

// endpoints are the fake's own endpoints, by path.
var endpoints = map[string]fakeserver.Route[handler]{
	PathGetAccessToken:              {Method: http.MethodGet, Fn: (*Server).getAccessToken},
	PathRefreshToken:                {Method: http.MethodGet, Fn: (*Server).refreshToken},
	PathPutAnjukeBianHao:            {Method: http.MethodPost, Fn: (*Server).putAnjukeBianHao},
	PathAddNewNotifyTaskByPackageID: {Method: http.MethodPost, Fn: (*Server).addNotifyTask},
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.lc.Serve(w, r, fakeserver.Exchange{
		Endpoint: r.URL.Path,
		Closed:   envelope(http.StatusServiceUnavailable, StateUnavailable, "kanfangtest: server closed"),
		Process:  func(rec *Request, body []byte) response { return s.route(r, body, rec) },
		Envelope: func(status, state int, text string) response { return envelope(status, state, text) },
	})
}

// route carries out a request on the endpoint of its path, one of the
// fake's own or one registered with Handle.
func (s *Server) route(r *http.Request, body []byte, rec *Request) response {
	e, ok := s.routes.Lookup(r.URL.Path)
	if !ok {
		return envelope(http.StatusNotFound, StateNotFound, "no such endpoint: "+r.URL.Path)
	}
	if r.Method != e.Method {
		resp := envelope(http.StatusMethodNotAllowed, StateNotAllowed,
			fmt.Sprintf("method %s not allowed on %s; use %s", r.Method, r.URL.Path, e.Method))
		resp.Header = http.Header{"Allow": {e.Method}}
		return resp
	}
	return e.Fn(s, r, body, rec)
}

// envelope is the JSON envelope {"state":…,"payload":…} answered with
// status.
func envelope(status, state int, payload any) response {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep "->" and "<" readable, as the real server does
	if err := enc.Encode(struct {
		State   int `json:"state"`
		Payload any `json:"payload"`
	}{state, payload}); err != nil {
		// Only a Handle function's payload can fail to encode.
		status, state = http.StatusInternalServerError, StateServerError
		buf.Reset()
		buf.WriteString(`{"state":500,"payload":"InnerServerError -> kanfangtest: encoding failed"}`)
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	return response{Status: status, ContentType: "application/json; charset=utf-8", Body: body, Code: state}
}

// reply is an envelope answered with HTTP 200, as every answer of an
// endpoint is.
func reply(state int, payload any) response { return envelope(http.StatusOK, state, payload) }

func (s *Server) getAccessToken(r *http.Request, _ []byte, rec *Request) response {
	q, refused, ok := s.tokenQuery(r, rec, &s.logins)
	if !ok {
		return refused
	}
	keyOK := subtle.ConstantTimeCompare([]byte(q.Get("authKey")), []byte(s.cfg.authKey)) == 1
	valueOK := subtle.ConstantTimeCompare([]byte(q.Get("authValue")), []byte(s.cfg.authValue)) == 1
	if !keyOK || !valueOK || q.Get("authKey") == "" {
		return reply(StateUnauthorized, "authKey or authValue is wrong")
	}
	return reply(StateOK, s.issuePair())
}

func (s *Server) refreshToken(r *http.Request, _ []byte, rec *Request) response {
	q, refused, ok := s.tokenQuery(r, rec, &s.refreshes)
	if !ok {
		return refused
	}
	tok, where := findToken(r, nil, q)
	s.lc.Note(rec, func(rec *Request) { rec.TokenPlacement = where })
	if tok == "" {
		return reply(StateRefreshFailed, "refresh token is missing: send it as the Authorization header, cookie or query parameter")
	}
	s.mu.Lock()
	exp, ok := s.refresh[tok]
	valid := ok && s.Now().Before(exp)
	delete(s.refresh, tok) // used or expired: never valid again
	s.mu.Unlock()
	if !valid {
		return reply(StateRefreshFailed, "refresh token is invalid or expired; log in again")
	}
	return reply(StateOK, s.issuePair())
}

// tokenQuery counts a GetAccessToken or RefreshToken request in *counter,
// parses its query, checks clientEdtion (optional; when given, ps_1.0.0
// once) and notes what the strong-validation headers over every query
// value are worth: the platform signs all query values of a GET.
func (s *Server) tokenQuery(r *http.Request, rec *Request, counter *atomic.Int64) (url.Values, response, bool) {
	counter.Add(1)
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, reply(StateRejected, "malformed query string"), false
	}
	if vs, ok := q["clientEdtion"]; ok && (len(vs) != 1 || vs[0] != ClientEdition) {
		return nil, reply(StateRejected, `clientEdtion must be "`+ClientEdition+`"`), false
	}
	s.noteSign(r, q, rec)
	return q, response{}, true
}

// issuePair mints an access token and a refresh token: the success
// payload of GetAccessToken and RefreshToken.
func (s *Server) issuePair() map[string]any {
	return map[string]any{
		"token":                s.IssueToken(),
		"tokenExpireIn":        int64(s.cfg.tokenLife.Seconds()),
		"refreshToken":         s.IssueRefreshToken(),
		"refreshTokenExpireIn": int64(s.cfg.refreshLife.Seconds()),
	}
}

// findToken returns the first non-empty Authorization value among the
// header, the form (when form is not nil), the cookie and the query.
func findToken(r *http.Request, form, query url.Values) (string, Placement) {
	if v := r.Header.Get("Authorization"); v != "" {
		return v, PlacementHeader
	}
	if v := form.Get("Authorization"); v != "" {
		return v, PlacementForm
	}
	if c, err := r.Cookie("Authorization"); err == nil && c.Value != "" {
		return c.Value, PlacementCookie
	}
	if v := query.Get("Authorization"); v != "" {
		return v, PlacementQuery
	}
	return "", PlacementNone
}

// validAccess reports whether tok is a live access token.
func (s *Server) validAccess(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.access[tok]
	if ok && !s.Now().Before(exp) {
		delete(s.access, tok)
		return false
	}
	return ok
}

// authorize applies the rules of every endpoint that takes an access
// token: a POST's body is a form, the token is valid wherever the method
// lets it travel (never the query of a POST), and with WithSignKey rec
// notes what the strong-validation headers over every value sent (the
// form of a POST, the query of a GET, the token included when it travels
// there) are worth. It returns the request's values without the token, or
// the refusal and false.
func (s *Server) authorize(r *http.Request, body []byte, rec *Request) (url.Values, response, bool) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, reply(StateRejected, "malformed query string"), false
	}
	var form url.Values
	signed, tokenQuery := q, q
	if r.Method == http.MethodPost {
		if msg := checkFormContentType(r.Header.Get("Content-Type")); msg != "" {
			return nil, reply(StateRejected, msg), false
		}
		if len(body) > maxBody {
			return nil, reply(StateRejected, fmt.Sprintf("request body is larger than %d bytes", maxBody)), false
		}
		if form, err = url.ParseQuery(string(body)); err != nil {
			return nil, reply(StateRejected, "malformed form body"), false
		}
		s.lc.Note(rec, func(rec *Request) { rec.Form = withoutToken(form) })
		signed, tokenQuery = form, nil // the platform reads no token in a POST's URL
	}
	s.noteSign(r, signed, rec)
	tok, where := findToken(r, form, tokenQuery)
	s.lc.Note(rec, func(rec *Request) { rec.TokenPlacement = where })
	switch {
	case tok == "" && form != nil && q.Get("Authorization") != "":
		return nil, reply(StateUnauthorized, "token is missing: the query string of a POST is not read; send it as the Authorization header, form field or cookie"), false
	case tok == "":
		return nil, reply(StateUnauthorized, "token is missing: send it as the Authorization header, form field, cookie or query parameter"), false
	case !s.validAccess(tok):
		return nil, reply(StateUnauthorized, "token is invalid or expired"), false
	}
	return withoutToken(signed), response{}, true
}

// withoutToken copies v without its Authorization values.
func withoutToken(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		if k != "Authorization" {
			out[k] = vs
		}
	}
	return out
}

// checkFormContentType returns a message unless ct is
// application/x-www-form-urlencoded, optionally with a utf-8 charset.
func checkFormContentType(ct string) string {
	const want = "Content-Type must be application/x-www-form-urlencoded"
	if ct == "" {
		return want + ", got none"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return want + ", got " + strconv.Quote(ct)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return "charset must be utf-8, got " + strconv.Quote(cs)
	}
	return ""
}

// formField is a field of a package endpoint's form: its name, whether
// it is required, and its limit in characters (Unicode code points).
type formField struct {
	name     string
	required bool
	limit    int
}

// packageForm authorizes a request on an endpoint that acts on a data
// package and reads fields from its form: each at most once, valid UTF-8
// and within its limit, the required ones not empty; check, if not nil,
// may name one more problem. Problems answer state 403 naming every bad
// field, and so does a packageId the fake does not know (every one is
// known without WithPackages). It returns the fields' values by name.
func (s *Server) packageForm(r *http.Request, body []byte, rec *Request, fields []formField, check func(map[string]string) string) (map[string]string, response, bool) {
	form, refused, ok := s.authorize(r, body, rec)
	if !ok {
		return nil, refused, false
	}
	var problems []string
	values := map[string]string{}
	for _, f := range fields {
		switch vs := form[f.name]; {
		case len(vs) == 0 || vs[0] == "":
			if f.required {
				problems = append(problems, f.name+" is required")
			}
		case len(vs) > 1:
			problems = append(problems, f.name+" is given more than once")
		case !utf8.ValidString(vs[0]):
			problems = append(problems, f.name+" is not valid UTF-8")
		case utf8.RuneCountInString(vs[0]) > f.limit:
			problems = append(problems, fmt.Sprintf("%s is longer than %d characters", f.name, f.limit))
		default:
			values[f.name] = vs[0]
		}
	}
	if check != nil {
		if p := check(values); p != "" {
			problems = append(problems, p)
		}
	}
	switch pkg := values["packageId"]; {
	case len(problems) > 0:
		return nil, reply(StateRejected, strings.Join(problems, "; ")), false
	case s.cfg.packages != nil && !s.cfg.packages[pkg]:
		return nil, reply(StateRejected, "unknown packageId: "+pkg), false
	}
	return values, response{}, true
}

// bianHaoPayload is the success payload of putAnjukeBianHao, in the
// platform's member order.
type bianHaoPayload struct {
	PackageID     string `json:"packageId"`
	AnjukeBianHao string `json:"anjukeBianHao"`
}

func (s *Server) putAnjukeBianHao(r *http.Request, body []byte, rec *Request) response {
	v, refused, ok := s.packageForm(r, body, rec, []formField{{"packageId", true, MaxFieldLength}, {"anjukeBianHao", true, MaxFieldLength}}, nil)
	if !ok {
		return refused
	}
	s.mu.Lock()
	s.numbers[v["packageId"]] = v["anjukeBianHao"]
	s.mu.Unlock()
	return reply(StateOK, bianHaoPayload{PackageID: v["packageId"], AnjukeBianHao: v["anjukeBianHao"]})
}

// noteSign notes in rec, with a sign key, what the strong-validation
// headers of r over params are worth. The platform documents strong
// validation for its callbacks only: a webapi call is never refused for
// its headers, whether missing or wrong.
func (s *Server) noteSign(r *http.Request, params url.Values, rec *Request) {
	if s.cfg.signKey == "" || (r.Header.Get("timestamp") == "" && r.Header.Get("sign") == "") {
		return
	}
	msg := s.checkSign(r, params)
	s.lc.Note(rec, func(rec *Request) {
		rec.Sign, rec.SignProblem = SignValid, msg
		if msg != "" {
			rec.Sign = SignInvalid
		}
	})
}

// checkSign verifies the strong-validation headers over params; it returns
// a message when they are missing or wrong.
func (s *Server) checkSign(r *http.Request, params url.Values) string {
	const prefix = "strong validation failed: "
	tsText := r.Header.Get("timestamp")
	if tsText == "" {
		return prefix + "timestamp header is missing"
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if strings.Trim(tsText, "0123456789") != "" || len(tsText) > 18 || err != nil {
		return prefix + "timestamp header must be Unix milliseconds in decimal digits"
	}
	if d := s.Now().UnixMilli() - ts; d > SignWindow.Milliseconds() || -d > SignWindow.Milliseconds() {
		return prefix + "timestamp is more than 5 minutes away from the server's time"
	}
	got := r.Header.Get("sign")
	if got == "" {
		return prefix + "sign header is missing"
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(sign.Kanfang(s.cfg.signKey, params, ts))) != 1 {
		return prefix + "sign does not match"
	}
	return ""
}
