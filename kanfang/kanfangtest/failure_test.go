package kanfangtest

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// events installs a test hook and returns the channel of its events.
func events(s *Server) <-chan string {
	ch := make(chan string, 16)
	s.mu.Lock()
	s.lc.SetDelayHook(func(e string) { ch <- e })
	s.mu.Unlock()
	return ch
}

// within fails the test if ch yields nothing in a generous time. It is a
// guard against hangs, not a synchronisation device.
func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

func TestFailNextState(t *testing.T) {
	s := newServer(t)
	s.FailNext(2, Failure{Endpoint: PathPutAnjukeBianHao, Code: 500, Message: "InnerServerError -> boom"})
	s.FailNext(1, Failure{Endpoint: PathGetAccessToken, Code: 401})
	if s.PendingFailures() != 3 {
		t.Fatalf("PendingFailures = %d", s.PendingFailures())
	}
	// A request for another path is not affected, and does not use them up.
	wantState(t, send(t, getRequest(t, s, PathRefreshToken, url.Values{"clientEdtion": {ClientEdition}})), 4011, "")
	wantState(t, put(t, s, "p", "1"), 500, "InnerServerError -> boom")
	wantState(t, put(t, s, "p", "1"), 500, "")
	wantState(t, put(t, s, "p", "1"), 200, "")
	if got := s.Requests(PathPutAnjukeBianHao); got != 3 {
		t.Fatalf("Requests = %d", got)
	}
	res := send(t, getRequest(t, s, PathGetAccessToken, url.Values{"authKey": {s.AuthKey}, "authValue": {s.AuthValue}, "clientEdtion": {ClientEdition}}))
	wantState(t, res, 401, "injected failure")
	if s.Logins() != 0 {
		t.Fatal("an injected failure counted as a login")
	}
	log := s.RequestLog()
	if !log[1].Injected || log[1].State != 500 || log[3].Injected {
		t.Fatalf("log %+v", log)
	}

	s.FailNext(3, Failure{Code: 500})
	s.ClearFailures()
	wantState(t, put(t, s, "p", "1"), 200, "")
}

func TestFailNextNotApplied(t *testing.T) {
	s := newServer(t)
	s.FailNext(1, Failure{Code: 403, Message: "no"})
	wantState(t, put(t, s, "p", "1"), 403, "no")
	if _, ok := s.AnjukeBianHao("p"); ok {
		t.Fatal("a failed request was applied")
	}
}

func TestFailNextHTMLBody(t *testing.T) {
	s := newServer(t)
	const page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
	s.FailNext(1, Failure{HTTPStatus: http.StatusBadGateway, Body: page, RetryAfter: "3"})
	res := put(t, s, "p", "1")
	if res.HTTPStatus != 502 || res.Body != page || res.Header.Get("Retry-After") != "3" ||
		!strings.HasPrefix(res.ContentType, "text/html") {
		t.Fatalf("HTTP %d CT %q Retry-After %q body %q", res.HTTPStatus, res.ContentType, res.Header.Get("Retry-After"), res.Body)
	}
	// An error status alone: a proxy's page, as propertytest answers.
	s.FailNext(1, Failure{HTTPStatus: http.StatusServiceUnavailable})
	res = put(t, s, "p", "1")
	if res.HTTPStatus != 503 || !strings.Contains(res.Body, "<h1>503 Service Unavailable</h1>") || !strings.HasPrefix(res.ContentType, "text/html") {
		t.Fatalf("HTTP %d body %q", res.HTTPStatus, res.Body)
	}
	// A 2xx alone: an empty body.
	s.FailNext(1, Failure{HTTPStatus: http.StatusNoContent})
	if res = put(t, s, "p", "1"); res.HTTPStatus != 204 || res.Body != "" {
		t.Fatalf("HTTP %d body %q", res.HTTPStatus, res.Body)
	}
	s.FailNext(1, Failure{HTTPStatus: 429, Code: 500, RetryAfter: "1"})
	res = put(t, s, "p", "1")
	if res.HTTPStatus != 429 || res.State != 500 || res.Header.Get("Retry-After") != "1" {
		t.Fatalf("HTTP %d state %d", res.HTTPStatus, res.State)
	}
}

func TestFailNextCloseConnection(t *testing.T) {
	s := newServer(t)
	s.FailNext(1, Failure{CloseConnection: true})
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	_, err := c.Do(putRequest(t, s, url.Values{"packageId": {"p"}, "anjukeBianHao": {"1"}}))
	if err == nil {
		t.Fatal("no error from a closed connection")
	}
	if _, ok := s.AnjukeBianHao("p"); ok {
		t.Fatal("applied")
	}
	wantState(t, put(t, s, "p", "1"), 200, "")
}

func TestFailNextDelayClientCancel(t *testing.T) {
	s := newServer(t)
	ev := events(s)
	s.FailNext(1, Failure{Delay: time.Hour, Code: 500})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		r := putRequest(t, s, url.Values{"packageId": {"p"}, "anjukeBianHao": {"1"}}).WithContext(ctx)
		resp, err := http.DefaultClient.Do(r)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	if e := within(t, ev, "delay start"); e != "delay-start" {
		t.Fatalf("event %q", e)
	}
	cancel()
	if err := within(t, errc, "client"); !errors.Is(err, context.Canceled) {
		t.Fatalf("client error %v", err)
	}
	if e := within(t, ev, "delay end"); e != "delay-end:client" {
		t.Fatalf("event %q", e)
	}
	if _, ok := s.AnjukeBianHao("p"); ok {
		t.Fatal("applied")
	}
}

func TestFailNextDelayOnly(t *testing.T) {
	s := newServer(t)
	ev := events(s)
	s.FailNext(1, Failure{Delay: time.Millisecond})
	wantState(t, put(t, s, "p", "slow"), 200, "")
	if v, _ := s.AnjukeBianHao("p"); v != "slow" {
		t.Fatal("delay-only failure did not process the request")
	}
	within(t, ev, "start")
	if e := within(t, ev, "end"); e != "delay-end:elapsed" {
		t.Fatalf("event %q", e)
	}
	if log := s.RequestLog(); !log[0].Injected || log[0].State != 200 {
		t.Fatalf("log %+v", log[0])
	}
}

func TestCloseDuringDelay(t *testing.T) {
	s := NewServer()
	ev := events(s)
	s.FailNext(2, Failure{Delay: time.Hour, Code: 500})
	errc := make(chan error, 2)
	for range 2 {
		go func() {
			resp, err := http.DefaultClient.Do(putRequest(t, s, url.Values{"packageId": {"p"}, "anjukeBianHao": {"1"}}))
			if err == nil {
				resp.Body.Close()
			}
			errc <- err
		}()
	}
	within(t, ev, "first delay")
	within(t, ev, "second delay")
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	within(t, closed, "Close")
	for range 2 {
		if err := within(t, errc, "client"); err == nil {
			t.Fatal("client got an answer from a closed server")
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	s := newServer(t)
	const workers = 16
	const each = 10
	var wg sync.WaitGroup
	errs := make(chan string, workers*each*4)
	for w := range workers {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := &http.Client{}
			for i := range each {
				// Log in, refresh, put with the new token.
				q := url.Values{"authKey": {s.AuthKey}, "authValue": {s.AuthValue}, "clientEdtion": {ClientEdition}}
				p, err := tokenCall(c, s.URL+PathGetAccessToken+"?"+q.Encode(), "")
				if err != nil {
					errs <- err.Error()
					continue
				}
				p, err = tokenCall(c, s.URL+PathRefreshToken+"?clientEdtion="+ClientEdition, p.RefreshToken)
				if err != nil {
					errs <- err.Error()
					continue
				}
				body := url.Values{"packageId": {"pkg-" + strconv.Itoa(w)}, "anjukeBianHao": {strconv.Itoa(i)}}.Encode()
				req, _ := http.NewRequest(http.MethodPost, s.URL+PathPutAnjukeBianHao, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Authorization", p.Token)
				resp, err := c.Do(req)
				if err != nil {
					errs <- err.Error()
					continue
				}
				resp.Body.Close()
				s.FailNext(1, Failure{Endpoint: "/nowhere", Code: 500})
				_ = s.RequestLog()
				_, _ = s.AnjukeBianHao("pkg-0")
				_ = s.Requests(PathPutAnjukeBianHao)
				s.Advance(0)
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if got := s.Logins(); got != workers*each {
		t.Fatalf("Logins = %d", got)
	}
	if got := s.Refreshes(); got != workers*each {
		t.Fatalf("Refreshes = %d", got)
	}
	if got := s.Requests(PathPutAnjukeBianHao); got != workers*each {
		t.Fatalf("Requests = %d", got)
	}
	for w := range workers {
		if v, _ := s.AnjukeBianHao("pkg-" + strconv.Itoa(w)); v != strconv.Itoa(each-1) {
			t.Fatalf("pkg-%d = %q", w, v)
		}
	}
	if got := len(s.RequestLog()); got != 3*workers*each {
		t.Fatalf("log length %d", got)
	}
}

// TestFailNextAfterApply: the number is stored, then the answer is lost
// (here replaced by a 504 with Retry-After); a login after apply counts.
func TestFailNextAfterApply(t *testing.T) {
	s := newServer(t)
	s.FailNext(1, Failure{Endpoint: PathPutAnjukeBianHao, HTTPStatus: http.StatusGatewayTimeout, Body: "<html>504</html>", RetryAfter: "3", AfterApply: true})
	res := send(t, putRequest(t, s, url.Values{"packageId": {"p-after"}, "anjukeBianHao": {"9"}}))
	if res.HTTPStatus != http.StatusGatewayTimeout || res.Header.Get("Retry-After") != "3" || res.Header.Get("Content-Type") != "text/html;charset=UTF-8" {
		t.Fatalf("answer %d %v %s", res.HTTPStatus, res.Header, res.Body)
	}
	if got, ok := s.AnjukeBianHao("p-after"); !ok || got != "9" {
		t.Fatalf("stored %q %v: the request was to take effect", got, ok)
	}
	log := s.RequestLog()
	if last := log[len(log)-1]; !last.Injected || last.HTTPStatus != http.StatusGatewayTimeout || last.State != 0 || len(log) != 1 {
		t.Fatalf("log %+v", log)
	}
	s.FailNext(1, Failure{Endpoint: PathGetAccessToken, CloseConnection: true, AfterApply: true})
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}} // net/http resends a GET dropped on a reused connection
	if _, err := tokenCall(fresh, s.URL+PathGetAccessToken+"?"+url.Values{"authKey": {s.AuthKey}, "authValue": {s.AuthValue}, "clientEdtion": {ClientEdition}}.Encode(), ""); err == nil {
		t.Fatal("an answer after a dropped connection")
	}
	if s.Logins() < 1 || s.PendingFailures() != 0 || s.Requests("") < 2 {
		t.Fatalf("logins %d, pending %d, requests %d", s.Logins(), s.PendingFailures(), s.Requests(""))
	}
	s.FailNext(3, Failure{Code: 500})
	s.ClearFailures()
	wantState(t, put(t, s, "p", "1"), 200, "")
}
