package kanfang

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/sign"
)

const notifyOK = `{"state":200,"payload":{"id":"task-9","notifyResult":1,"notifyConfigId":"cfg-1","houseTaskId":"ht-7"}}`

// TestAddNotifyTaskWire: the exact request on the wire — path, method,
// form names (notifyconfigId with a lower-case c), forcePush only when
// set and then "true", payload only when not empty — and the typed task
// decoded from the answer; with a sign key every form value is signed.
func TestAddNotifyTaskWire(t *testing.T) {
	tests := []struct {
		name string
		req  AddNotifyTaskRequest
		body string
	}{
		{"plain", AddNotifyTaskRequest{PackageID: "pkg 1/数据", NotifyConfigID: "cfg-1"},
			"notifyconfigId=cfg-1&packageId=pkg+1%2F%E6%95%B0%E6%8D%AE"},
		{"force and payload", AddNotifyTaskRequest{PackageID: "p", NotifyConfigID: "cfg-1", ForcePush: true, Payload: `{"a":"&b"}`},
			"forcePush=true&notifyconfigId=cfg-1&packageId=p&payload=%7B%22a%22%3A%22%26b%22%7D"},
		{"payload only", AddNotifyTaskRequest{PackageID: "p", NotifyConfigID: "c", Payload: "x"},
			"notifyconfigId=c&packageId=p&payload=x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, reply{200, notifyOK, nil})
			c := newTestClient(t, rec.URL, WithSignKey("k"))
			c.proto.now = func() time.Time { return time.UnixMilli(1532059200000) }
			task, err := c.AddNotifyTask(context.Background(), &tt.req)
			if err != nil {
				t.Fatal(err)
			}
			want := NotifyTask{ID: "task-9", NotifyConfigID: "cfg-1", HouseTaskID: "ht-7", NotifyResult: NotifyOK}
			if *task != want {
				t.Fatalf("task %+v, want %+v", *task, want)
			}
			reqs := rec.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.Path != "/v2/houseTask/AddNewNotifyTaskByPackageID" || r.RawQuery != "" {
				t.Errorf("request line %s %s?%s", r.Method, r.Path, r.RawQuery)
			}
			if r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || r.Header.Get("Authorization") != "tok-123" {
				t.Errorf("headers %v", r.Header)
			}
			if r.Body != tt.body {
				t.Errorf("body %q, want %q", r.Body, tt.body)
			}
			form, _ := url.ParseQuery(r.Body)
			if r.Header.Get("timestamp") != "1532059200000" || r.Header.Get("sign") != sign.Kanfang("k", form, 1532059200000) {
				t.Error("sign is not over every form value")
			}
		})
	}
}

// TestAddNotifyTaskFormMatchesDo: the request given to Do sends the same
// form as AddNotifyTask (its `url` tags are the one source of both), with
// and without the optional fields.
func TestAddNotifyTaskFormMatchesDo(t *testing.T) {
	for _, req := range []*AddNotifyTaskRequest{
		{PackageID: "pkg 1&x=y", NotifyConfigID: "c"},
		{PackageID: "p", NotifyConfigID: "c", ForcePush: true, Payload: `{"k":"v"}`},
	} {
		rec := newRecorder(t, reply{200, notifyOK, nil}, reply{200, notifyOK, nil})
		c := newTestClient(t, rec.URL)
		if _, err := c.AddNotifyTask(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if err := c.Do(context.Background(), http.MethodPost, PathAddNewNotifyTaskByPackageID, req, nil); err != nil {
			t.Fatal(err)
		}
		if r := rec.requests(); len(r) != 2 || r[0].Body != r[1].Body {
			t.Fatalf("AddNotifyTask and Do sent %+v", r)
		}
	}
}

// TestAddNotifyTaskValidation: bad requests are refused before anything
// is sent, naming every bad field; limits count characters, not bytes.
func TestAddNotifyTaskValidation(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, rec.URL)
	ok := AddNotifyTaskRequest{PackageID: "p", NotifyConfigID: "c"}
	with := func(f func(*AddNotifyTaskRequest)) *AddNotifyTaskRequest { r := ok; f(&r); return &r }
	tests := []struct {
		name   string
		req    *AddNotifyTaskRequest
		fields []string
	}{
		{"nil", nil, []string{"request"}},
		{"empty", &AddNotifyTaskRequest{}, []string{"PackageID", "NotifyConfigID"}},
		{"blank", &AddNotifyTaskRequest{PackageID: " \t", NotifyConfigID: "\u3000", Payload: "  "}, []string{"PackageID", "NotifyConfigID", "Payload"}},
		{"package too long", with(func(r *AddNotifyTaskRequest) { r.PackageID = strings.Repeat("数", 129) }), []string{"PackageID"}},
		{"config too long", with(func(r *AddNotifyTaskRequest) { r.NotifyConfigID = strings.Repeat("c", 33) }), []string{"NotifyConfigID"}},
		{"payload too long", with(func(r *AddNotifyTaskRequest) { r.Payload = strings.Repeat("数", 256) }), []string{"Payload"}},
		{"bad UTF-8", with(func(r *AddNotifyTaskRequest) { r.Payload = "\xff" }), []string{"Payload"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.AddNotifyTask(context.Background(), tt.req)
			var inv *InvalidRequestError
			if !errors.Is(err, ErrInvalidRequest) || !errors.As(err, &inv) {
				t.Fatalf("err = %v", err)
			}
			if got := strings.Join(inv.Fields(), ","); got != strings.Join(tt.fields, ",") {
				t.Errorf("fields %s, want %v", got, tt.fields)
			}
		})
	}
	//nolint:staticcheck // SA1012: a nil context is what is tested
	if _, err := c.AddNotifyTask(nil, &ok); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("nil context: %v", err)
	}
	if n := len(rec.requests()); n != 0 {
		t.Fatalf("%d requests sent for invalid input", n)
	}
	// The limits themselves pass.
	edge := &AddNotifyTaskRequest{PackageID: strings.Repeat("数", 128), NotifyConfigID: strings.Repeat("配", 32), Payload: strings.Repeat("数", 255)}
	if _, err := c.AddNotifyTask(context.Background(), edge); err == nil || errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("at the limits: %v (the recorder's default answer has no id)", err)
	}
	if n := len(rec.requests()); n != 1 {
		t.Fatalf("%d requests at the limits", n)
	}
}

// TestAddNotifyTaskFailures: every kind of failure maps to its sentinel;
// a state-200 answer that names no task is not a success.
func TestAddNotifyTaskFailures(t *testing.T) {
	tests := []struct {
		name     string
		rep      reply
		sentinel error
	}{
		{"rejected", reply{200, `{"state":403,"payload":"packageId 不存在"}`, nil}, ErrRejected},
		{"unauthorized", reply{200, `{"state":401,"payload":"token tok-123 expired"}`, nil}, ErrUnauthorized},
		{"server error", reply{200, `{"state":500,"payload":"InnerServerError -> x"}`, nil}, ErrServerError},
		{"gateway page", reply{502, `<html>502 Bad Gateway</html>`, nil}, ErrUnexpectedResponse},
		{"no id", reply{200, `{"state":200,"payload":{"notifyResult":1,"notifyConfigId":"c"}}`, nil}, ErrUnexpectedResponse},
		{"empty object", reply{200, `{"state":200,"payload":{}}`, nil}, ErrUnexpectedResponse},
		{"null", reply{200, `{"state":200,"payload":null}`, nil}, ErrUnexpectedResponse},
		{"string payload", reply{200, `{"state":200,"payload":"Success"}`, nil}, ErrUnexpectedResponse},
		{"notifyResult a string", reply{200, `{"state":200,"payload":{"id":"t","notifyResult":"1"}}`, nil}, ErrUnexpectedResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, tt.rep)
			c := newTestClient(t, rec.URL, WithoutRetry())
			task, err := c.AddNotifyTask(context.Background(), &AddNotifyTaskRequest{PackageID: "p", NotifyConfigID: "c"})
			var kerr *Error
			if task != nil || !errors.Is(err, tt.sentinel) || !errors.As(err, &kerr) {
				t.Fatalf("task %v, err = %v, want %v", task, err, tt.sentinel)
			}
			if !strings.HasPrefix(err.Error(), "kanfang: AddNotifyTask: ") || strings.Contains(err.Error(), "tok-123") {
				t.Errorf("error %q", err)
			}
		})
	}
	rec := newRecorder(t)
	c := newTestClient(t, rec.URL, WithoutRetry())
	rec.Close()
	if _, err := c.AddNotifyTask(context.Background(), &AddNotifyTaskRequest{PackageID: "p", NotifyConfigID: "c"}); !errors.Is(err, ErrNoResponse) {
		t.Errorf("no server: %v", err)
	}
}

// TestAddNotifyTaskForcePushNeverRepeated: a push without ForcePush is
// retried after a 503 like any idempotent call; a forced push answered
// 503 — whether the gateway stood in front or the push took effect and
// its answer was lost — reaches the server exactly once, and so does one
// whose connection closed without an answer. A rejected token (state 401,
// nothing ran) is renewed and the forced push sent again: one task.
func TestAddNotifyTaskForcePushNeverRepeated(t *testing.T) {
	srv := kanfangtest.NewServer()
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithCredentials(srv.AuthKey, srv.AuthValue), WithRetry(3, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	path := kanfangtest.PathAddNewNotifyTaskByPackageID
	sent := func(f func()) int {
		before := srv.Requests(path)
		f()
		return srv.Requests(path) - before
	}

	// Not forced: retried.
	srv.FailNext(1, kanfangtest.Failure{Endpoint: path, HTTPStatus: http.StatusServiceUnavailable, RetryAfter: "0"})
	var task *NotifyTask
	if n := sent(func() { task, err = c.AddNotifyTask(ctx, &AddNotifyTaskRequest{PackageID: "p", NotifyConfigID: "c"}) }); n != 2 || err != nil {
		t.Fatalf("not forced: %d requests, %v", n, err)
	}
	first := task.ID

	force := &AddNotifyTaskRequest{PackageID: "p", NotifyConfigID: "c", ForcePush: true}
	for _, f := range []kanfangtest.Failure{
		{Endpoint: path, HTTPStatus: http.StatusServiceUnavailable, RetryAfter: "0"},
		{Endpoint: path, HTTPStatus: http.StatusServiceUnavailable, RetryAfter: "0", AfterApply: true},
		{Endpoint: path, Code: 500, Message: "InnerServerError", AfterApply: true},
		{Endpoint: path, CloseConnection: true, AfterApply: true},
	} {
		srv.FailNext(1, f)
		if n := sent(func() { _, err = c.AddNotifyTask(ctx, force) }); n != 1 || err == nil {
			t.Errorf("forced push with %+v: %d requests, err %v", f, n, err)
		}
	}
	// Three forced pushes took effect (AfterApply), none twice.
	if got := len(srv.NotifyTasks("p")); got != 1+3 {
		t.Errorf("%d tasks, want 4", got)
	}

	// A rejected token ran nothing: renewed, sent again, one new task.
	srv.RevokeTokens()
	if n := sent(func() { task, err = c.AddNotifyTask(ctx, force) }); n != 2 || err != nil {
		t.Fatalf("forced push with a revoked token: %d requests, %v", n, err)
	}
	if got := len(srv.NotifyTasks("p")); got != 5 || task.ID == first {
		t.Errorf("%d tasks, task %+v", got, task)
	}
}

// TestAddNotifyTaskAgainstFake: the fake pushes a package once per
// configuration unless forced, and refuses an unknown package.
func TestAddNotifyTaskAgainstFake(t *testing.T) {
	srv := kanfangtest.NewServer(kanfangtest.WithPackages("pkg-1"))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithToken(auth.StaticToken(srv.Token)), WithTokenPlacement(auth.InQuery))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := c.AddNotifyTask(ctx, &AddNotifyTaskRequest{PackageID: "pkg-1", NotifyConfigID: "anjuke", Payload: `{"x":1}`})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == "" || a.HouseTaskID == "" || a.NotifyConfigID != "anjuke" || a.NotifyResult != NotNotified {
		t.Fatalf("task %+v", a)
	}
	b, err := c.AddNotifyTask(ctx, &AddNotifyTaskRequest{PackageID: "pkg-1", NotifyConfigID: "anjuke"})
	if err != nil || *b != *a {
		t.Fatalf("second push: %+v, %v; want the first task %+v", b, err, a)
	}
	f, err := c.AddNotifyTask(ctx, &AddNotifyTaskRequest{PackageID: "pkg-1", NotifyConfigID: "anjuke", ForcePush: true})
	if err != nil || f.ID == a.ID || f.HouseTaskID != a.HouseTaskID {
		t.Fatalf("forced push: %+v, %v", f, err)
	}
	tasks := srv.NotifyTasks("pkg-1")
	if len(tasks) != 2 || tasks[0].Payload != `{"x":1}` || tasks[0].ForcePush || !tasks[1].ForcePush {
		t.Errorf("tasks %+v", tasks)
	}
	for _, r := range srv.RequestLog() {
		if r.TokenPlacement != kanfangtest.PlacementForm || r.Query.Has("Authorization") {
			t.Errorf("token in %q, query %v", r.TokenPlacement, r.Query)
		}
	}
	if _, err := c.AddNotifyTask(ctx, &AddNotifyTaskRequest{PackageID: "pkg-2", NotifyConfigID: "anjuke"}); !errors.Is(err, ErrRejected) {
		t.Errorf("unknown package: %v", err)
	}
}

func TestNotifyResultString(t *testing.T) {
	for r, want := range map[NotifyResult]string{NotNotified: "not notified", NotifyOK: "ok", NotifyRefused: "refused", NotifyError: "error", 7: "NotifyResult(7)"} {
		if got := r.String(); got != want {
			t.Errorf("%d: %q, want %q", int(r), got, want)
		}
	}
}

// TestAddNotifyTaskForcePushStateServerError: state 500 is the platform's
// "服务器内部错误" (123Docs HouseModel/v2/Agreement/APIResponseState.md;
// AddNewNotifyTaskByPackageID.md shows it as
// {"state":500,"payload":"InnerServerError -> detail"} among the error
// answers), an exception inside the server, which says nothing about
// whether the push was made before it. A forced push answered so under
// HTTP 200 — here after the push took effect — is sent once and its error
// says the outcome is unknown, so that the caller looks before pushing
// again (123kanfang bans accounts that re-push).
func TestAddNotifyTaskForcePushStateServerError(t *testing.T) {
	srv := kanfangtest.NewServer(kanfangtest.WithPackages("p"))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithToken(auth.StaticToken(srv.Token)), WithRetry(3, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	path := kanfangtest.PathAddNewNotifyTaskByPackageID
	srv.FailNext(1, kanfangtest.Failure{Endpoint: path, Code: 500, Message: "InnerServerError -> detail", AfterApply: true})
	_, err = c.AddNotifyTask(context.Background(), &AddNotifyTaskRequest{PackageID: "p", NotifyConfigID: "c", ForcePush: true})
	var ke *Error
	if !errors.As(err, &ke) || !errors.Is(err, ErrServerError) {
		t.Fatalf("err = %v, want an *Error matching ErrServerError", err)
	}
	if !ke.OutcomeUnknown() || !errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("err = %v: OutcomeUnknown() = false; the push was made", err)
	}
	if n := srv.Requests(path); n != 1 || len(srv.NotifyTasks("p")) != 1 {
		t.Errorf("%d requests, %d tasks; want 1 and 1", n, len(srv.NotifyTasks("p")))
	}
}

// TestAddNotifyTaskForcePushSuccessWithoutTask: state 200 is "请求成功"
// (123Docs HouseModel/v2/Agreement/APIResponseState.md): the platform
// says it created the push task (AddNewNotifyTaskByPackageID.md). A
// forced push answered state 200 with a payload fang cannot read as the
// task is not a success fang can return, but it is no definite failure
// either: its error says the outcome is unknown, so that the caller does
// not push again unseen. Without ForcePush the same answer is
// ErrUnexpectedResponse alone (repeating is harmless).
func TestAddNotifyTaskForcePushSuccessWithoutTask(t *testing.T) {
	for _, body := range []string{
		`{"state":200,"payload":{"notifyResult":0}}`,
		`{"state":200,"payload":"Success"}`,
		`{"state":200,"payload":null}`,
	} {
		for _, force := range []bool{true, false} {
			rec := newRecorder(t, reply{200, body, nil})
			c := newTestClient(t, rec.URL, WithRetry(3, time.Millisecond, time.Millisecond))
			_, err := c.AddNotifyTask(context.Background(), &AddNotifyTaskRequest{PackageID: "p", NotifyConfigID: "c", ForcePush: force})
			var ke *Error
			if !errors.As(err, &ke) || !errors.Is(err, ErrUnexpectedResponse) {
				t.Fatalf("%s, force %v: err = %v, want ErrUnexpectedResponse", body, force, err)
			}
			if ke.OutcomeUnknown() != force || errors.Is(err, ErrOutcomeUnknown) != force {
				t.Errorf("%s, force %v: err = %v, OutcomeUnknown() = %v", body, force, err, ke.OutcomeUnknown())
			}
			if n := len(rec.requests()); n != 1 {
				t.Errorf("%s, force %v: %d requests", body, force, n)
			}
		}
	}
}
