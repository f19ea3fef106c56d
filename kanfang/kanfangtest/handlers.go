package kanfangtest

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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

// envelope is the body of every JSON answer.
type envelope struct {
	State   int `json:"state"`
	Payload any `json:"payload"`
}

// tokenPayload is the success payload of GetAccessToken and RefreshToken.
type tokenPayload struct {
	Token                string `json:"token"`
	TokenExpireIn        int64  `json:"tokenExpireIn"`
	RefreshToken         string `json:"refreshToken"`
	RefreshTokenExpireIn int64  `json:"refreshTokenExpireIn"`
}

// bianHaoPayload is the success payload of putAnjukeBianHao.
type bianHaoPayload struct {
	PackageID     string `json:"packageId"`
	AnjukeBianHao string `json:"anjukeBianHao"`
}

// enter registers a request in progress; it fails once the server is closed.
func (s *Server) enter(path string) bool {
	s.requests.Arrive(path)
	return s.lc.Enter()
}

// record appends rec to the request log.
func (s *Server) record(rec *Request) { s.requests.Add(*rec) }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	rec := &Request{
		Method:     r.Method,
		Path:       path,
		Header:     r.Header.Clone(),
		Query:      r.URL.Query(),
		ReceivedAt: s.Now(),
	}
	if !s.enter(path) {
		s.writeEnvelope(w, rec, http.StatusServiceUnavailable, StateUnavailable, "kanfangtest: server closed")
		return
	}
	defer s.lc.Leave()

	f, failing := s.takeFailure(path)
	if failing {
		rec.Injected = true
		if f.Delay > 0 {
			bufferBody(r)
		}
	}
	s.lc.Serve(w, r, f, failing, fakeserver.Hooks{
		Process: func() func() {
			// Carried out into a buffer: an AfterApply failure may still
			// replace the answer.
			buf := fakeserver.NewBuffer()
			s.route(buf, r, rec)
			return func() {
				s.record(rec)
				buf.WriteTo(w)
			}
		},
		Answer:  func(f fakeserver.Failure) { s.answer(w, rec, f) },
		Dropped: func() { rec.HTTPStatus, rec.State = 0, 0; s.record(rec) },
	})
}

// route carries out a request on the endpoint of its path; the answer's
// status and state are noted in rec.
func (s *Server) route(w http.ResponseWriter, r *http.Request, rec *Request) {
	var method string
	var handle func(http.ResponseWriter, *http.Request, *Request)
	switch r.URL.Path {
	case PathGetAccessToken:
		method, handle = http.MethodGet, s.getAccessToken
	case PathRefreshToken:
		method, handle = http.MethodGet, s.refreshToken
	case PathPutAnjukeBianHao:
		method, handle = http.MethodPost, s.putAnjukeBianHao
	case PathAddNewNotifyTaskByPackageID:
		method, handle = http.MethodPost, s.addNotifyTask
	default:
		h, ok := s.routes.Lookup(r.URL.Path)
		if !ok {
			s.envelope(w, rec, http.StatusNotFound, StateNotFound, "no such endpoint: "+r.URL.Path)
			return
		}
		method, handle = h.Method, func(w http.ResponseWriter, r *http.Request, rec *Request) { s.serveHandled(w, r, rec, h.Fn) }
	}
	if r.Method != method {
		w.Header().Set("Allow", method)
		s.envelope(w, rec, http.StatusMethodNotAllowed, StateNotAllowed,
			fmt.Sprintf("method %s not allowed on %s; use %s", r.Method, r.URL.Path, method))
		return
	}
	handle(w, r, rec)
}

// writeEnvelope records rec with the outcome, then writes the JSON
// envelope: an answer that is sent at once.
func (s *Server) writeEnvelope(w http.ResponseWriter, rec *Request, httpStatus, state int, payload any) {
	buf := fakeserver.NewBuffer()
	s.envelope(buf, rec, httpStatus, state, payload)
	s.record(rec)
	buf.WriteTo(w)
}

// envelope notes the outcome in rec and writes the JSON envelope to w
// (the buffer of a request being carried out: serveHTTP records and sends
// it).
func (s *Server) envelope(w http.ResponseWriter, rec *Request, httpStatus, state int, payload any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep "->" and "<" readable, as the real server does
	if err := enc.Encode(envelope{State: state, Payload: payload}); err != nil {
		// Cannot happen with the payloads used here.
		httpStatus, state = http.StatusInternalServerError, StateServerError
		buf.Reset()
		buf.WriteString(`{"state":500,"payload":"InnerServerError -> kanfangtest: encoding failed"}`)
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	rec.HTTPStatus, rec.State = httpStatus, state
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", itoa(len(body)))
	w.WriteHeader(httpStatus)
	_, _ = w.Write(body)
}

func (s *Server) reply(w http.ResponseWriter, rec *Request, state int, payload any) {
	s.envelope(w, rec, http.StatusOK, state, payload)
}

// parseQuery parses the raw query strictly.
func parseQuery(r *http.Request) (url.Values, error) {
	return url.ParseQuery(r.URL.RawQuery)
}

func (s *Server) getAccessToken(w http.ResponseWriter, r *http.Request, rec *Request) {
	q, ok := s.tokenQuery(w, r, rec, &s.logins)
	if !ok {
		return
	}
	keyOK := subtle.ConstantTimeCompare([]byte(q.Get("authKey")), []byte(s.cfg.authKey)) == 1
	valueOK := subtle.ConstantTimeCompare([]byte(q.Get("authValue")), []byte(s.cfg.authValue)) == 1
	if !keyOK || !valueOK || q.Get("authKey") == "" {
		s.reply(w, rec, StateUnauthorized, "authKey or authValue is wrong")
		return
	}
	s.reply(w, rec, StateOK, s.issuePair())
}

func (s *Server) refreshToken(w http.ResponseWriter, r *http.Request, rec *Request) {
	q, ok := s.tokenQuery(w, r, rec, &s.refreshes)
	if !ok {
		return
	}
	tok, where := findToken(r, nil, q)
	rec.TokenPlacement = where
	if tok == "" {
		s.reply(w, rec, StateRefreshFailed, "refresh token is missing: send it as the Authorization header, cookie or query parameter")
		return
	}
	s.mu.Lock()
	exp, ok := s.refresh[tok]
	valid := ok && s.clock.Now().Before(exp)
	if ok {
		delete(s.refresh, tok) // used or expired: never valid again
	}
	s.mu.Unlock()
	if !valid {
		s.reply(w, rec, StateRefreshFailed, "refresh token is invalid or expired; log in again")
		return
	}
	s.reply(w, rec, StateOK, s.issuePair())
}

// tokenQuery counts a GetAccessToken or RefreshToken request in *counter,
// then parses its query and checks clientEdtion, answering state 403 when
// it is wrong, and with a sign key notes in rec what the strong-validation
// headers over every query value are worth (they are never required). ok
// is false when it has answered.
func (s *Server) tokenQuery(w http.ResponseWriter, r *http.Request, rec *Request, counter *int) (q url.Values, ok bool) {
	s.mu.Lock()
	*counter++
	s.mu.Unlock()
	q, err := parseQuery(r)
	if err != nil {
		s.reply(w, rec, StateRejected, "malformed query string")
		return nil, false
	}
	if !s.checkEdition(w, q, rec) {
		return nil, false
	}
	// The platform signs all query values of a GET: clientEdtion, the
	// credentials, and a refresh token sent in the query.
	s.noteSign(r, q, rec)
	return q, true
}

// checkEdition answers state 403 when clientEdtion is given and is not
// exactly ps_1.0.0; it is optional (the docs need it only for accounts
// limited to a client version).
func (s *Server) checkEdition(w http.ResponseWriter, q url.Values, rec *Request) bool {
	if vs, ok := q["clientEdtion"]; ok && (len(vs) != 1 || vs[0] != ClientEdition) {
		s.reply(w, rec, StateRejected, `clientEdtion must be "`+ClientEdition+`"`)
		return false
	}
	return true
}

// issuePair mints an access token and a refresh token.
func (s *Server) issuePair() tokenPayload {
	return tokenPayload{
		Token:                s.IssueToken(),
		TokenExpireIn:        seconds(s.cfg.tokenLife),
		RefreshToken:         s.IssueRefreshToken(),
		RefreshTokenExpireIn: seconds(s.cfg.refreshLife),
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
	if ok && !s.clock.Now().Before(exp) {
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
// answers and reports false.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, rec *Request) (url.Values, bool) {
	q, err := parseQuery(r)
	if err != nil {
		s.reply(w, rec, StateRejected, "malformed query string")
		return nil, false
	}
	var form url.Values
	if r.Method == http.MethodPost {
		if msg := checkFormContentType(r.Header.Get("Content-Type")); msg != "" {
			s.reply(w, rec, StateRejected, msg)
			return nil, false
		}
		if form, err = readForm(w, r); err != nil {
			s.reply(w, rec, StateRejected, err.Error())
			return nil, false
		}
		rec.Form = withoutToken(form)
	}
	tokenQuery := q
	if form != nil {
		s.noteSign(r, form, rec)
		tokenQuery = nil // the platform reads no token in a POST's URL
	} else {
		s.noteSign(r, q, rec)
	}
	tok, where := findToken(r, form, tokenQuery)
	rec.TokenPlacement = where
	switch {
	case tok == "" && form != nil && q.Get("Authorization") != "":
		s.reply(w, rec, StateUnauthorized, "token is missing: the query string of a POST is not read; send it as the Authorization header, form field or cookie")
		return nil, false
	case tok == "":
		s.reply(w, rec, StateUnauthorized, "token is missing: send it as the Authorization header, form field, cookie or query parameter")
		return nil, false
	}
	if !s.validAccess(tok) {
		s.reply(w, rec, StateUnauthorized, "token is invalid or expired")
		return nil, false
	}
	if form != nil {
		return rec.Form, true
	}
	return withoutToken(q), true
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

func (s *Server) putAnjukeBianHao(w http.ResponseWriter, r *http.Request, rec *Request) {
	form, ok := s.authorize(w, r, rec)
	if !ok {
		return
	}
	params := url.Values{}
	for _, name := range []string{"packageId", "anjukeBianHao"} {
		if vs, ok := form[name]; ok {
			params[name] = vs
		}
	}

	var problems []string
	for _, name := range []string{"packageId", "anjukeBianHao"} {
		vs := params[name]
		switch {
		case len(vs) == 0 || vs[0] == "":
			problems = append(problems, name+" is required")
		case len(vs) > 1:
			problems = append(problems, name+" is given more than once")
		case !utf8.ValidString(vs[0]):
			problems = append(problems, name+" is not valid UTF-8")
		case utf8.RuneCountInString(vs[0]) > MaxFieldLength:
			problems = append(problems, fmt.Sprintf("%s is longer than %d characters", name, MaxFieldLength))
		}
	}
	if len(problems) > 0 {
		s.reply(w, rec, StateRejected, strings.Join(problems, "; "))
		return
	}

	pkg, num := params.Get("packageId"), params.Get("anjukeBianHao")
	s.mu.Lock()
	known := !s.cfg.packagesEnabled || s.cfg.packages[pkg]
	if known {
		s.numbers[pkg] = num
	}
	s.mu.Unlock()
	if !known {
		s.reply(w, rec, StateRejected, "unknown packageId: "+pkg)
		return
	}
	s.reply(w, rec, StateOK, bianHaoPayload{PackageID: pkg, AnjukeBianHao: num})
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

// readForm reads and parses the url-encoded body, bounded to maxBody bytes.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, fmt.Errorf("request body is larger than %d bytes", maxBody)
		}
		return nil, errors.New("malformed form body")
	}
	return r.PostForm, nil
}

// noteSign notes in rec, with a sign key, what the strong-validation
// headers of r over params are worth. The platform documents strong
// validation for its callbacks only: a webapi call is never refused for
// its headers, whether missing or wrong.
func (s *Server) noteSign(r *http.Request, params url.Values, rec *Request) {
	if !s.cfg.signEnabled || (r.Header.Get("timestamp") == "" && r.Header.Get("sign") == "") {
		return
	}
	if msg := s.checkSign(r, params); msg != "" {
		rec.Sign, rec.SignProblem = SignInvalid, msg
		return
	}
	rec.Sign = SignValid
}

// checkSign verifies the strong-validation headers over params; it returns
// a message when they are missing or wrong.
func (s *Server) checkSign(r *http.Request, params url.Values) string {
	const prefix = "strong validation failed: "
	tsText := r.Header.Get("timestamp")
	if tsText == "" {
		return prefix + "timestamp header is missing"
	}
	if strings.Trim(tsText, "0123456789") != "" || len(tsText) > 18 {
		return prefix + "timestamp header must be Unix milliseconds in decimal digits"
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return prefix + "timestamp header must be Unix milliseconds in decimal digits"
	}
	now := s.Now().UnixMilli()
	if d := now - ts; d > SignWindow.Milliseconds() || -d > SignWindow.Milliseconds() {
		return prefix + "timestamp is more than 5 minutes away from the server's time"
	}
	got := r.Header.Get("sign")
	if got == "" {
		return prefix + "sign header is missing"
	}
	want := sign.Kanfang(s.cfg.signKey, params, ts)
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return prefix + "sign does not match"
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }
