package fakeserver

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Failure describes how a fake makes a request fail, for testing a
// client's error handling; kanfangtest.Failure and propertytest.Failure
// are this type, and each fake says what Endpoint and Code mean for its
// API.
//
// What the client sees, after any Delay:
//   - CloseConnection: the connection is dropped without an answer.
//   - Body != "": Body as is, with HTTPStatus (0 means 200) and
//     ContentType ("" guesses from the first byte: JSON for "{", HTML for
//     "<", plain text otherwise).
//   - Code or Message set: the fake's JSON envelope of Code and Message
//     with HTTPStatus (0 means 200); Message defaults to "injected
//     failure" when Code is set.
//   - HTTPStatus alone: for a status of 300 or more a proxy's HTML error
//     page (nginx's), for a 2xx an empty body.
//   - nothing but Delay: the normal answer, late (a slow server).
//
// RetryAfter, when not empty, is sent as the Retry-After header of the
// answer.
//
// What the server does: without AfterApply the failure stands in front of
// the server, like a proxy, and the request is not carried out at all,
// except for a Delay alone (a slow server). With AfterApply the request is
// carried out first, then Delay runs, then the failure replaces the
// answer: the request took effect and its answer was lost.
//
// A Delay ends early, dropping the connection without an answer, when the
// client goes away or the server is closed, so tests never hang on it.
// Dropping a connection hijacks it; where that is impossible (HTTP/2, a
// ResponseRecorder driving the fake's Handler) the handler panics with
// http.ErrAbortHandler instead. Go's http.Transport may resend an
// idempotent request (a GET) whose reused connection was dropped; that
// retry is served normally unless another Failure matches it.
type Failure struct {
	// Endpoint limits the failure to requests for one endpoint (a path,
	// a service code); "" matches any request.
	Endpoint string
	// HTTPStatus is the status of the answer; 0 means 200.
	HTTPStatus int
	// Code is the envelope's code (kanfang: its state).
	Code int
	// Message is the envelope's text.
	Message string
	// Body is a raw body to answer instead of an envelope, such as a
	// proxy's HTML error page.
	Body string
	// ContentType is the Content-Type of Body; "" guesses it.
	ContentType string
	// RetryAfter is the value of the Retry-After header, if not empty.
	RetryAfter string
	// Delay is how long to wait before answering (and, without
	// AfterApply, before carrying the request out).
	Delay time.Duration
	// CloseConnection drops the connection without an answer.
	CloseConnection bool
	// AfterApply carries the request out first and fails its answer only.
	AfterApply bool
}

// DefaultMessage is the envelope text of a Failure with a Code and no
// Message.
const DefaultMessage = "injected failure"

// answers reports whether f replaces the answer (or drops the connection),
// as opposed to only delaying it.
func (f Failure) answers() bool {
	return f.CloseConnection || f.HTTPStatus != 0 || f.Code != 0 || f.Message != "" || f.Body != ""
}

// response is f's answer; envelope builds the fake's envelope.
func (f Failure) response(envelope func(status, code int, text string) Response) Response {
	status := cmp.Or(f.HTTPStatus, http.StatusOK)
	switch {
	case f.Body != "":
		return Response{Status: status, ContentType: f.bodyContentType(), Body: []byte(f.Body)}
	case f.Code != 0 && f.Message == "":
		return envelope(status, f.Code, DefaultMessage)
	case f.Code != 0 || f.Message != "":
		return envelope(status, f.Code, f.Message)
	case status >= 300:
		head := strconv.Itoa(status) + " " + http.StatusText(status)
		page := "<html><head><title>" + head + "</title></head><body><center><h1>" + head +
			"</h1></center><hr><center>nginx</center></body></html>"
		return Response{Status: status, ContentType: "text/html;charset=UTF-8", Body: []byte(page)}
	}
	return Response{Status: status}
}

// bodyContentType is the Content-Type of f.Body: ContentType, or guessed
// from its first byte.
func (f Failure) bodyContentType() string {
	if f.ContentType != "" {
		return f.ContentType
	}
	switch b := strings.TrimSpace(f.Body); {
	case strings.HasPrefix(b, "{"):
		return "application/json;charset=UTF-8"
	case strings.HasPrefix(b, "<"):
		return "text/html;charset=UTF-8"
	}
	return "text/plain;charset=UTF-8"
}

// Failures is the queue of a fake's injected failures, oldest first. Its
// zero value is ready; it is safe for concurrent use.
type Failures struct {
	mu    sync.Mutex
	items []Failure
}

// Push queues n copies of f; n <= 0 queues nothing.
func (q *Failures) Push(n int, f Failure) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for range n {
		q.items = append(q.items, f)
	}
}

// take removes and returns the oldest failure for endpoint (one for any
// endpoint, or for this one); a request for endpoint "" takes none.
func (q *Failures) take(endpoint string) (Failure, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, f := range q.items {
		if endpoint != "" && (f.Endpoint == "" || f.Endpoint == endpoint) {
			q.items = append(q.items[:i:i], q.items[i+1:]...)
			return f, true
		}
	}
	return Failure{}, false
}

// Len is how many failures are queued.
func (q *Failures) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Clear discards every queued failure.
func (q *Failures) Clear() {
	q.mu.Lock()
	q.items = nil
	q.mu.Unlock()
}
