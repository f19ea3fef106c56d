package main

import (
	"net/http"
	"testing"

	"github.com/fangsdk/fang/kanfang/kanfangtest"
)

// TestKanfangPush: a push in text and JSON (the API's camelCase names),
// the same push again answers the task that pushed it, --force-push makes
// a new one, and --payload reaches the fake.
func TestKanfangPush(t *testing.T) {
	t.Parallel()
	srv := kanfangServer(t)
	args := []string{"kanfang", "push", "--package-id", "pkg-1", "--notify-config-id", "anjuke", "--payload", `{"a":1}`}
	r := fang(t, kanfangEnv(srv), args...).wantCode(t, exitOK)
	wantContains(t, r.stdout, "package pkg-1: notify task task-1 (house task housetask-1, config anjuke), notify result: not notified",
		"pushes after answering; a failed push comes back as a NotifyFailed callback")
	wantNotContains(t, r.all(), srv.Token)

	m := fang(t, kanfangEnv(srv), append(args, "--json")...).wantCode(t, exitOK).jsonOut(t)
	res := m["result"].(map[string]any)
	if m["ok"] != true || res["id"] != "task-1" || res["notifyConfigId"] != "anjuke" || res["houseTaskId"] != "housetask-1" || res["notifyResult"] != 0.0 {
		t.Errorf("JSON %v", m)
	}
	r = fang(t, kanfangEnv(srv), append(args, "--force-push")...).wantCode(t, exitOK)
	wantContains(t, r.stdout, "notify task task-2")
	tasks := srv.NotifyTasks("pkg-1")
	if len(tasks) != 2 || tasks[0].Payload != `{"a":1}` || tasks[0].ForcePush || !tasks[1].ForcePush {
		t.Errorf("tasks %+v", tasks)
	}
}

// TestKanfangPushFailures: validation names the flags and sends nothing;
// a rejected package exits 1; a forced push answered 503 is sent once and
// exits 3 (it may have been made: look before pushing again).
func TestKanfangPushFailures(t *testing.T) {
	t.Parallel()
	srv := kanfangServer(t, kanfangtest.WithPackages("known"))
	path := kanfangtest.PathAddNewNotifyTaskByPackageID
	r := fang(t, kanfangEnv(srv), "kanfang", "push", "--package-id", "known").wantCode(t, exitUsage)
	wantContains(t, r.stderr, "--notify-config-id is required")
	wantNotContains(t, r.stderr, "NotifyConfigID")
	if n := srv.Requests(path); n != 0 {
		t.Errorf("%d requests sent after a validation failure", n)
	}
	r = fang(t, kanfangEnv(srv), "kanfang", "push", "--package-id", "unknown", "--notify-config-id", "c").wantCode(t, exitAPI)
	wantContains(t, r.stderr, "state 403")

	srv.FailNext(1, kanfangtest.Failure{Endpoint: path, HTTPStatus: http.StatusServiceUnavailable, RetryAfter: "0"})
	before := srv.Requests(path)
	fang(t, kanfangEnv(srv), "kanfang", "push", "--package-id", "known", "--notify-config-id", "c", "--force-push").wantCode(t, exitUnknown)
	if n := srv.Requests(path) - before; n != 1 {
		t.Errorf("forced push sent %d times after a 503, want 1", n)
	}
}

// TestKanfangPushDryRun: the request is printed, form and all, and not
// sent.
func TestKanfangPushDryRun(t *testing.T) {
	t.Parallel()
	srv := kanfangServer(t)
	r := fang(t, kanfangEnv(srv), "kanfang", "push", "--package-id", "p", "--notify-config-id", "c", "--force-push", "--dry-run").wantCode(t, exitOK)
	wantContains(t, r.stdout, "NOT sent", "POST "+srv.URL+kanfangtest.PathAddNewNotifyTaskByPackageID+"\n", "forcePush=true&notifyconfigId=c&packageId=p")
	wantNotContains(t, r.all(), srv.Token)
	if n := srv.Requests(""); n != 0 {
		t.Errorf("%d requests sent by a dry run", n)
	}
}
