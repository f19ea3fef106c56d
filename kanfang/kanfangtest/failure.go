package kanfangtest

import (
	"github.com/fangsdk/fang/internal/fakeserver"

	"bytes"
	"io"
	"net/http"
	"strings"
	"time"
)

// Failure describes how the server should misbehave for a request, for
// testing a client's error handling. Register it with Server.FailNext.
//
// A Failure is applied before normal processing, so the request itself is
// not carried out (no token is checked or issued, no number is stored),
// except for a delay-only Failure (see Delay). The answer is chosen as
// follows, after any Delay:
//
//   - CloseConnection: the connection is closed without any answer.
//   - Body != "": Body is written as is with HTTPStatus (default 200) and
//     ContentType (default: sniffed with http.DetectContentType).
//   - State != 0: the envelope {"state": State, "payload": Message} is
//     written as JSON with HTTPStatus (default 200).
//   - otherwise, if HTTPStatus != 0: that status with an empty body.
//
// RetryAfter, when not empty, is sent as the Retry-After header of the
// answer.
type Failure struct {
	// Path limits the Failure to requests for this exact path, for example
	// PutAnjukeBianHaoPath; "" matches any request.
	Path string
	// State is the envelope state to answer, such as 500 or 401.
	State int
	// Message is the envelope's payload text (default "injected failure").
	Message string
	// HTTPStatus is the HTTP status of the answer; 0 means 200.
	HTTPStatus int
	// Body is a raw body to answer instead of an envelope, for example a
	// gateway's HTML "502 Bad Gateway" page.
	Body string
	// ContentType is the Content-Type sent with Body.
	ContentType string
	// RetryAfter is the value of the Retry-After header, if not empty.
	RetryAfter string
	// Delay is how long to wait before answering. The wait ends early,
	// with no answer, when the client goes away (its context is canceled or
	// its connection closed) or when the server is closed, so tests never
	// hang on it. A Failure that sets none of State, HTTPStatus, Body and
	// CloseConnection only delays: the request is then processed normally,
	// which simulates a slow server (RetryAfter and ContentType are then
	// ignored).
	Delay time.Duration
	// CloseConnection closes the connection without answering, as a crashed
	// server or a broken network would. Note that Go's http.Transport may
	// transparently resend an idempotent request (a GET) that failed this
	// way on a reused connection; that retry is processed normally unless
	// another Failure matches it.
	CloseConnection bool
}

// delayOnly reports whether f only slows the request down.
func (f *Failure) delayOnly() bool {
	return f.State == 0 && f.HTTPStatus == 0 && f.Body == "" && !f.CloseConnection
}

// FailNext makes the next n requests matching f.Path fail as f describes.
// Calls add up: queued Failures are used in the order they were registered,
// each request consuming the first one that matches its path. A request
// that matches none is processed normally. n <= 0 does nothing.
func (s *Server) FailNext(n int, f Failure) { s.failures.Push(n, f) }

// PendingFailures returns how many registered Failures have not been used
// yet.
func (s *Server) PendingFailures() int { return s.failures.Len() }

// ClearFailures discards every registered Failure not used yet.
func (s *Server) ClearFailures() { s.failures.Clear() }

// takeFailure removes and returns the first queued Failure matching path.
func (s *Server) takeFailure(path string) (Failure, bool) {
	return s.failures.Take(func(f Failure) bool { return f.Path == "" || f.Path == path })
}

// inject applies f to the request. It reports whether the request has been
// dealt with; false means a delay-only Failure has run and normal processing
// should follow.
func (s *Server) inject(w http.ResponseWriter, r *http.Request, f Failure, rec *Request) bool {
	rec.Injected = true
	if f.Delay > 0 {
		// net/http notices a client going away only once the request body
		// has been read, so read it now and hand a copy to what follows.
		bufferBody(r)
		s.hook("delay-start")
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
			s.hook("delay-end:elapsed")
		case <-r.Context().Done():
			s.record(rec)
			s.hook("delay-end:client")
			abort(w)
		case <-s.lc.Closing():
			s.record(rec)
			s.hook("delay-end:closed")
			abort(w)
		}
	}
	if f.delayOnly() {
		return false
	}
	if f.CloseConnection {
		s.record(rec)
		abort(w)
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	status := f.HTTPStatus
	if status == 0 {
		status = http.StatusOK
	}
	switch {
	case f.Body != "":
		ct := f.ContentType
		if ct == "" {
			ct = http.DetectContentType([]byte(f.Body))
		}
		rec.HTTPStatus = status
		s.record(rec)
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", itoa(len(f.Body)))
		w.WriteHeader(status)
		_, _ = strings.NewReader(f.Body).WriteTo(w)
	case f.State != 0:
		msg := f.Message
		if msg == "" {
			msg = "injected failure"
		}
		s.writeEnvelope(w, rec, status, f.State, msg)
	default:
		rec.HTTPStatus = status
		s.record(rec)
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(status)
	}
	return true
}

// abort ends the request without any answer: it closes the connection
// (hijacking it when it can) and never returns.
func abort(w http.ResponseWriter) {
	fakeserver.Drop(w)
	// Make net/http drop the response (and, on HTTP/2, reset the stream)
	// rather than complete it.
	panic(http.ErrAbortHandler)
}

// bufferBody reads up to maxBody+1 bytes of the request body into memory
// and replaces r.Body with an equivalent reader, so that the whole body is
// still there for normal processing.
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

// hook reports a test event, if a test installed a hook.
func (s *Server) hook(event string) {
	s.mu.Lock()
	fn := s.testHookFn
	s.mu.Unlock()
	if fn != nil {
		fn(event)
	}
}
