package propertytest

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/fangsdk/fang/sign"
)

// Service codes the fake serves.
const (
	// ServiceLogin is the login service: it issues session tokens.
	ServiceLogin = "login.pcUserLogin"
	// ServiceSaveProperty is the service that creates a property company.
	ServiceSaveProperty = "property.saveProperty"
)

const (
	contentTypeJSON = "application/json;charset=UTF-8"
	contentTypeText = "text/plain;charset=UTF-8"
	maxBodyBytes    = 1 << 20
	pathPrefix      = "/app/"
)

// envelope is the HC response envelope.
type envelope struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
	Data any    `json:"data,omitempty"`
}

// response is an answer built before it is written, so that a failure
// injected with AfterApply can replace it.
type response struct {
	status      int
	contentType string
	body        []byte
}

func jsonResponse(status, code int, msg string, data any) response {
	b, err := json.Marshal(envelope{Code: code, Msg: msg, Data: data})
	if err != nil {
		panic("propertytest: " + err.Error())
	}
	return response{status: status, contentType: contentTypeJSON, body: b}
}

// gatewayError is the gateway's catch-all failure: HTTP 500
// {"code":404,"msg":"请求发生异常，<reason>"}.
func gatewayError(reason string) response {
	return jsonResponse(http.StatusInternalServerError, 404, "请求发生异常，"+reason, nil)
}

func textResponse(status int, text string) response {
	return response{status: status, contentType: contentTypeText, body: []byte(text)}
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		s.write(w, nil, textResponse(http.StatusServiceUnavailable, "propertytest: server closed"))
		return
	}
	s.inflight.Add(1)
	s.mu.Unlock()
	defer s.inflight.Done()

	service, ok := strings.CutPrefix(r.URL.Path, pathPrefix)
	if !ok || service == "" || strings.Contains(service, "/") {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return // the client went away while sending
	}
	rec := s.record(service, r, body)

	f, failing := s.takeFailure(service)
	if failing && !f.AfterApply {
		if !s.wait(r, f.Delay) {
			drop(w)
			return
		}
		if f.answers() {
			s.fail(w, rec, f)
			return
		}
		failing = false // a delay alone: now process normally
	}

	resp := s.process(r, service, body)

	if failing { // AfterApply
		if !s.wait(r, f.Delay) {
			drop(w)
			return
		}
		if f.answers() {
			s.fail(w, rec, f)
			return
		}
	}
	s.write(w, rec, resp)
}

// record counts the request and keeps it as the service's last request.
func (s *Server) record(service string, r *http.Request, body []byte) *Request {
	txid, _ := headerValue(r.Header, "transaction-id")
	userID, _ := headerValue(r.Header, "user-id")
	rec := &Request{
		ServiceCode:   service,
		Method:        r.Method,
		Header:        r.Header.Clone(),
		Body:          body,
		TransactionID: txid,
		UserID:        userID,
		ReceivedAt:    s.now(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total++
	s.requests[service]++
	s.last[service] = rec
	return rec
}

// fail applies an answering failure.
func (s *Server) fail(w http.ResponseWriter, rec *Request, f Failure) {
	if f.CloseConnection {
		drop(w)
		return
	}
	s.write(w, rec, f.response())
}

// drop ends the exchange without an answer: it closes the connection, or
// where that is impossible (HTTP/2, a recorder) aborts the handler.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

func (s *Server) write(w http.ResponseWriter, rec *Request, resp response) {
	h := w.Header()
	h.Set("Content-Type", resp.contentType)
	if resp.contentType == contentTypeText {
		h.Set("X-Content-Type-Options", "nosniff")
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
	if rec != nil {
		s.mu.Lock()
		rec.Status = resp.status
		s.mu.Unlock()
	}
}

// process runs the gateway rules, then the service's command.
func (s *Server) process(r *http.Request, service string, body []byte) response {
	// 1. method
	if r.Method != http.MethodPost {
		return gatewayError("只支持POST请求")
	}

	// 2. app-id
	appID, _ := headerValue(r.Header, "app-id")
	if appID == "" || appID != s.cfg.appID {
		return gatewayError("appId 为空或不正确")
	}

	// 3. transaction-id
	txid, _ := headerValue(r.Header, "transaction-id")
	if txid == "" {
		return gatewayError("TRANSACTION_ID 不能为空")
	}
	if len(txid) != sign.TransactionIDLength || !allDigits(txid) {
		return gatewayError("transactionId 格式不对，必须为30位数字")
	}
	if !s.claimTransactionID(txid) {
		return gatewayError("transactionId 重复")
	}

	// 4. req-time
	reqTime, _ := headerValue(r.Header, "req-time")
	if !validReqTime(reqTime) {
		return gatewayError("requestTime 格式不对，遵循yyyyMMddHHmmss格式")
	}

	// 5. sign
	if s.cfg.securityCode != "" {
		got, _ := headerValue(r.Header, "sign")
		want := sign.MicroCommunityBytes(txid, reqTime, appID, body, s.cfg.securityCode)
		if strings.ToLower(got) != want {
			return gatewayError("签名失败")
		}
	}

	// 6. service code
	if service != ServiceLogin && service != ServiceSaveProperty {
		return gatewayError("AppId 没有权限访问 serviceCode = " + service)
	}

	// 7. Content-Type
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return gatewayError("Content-Type 必须为application/json")
	}
	if len(body) > maxBodyBytes {
		return gatewayError("请求报文过大")
	}

	// 8. session
	if service == ServiceLogin {
		return s.login(body)
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" || !s.sessionValid(token) {
		return textResponse(http.StatusUnauthorized, "用户未登录或登录已失效")
	}
	return s.saveProperty(body, txid)
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

// headerValue returns the first value of the header name (given in lower
// case with dashes, such as "app-id"), matching names case-insensitively and
// accepting underscores for dashes as the real server does. Blank values
// count as absent.
func headerValue(h http.Header, name string) (string, bool) {
	if v := h.Values(textproto.CanonicalMIMEHeaderKey(name)); len(v) > 0 && strings.TrimSpace(v[0]) != "" {
		return strings.TrimSpace(v[0]), true
	}
	for k, v := range h {
		if len(v) > 0 && strings.TrimSpace(v[0]) != "" && strings.EqualFold(strings.ReplaceAll(k, "_", "-"), name) {
			return strings.TrimSpace(v[0]), true
		}
	}
	return "", false
}

func validReqTime(v string) bool {
	if len(v) != len(sign.ReqTimeLayout) || !allDigits(v) {
		return false
	}
	_, err := time.ParseInLocation(sign.ReqTimeLayout, v, sign.ChinaStandardTime())
	return err == nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
