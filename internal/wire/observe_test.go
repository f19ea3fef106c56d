package wire

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/observe"
)

const (
	obsToken  = "tok-secret-0123456789abcdef"
	obsPasswd = "pw-secret-ZZ"
)

// TestObserverSeesEveryAttemptAndRetry: a call answered 503, 503, 200 is
// reported as three attempts numbered 1 to 3, each sent, with its status
// and the transaction-id of that attempt, and two retries, each after the
// attempt that failed; no event carries the query or a header.
func TestObserverSeesEveryAttemptAndRetry(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	rec := &testkit.Recorder{}
	e, err := New(Config{BaseURL: srv.URL + "/gw", Observer: rec, API: "kanfang"})
	if err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	e.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	tx := 0
	resign := func(c *Call) { tx++; c.TransactionID = fmt.Sprintf("tx-%d", tx) }
	c := &Call{Op: "GetThing", Method: http.MethodGet, URL: e.URL("/x"), RawQuery: "authValue=" + obsPasswd,
		Header: http.Header{"Authorization": {obsToken}}, Idempotent: true, TransactionID: "tx-0", Resign: resign}
	resp, err := e.Do(context.Background(), c)
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("Do = %v, %v", resp, err)
	}
	got := rec.Snapshot()
	if len(got.Attempts) != 3 || len(got.Retries) != 2 {
		t.Fatalf("%d attempts and %d retries, want 3 and 2: %s", len(got.Attempts), len(got.Retries), rec.Dump())
	}
	for i, a := range got.Attempts {
		wantStatus := http.StatusServiceUnavailable
		if i == 2 {
			wantStatus = http.StatusOK
		}
		want := observe.Attempt{API: "kanfang", Op: "GetThing", Method: "GET", Path: "/gw/x", N: i + 1,
			TransactionID: fmt.Sprintf("tx-%d", i), Status: wantStatus, Sent: true}
		a.Start, a.Duration = time.Time{}, 0
		if a != want {
			t.Errorf("attempt %d = %+v, want %+v", i+1, a, want)
		}
	}
	for i, r := range got.Retries {
		want := observe.Retry{API: "kanfang", Op: "GetThing", Method: "GET", Path: "/gw/x", After: i + 1, Wait: waits[i],
			Status: http.StatusServiceUnavailable}
		if r != want {
			t.Errorf("retry %d = %+v, want %+v", i+1, r, want)
		}
	}
	checkNoSecret(t, rec.Dump())
}

// TestObserverSeesAttemptsNotSent: refused connections are attempts that
// were not sent, with the kind no_response, retried even for a call that
// may not be repeated once sent.
func TestObserverSeesAttemptsNotSent(t *testing.T) {
	rec := &testkit.Recorder{}
	e, err := New(Config{BaseURL: "http://" + testkit.ClosedAddr(t), Observer: rec, API: "property"})
	if err != nil {
		t.Fatal(err)
	}
	e.sleep = func(context.Context, time.Duration) error { return nil }
	_, err = e.Do(context.Background(), &Call{Op: "SaveProperty", Method: http.MethodPost, URL: e.URL("/app/x"),
		Header: http.Header{"Authorization": {"Bearer " + obsToken}}, Body: []byte(`{"passwd":"` + obsPasswd + `"}`)})
	if err == nil {
		t.Fatal("no error from a closed port")
	}
	got := rec.Snapshot()
	if len(got.Attempts) != DefaultMaxAttempts || len(got.Retries) != DefaultMaxAttempts-1 {
		t.Fatalf("%d attempts and %d retries: %s", len(got.Attempts), len(got.Retries), rec.Dump())
	}
	for i, a := range got.Attempts {
		if a.N != i+1 || a.Sent || a.Status != 0 || a.ErrorKind != observe.KindNoResponse || a.Path != "/app/x" || a.API != "property" {
			t.Errorf("attempt %d = %+v", i+1, a)
		}
	}
	for i, r := range got.Retries {
		if r.After != i+1 || r.ErrorKind != observe.KindNoResponse || r.Status != 0 {
			t.Errorf("retry %d = %+v", i+1, r)
		}
	}
	checkNoSecret(t, rec.Dump())
}

// TestErrorKind classifies the engine's errors.
func TestErrorKind(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want observe.ErrorKind
	}{
		{nil, ""},
		{&SendError{Err: context.DeadlineExceeded}, observe.KindTimeout},
		{&SendError{Err: context.Canceled}, observe.KindCanceled},
		{&SendError{Err: fmt.Errorf("dial: refused")}, observe.KindNoResponse},
		{&RedirectError{Status: 302}, observe.KindRedirect},
		{&BodyError{Status: 200, Err: ErrBodyTooLarge}, observe.KindResponseTooLarge},
		{&BodyError{Status: 200, Err: fmt.Errorf("unexpected EOF")}, observe.KindNoResponse},
		{fmt.Errorf("something"), observe.KindOther},
	} {
		if got := ErrorKind(tt.err); got != tt.want {
			t.Errorf("ErrorKind(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
	if StatusOf(nil, &RedirectError{Status: 301}) != 301 || StatusOf(nil, &BodyError{Status: 200}) != 200 || StatusOf(nil, nil) != 0 {
		t.Error("StatusOf")
	}
}

func checkNoSecret(t *testing.T, dump string) {
	t.Helper()
	for _, s := range []string{obsToken, obsPasswd, "authValue"} {
		if strings.Contains(dump, s) {
			t.Errorf("%q in the observer's events:\n%s", s, dump)
		}
	}
}
