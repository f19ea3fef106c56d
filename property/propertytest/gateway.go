package propertytest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/fangsdk/fang/internal/fakeserver"
	"github.com/fangsdk/fang/sign"
)

// Service codes the fake serves.
const (
	// ServiceLogin is the login service: it issues session tokens.
	ServiceLogin = "login.pcUserLogin"
	// ServiceSaveProperty is the service that creates a property company.
	ServiceSaveProperty = "property.saveProperty"
	// ServiceListProperty lists property companies (GET).
	ServiceListProperty = "property.listProperty"
	// ServiceListCommunities lists the communities (GET); it needs no
	// session.
	ServiceListCommunities = "community.listCommunitys"
	// ServiceUpdateProperty changes a property company (POST).
	ServiceUpdateProperty = "property.updateProperty"
	// ServiceDeleteProperty removes a property company (POST).
	ServiceDeleteProperty = "property.deleteProperty"
	// ServiceListMenuGroups lists the menu groups (GET), where
	// saveProperty's groupIds come from.
	ServiceListMenuGroups = "menuGroup.listMenuGroups"
)

const (
	contentTypeJSON = "application/json;charset=UTF-8"
	contentTypeText = "text/plain;charset=UTF-8"
	pathPrefix      = "/app/"
)

// envelope is ResultVo as the platform serialises it (fastjson: members
// in alphabetical order, a null data left out).
type envelope struct {
	Code    int    `json:"code"`
	Data    any    `json:"data,omitempty"`
	Msg     string `json:"msg"`
	Page    int    `json:"page"`
	Records int    `json:"records"`
	Rows    int    `json:"rows"`
	Total   int    `json:"total"`
}

// response is an answer built before it is written, so that a failure
// injected with AfterApply can replace it.
type response = fakeserver.Response

// answer is an HTTP 200 JSON answer of v: an envelope, or a map, whose
// members encoding/json writes in alphabetical order as fastjson does.
// What the fake builds itself cannot fail to encode: a failure is a bug
// of the fake.
func answer(v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		panic("propertytest: " + err.Error())
	}
	return response{Status: http.StatusOK, ContentType: contentTypeJSON, Body: b}
}

// jsonResponse is ResultVo with code and msg, answered with status.
func jsonResponse(status, code int, msg string) response {
	resp := answer(envelope{Code: code, Msg: msg})
	resp.Status, resp.Code = status, code
	return resp
}

// controllerError is AppController's answer to a failed privilege check or
// any throwable: HTTP 500 {"code":404,"msg":"请求发生异常，<reason>"}.
func controllerError(reason string) response {
	return jsonResponse(http.StatusInternalServerError, codeError, "请求发生异常，"+reason)
}

// resultError is ResultVo.error(msg) as the dispatcher and the commands
// answer every failure: HTTP 200 {"code":404,"msg":msg}.
func resultError(msg string) response {
	return jsonResponse(http.StatusOK, codeError, msg)
}

// codeError is ResultVo.CODE_ERROR.
const codeError = 404

func textResponse(status int, text string) response {
	return response{Status: status, ContentType: contentTypeText, Body: []byte(text)}
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	service, ok := strings.CutPrefix(r.URL.Path, pathPrefix)
	if !ok || strings.Contains(service, "/") {
		service = "" // another path: counted, answered 404, failing never
	}
	s.landDue() // HoldNextSave (landing.go): held saves land as requests arrive
	s.lc.Serve(w, r, fakeserver.Exchange{
		Endpoint: service,
		Record: Request{
			ServiceCode:   service,
			TransactionID: headerValue(r.Header, "transaction-id"),
			UserID:        headerValue(r.Header, "user-id"),
		},
		Closed: textResponse(http.StatusServiceUnavailable, "propertytest: server closed"),
		Process: func(rec *Request, body []byte) response {
			if service == "" {
				return response{Status: http.StatusNotFound, ContentType: "text/plain; charset=utf-8", Body: []byte("404 page not found\n")}
			}
			resp := s.process(r, rec, service, body)
			if resp.ContentType == contentTypeJSON && resp.Status != http.StatusBadRequest && resp.Status != http.StatusMethodNotAllowed { // Spring Boot's error object is JSON
				resp.ContentType = negotiated(r.Header.Get("Accept"))
			}
			return resp
		},
		Envelope: func(status, code int, msg string) response {
			if code == 0 && status >= 300 {
				code = codeError // the gateway never sends a success envelope with an error status
			}
			return jsonResponse(status, code, msg)
		},
	})
}

// negotiated is the Content-Type of a controller's answer: AppController
// returns ResponseEntity<String> with no type of its own, so Spring
// (5.0, Spring Boot 2.0.4) writes the type the Accept header asks for
// with HC's UTF-8 StringHttpMessageConverter (java110-service/src/main/java/
// com/java110/service/configuration/CustomMVCConfiguration.java:20-33),
// which writes any type. The most specific acceptable type wins, then
// the highest quality, then the order of the header; */* and a missing
// Accept give text/plain (the converter's first type), application/*
// gives application/json. A client must ask for JSON (Accept:
// application/json) to be told the body is JSON.
func negotiated(accept string) string {
	best, bestQ := "text/plain", -1.0
	for part := range strings.SplitSeq(accept, ",") {
		fields := strings.Split(part, ";")
		typ := strings.ToLower(strings.TrimSpace(fields[0]))
		q := 1.0
		for _, f := range fields[1:] {
			if v, ok := strings.CutPrefix(strings.TrimSpace(f), "q="); ok {
				if n, err := strconv.ParseFloat(v, 64); err == nil {
					q = n
				}
			}
		}
		switch typ {
		case "", "*/*", "text/*":
			typ = "text/plain"
		case "application/*":
			typ = "application/json"
		}
		if q > bestQ && q > 0 && !strings.Contains(typ, "*") {
			best, bestQ = typ, q
		}
	}
	return best + ";charset=UTF-8"
}

// noteSign notes in rec what the sign header was worth.
func (s *Server) noteSign(rec *Request, c SignCheck, problem string) {
	s.lc.Note(rec, func(rec *Request) { rec.Sign, rec.SignProblem = c, problem })
}

// process runs the gateway's checks in the real server's order (the
// package documentation lists them), then the service's command.
func (s *Server) process(r *http.Request, rec *Request, service string, body []byte) response {
	cmd, known := s.routes.Lookup(service)

	// 1. JwtFilter: every service but those it excludes (the login,
	// community.listCommunitys, ...); an unknown service is not excluded.
	var se session
	if !sessionless[service] {
		token, ok := sessionToken(r)
		if !ok {
			return s.filterThrew(r)
		}
		if se, ok = s.session(token); !ok {
			return s.noSession(r)
		}
	}

	// 2. AppController: the body (POST) or the query (GET) becomes the
	// command's parameters.
	var params Params
	var payload []byte
	nullBody := false  // a body that fastjson reads as null: it fails at dealCmd
	method := r.Method // the method AppController tells the dispatcher
	switch r.Method {
	case http.MethodPost, http.MethodPut: // servicePost, servicePut: @RequestBody String
		if len(body) == 0 {
			return springError(r, http.StatusBadRequest, "")
		}
		if len(bytes.TrimSpace(body)) == 0 || string(bytes.TrimSpace(body)) == "null" {
			nullBody, params = true, Params{}
		} else if err := json.Unmarshal(body, &params); err != nil || params == nil {
			return s.notAJSONObject(se, body)
		}
		payload = body
	case http.MethodGet, http.MethodHead: // Spring serves HEAD with serviceGet
		method = http.MethodGet
		params, payload = queryParams(r.URL.RawQuery)
	case http.MethodDelete:
		// serviceDelete: the query's parameters, as a JSON object, are the
		// body and what the sign covers; the real server renders them as
		// fastjson writes a Java HashMap, which the fake approximates with
		// the query's order. No service of the fake is a DELETE one, so
		// the answer is a refusal either way.
		params, _ = queryParams(r.URL.RawQuery)
		var members []string
		for kv := range strings.SplitSeq(strings.TrimPrefix(sign.MicroCommunityQuery(r.URL.RawQuery), "?"), "&") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				members = append(members, string(jsonString(k))+":"+string(jsonString(v)))
			}
		}
		payload = []byte("{" + strings.Join(members, ",") + "}")
	case http.MethodOptions:
		return response{Status: http.StatusOK, Header: http.Header{"Allow": {"GET,HEAD,POST,PUT,DELETE,OPTIONS"}}}
	default:
		return springError(r, http.StatusMethodNotAllowed, "Request method '"+r.Method+"' not supported")
	}
	if len(body) > fakeserver.MaxBody {
		return controllerError("请求报文过大")
	}

	// 3. ApiServiceSMOImpl.judgeAuthority. user-id is optional: HC's own
	// clients send -1, and for a session the gateway takes it from the
	// session; sent empty without a session it is refused (below).
	appID := gatewayValue(r, "app-id")
	if appID == "" || appID != s.cfg.appID {
		shown := appID
		if !appIDSent(r) {
			shown = "null" // AppRouteCache.getAppRoute(null): Java's "null" in the message
		}
		return resultError("初始化失败：当前没有获取到AppId对应的信息，appId = " + shown)
	}
	txid := gatewayValue(r, "transaction-id")
	if strings.TrimSpace(txid) == "" { // StringUtil.isNullOrNone
		return resultError("鉴权失败：TRANSACTION_ID 不能为空")
	}
	if s.cfg.strictTxIDs && (len(txid) != sign.TransactionIDLength || !allDigits(txid)) {
		return resultError("鉴权失败：transactionId 格式不对，必须为30位数字")
	}
	if !s.claimTransactionID(txid) && s.cfg.strictTxIDs {
		return resultError("鉴权失败：transactionId 重复")
	}
	reqTime := gatewayValue(r, "req-time")
	if s.cfg.securityCode != "" {
		got := gatewayValue(r, "sign")
		want := sign.MicroCommunityBytes(txid, reqTime, appID, payload, s.cfg.securityCode)
		switch {
		case strings.TrimSpace(got) == "": // StringUtil.isEmpty
			s.noteSign(rec, SignInvalid, "sign header is missing")
			return resultError("鉴权失败：签名失败")
		case strings.ToLower(got) != want:
			s.noteSign(rec, SignInvalid, "sign does not match")
			return resultError("鉴权失败：签名失败")
		}
		s.noteSign(rec, SignValid, "")
	}
	if !validReqTime(reqTime) {
		return resultError("鉴权失败：requestTime 格式不对，遵循yyyyMMddHHmmss格式")
	}
	// judgeAuthority's user check (ApiServiceSMOImpl.java:333-336): the
	// gateway puts -1 for an absent user-id and the session's user for a
	// session (ApiSMOImpl.doApi), so only a user-id sent empty to a
	// service the session filter skips is refused.
	if uid, sent := userIDSent(r); sent && sessionless[service] && strings.TrimSpace(uid) == "" {
		return resultError("鉴权失败：USER_ID 不能为空")
	}
	// The app's routes (c_route): the services of the command table and
	// those registered with Handle.
	if !known {
		return resultError("鉴权失败：AppId 没有权限访问 serviceCode = " + service)
	}
	if method != cmd.Method {
		m := "服务【" + service + "】调用方式不对请检查,当前请求方式为：" + method
		return resultError("内部异常：" + m + m) // getMessage() + getLocalizedMessage()
	}

	// 4. dealCmd: the session's userId, loginUserId and storeId go into
	// the parameters that have none, so a call without storeId acts on
	// the caller's own company. A null body fails right there: reqJson is
	// null (ApiServiceSMOImpl.java:586-587), a NullPointerException
	// without message, caught at :121-123 (Java 8).
	if nullBody {
		return resultError("内部异常：nullnull")
	}
	// The service reads a GET's query as the gateway forwards it.
	if method == http.MethodGet {
		var fail *response
		if params, fail = forwardedQuery(payload); fail != nil {
			return *fail
		}
	}
	if se.userID != "" {
		s.mu.Lock()
		storeID := s.storeOfLocked(se.userID)
		s.mu.Unlock()
		for name, v := range map[string]string{"userId": se.userID, "loginUserId": se.userID, "storeId": storeID} {
			if cur := params.Get(name); cur == "" && v != "" {
				params[name] = jsonString(v)
			}
		}
	}
	return cmd.Fn(s, &call{appID: appID, txid: txid, params: params, se: se})
}

// call is what a command receives from the gateway.
type call struct {
	appID, txid string
	params      Params   // the body or the query, with dealCmd's additions
	se          session  // the caller's session; zero for a service the session filter skips
	created     *Company // the company a saveProperty created; nil until then
}

// command carries out a call of one of the fake's services.
type command func(s *Server, c *call) response

// commands are the services the fake serves itself; with those registered
// by Handle they are the only routes of its app: any other service is
// refused by the dispatcher.
var commands = map[string]fakeserver.Route[command]{
	ServiceLogin:           {Method: http.MethodPost, Fn: (*Server).login},
	ServiceSaveProperty:    {Method: http.MethodPost, Fn: (*Server).saveProperty},
	ServiceListProperty:    {Method: http.MethodGet, Fn: (*Server).listProperty},
	ServiceUpdateProperty:  {Method: http.MethodPost, Fn: (*Server).updateProperty},
	ServiceDeleteProperty:  {Method: http.MethodPost, Fn: (*Server).deleteProperty},
	ServiceListCommunities: {Method: http.MethodGet, Fn: (*Server).listCommunities},
	ServiceListMenuGroups:  {Method: http.MethodGet, Fn: (*Server).listMenuGroups},
}

// sessionless are the services the session filter skips.
var sessionless = map[string]bool{ServiceLogin: true, ServiceListCommunities: true}

// sessionToken is the token the session filter reads: the Authorization
// header without its first seven characters ("Bearer "), else the cookie
// _java110_token_ (CommonConstant.COOKIE_AUTH_TOKEN). ok is false when the
// header is shorter than seven characters: JwtFilter.getToken's
// authorization.substring(7) then throws (service-api/src/main/java/com/
// java110/api/filter/JwtFilter.java:119-120), which is not the filter's
// FilterException (see filterThrew).
func sessionToken(r *http.Request) (token string, ok bool) {
	if a := r.Header.Get("Authorization"); a != "" {
		if len(a) < len("Bearer ") {
			return "", false
		}
		return a[len("Bearer "):], true
	}
	if c, err := r.Cookie("_java110_token_"); err == nil {
		return c.Value, true
	}
	return "", true
}

// notAJSONObject is the answer to a POST body that is not a JSON object
// (nor null): fastjson's JSONObject.parseObject refuses it. The
// dispatcher parses the body first (ApiDataFlow.doBuilder,
// java110-core/src/main/java/com/java110/core/context/ApiDataFlow.java:123)
// and answers the exception as any other, HTTP 200 内部异常：
// (ApiServiceSMOImpl.java:121-123) — except for the staff of a company
// that is not the operator, whose body ApiSMOImpl parses earlier to look
// for a communityId (service-api/src/main/java/com/java110/api/smo/api/
// impl/ApiSMOImpl.java:69-71): that exception reaches AppController's
// catch, HTTP 500 请求发生异常 (AppController.java:107-110). fastjson's
// own message is approximated.
func (s *Server) notAJSONObject(se session, body []byte) response {
	msg := "can not cast to JSONObject." // valid JSON of another kind
	if !json.Valid(body) {
		msg = "syntax error, pos 1, line 1, column 2" + string(body[:min(len(body), 64)])
	}
	if se.userID != "" {
		s.mu.Lock()
		operator := s.storeOfLocked(se.userID) == s.operatorStoreID
		s.mu.Unlock()
		if !operator {
			return controllerError(msg)
		}
	}
	return resultError("内部异常：" + msg + msg)
}

// springError is Spring Boot's error object for status, the answer to a
// request no AppController handler takes: to a method it maps no handler
// for (it maps GET, POST, PUT and DELETE), HTTP 405 with message, after
// the session filter; to a POST without the body its @RequestBody String
// requires, HTTP 400 without one, before the controller runs.
func springError(r *http.Request, status int, message string) response {
	body := map[string]any{"error": http.StatusText(status), "path": r.URL.Path, "status": status,
		"timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000+00:00")}
	if message != "" {
		body["message"] = message
	}
	resp := answer(body)
	resp.Status = status
	return resp
}

// noSession is the session filter's answer to a request without a live
// session: to a POST, HTTP 200, text/plain,
// DataTransactionFactory.pageResponseJson with code 1996; a GET is sent
// to the login page.
func (s *Server) noSession(r *http.Request) response {
	if s.cfg.seedDialect {
		return textResponse(http.StatusUnauthorized, "用户未登录或登录已失效")
	}
	if r.Method == http.MethodPost {
		resp := answer(map[string]map[string]string{"meta": {
			"code":          "1996",
			"message":       "您还没有登录，请先登录",
			"responseTime":  s.Now().In(sign.ChinaStandardTime()).Format(sign.ReqTimeLayout), // DateUtil.getNowDefault: yyyyMMddHHmmss
			"transactionId": "-1",
		}})
		resp.ContentType = contentTypeText
		return resp
	}
	return noLogin(r)
}

// filterThrew is the session filter's answer when reading the token threw
// (an Authorization header shorter than "Bearer "): its catch-all
// (JwtFilter.java:80-83) answers with noLogin whatever the method, so a
// POST too is redirected, or answered 401 with X-Requested-With.
func (s *Server) filterThrew(r *http.Request) response {
	if s.cfg.seedDialect {
		return textResponse(http.StatusUnauthorized, "用户未登录或登录已失效")
	}
	return noLogin(r)
}

// noLogin is JwtFilter.noLogin: a redirect (302) to the login page, or,
// for a request with X-Requested-With: XMLHttpRequest, 401 with that
// Location.
func noLogin(r *http.Request) response {
	resp := response{Status: http.StatusFound, Header: http.Header{"Location": {"/user.html#/pages/frame/login"}}}
	if r.Header.Get("X-Requested-With") == "XMLHttpRequest" {
		resp.Status = http.StatusUnauthorized
	}
	return resp
}

// queryParams turns a raw query into the command's parameters (a name's
// first value) and the payload the sign covers (sign.MicroCommunityQuery:
// "?" and the decoded pairs as BaseController.initUrlParam rebuilds them;
// an empty query signs as ""). A pair that does not decode is dropped, as
// the servlet container drops it.
func queryParams(raw string) (Params, []byte) {
	params := Params{}
	values, _ := url.ParseQuery(raw) // keeps every pair that decodes
	for k, vs := range values {
		params[k] = jsonString(vs[0])
	}
	payload := sign.MicroCommunityQuery(raw)
	if payload == "" {
		return params, nil
	}
	return params, []byte(payload)
}

// templateVariable is a URI template variable as RestTemplate's template
// handler finds it (UriComponents.VARIABLE_PATTERN).
var templateVariable = regexp.MustCompile(`\{([^/]+?)\}`)

// forwardedQuery is what the service reads from a GET's query as the
// gateway forwards it: BaseController's decoded name=value pairs (the
// payload without its "?") appended to the service's URL and given to
// RestTemplate as a URI template (ApiServiceSMOImpl.java:505-511). A #
// starts the URI's fragment, so the rest is lost; a {…} is a variable with
// no value, and RestTemplate throws into the dispatcher's catch-all
// (ApiServiceSMOImpl.java:121-123); & and = split the pairs anew; + is a
// space to the servlet container. RestTemplate percent-encodes every other
// character, so it arrives as sent.
func forwardedQuery(payload []byte) (Params, *response) {
	q, _, _ := strings.Cut(strings.TrimPrefix(string(payload), "?"), "#")
	if m := templateVariable.FindStringSubmatch(q); m != nil {
		msg := "Not enough variable values available to expand '" + m[1] + "'"
		r := resultError("内部异常：" + msg + msg)
		return nil, &r
	}
	params := Params{}
	for pair := range strings.SplitSeq(q, "&") {
		k, v, _ := strings.Cut(strings.ReplaceAll(pair, "+", " "), "=")
		if _, seen := params[k]; !seen && k != "" {
			params[k] = jsonString(v) // a name's first value, as for the query
		}
	}
	return params, nil
}

// claimTransactionID records txid as seen and reports whether it was new.
func (s *Server) claimTransactionID(txid string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.txids[txid] {
		return false
	}
	s.txids[txid] = true
	s.txidOrder = append(s.txidOrder, txid)
	return true
}

// gatewayValue is the value the dispatcher reads for name (app-id,
// transaction-id, req-time, sign or user-id): a query parameter of exactly
// that name, for a POST as for a GET, replaces the header
// (BaseController.initUrlParam, java110-core/src/main/java/com/java110/
// core/base/controller/BaseController.java:71-74, copies it over the
// header; ApiDataFlow.doBuilder then reads the dashed names), even when
// empty; otherwise the header (headerValue).
func gatewayValue(r *http.Request, name string) string {
	if vs, ok := r.URL.Query()[name]; ok {
		return vs[0]
	}
	return headerValue(r.Header, name)
}

// appIDSent reports whether the request carries an app-id at all: the
// query parameter, or the header as app-id or app_id in any case
// (ApiDataFlow.doBuilder reads both).
func appIDSent(r *http.Request) bool {
	if _, ok := r.URL.Query()["app-id"]; ok {
		return true
	}
	for k := range r.Header {
		if strings.EqualFold(k, "app-id") || strings.EqualFold(k, "app_id") {
			return true
		}
	}
	return false
}

// userIDSent is the user-id the request carries (the query parameter
// over the header, see gatewayValue; the header under its dashed name in
// any case, as BaseController.initHeadParam lower-cases names), and
// whether it carries one at all, empty or not.
func userIDSent(r *http.Request) (v string, sent bool) {
	if vs, ok := r.URL.Query()["user-id"]; ok {
		return vs[0], true
	}
	for k, vs := range r.Header {
		if strings.EqualFold(k, "user-id") && len(vs) > 0 {
			return vs[0], true
		}
	}
	return "", false
}

// headerValue returns the first value of the header name (given in lower
// case with dashes, such as "app-id"), matching names case-insensitively and
// accepting underscores for dashes as the real server does; "" when absent
// or blank.
func headerValue(h http.Header, name string) string {
	if v := h.Values(textproto.CanonicalMIMEHeaderKey(name)); len(v) > 0 && strings.TrimSpace(v[0]) != "" {
		return strings.TrimSpace(v[0])
	}
	for k, v := range h {
		if len(v) > 0 && strings.TrimSpace(v[0]) != "" && strings.EqualFold(strings.ReplaceAll(k, "_", "-"), name) {
			return strings.TrimSpace(v[0])
		}
	}
	return ""
}

func validReqTime(v string) bool {
	if len(v) != len(sign.ReqTimeLayout) || !allDigits(v) {
		return false
	}
	_, err := time.ParseInLocation(sign.ReqTimeLayout, v, sign.ChinaStandardTime())
	return err == nil
}

// jsonString is v as a JSON string.
func jsonString(v string) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("propertytest: " + err.Error()) // a string always encodes
	}
	return b
}

// allDigits reports whether s holds nothing but the digits 0-9.
func allDigits(s string) bool { return strings.Trim(s, "0123456789") == "" }
