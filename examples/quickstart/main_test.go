package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/property/propertytest"
)

// TestQuickstartOnFakes runs the whole program as a newcomer does, with a
// debug log, and checks the story and that the log holds no secret.
func TestQuickstartOnFakes(t *testing.T) {
	var out, log bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if err := run(context.Background(), &out, func(string) string { return "" }, logger); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"PutAnjukeBianHao", "created (code 0, 成功)", "code 404: 小区已经入驻2022092200930358", "errors.Is(err, property.ErrCommunityAlreadySettled) = true", "done."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	logged := log.String()
	for _, want := range []string{`"op":"PutAnjukeBianHao"`, `"op":"GetAccessToken"`, `"op":"Login"`, `"op":"SaveProperty"`, `"transaction_id":"`} {
		if !strings.Contains(logged, want) {
			t.Errorf("debug log lacks %s", want)
		}
	}
	// The fakes' secrets are fixed defaults; tokens are random, so check
	// the shapes of the credentials the quickstart used.
	for _, secret := range []string{kanfangtest.DefaultAuthValue, propertytest.DefaultPassword, propertytest.DefaultSecurityCode, "authValue="} {
		if strings.Contains(logged, secret) || strings.Contains(out.String(), secret) {
			t.Errorf("secret %q appears in the log or output", secret)
		}
	}
}

func TestQuickstartNeedsCompleteRealConfig(t *testing.T) {
	env := map[string]string{"FANG_KANFANG_BASE_URL": "http://127.0.0.1:1"}
	err := run(context.Background(), &bytes.Buffer{}, func(k string) string { return env[k] }, nil)
	if err == nil || !strings.Contains(err.Error(), "FANG_KANFANG_TOKEN") {
		t.Fatalf("err = %v", err)
	}
}
