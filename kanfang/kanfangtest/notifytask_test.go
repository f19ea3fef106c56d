package kanfangtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// notify sends AddNewNotifyTaskByPackageID with form and the token in the
// header.
func notify(t *testing.T, s *Server, form url.Values) result {
	t.Helper()
	return send(t, putRequestTo(t, s, PathAddNewNotifyTaskByPackageID, form))
}

// notifyTaskPayload is the success payload of AddNewNotifyTaskByPackageID.
type notifyTaskPayload struct {
	ID             string `json:"id"`
	NotifyResult   int    `json:"notifyResult"`
	NotifyConfigID string `json:"notifyConfigId"`
	HouseTaskID    string `json:"houseTaskId"`
}

func decodeTask(t *testing.T, res result) notifyTaskPayload {
	t.Helper()
	wantState(t, res, 200, "")
	var p notifyTaskPayload
	dec := json.NewDecoder(strings.NewReader(string(res.Payload)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("payload %s: %v", res.Payload, err)
	}
	return p
}

// TestAddNotifyTask: a package is pushed once per configuration — the
// same call again answers the task that pushed it — unless forcePush is
// true, which makes a new task of the same house task each time; another
// configuration is another push.
func TestAddNotifyTask(t *testing.T) {
	s := newServer(t)
	form := url.Values{"packageId": {"pkg-1"}, "notifyconfigId": {"anjuke"}, "payload": {`{"a":1}`}}
	first := decodeTask(t, notify(t, s, form))
	if first != (notifyTaskPayload{ID: "task-1", NotifyResult: 0, NotifyConfigID: "anjuke", HouseTaskID: "housetask-1"}) {
		t.Fatalf("first %+v", first)
	}
	if again := decodeTask(t, notify(t, s, url.Values{"packageId": {"pkg-1"}, "notifyconfigId": {"anjuke"}, "forcePush": {"false"}})); again != first {
		t.Fatalf("pushed twice: %+v", again)
	}
	form.Set("forcePush", "True")
	forced := decodeTask(t, notify(t, s, form))
	if forced.ID != "task-2" || forced.HouseTaskID != "housetask-1" {
		t.Fatalf("forced %+v", forced)
	}
	other := decodeTask(t, notify(t, s, url.Values{"packageId": {"pkg-1"}, "notifyconfigId": {"other"}}))
	if other.ID != "task-3" || other.HouseTaskID != "housetask-1" {
		t.Fatalf("other configuration %+v", other)
	}
	second := decodeTask(t, notify(t, s, url.Values{"packageId": {"pkg-2"}, "notifyconfigId": {"anjuke"}}))
	if second.HouseTaskID != "housetask-2" {
		t.Fatalf("second package %+v", second)
	}
	tasks := s.NotifyTasks("pkg-1")
	if len(tasks) != 3 || tasks[0].Payload != `{"a":1}` || tasks[0].ForcePush || !tasks[1].ForcePush || tasks[2].NotifyConfigID != "other" {
		t.Fatalf("tasks %+v", tasks)
	}
	if n := len(s.NotifyTasks("")); n != 4 {
		t.Fatalf("%d tasks in all", n)
	}
	if n := s.Requests(PathAddNewNotifyTaskByPackageID); n != 5 {
		t.Fatalf("Requests = %d", n)
	}
	if log := s.RequestLog(); len(log) != 5 || log[0].Form.Get("notifyconfigId") != "anjuke" || log[0].TokenPlacement != PlacementHeader {
		t.Fatalf("log %+v", log)
	}
}

// TestAddNotifyTaskNotNotifiedYet: the platform answers before it pushes
// (123Docs HouseModel/v2/HouseTask/AddNewNotifyTaskByPackageID.md: its
// example answers a new task with 0; NotifyResult.md: 0 is "not notified";
// a push that fails later is reported by CustomerReceiveNotifyFailedNotify),
// so a task reports notifyResult 0, forced or not: a client that takes
// the answer for a finished push must fail against the fake.
func TestAddNotifyTaskNotNotifiedYet(t *testing.T) {
	s := newServer(t)
	form := url.Values{"packageId": {"pkg-1"}, "notifyconfigId": {"anjuke"}}
	if p := decodeTask(t, notify(t, s, form)); p.NotifyResult != 0 {
		t.Errorf("new task: notifyResult %d, want 0 (not notified)", p.NotifyResult)
	}
	form.Set("forcePush", "true")
	if p := decodeTask(t, notify(t, s, form)); p.NotifyResult != 0 {
		t.Errorf("forced task: notifyResult %d, want 0 (not notified)", p.NotifyResult)
	}
	for _, task := range s.NotifyTasks("") {
		if task.NotifyResult != 0 {
			t.Errorf("NotifyTasks: %+v, want NotifyResult 0", task)
		}
	}
}

// TestAddNotifyTaskRefused: the form's rules (each answered state 403
// naming every bad field, nothing made), an unknown package with
// WithPackages, the method, and a token.
func TestAddNotifyTaskRefused(t *testing.T) {
	long := func(n int) string { return strings.Repeat("数", n) }
	s := newServer(t, WithPackages("known", long(128)))
	tests := []struct {
		form url.Values
		msg  string
	}{
		{url.Values{}, "packageId is required; notifyconfigId is required"},
		{url.Values{"packageId": {long(129)}, "notifyconfigId": {"c"}}, "packageId is longer than 128"},
		{url.Values{"packageId": {"known"}, "notifyconfigId": {long(33)}}, "notifyconfigId is longer than 32"},
		{url.Values{"packageId": {"known"}, "notifyconfigId": {"c"}, "payload": {long(256)}}, "payload is longer than 255"},
		{url.Values{"packageId": {"known"}, "notifyconfigId": {"c", "d"}}, "notifyconfigId is given more than once"},
		{url.Values{"packageId": {"known"}, "notifyConfigId": {"c"}}, "notifyconfigId is required"}, // the docs' spelling only
		{url.Values{"packageId": {"known"}, "notifyconfigId": {"c"}, "forcePush": {"yes"}}, "forcePush must be true or false"},
		{url.Values{"packageId": {"known"}, "notifyconfigId": {"c"}, "forcePush": {"1"}}, "forcePush must be true or false"},
		{url.Values{"packageId": {"other"}, "notifyconfigId": {"c"}}, "unknown packageId: other"},
	}
	for _, tt := range tests {
		wantState(t, notify(t, s, tt.form), 403, tt.msg)
	}
	if n := len(s.NotifyTasks("")); n != 0 {
		t.Fatalf("%d tasks made by refused requests", n)
	}
	// The limits themselves pass.
	decodeTask(t, notify(t, s, url.Values{"packageId": {long(128)}, "notifyconfigId": {long(32)}, "payload": {long(255)}}))
}

func TestAddNotifyTaskMethodAndToken(t *testing.T) {
	s := newServer(t)
	res := send(t, getRequest(t, s, PathAddNewNotifyTaskByPackageID, nil))
	if res.HTTPStatus != http.StatusMethodNotAllowed || res.Header.Get("Allow") != http.MethodPost {
		t.Fatalf("GET: %+v", res)
	}
	r := putRequestTo(t, s, PathAddNewNotifyTaskByPackageID, url.Values{"packageId": {"p"}, "notifyconfigId": {"c"}})
	r.Header.Set("Authorization", "nope")
	wantState(t, send(t, r), 401, "")
	defer func() {
		if recover() == nil {
			t.Error("Handle replaced the fake's own endpoint")
		}
	}()
	s.Handle(http.MethodPost, PathAddNewNotifyTaskByPackageID, func(url.Values) (int, any) { return 200, nil })
}
