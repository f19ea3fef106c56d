package fakeserver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFailureResponse(t *testing.T) {
	envelope := func(status, code int, text string) Response {
		return Response{Status: status, ContentType: "application/json", Body: []byte(strconv.Itoa(code) + " " + text), Code: code}
	}
	for _, tt := range []struct {
		f                 Failure
		answers           bool
		status            int
		body, contentType string
	}{
		{Failure{Delay: time.Second}, false, 200, "", ""},
		{Failure{Code: 500}, true, 200, "500 " + DefaultMessage, "application/json"},
		{Failure{Message: "m"}, true, 200, "0 m", "application/json"},
		{Failure{HTTPStatus: 502, Body: " <html>"}, true, 502, " <html>", "text/html;charset=UTF-8"},
		{Failure{Body: `{"a":1}`}, true, 200, `{"a":1}`, "application/json;charset=UTF-8"},
		{Failure{Body: "x"}, true, 200, "x", "text/plain;charset=UTF-8"},
		{Failure{Body: "x", ContentType: "text/csv"}, true, 200, "x", "text/csv"},
		{Failure{HTTPStatus: 503}, true, 503, "<html><head><title>503 Service Unavailable</title></head><body><center><h1>503 Service Unavailable</h1></center><hr><center>nginx</center></body></html>", "text/html;charset=UTF-8"},
		{Failure{HTTPStatus: 204}, true, 204, "", ""},
		{Failure{CloseConnection: true}, true, 200, "", ""},
	} {
		resp := tt.f.response(envelope)
		if tt.f.answers() != tt.answers || resp.Status != tt.status || string(resp.Body) != tt.body || resp.ContentType != tt.contentType {
			t.Errorf("%+v: answers %v, %+v", tt.f, tt.f.answers(), resp)
		}
	}
}

func TestFailures(t *testing.T) {
	var q Failures
	q.Push(2, Failure{Code: 1})
	q.Push(1, Failure{Endpoint: "b", Code: 2})
	q.Push(0, Failure{Code: 3})
	if q.Len() != 3 {
		t.Fatalf("Len %d", q.Len())
	}
	if _, ok := q.take(""); ok {
		t.Fatal(`endpoint "" took a failure`)
	}
	if f, _ := q.take("a"); f.Code != 1 || q.Len() != 2 {
		t.Fatalf("oldest first: %+v, %d left", f, q.Len())
	}
	q.take("a")
	if _, ok := q.take("a"); ok {
		t.Fatal("a took b's failure")
	}
	if f, ok := q.take("b"); !ok || f.Code != 2 {
		t.Fatalf("take b: %+v %v", f, ok)
	}
	q.Push(1, Failure{})
	q.Clear()
	if q.Len() != 0 {
		t.Fatal("Clear")
	}
}

// TestServe follows the order both fakes keep: a failure without
// AfterApply answers instead of the request; with AfterApply after it; a
// delay alone only delays; a drop records and answers nothing; Close
// answers what the fake says and ends a delay at once.
func TestServe(t *testing.T) {
	var mu sync.Mutex
	var steps []string
	step := func(s string) { mu.Lock(); steps = append(steps, s); mu.Unlock() }
	var lc *Lifecycle
	lc = Start("test", nil, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lc.Serve(w, r, Exchange{
			Endpoint: strings.TrimPrefix(r.URL.Path, "/"),
			Closed:   Response{Status: http.StatusServiceUnavailable},
			Process: func(rec *Request, body []byte) Response {
				step("process " + string(rec.Body) + " " + strconv.FormatBool(rec.Injected))
				return Response{Status: http.StatusOK, Body: []byte("normal")}
			},
			Envelope: func(status, code int, text string) Response {
				return Response{Status: status, Body: []byte(text), Code: code}
			},
		})
	}))
	defer lc.Close()
	post := func(ctx context.Context, path string) (int, string, http.Header, error) {
		// A POST: net/http would resend a GET whose connection was dropped.
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, lc.URL+path, strings.NewReader("b"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", nil, err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header, nil
	}
	for _, tt := range []struct {
		name  string
		f     *Failure
		path  string
		body  string
		steps string
	}{
		{"none", nil, "/a", "normal", "process b false,done 200 false"},
		{"other endpoint", &Failure{Endpoint: "x", Code: 1}, "/a", "normal", "process b false,done 200 false"},
		{"no endpoint", &Failure{Code: 1}, "/", "normal", "process b false,done 200 false"},
		{"in front", &Failure{HTTPStatus: 503, Code: 1, RetryAfter: "2"}, "/a", DefaultMessage, "done 503 true"},
		{"after apply", &Failure{Code: 1, Message: "lost", AfterApply: true}, "/a", "lost", "process b true,done 200 true"},
		{"delay alone", &Failure{Delay: time.Millisecond}, "/a", "normal", "process b true,done 200 true"},
		{"drop after apply", &Failure{CloseConnection: true, AfterApply: true}, "/a", "", "process b true,done 0 true"},
	} {
		lc.Failures.Clear()
		if tt.f != nil {
			lc.Failures.Push(1, *tt.f)
		}
		mu.Lock()
		steps = nil
		mu.Unlock()
		before := len(lc.Log())
		status, body, header, err := post(context.Background(), tt.path)
		for _, rec := range lc.Log()[before:] {
			step("done " + strconv.Itoa(rec.HTTPStatus) + " " + strconv.FormatBool(rec.Injected))
		}
		if tt.f != nil && tt.f.CloseConnection {
			if err == nil {
				t.Errorf("%s: an answer after a drop", tt.name)
			}
		} else if err != nil || body != tt.body || header.Get("Retry-After") != tt.f.retryAfter() || (status != http.StatusOK) != (tt.f != nil && tt.f.HTTPStatus != 0) {
			t.Errorf("%s: %d %q %v %v", tt.name, status, body, header, err)
		}
		mu.Lock()
		if got := strings.Join(steps, ","); got != tt.steps {
			t.Errorf("%s: steps %s, want %s", tt.name, got, tt.steps)
		}
		mu.Unlock()
	}
	if lc.Count("a") != 6 || lc.Count("") != 7 {
		t.Errorf("Count a=%d all=%d", lc.Count("a"), lc.Count(""))
	}

	// A delay that outlasts the client: dropped, nothing processed.
	lc.Failures.Push(1, Failure{Delay: time.Hour, Code: 1})
	events := make(chan string, 4)
	lc.SetDelayHook(func(e string) { events <- e })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, _, err := post(ctx, "/a")
		done <- err
	}()
	if e := <-events; e != "delay-start" {
		t.Fatalf("event %s", e)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("client: %v", err)
	}
	if e := <-events; e != "delay-end:client" {
		t.Errorf("event %s", e)
	}
}

func (f *Failure) retryAfter() string {
	if f == nil {
		return ""
	}
	return f.RetryAfter
}
