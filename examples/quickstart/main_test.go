package main

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
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
	for _, want := range []string{"PutAnjukeBianHao", "AddNotifyTask: task ", "callback received and verified: house task ", "is Done (answered HTTP 200 {\"state\":200,\"payload\":\"Success\"}",
		"ListCommunities: 1 in all; " + propertytest.DefaultCommunityID, "UpdateProperty: store ", "CreateProperty: company \"物业公司A\" created, storeId ", "code 404: 小区已经入驻2022092200930358", "errors.Is(err, property.ErrCommunityAlreadySettled) = true", "done."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// The company UpdateProperty changed is the one CreateProperty
	// returned.
	store := regexp.MustCompile(`created, storeId (\d+)\n(?s:.*)UpdateProperty: store (\d+) `).FindStringSubmatch(out.String())
	if store == nil || store[1] != store[2] {
		t.Errorf("storeId created and updated differ: %q", store)
	}
	logged := log.String()
	for _, want := range []string{`"op":"PutAnjukeBianHao"`, `"op":"GetAccessToken"`, `"op":"Login"`, `"op":"SaveProperty"`, `"op":"ListProperties"`, `"transaction_id":"`} {
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
