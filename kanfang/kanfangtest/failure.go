package kanfangtest

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/fangsdk/fang/internal/fakeserver"
)

// Failure describes how the server should misbehave for a request, for
// testing a client's error handling. Register it with Server.FailNext.
// propertytest.Failure has the same fields with the same meaning.
//
// What the client sees, after any Delay:
//   - CloseConnection: the connection is closed without any answer.
//   - Body != "": Body as is, with HTTPStatus (0 means 200) and
//     ContentType ("" guesses from the first byte: JSON for "{", HTML for
//     "<", plain text otherwise).
//   - Code or Message set: the envelope {"state": Code, "payload": Message}
//     with HTTPStatus (0 means 200); Message defaults to "injected failure".
//   - HTTPStatus alone: for a status of 300 or more a proxy's HTML error
//     page (nginx's), for a 2xx an empty body.
//   - nothing but Delay: the normal answer, late (a slow server).
//
// RetryAfter, when not empty, is sent as the Retry-After header of the
// answer.
//
// What the server does: without AfterApply the failure stands in front of
// the server, like a proxy, and the request is not carried out (no token is
// checked or issued, no number is stored), except for a Delay alone. With
// AfterApply the request is carried out first (a number is stored, a token
// issued), then Delay runs, then the failure replaces the answer: the
// request took effect and its answer was lost.
//
// A Delay ends early, closing the connection without an answer, when the
// client goes away or the server is closed, so tests never hang on it.
type Failure struct {
	// Endpoint limits the Failure to requests for this exact path, for
	// example PathPutAnjukeBianHao; "" matches any request.
	Endpoint string
	// HTTPStatus is the HTTP status of the answer; 0 means 200.
	HTTPStatus int
	// Code is the envelope's state to answer, such as 500 or 401.
	Code int
	// Message is the envelope's payload text.
	Message string
	// Body is a raw body to answer instead of an envelope, for example a
	// gateway's HTML "502 Bad Gateway" page.
	Body string
	// ContentType is the Content-Type sent with Body.
	ContentType string
	// RetryAfter is the value of the Retry-After header, if not empty.
	RetryAfter string
	// Delay is how long to wait before answering (and, without AfterApply,
	// before carrying the request out).
	Delay time.Duration
	// CloseConnection closes the connection without answering, as a crashed
	// server or a broken network would. Note that Go's http.Transport may
	// transparently resend an idempotent request (a GET) that failed this
	// way on a reused connection; that retry is processed normally unless
	// another Failure matches it.
	CloseConnection bool
	// AfterApply carries the request out first and fails its answer only.
	AfterApply bool
}

// FailNext makes the next n requests for f.Endpoint (any request when it
// is "") fail as f describes. Calls add up: queued Failures are used in the
// order they were registered, each request taking the oldest one that
// matches its path. A request that matches none is processed normally.
// n <= 0 does nothing.
func (s *Server) FailNext(n int, f Failure) { s.failures.Push(n, fakeserver.Failure(f)) }

// PendingFailures returns how many registered Failures have not been used
// yet.
func (s *Server) PendingFailures() int { return s.failures.Len() }

// ClearFailures discards every registered Failure not used yet.
func (s *Server) ClearFailures() { s.failures.Clear() }

// takeFailure removes and returns the first queued Failure matching path.
func (s *Server) takeFailure(path string) (fakeserver.Failure, bool) {
	return s.failures.Take(func(f fakeserver.Failure) bool { return f.Endpoint == "" || f.Endpoint == path })
}

// answer writes the answer of an injected failure f.
func (s *Server) answer(w http.ResponseWriter, rec *Request, f fakeserver.Failure) {
	switch {
	case f.Body != "":
		rec.HTTPStatus, rec.State = f.Status(), 0
		s.record(rec)
		w.Header().Set("Content-Type", f.BodyContentType())
		w.Header().Set("Content-Length", itoa(len(f.Body)))
		w.WriteHeader(f.Status())
		_, _ = strings.NewReader(f.Body).WriteTo(w)
	case f.Code != 0 || f.Message != "":
		s.writeEnvelope(w, rec, f.Status(), f.Code, f.Text())
	case f.Status() >= 300:
		s.answer(w, rec, fakeserver.Failure{HTTPStatus: f.Status(), Body: fakeserver.ProxyPage(f.Status())})
	default:
		rec.HTTPStatus, rec.State = f.Status(), 0
		s.record(rec)
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(f.Status())
	}
}

// bufferBody reads up to maxBody+1 bytes of the request body into memory
// and replaces r.Body with an equivalent reader, so that the whole body is
// still there for normal processing. net/http notices a client going away
// only once the request body has been read: a delay needs it read first.
func bufferBody(r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	buf, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	rest := r.Body
	if err != nil {
		rest = io.NopCloser(errReader{err})
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(buf), rest), r.Body}
}

// errReader always fails with err.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
