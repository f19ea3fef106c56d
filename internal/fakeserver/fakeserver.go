// Package fakeserver is the machinery both in-process fakes share
// (kanfangtest, propertytest): listening on loopback, serving, tracking
// requests in flight, closing without waiting for injected delays, a queue
// of injected failures, delays that end when the client goes away or the
// server closes, and dropping a connection without an answer. Each fake
// keeps only its API's rules.
package fakeserver

import (
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/fangsdk/fang/internal/listenurl"
)

// Lifecycle serves a fake's handler and stops it cleanly.
type Lifecycle struct {
	// URL is the base URL of the listener, http://127.0.0.1:PORT.
	URL string

	srv       *http.Server
	serveDone chan struct{}
	closing   chan struct{} // closed by Close: ends delays
	closeOnce sync.Once

	mu        sync.Mutex
	closed    bool
	inflight  sync.WaitGroup
	delayHook func(event string)
}

// SetDelayHook makes Wait report its events to fn, for the fakes' own
// tests: "delay-start", then "delay-end:elapsed", "delay-end:client" or
// "delay-end:closed".
func (lc *Lifecycle) SetDelayHook(fn func(event string)) {
	lc.mu.Lock()
	lc.delayHook = fn
	lc.mu.Unlock()
}

func (lc *Lifecycle) hook(event string) {
	lc.mu.Lock()
	fn := lc.delayHook
	lc.mu.Unlock()
	if fn != nil {
		fn(event)
	}
}

// Start serves h on l, or on a new listener on 127.0.0.1 (falling back to
// [::1]) when l is nil. It panics when it cannot listen, as
// httptest.NewServer does; name prefixes the message.
func Start(name string, l net.Listener, h http.Handler) *Lifecycle {
	if l == nil {
		var err error
		if l, err = net.Listen("tcp", "127.0.0.1:0"); err != nil { //nolint:noctx // NewServer has no context, like httptest.NewServer
			if l, err = net.Listen("tcp6", "[::1]:0"); err != nil { //nolint:noctx // as above
				panic(fmt.Sprintf("%s: cannot listen on loopback: %v", name, err))
			}
		}
	}
	lc := &Lifecycle{
		URL:       listenurl.HTTP(l.Addr()),
		serveDone: make(chan struct{}),
		closing:   make(chan struct{}),
	}
	lc.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	go func() {
		defer close(lc.serveDone)
		_ = lc.srv.Serve(l) // http.ErrServerClosed on Close
	}()
	return lc
}

// Enter registers a request in flight; it reports false once the server
// is closed (the request is then to be answered 503). Leave must follow a
// true Enter.
func (lc *Lifecycle) Enter() bool {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if lc.closed {
		return false
	}
	lc.inflight.Add(1)
	return true
}

// Leave ends a request that Enter registered.
func (lc *Lifecycle) Leave() { lc.inflight.Done() }

// Close stops listening, closes every connection, ends delays at once and
// waits for the requests in flight. It never waits for a delay to run out
// and may be called more than once.
func (lc *Lifecycle) Close() {
	lc.closeOnce.Do(func() {
		lc.mu.Lock()
		lc.closed = true
		close(lc.closing)
		lc.mu.Unlock()
		_ = lc.srv.Close()
		<-lc.serveDone
		lc.inflight.Wait()
	})
}

// Wait sleeps for d and reports true, or reports false as soon as the
// client goes away or the server closes.
func (lc *Lifecycle) Wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	lc.hook("delay-start")
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		lc.hook("delay-end:elapsed")
		return true
	case <-r.Context().Done():
		lc.hook("delay-end:client")
		return false
	case <-lc.closing:
		lc.hook("delay-end:closed")
		return false
	}
}

// Drop ends the exchange without an answer: it closes the connection, or
// where that is impossible (HTTP/2, a recorder) aborts the handler.
func Drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// Buffer is a ResponseWriter that keeps an answer until WriteTo sends it,
// so that a fake can carry a request out and still replace its answer.
type Buffer struct {
	header http.Header
	status int
	body   []byte
}

// NewBuffer returns an empty Buffer.
func NewBuffer() *Buffer { return &Buffer{header: http.Header{}} }

// Header is the answer's header.
func (b *Buffer) Header() http.Header { return b.header }

// WriteHeader keeps the first status written.
func (b *Buffer) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

// Write keeps p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	b.body = append(b.body, p...)
	return len(p), nil
}

// WriteTo sends the kept answer to w.
func (b *Buffer) WriteTo(w http.ResponseWriter) {
	maps.Copy(w.Header(), b.header)
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body)
}

// Queue holds injected failures in the order they were queued.
type Queue[F any] struct {
	mu    sync.Mutex
	items []F
}

// Push queues n copies of f; n <= 0 queues nothing.
func (q *Queue[F]) Push(n int, f F) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for range n {
		q.items = append(q.items, f)
	}
}

// Take removes and returns the oldest failure that match accepts.
func (q *Queue[F]) Take(match func(F) bool) (F, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, f := range q.items {
		if match(f) {
			q.items = append(q.items[:i:i], q.items[i+1:]...)
			return f, true
		}
	}
	var zero F
	return zero, false
}

// Len is how many failures are queued.
func (q *Queue[F]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Clear discards every queued failure.
func (q *Queue[F]) Clear() {
	q.mu.Lock()
	q.items = nil
	q.mu.Unlock()
}
