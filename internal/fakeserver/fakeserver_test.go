package fakeserver

import (
	"io"
	"net/http"
	"testing"
	"time"
)

func TestQueue(t *testing.T) {
	var q Queue[string]
	q.Push(2, "a")
	q.Push(1, "b")
	q.Push(0, "c")
	if q.Len() != 3 {
		t.Fatalf("Len %d", q.Len())
	}
	if f, ok := q.Take(func(s string) bool { return s == "b" }); !ok || f != "b" {
		t.Fatalf("Take b: %q %v", f, ok)
	}
	if _, ok := q.Take(func(s string) bool { return s == "b" }); ok {
		t.Fatal("b taken twice")
	}
	if f, _ := q.Take(func(string) bool { return true }); f != "a" || q.Len() != 1 {
		t.Fatalf("oldest first: %q, %d left", f, q.Len())
	}
	q.Clear()
	if q.Len() != 0 {
		t.Fatal("Clear")
	}
}

// TestLifecycle: requests are served until Close; Close ends a delay at
// once and waits for the handler; afterwards Enter refuses.
func TestLifecycle(t *testing.T) {
	var lc *Lifecycle
	entered := make(chan struct{})
	waited := make(chan bool, 1)
	lc = Start("test", nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !lc.Enter() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		defer lc.Leave()
		if r.URL.Path == "/slow" {
			close(entered)
			waited <- lc.Wait(r, time.Hour)
			return
		}
		io.WriteString(w, "ok")
	}))
	resp, err := http.Get(lc.URL + "/")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%v %v", resp, err)
	}
	resp.Body.Close()
	go func() {
		if resp, err := http.Get(lc.URL + "/slow"); err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	lc.Close()
	if <-waited {
		t.Error("a delay outlived Close")
	}
	if lc.Enter() {
		t.Error("Enter after Close")
	}
	lc.Close() // idempotent
}
