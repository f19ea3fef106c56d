package fakeserver

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Failure is the shape of both fakes' exported Failure types
// (kanfangtest.Failure and propertytest.Failure). Each package declares its
// own type with exactly these fields, so that go doc shows them there, and
// converts it with Failure(f): the conversion stops compiling the day the
// shapes differ. The semantics below are the fakes' one vocabulary; each
// package says what Endpoint and Code mean for its API.
type Failure struct {
	Endpoint        string // the endpoint it applies to (a path, a service code); "" any
	HTTPStatus      int    // the answer's status; 0 means 200
	Code            int    // the envelope's code (kanfang: state)
	Message         string // the envelope's text; DefaultMessage when Code is set and this is empty
	Body            string // a raw body instead of an envelope
	ContentType     string // of Body; "" guesses from its first byte
	RetryAfter      string // the Retry-After header of the answer, if not empty
	Delay           time.Duration
	CloseConnection bool // drop the connection without an answer
	AfterApply      bool // carry the request out first, then fail its answer
}

// DefaultMessage is the envelope text of a Failure with a Code and no
// Message.
const DefaultMessage = "injected failure"

// Answers reports whether f replaces the answer (or drops the connection),
// as opposed to only delaying it.
func (f Failure) Answers() bool {
	return f.CloseConnection || f.HTTPStatus != 0 || f.Code != 0 || f.Message != "" || f.Body != ""
}

// Status is the status of f's answer: HTTPStatus, or 200.
func (f Failure) Status() int {
	if f.HTTPStatus == 0 {
		return http.StatusOK
	}
	return f.HTTPStatus
}

// Text is the envelope text of f's answer.
func (f Failure) Text() string {
	if f.Message == "" && f.Code != 0 {
		return DefaultMessage
	}
	return f.Message
}

// BodyContentType is the Content-Type of f.Body: ContentType, or guessed
// from its first byte (JSON for "{", HTML for "<", plain text otherwise).
func (f Failure) BodyContentType() string {
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

// ProxyPage is the HTML error page a proxy (nginx) answers with status,
// the answer of both fakes to a Failure that sets only an error
// HTTPStatus.
func ProxyPage(status int) string {
	head := strconv.Itoa(status) + " " + http.StatusText(status)
	return "<html><head><title>" + head + "</title></head><body><center><h1>" + head +
		"</h1></center><hr><center>nginx</center></body></html>"
}

// Hooks are what a fake gives Serve for one request.
type Hooks struct {
	// Process carries the request out and returns how to write its
	// normal answer.
	Process func() (write func())
	// Answer writes the answer of a failure that answers (never one
	// that closes the connection).
	Answer func(f Failure)
	// Dropped is called when the exchange is about to end without an
	// answer (a dropped connection, the client gone, the server closed).
	Dropped func()
}

// Serve runs one request through the injected failure f (failing false:
// none), in the order both fakes follow:
//
//   - without AfterApply the failure stands in front of the server, like a
//     proxy: after Delay it answers (or drops the connection) and the
//     request is not carried out — unless it only delays, in which case the
//     request is then carried out normally (a slow server);
//   - with AfterApply the request is carried out first, then Delay runs,
//     then the failure replaces the answer (the answer was lost after the
//     request took effect).
//
// A delay ends early, dropping the connection without an answer, when the
// client goes away or the server closes, so tests never hang on it.
func (lc *Lifecycle) Serve(w http.ResponseWriter, r *http.Request, f Failure, failing bool, h Hooks) {
	if failing && !f.AfterApply {
		if lc.fail(w, r, f, h) {
			return
		}
	}
	write := h.Process()
	if failing && f.AfterApply && lc.fail(w, r, f, h) {
		return
	}
	write()
}

// fail waits f.Delay and applies f; it reports whether the exchange is
// over (false: f only delays).
func (lc *Lifecycle) fail(w http.ResponseWriter, r *http.Request, f Failure, h Hooks) bool {
	if !lc.Wait(r, f.Delay) || f.CloseConnection {
		h.Dropped()
		Drop(w)
		return true
	}
	if !f.Answers() {
		return false
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	h.Answer(f)
	return true
}
