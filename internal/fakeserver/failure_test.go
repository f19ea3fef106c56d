package fakeserver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFailureDefaults(t *testing.T) {
	for _, tt := range []struct {
		f                 Failure
		answers           bool
		status            int
		text, contentType string
	}{
		{Failure{Delay: time.Second}, false, 200, "", "text/plain;charset=UTF-8"},
		{Failure{Code: 500}, true, 200, DefaultMessage, "text/plain;charset=UTF-8"},
		{Failure{Message: "m"}, true, 200, "m", "text/plain;charset=UTF-8"},
		{Failure{HTTPStatus: 502, Body: " <html>"}, true, 502, "", "text/html;charset=UTF-8"},
		{Failure{Body: `{"a":1}`}, true, 200, "", "application/json;charset=UTF-8"},
		{Failure{Body: "x", ContentType: "text/csv"}, true, 200, "", "text/csv"},
		{Failure{CloseConnection: true}, true, 200, "", "text/plain;charset=UTF-8"},
	} {
		if tt.f.Answers() != tt.answers || tt.f.Status() != tt.status || tt.f.Text() != tt.text || tt.f.BodyContentType() != tt.contentType {
			t.Errorf("%+v: answers %v status %d text %q type %q", tt.f, tt.f.Answers(), tt.f.Status(), tt.f.Text(), tt.f.BodyContentType())
		}
	}
}

// TestServe follows the order both fakes keep: a failure without
// AfterApply answers instead of the request; with AfterApply after it; a
// delay alone only delays; a drop records and answers nothing.
func TestServe(t *testing.T) {
	var mu sync.Mutex
	var steps []string
	step := func(s string) { mu.Lock(); steps = append(steps, s); mu.Unlock() }
	var next Failure
	var failing bool
	var lc *Lifecycle
	lc = Start("test", nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		f, on := next, failing
		mu.Unlock()
		lc.Serve(w, r, f, on, Hooks{
			Process: func() func() {
				step("process")
				return func() { step("write"); _, _ = io.WriteString(w, "normal") }
			},
			Answer:  func(f Failure) { step("answer"); w.WriteHeader(f.Status()); _, _ = io.WriteString(w, f.Text()) },
			Dropped: func() { step("dropped") },
		})
	}))
	defer lc.Close()
	get := func() (int, string, http.Header, error) {
		// A POST: net/http would resend a GET whose connection was dropped.
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, lc.URL, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", nil, err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header, nil
	}
	for _, tt := range []struct {
		name    string
		f       Failure
		failing bool
		body    string
		steps   string
	}{
		{"none", Failure{}, false, "normal", "process,write"},
		{"in front", Failure{HTTPStatus: 503, Code: 1, RetryAfter: "2"}, true, DefaultMessage, "answer"},
		{"after apply", Failure{Code: 1, Message: "lost", AfterApply: true}, true, "lost", "process,answer"},
		{"delay alone", Failure{Delay: time.Millisecond}, true, "normal", "process,write"},
		{"drop after apply", Failure{CloseConnection: true, AfterApply: true}, true, "", "process,dropped"},
	} {
		mu.Lock()
		steps, next, failing = nil, tt.f, tt.failing
		mu.Unlock()
		status, body, header, err := get()
		if tt.f.CloseConnection {
			if err == nil {
				t.Errorf("%s: an answer after a drop", tt.name)
			}
		} else if err != nil || body != tt.body || (tt.f.HTTPStatus != 0 && status != tt.f.HTTPStatus) || header.Get("Retry-After") != tt.f.RetryAfter {
			t.Errorf("%s: %d %q %v %v", tt.name, status, body, header, err)
		}
		mu.Lock()
		if got := strings.Join(steps, ","); got != tt.steps {
			t.Errorf("%s: steps %s, want %s", tt.name, got, tt.steps)
		}
		mu.Unlock()
	}
	// A delay that outlasts the client: dropped, nothing processed.
	mu.Lock()
	steps, next, failing = nil, Failure{Delay: time.Hour, Code: 1}, true
	mu.Unlock()
	events := make(chan string, 4)
	lc.SetDelayHook(func(e string) { events <- e })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, lc.URL, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
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
