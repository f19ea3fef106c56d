package propertytest

import "github.com/fangsdk/fang/internal/fakeserver"

// Failure describes how FailNext makes a request fail; it is the type
// kanfangtest.Failure is, and its fields say what the client sees and
// what the server does. Here Endpoint is a service code, and Code and
// Message form the JSON envelope {"code":Code,"msg":Message}; an error
// status (3xx and above) never carries a success envelope, as the gateway
// never sends one: with Message but no Code the code is 404. Without
// AfterApply the request is not processed at all (its transaction-id is
// not recorded, nothing is created); with AfterApply it is (a valid
// saveProperty really creates the company, a login really opens a
// session) and its answer is lost. ReadTimeout builds the Failure of the
// gateway's own read timeout.
//
// Its fields (documented in full on internal/fakeserver.Failure): Endpoint;
// what the client sees — HTTPStatus (0 means 200), Code and Message, or a
// raw Body with its ContentType, RetryAfter, Delay before answering,
// CloseConnection to drop the connection instead; and AfterApply.
type Failure = fakeserver.Failure

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
func (s *Server) FailNext(n int, f Failure) { s.lc.Failures.Push(n, f) }

// PendingFailures returns how many registered Failures have not been used
// yet.
func (s *Server) PendingFailures() int { return s.lc.Failures.Len() }

// ClearFailures discards every registered Failure not used yet.
func (s *Server) ClearFailures() { s.lc.Failures.Clear() }
