package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fangsdk/fang/sign"
)

const (
	cbKey = "CdLvNRRQvy0xjORPNvuVaA"
	cbTS  = "1532059200000" // 2018-07-20T04:00:00Z
	cbAt  = "2018-07-20T04:00:03Z"
)

// capturedCallback is a raw callback request as a capture tool saves it,
// signed with key.
func capturedCallback(key string, form url.Values, eol string) string {
	body := form.Encode()
	lines := []string{
		"POST /kanfang/callback HTTP/1.1", "Host: receiver.example",
		"Content-Type: application/x-www-form-urlencoded",
		fmt.Sprintf("Content-Length: %d", len(body)),
		"timestamp: " + cbTS, "sign: " + sign.KanfangTimestamp(key, form, cbTS), "", body,
	}
	return strings.Join(lines, eol)
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

var taskForm = url.Values{"state": {"50000"}, "houseTaskId": {"task-1"}, "houseId": {"房源-1"}, "packageId": {"pkg-1"}}

func TestVerifyCallbackCommandValid(t *testing.T) {
	t.Parallel()
	capture := writeFile(t, "captured.txt", capturedCallback(cbKey, taskForm, "\r\n"))
	keyFile := writeFile(t, "key", cbKey+"\n")
	r := fang(t, nil, "kanfang", "verify-callback", "--file", capture, "--sign-key-file", keyFile, "--at", cbAt).wantCode(t, exitOK)
	wantContains(t, r.stdout, "valid TaskStateChange callback (timestamp 1532059200000)", "50000 (Done)", "task-1", "房源-1", "pkg-1")
	wantNotContains(t, r.all(), cbKey, sign.KanfangTimestamp(cbKey, taskForm, cbTS))

	// The key from the environment; JSON output.
	r = fang(t, map[string]string{"FANG_KANFANG_SIGN_KEY": cbKey}, "kanfang", "verify-callback", "--file", capture, "--at", cbAt, "--json").wantCode(t, exitOK)
	m := r.jsonOut(t)
	res, _ := m["result"].(map[string]any)
	fields, _ := res["fields"].(map[string]any)
	if m["ok"] != true || res["kind"] != "TaskStateChange" || fields["houseTaskId"] != "task-1" {
		t.Errorf("JSON %v", m)
	}
}

func TestVerifyCallbackCommandInvalid(t *testing.T) {
	t.Parallel()
	capture := writeFile(t, "captured.txt", capturedCallback(cbKey, taskForm, "\r\n"))
	env := map[string]string{"FANG_KANFANG_SIGN_KEY": "another-key"}
	r := fang(t, env, "kanfang", "verify-callback", "--file", capture, "--at", cbAt).wantCode(t, exitAPI)
	wantContains(t, r.stderr, "not a valid callback", "sign does not match")
	wantNotContains(t, r.all(), cbKey, "another-key", sign.KanfangTimestamp(cbKey, taskForm, cbTS), sign.KanfangTimestamp("another-key", taskForm, cbTS))

	// Without --at, a capture of 2018 is far outside the window.
	env = map[string]string{"FANG_KANFANG_SIGN_KEY": cbKey}
	r = fang(t, env, "kanfang", "verify-callback", "--file", capture, "--json").wantCode(t, exitAPI)
	m := r.jsonOut(t)
	e, _ := m["error"].(map[string]any)
	if e["kind"] != "invalid_callback" || !strings.Contains(fmt.Sprint(e["message"]), "outside the window") {
		t.Errorf("JSON %v", m)
	}
	// A value altered after signing.
	altered := strings.Replace(capturedCallback(cbKey, taskForm, "\r\n"), "state=50000", "state=51000", 1)
	fang(t, env, "kanfang", "verify-callback", "--file", writeFile(t, "altered.txt", altered), "--at", cbAt).wantCode(t, exitAPI)
	fang(t, env, "kanfang", "verify-callback", "--file", writeFile(t, "junk.txt", "not a request"), "--at", cbAt).wantCode(t, exitAPI)
}

func TestVerifyCallbackCommandUsage(t *testing.T) {
	t.Parallel()
	env := map[string]string{"FANG_KANFANG_SIGN_KEY": cbKey}
	r := fang(t, env, "kanfang", "verify-callback").wantCode(t, exitUsage)
	wantContains(t, r.stderr, "--file is required")
	r = fang(t, nil, "kanfang", "verify-callback", "--file", "x").wantCode(t, exitUsage)
	wantContains(t, r.stderr, "no sign key")
	fang(t, env, "kanfang", "verify-callback", "--file", "x", "--at", "yesterday").wantCode(t, exitUsage)
	fang(t, env, "kanfang", "verify-callback", "--file", filepath.Join(t.TempDir(), "missing")).wantCode(t, exitUsage)
	r = fang(t, nil, "kanfang", "--help").wantCode(t, exitOK)
	wantContains(t, r.stdout, "verify-callback")
}

// TestVerifyCallbackCommandStdin reads "-": a capture with bare line
// feeds and no Content-Length, as one pasted by hand.
func TestVerifyCallbackCommandStdin(t *testing.T) {
	// Not parallel: it replaces stdin.
	old := stdin
	defer func() { stdin = old }()
	form := url.Values{"notifyId": {"n-1"}, "state": {"Finished"}, "fileHash": {"abc"}, "packageId": {"pkg-1"}}
	raw := capturedCallback(cbKey, form, "\n")
	raw = strings.Replace(raw, fmt.Sprintf("Content-Length: %d\n", len(form.Encode())), "", 1) + "\n"
	stdin = strings.NewReader(raw)
	r := fang(t, map[string]string{"FANG_KANFANG_SIGN_KEY": cbKey}, "kanfang", "verify-callback", "--file", "-", "--at", cbAt).wantCode(t, exitOK)
	wantContains(t, r.stdout, "valid PackageDownload callback", "n-1", "Finished", "abc")
}
