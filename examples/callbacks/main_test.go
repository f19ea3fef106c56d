package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

// TestCallbacksDemo runs the program as a newcomer does and checks each
// kind reached its function, the forged callback was refused, and neither
// output nor log holds the sign key.
func TestCallbacksDemo(t *testing.T) {
	var out, log bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&log, nil))
	if err := run(context.Background(), &out, func(string) string { return "" }, logger); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"task task-1 (house house-1, package pkg-1) is now Done",
		"package pkg-1 download Finished, md5 9e107d9d372bb6826bd81d3542a419d6, notify notify-1",
		`notify notify-2 (config anjuke-1) of package pkg-1 failed: result 2, response "refused by the receiver"`,
		`answered HTTP 401 {"state":401,"payload":"Unauthorized: bad sign or timestamp"}`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if n := strings.Count(out.String(), `answered HTTP 200 {"state":200,"payload":"Success"}`); n != 3 {
		t.Errorf("%d callbacks acknowledged, want 3:\n%s", n, out.String())
	}
	if strings.Contains(out.String(), "is now Cancelled") {
		t.Error("the forged callback reached the handler")
	}
	if !strings.Contains(log.String(), "callback refused") {
		t.Errorf("the refusal is not logged: %s", log.String())
	}
	for _, secret := range []string{demoKey, "a-guessed-key"} {
		if strings.Contains(out.String()+log.String(), secret) {
			t.Errorf("%q appears in the output or log", secret)
		}
	}
}

func TestCallbacksNeedsSignKeyToServe(t *testing.T) {
	env := map[string]string{"FANG_CALLBACKS_ADDR": "127.0.0.1:0"}
	err := run(context.Background(), &bytes.Buffer{}, func(k string) string { return env[k] }, nil)
	if err == nil || !strings.Contains(err.Error(), "FANG_KANFANG_SIGN_KEY") {
		t.Fatalf("err = %v", err)
	}
}
