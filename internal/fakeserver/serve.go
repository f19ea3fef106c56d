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
	// Endpoint counts the request (Count), names it for Last and picks
	// the failures it may take; "" counts it in the total only, is not
	// kept for Last and takes no failure.
	Endpoint string
	// Record holds the fake's own fields of the request's record
	// (ServiceCode, TransactionID, UserID); Serve fills in the rest.
	Record Request
	// Closed is the answer once the server is closed.
	Closed Response
	// Process carries the request out and returns its answer; it changes
	// rec only through Note.
	Process func(rec *Request, body []byte) Response
	// Envelope builds the fake's envelope for a failure's Code and text.
	Envelope func(status, code int, text string) Response
}

// Serve records one request, runs it through the next failure queued for
// its endpoint, in the order Failure describes, writes the answer and logs
// the record just before.
func (lc *Lifecycle) Serve(w http.ResponseWriter, r *http.Request, x Exchange) {
	rec := &x.Record
	rec.Method, rec.Path, rec.Header, rec.Query = r.Method, r.URL.Path, r.Header.Clone(), r.URL.Query()
	rec.ReceivedAt = lc.Now()
	lc.mu.Lock()
	lc.total++
	if x.Endpoint != "" {
		lc.counts[x.Endpoint]++
		lc.last[x.Endpoint] = rec
	}
	closed := lc.closed
	if !closed {
		lc.inflight.Add(1) // Close waits for it
	}
	lc.mu.Unlock()
	if closed {
		lc.done(w, rec, x.Closed, false)
		return
	}
	defer lc.inflight.Done()
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(io.LimitReader(r.Body, MaxBody+1)); err != nil {
			lc.done(nil, rec, Response{}, false) // the client went away while sending
			return
		}
	}
	f, failing := lc.Failures.take(x.Endpoint)
	lc.Note(rec, func(rec *Request) { rec.Body, rec.Injected = body, failing })
	if failing && !f.AfterApply && lc.fail(w, r, rec, f, x) {
		return
	}
	resp := x.Process(rec, body)
	if failing && f.AfterApply && lc.fail(w, r, rec, f, x) {
		return
	}
	lc.done(w, rec, resp, failing)
}

// done logs rec with the outcome, then writes resp to w unless w is nil
// (no answer: a dropped connection, the client gone).
func (lc *Lifecycle) done(w http.ResponseWriter, rec *Request, resp Response, injected bool) {
	lc.mu.Lock()
	rec.HTTPStatus, rec.State, rec.Injected = resp.Status, resp.Code, injected
	lc.log = append(lc.log, *rec) // no longer changed; Log and Last hand out copies
	lc.mu.Unlock()
	if w != nil {
		resp.write(w)
	}
}

// fail waits f.Delay and applies f; it reports whether the exchange is
// over (false: f only delays). A delay ends early, dropping the
// connection, when the client goes away or the server closes.
func (lc *Lifecycle) fail(w http.ResponseWriter, r *http.Request, rec *Request, f Failure, x Exchange) bool {
	if !lc.wait(r, f.Delay) || f.CloseConnection {
		lc.done(nil, rec, Response{}, true)
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
	lc.done(w, rec, resp, true)
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
