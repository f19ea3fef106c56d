package propertytest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Failure describes how FailNext makes a request fail. The zero value of
// each field means "not part of this failure".
//
// What the client sees:
//   - CloseConnection: the connection is dropped without an answer (after
//     Delay). HTTPStatus, Code, Msg and Body are then ignored.
//   - ReadTimeout: the gateway's own read timeout towards the command
//     service. The request is processed as usual (a valid saveProperty
//     really creates the company), then the answer is HTTP 200
//     {"code":404,"msg":"内部异常：I/O error on POST request for …: Read timed out; …"},
//     as ApiServiceSMOImpl answers when its RestTemplate call times out.
//     AfterApply is implied.
//   - otherwise, if any of HTTPStatus, Code, Msg or Body is set: the answer
//     is Body verbatim when Body is set (Content-Type from ContentType, or
//     guessed: application/json;charset=UTF-8 for a body starting with "{",
//     text/html;charset=UTF-8 for one starting with "<", text/plain
//     otherwise) and HTTPStatus defaults to 502 Bad Gateway. Without Body
//     it is the envelope {"code":Code,"msg":Msg} as JSON and HTTPStatus
//     defaults to 200 — except that an error status (3xx and above) never
//     carries a success envelope: with neither Code nor Msg it answers a
//     proxy's HTML error page, and with Msg but no Code the code is 404.
//   - otherwise (Delay alone) the normal answer is sent after the delay: a
//     slow server.
//
// What the server does:
//   - without AfterApply the failure stands in front of the gateway, like a
//     proxy: after Delay the request is not processed at all (its
//     transaction-id is not recorded, nothing is created), except in the
//     Delay-alone case, where it is then processed normally;
//   - with AfterApply the request is first processed as usual (a valid
//     saveProperty really creates the company, a login really opens a
//     session), then Delay runs, then the failure replaces the answer: the
//     request reached the server and the answer was lost.
//
// Delay ends early when the client goes away (its request context is done)
// or when the Server is closed; the connection is then dropped without an
// answer and, if this happened before processing (no AfterApply), the
// request is not processed. Tests therefore never hang on a delay.
//
// Dropping a connection hijacks it; where that is impossible (HTTP/2, a
// ResponseRecorder driving Handler) the handler panics with
// http.ErrAbortHandler instead.
type Failure struct {
	// Service is the service code the failure applies to; "" means any.
	Service string
	// HTTPStatus is the status to answer with; see the type's documentation
	// for the defaults.
	HTTPStatus int
	// Code and Msg form the JSON envelope answered when Body is empty.
	Code int
	Msg  string
	// Body is a raw body to answer with, such as a proxy's HTML error page;
	// it overrides Code and Msg.
	Body string
	// ContentType is the Content-Type of Body; "" guesses from its first
	// byte.
	ContentType string
	// Delay is how long to wait before answering (and, without AfterApply,
	// before processing).
	Delay time.Duration
	// CloseConnection drops the connection without answering.
	CloseConnection bool
	// AfterApply processes the request first and applies the failure to its
	// answer only.
	AfterApply bool
	// ReadTimeout answers as the gateway does when the command service
	// does not answer within its read timeout, after the command ran.
	ReadTimeout bool
}

// readTimeoutMsg is the gateway's message for its read timeout towards
// the command service: "内部异常：" + getMessage() + getLocalizedMessage()
// of the RestTemplate's ResourceAccessException (ApiServiceSMOImpl).
func readTimeoutMsg(service string) string {
	m := `I/O error on POST request for "http://service-store/cmd/` + service + `": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out`
	return "内部异常：" + m + m
}

// FailNext makes the next n requests for f.Service (any service when
// f.Service is "") fail as f describes. Failures queue up: each request
// takes the oldest queued failure that matches its service code, whatever
// the request's own validity, and a failure is used up by n requests. A
// request for a path other than /app/{serviceCode} takes none. n <= 0 does
// nothing.
func (s *Server) FailNext(n int, f Failure) { s.failures.Push(n, f) }

// takeFailure removes and returns the oldest queued failure for service.
func (s *Server) takeFailure(service string) (Failure, bool) {
	return s.failures.Take(func(f Failure) bool { return f.Service == "" || f.Service == service })
}

// answers reports whether f replaces the answer (or drops the connection),
// as opposed to only delaying it.
func (f Failure) answers() bool {
	return f.CloseConnection || f.ReadTimeout || f.HTTPStatus != 0 || f.Code != 0 || f.Msg != "" || f.Body != ""
}

// response is the answer f gives to a request for service; f.answers()
// must be true and f.CloseConnection false.
func (f Failure) response(service string) response {
	if f.ReadTimeout {
		return resultError(readTimeoutMsg(service))
	}
	if f.Body != "" {
		status := f.HTTPStatus
		if status == 0 {
			status = http.StatusBadGateway
		}
		ct := f.ContentType
		if ct == "" {
			switch {
			case strings.HasPrefix(strings.TrimSpace(f.Body), "{"):
				ct = contentTypeJSON
			case strings.HasPrefix(strings.TrimSpace(f.Body), "<"):
				ct = "text/html;charset=UTF-8"
			default:
				ct = contentTypeText
			}
		}
		return response{status: status, contentType: ct, body: []byte(f.Body)}
	}
	status := f.HTTPStatus
	if status == 0 {
		status = http.StatusOK
	}
	code := f.Code
	if status >= 300 && code == 0 {
		if f.Msg == "" {
			text := http.StatusText(status)
			page := "<html><head><title>" + strconv.Itoa(status) + " " + text + "</title></head><body><center><h1>" +
				strconv.Itoa(status) + " " + text + "</h1></center><hr><center>nginx</center></body></html>"
			return response{status: status, contentType: "text/html;charset=UTF-8", body: []byte(page)}
		}
		code = codeError
	}
	b, _ := json.Marshal(envelope{Code: code, Msg: f.Msg})
	return response{status: status, contentType: contentTypeJSON, body: b}
}

// wait sleeps for d and reports true, or reports false as soon as the
// client goes away or the server is closed.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	if d > 0 {
		s.mu.Lock()
		hook := s.onDelay
		s.mu.Unlock()
		if hook != nil {
			hook()
		}
	}
	return s.lc.Wait(r, d)
}
