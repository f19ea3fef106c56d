package testkit

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// Faults a server can show, as http.HandlerFuncs for an httptest server on
// the loopback interface. The fault-matrix tests of kanfang, property and
// internal/wire share them; none of them sleeps to synchronise.

// ClosedAddr returns a loopback host:port that nothing listens on: a dial
// to it is refused, so a request to it provably never left.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// HangUp reads nothing more and closes the connection without an answer:
// the request was sent, no response came (the client sees io.EOF).
func HangUp(w http.ResponseWriter, _ *http.Request) {
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		conn.Close()
	}
}

// ResetConn closes the connection with a TCP RST (linger 0) instead of an
// answer: the client sees ECONNRESET.
func ResetConn(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // close sends RST
	}
	conn.Close()
}

// BlockUntilClientGone never answers; it returns when the client gives up
// (a timeout or a cancelled context on the client's side).
func BlockUntilClientGone(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

// Trickle sends the headers at once, then one byte of the announced
// 2000-byte body every 5 ms until the client goes away: a slow body.
func Trickle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Length", "2000")
	w.WriteHeader(http.StatusOK)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for range 2000 {
		if _, err := w.Write([]byte(" ")); err != nil {
			return
		}
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
	}
}

// Answer answers status with body; header is name, value pairs.
func Answer(status int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// HTMLPage answers status with an nginx-style HTML error page, as a
// gateway in front of the real servers does; header is name, value pairs
// (Retry-After, for instance).
func HTMLPage(status int, header ...string) http.HandlerFunc {
	page := fmt.Sprintf("<html><head><title>%d %s</title></head><body><center><h1>%d %s</h1></center><hr><center>nginx</center></body></html>",
		status, http.StatusText(status), status, http.StatusText(status))
	return Answer(status, page, append([]string{"Content-Type", "text/html"}, header...)...)
}

// RawAnswer hijacks the connection, writes raw as the whole answer and
// hangs up: for answers cut short (a Content-Length longer than the body).
func RawAnswer(raw string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		buf.WriteString(raw)
		buf.Flush()
		conn.Close()
	}
}

// MaxLengthAnswer reads the request, then answers 200 announcing a
// Content-Length of math.MaxInt64 with only start of the body, and hangs
// up: the request was received and answered, the body never arrives in
// full.
func MaxLengthAnswer(start string) http.HandlerFunc {
	answer := RawAnswer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9223372036854775807\r\n\r\n" + start)
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		answer(w, r)
	}
}

// bigBodySize is the length of a BigBody answer: 64 MiB.
const bigBodySize = 64 << 20

// BigBody answers a 64 MiB JSON body (announced with Content-Length, or
// chunked when Chunked is set) and records how much of it it managed to
// write before the client hung up.
type BigBody struct {
	Chunked bool
	written atomic.Int64
	failed  atomic.Bool
}

// Serve is the handler.
func (b *BigBody) Serve(w http.ResponseWriter, _ *http.Request) {
	if !b.Chunked {
		w.Header().Set("Content-Length", strconv.Itoa(bigBodySize))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	chunk := bytes.Repeat([]byte(" "), 32<<10)
	for b.written.Load() < bigBodySize {
		n, err := w.Write(chunk)
		b.written.Add(int64(n))
		if err != nil {
			b.failed.Store(true)
			return
		}
	}
}

// CheckClientHungUp fails t unless the client stopped reading before the
// end: the write failed and less than the whole body went out. Call it
// after the server has been closed (its handlers have returned).
func (b *BigBody) CheckClientHungUp(t testing.TB) {
	t.Helper()
	if !b.failed.Load() || b.written.Load() >= bigBodySize {
		t.Errorf("server wrote %d bytes (failed=%v): the client read on", b.written.Load(), b.failed.Load())
	}
}
