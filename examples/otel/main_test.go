package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/property/propertytest"
	"github.com/fangsdk/fang/sign"
)

// TestNoSecretInSpans runs the example and checks the exported spans and
// metrics: the HTTP calls are traced under the parent span, the fang
// operations and their logins have spans of their own, the metrics are
// printed, and no credential, hash or token is in any of them.
func TestNoSecretInSpans(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	spans, metrics, ok := strings.Cut(out.String(), "\nmetric ")
	if !ok {
		t.Fatalf("no metrics printed:\n%s", out.String())
	}
	metrics = "metric " + metrics
	for _, name := range []string{"kanfang.PutAnjukeBianHao", "kanfang.GetAccessToken", "property.SaveProperty", "property.Login", "fang.attempt"} {
		if !strings.Contains(spans, `"Name": "`+name+`"`) {
			t.Errorf("no span %q", name)
		}
	}
	for _, line := range []string{"metric fang.calls {fang.op=kanfang.PutAnjukeBianHao} 1", "metric fang.renewals {fang.renewal.cause=cold_start,fang.renewal.kind=login} 2",
		"metric fang.call.duration {fang.op=property.SaveProperty} count=1"} {
		if !strings.Contains(metrics, line) {
			t.Errorf("no %q in the metrics:\n%s", line, metrics)
		}
	}
	if strings.Count(spans, `"Name": "HTTP GET"`)+strings.Count(spans, `"Name": "HTTP POST"`) < 4 {
		t.Fatalf("want at least 4 HTTP spans:\n%s", spans)
	}
	if !strings.Contains(spans, `"Name": "sync-listing"`) || !strings.Contains(spans, "authValue=%5BREDACTED%5D") {
		t.Fatalf("spans:\n%s", spans)
	}
	// The fakes' defaults are the secrets the example used.
	for _, secret := range []string{kanfangtest.DefaultAuthValue, propertytest.DefaultPassword, sign.HCPassword(propertytest.DefaultPassword), propertytest.DefaultSecurityCode} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("secret %q in the exported spans or metrics", secret)
		}
	}
	// No token either: tokens are 48 (kanfang) or 32 (HC) hex digits.
	dec := json.NewDecoder(strings.NewReader(spans))
	for dec.More() {
		var span map[string]any
		if err := dec.Decode(&span); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(span["Attributes"])
		if hexRun(string(b)) >= 32 {
			t.Errorf("a token-like value in %s", b)
		}
	}
}

// hexRun is the longest run of lower-case hex digits in s.
func hexRun(s string) int {
	best, cur := 0, 0
	for _, r := range s {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'f' {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}
