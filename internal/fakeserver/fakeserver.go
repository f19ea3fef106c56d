// Package fakeserver is the machinery both in-process fakes share
// (kanfangtest, propertytest): listening on loopback, serving one request
// through the queue of injected failures (Serve), counting, recording and
// logging requests, the clock, the endpoints tests register, and closing
// without waiting for injected delays. Each fake keeps only its API's
// rules.
package fakeserver

import (
	"fmt"
	"io"
	"log"
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
	// Failures are the failures injected by the fake's FailNext.
	Failures Failures
	// Clock is the fake's clock (WithClock, Advance); Request.ReceivedAt
	// is read on it.
	*Clock

	srv       *http.Server
	serveDone chan struct{}
	closing   chan struct{} // closed by Close: ends delays
	closeOnce sync.Once

	mu        sync.Mutex // guards what follows and every Request in flight
	closed    bool
	inflight  sync.WaitGroup
	counts    map[string]int
	total     int
	log       []Request           // answered or abandoned, oldest answer first
	last      map[string]*Request // endpoint -> last request received
	delayHook func(event string)
}

// SetDelayHook makes delays report their events to fn, for the fakes' own
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
// [::1]) when l is nil, with the clock clock (nil means time.Now). It
// panics when it cannot listen, as httptest.NewServer does; name prefixes
// the message.
func Start(name string, l net.Listener, clock func() time.Time, h http.Handler) *Lifecycle {
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
		Clock:     NewClock(clock),
		counts:    make(map[string]int),
		last:      make(map[string]*Request),
	}
	lc.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	go func() {
		defer close(lc.serveDone)
		_ = lc.srv.Serve(l) // http.ErrServerClosed on Close
	}()
	return lc
}

// Count is how many requests arrived for endpoint, whatever their outcome;
// "" counts every request.
func (lc *Lifecycle) Count(endpoint string) int {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if endpoint == "" {
		return lc.total
	}
	return lc.counts[endpoint]
}

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

// wait sleeps for d and reports true, or reports false as soon as the
// client goes away or the server closes.
func (lc *Lifecycle) wait(r *http.Request, d time.Duration) bool {
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
