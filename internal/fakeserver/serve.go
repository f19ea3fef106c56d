package fakeserver

import (
	"io"
	"maps"
	"net/http"
	"strconv"
	"strings"
)

// MaxBody is how much of a request body a fake reads: a fake refuses a
// larger body with its API's own answer.
const MaxBody = 1 << 20

// Response is an answer a fake builds before it is written, so that a
// failure injected with AfterApply can still replace it.
type Response struct {
	Status      int
	ContentType string
	Header      http.Header // more headers (Allow, Location); may be nil
	Body        []byte
	Code        int // the envelope's code (kanfang: state); 0 when none
}

// write sends resp to w; plain text is marked nosniff.
func (resp Response) write(w http.ResponseWriter) {
	h := w.Header()
	maps.Copy(h, resp.Header)
	if resp.ContentType != "" {
		h.Set("Content-Type", resp.ContentType)
	}
	if strings.HasPrefix(resp.ContentType, "text/plain") {
		h.Set("X-Content-Type-Options", "nosniff")
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}

// Exchange is what a fake gives Serve for one request.
type Exchange struct {
	// Endpoint counts the request (Count) and picks the failures it may
	// take; "" counts it in the total only and takes none.
	Endpoint string
	// Closed is the answer once the server is closed.
	Closed Response
	// Admit, if not nil, is called once the request is admitted and its
	// body read (at most MaxBody+1 bytes), before any failure applies.
	Admit func(body []byte, injected bool)
	// Process carries the request out and returns its answer.
	Process func(body []byte) Response
	// Envelope builds the fake's envelope for a failure's Code and text.
	Envelope func(status, code int, text string) Response
	// Done records the outcome just before the answer is written: the
	// zero Response when none is (a dropped connection, the client gone).
	Done func(resp Response, injected bool)
}

// Serve runs one request through the next failure queued for its
// endpoint, in the order Failure describes, and writes the answer.
func (lc *Lifecycle) Serve(w http.ResponseWriter, r *http.Request, x Exchange) {
	lc.arrive(x.Endpoint)
	if !lc.enter() {
		x.Done(x.Closed, false)
		x.Closed.write(w)
		return
	}
	defer lc.inflight.Done()
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(io.LimitReader(r.Body, MaxBody+1)); err != nil {
			x.Done(Response{}, false) // the client went away while sending
			return
		}
	}
	f, failing := lc.Failures.take(x.Endpoint)
	if x.Admit != nil {
		x.Admit(body, failing)
	}
	if failing && !f.AfterApply && lc.fail(w, r, f, x) {
		return
	}
	resp := x.Process(body)
	if failing && f.AfterApply && lc.fail(w, r, f, x) {
		return
	}
	x.Done(resp, failing)
	resp.write(w)
}

// fail waits f.Delay and applies f; it reports whether the exchange is
// over (false: f only delays). A delay ends early, dropping the
// connection, when the client goes away or the server closes.
func (lc *Lifecycle) fail(w http.ResponseWriter, r *http.Request, f Failure, x Exchange) bool {
	if !lc.wait(r, f.Delay) || f.CloseConnection {
		x.Done(Response{}, true)
		drop(w)
		return true
	}
	if !f.answers() {
		return false
	}
	resp := f.response(x.Envelope)
	if f.RetryAfter != "" {
		resp.Header = http.Header{"Retry-After": {f.RetryAfter}}
	}
	x.Done(resp, true)
	resp.write(w)
	return true
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
