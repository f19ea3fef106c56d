package fakeserver

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestLifecycle: requests are served until Close; Close ends a delay at
// once and waits for the handler; afterwards requests get the Closed
// answer.
func TestLifecycle(t *testing.T) {
	var lc *Lifecycle
	entered := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lc.Serve(w, r, Exchange{
			Endpoint: "e",
			Closed:   Response{Status: http.StatusServiceUnavailable, Body: []byte("closed")},
			Process: func(*Request, []byte) Response {
				if r.URL.Path == "/slow" {
					close(entered)
				}
				return Response{Status: http.StatusOK, Body: []byte("ok")}
			},
			Envelope: func(status, code int, text string) Response { return Response{Status: status} },
		})
	})
	lc = Start("test", nil, nil, h)
	resp, err := http.Get(lc.URL + "/")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%v %v", resp, err)
	}
	resp.Body.Close()
	lc.Failures.Push(1, Failure{Delay: time.Hour, AfterApply: true})
	done := make(chan error, 1)
	go func() {
		resp, err := http.Post(lc.URL+"/slow", "text/plain", nil)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	<-entered
	lc.Close()
	if <-done == nil {
		t.Error("a delay outlived Close")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	log := lc.Log()
	if rec.Code != http.StatusServiceUnavailable || rec.Body.String() != "closed" || log[len(log)-1].HTTPStatus != http.StatusServiceUnavailable {
		t.Errorf("after Close: %d %q", rec.Code, rec.Body)
	}
	lc.Close() // idempotent
}
