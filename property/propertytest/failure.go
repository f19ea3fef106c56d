package propertytest

import (
	"time"

	"github.com/fangsdk/fang/internal/fakeserver"
)

// Failure describes how FailNext makes a request fail. kanfangtest.Failure
// has the same fields with the same meaning.
//
// What the client sees, after any Delay:
//   - CloseConnection: the connection is dropped without an answer.
//   - Body != "": Body as is, with HTTPStatus (0 means 200) and
//     ContentType ("" guesses from the first byte: JSON for "{", HTML for
//     "<", plain text otherwise).
//   - Code or Message set: the envelope {"code":Code,"msg":Message} as
//     JSON with HTTPStatus (0 means 200); Message defaults to "injected
//     failure" when Code is set. An error status (3xx and above) never
//     carries a success envelope, as the gateway never sends one: with
//     Message but no Code the code is 404.
//   - HTTPStatus alone: for a status of 300 or more a proxy's HTML error
//     page (nginx's), for a 2xx an empty body.
//   - nothing but Delay: the normal answer, late (a slow server).
//
// RetryAfter, when not empty, is sent as the Retry-After header of the
// answer. ReadTimeout builds the Failure of the gateway's own read timeout.
//
// What the server does: without AfterApply the failure stands in front of
// the gateway, like a proxy, and the request is not processed at all (its
// transaction-id is not recorded, nothing is created), except for a Delay
// alone. With AfterApply the request is processed first (a valid
// saveProperty really creates the company, a login really opens a
// session), then Delay runs, then the failure replaces the answer: the
// request reached the server and the answer was lost.
//
// A Delay ends early, dropping the connection without an answer, when the
// client goes away or the Server is closed, so tests never hang on it.
// Dropping a connection hijacks it; where that is impossible (HTTP/2, a
// ResponseRecorder driving Handler) the handler panics with
// http.ErrAbortHandler instead.
type Failure struct {
	// Endpoint is the service code the failure applies to; "" means any.
	Endpoint string
	// HTTPStatus is the status to answer with; 0 means 200.
	HTTPStatus int
	// Code and Message form the JSON envelope answered when Body is empty.
	Code    int
	Message string
	// Body is a raw body to answer with, such as a proxy's HTML error page;
	// it overrides Code and Message.
	Body string
	// ContentType is the Content-Type of Body; "" guesses from its first
	// byte.
	ContentType string
	// RetryAfter is the value of the Retry-After header, if not empty.
	RetryAfter string
	// Delay is how long to wait before answering (and, without AfterApply,
	// before processing).
	Delay time.Duration
	// CloseConnection drops the connection without answering.
	CloseConnection bool
	// AfterApply processes the request first and applies the failure to its
	// answer only.
	AfterApply bool
}

// The fake's Failure has the shape of kanfangtest's: both convert to the
// machinery's one type.
var _ = fakeserver.Failure(Failure{})

// ReadTimeout is the Failure of the gateway's read timeout towards the
// command service for service: the request is processed (a valid
// saveProperty really creates the company), then the answer is HTTP 200
// {"code":404,"msg":"内部异常：I/O error on POST request for …: Read timed out; …"},
// as ApiServiceSMOImpl answers when its RestTemplate call times out.
func ReadTimeout(service string) Failure {
	return Failure{Endpoint: service, AfterApply: true, Code: codeError, Message: readTimeoutMsg(service)}
}

// readTimeoutMsg is the gateway's message for its read timeout towards
// the command service: "内部异常：" + getMessage() + getLocalizedMessage()
// of the RestTemplate's ResourceAccessException (ApiServiceSMOImpl).
func readTimeoutMsg(service string) string {
	m := `I/O error on POST request for "http://service-store/cmd/` + service + `": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out`
	return "内部异常：" + m + m
}

// FailNext makes the next n requests for f.Endpoint (any service when it
// is "") fail as f describes. Failures queue up: each request takes the
// oldest queued failure that matches its service code, whatever the
// request's own validity, and a failure is used up by n requests. A request
// for a path other than /app/{serviceCode} takes none. n <= 0 does nothing.
func (s *Server) FailNext(n int, f Failure) { s.failures.Push(n, fakeserver.Failure(f)) }

// PendingFailures returns how many registered Failures have not been used
// yet.
func (s *Server) PendingFailures() int { return s.failures.Len() }

// ClearFailures discards every registered Failure not used yet.
func (s *Server) ClearFailures() { s.failures.Clear() }

// takeFailure removes and returns the oldest queued failure for service.
func (s *Server) takeFailure(service string) (fakeserver.Failure, bool) {
	return s.failures.Take(func(f fakeserver.Failure) bool { return f.Endpoint == "" || f.Endpoint == service })
}

// failureResponse is the answer f gives; f answers and does not close the
// connection.
func failureResponse(f fakeserver.Failure) response {
	status := f.Status()
	switch {
	case f.Body != "":
		return response{status: status, contentType: f.BodyContentType(), body: []byte(f.Body)}
	case f.Code == 0 && f.Message == "" && status < 300:
		return response{status: status}
	case f.Code == 0 && f.Message == "":
		return response{status: status, contentType: "text/html;charset=UTF-8", body: []byte(fakeserver.ProxyPage(status))}
	}
	code := f.Code
	if code == 0 && status >= 300 {
		code = codeError
	}
	return jsonResponse(status, code, f.Text())
}
