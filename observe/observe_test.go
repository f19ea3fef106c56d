package observe_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/observe"
	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/property/propertytest"
	"github.com/fangsdk/fang/sign"
)

// TestKanfangObserved runs kanfang calls with credentials against the
// fake: the observer sees the call, the login it needed (cold start) as a
// call of its own and as a renewal, the two attempts of a call answered
// 503 then 200 and the retry between them, then a refresh for a rejected
// token; the logger gets one Info line per login and refresh; no event and
// no line holds a secret.
func TestKanfangObserved(t *testing.T) {
	srv := kanfangtest.NewServer()
	defer srv.Close()
	rec := &testkit.Recorder{}
	var logs bytes.Buffer
	c, err := kanfang.NewClient(kanfang.WithBaseURL(srv.URL), kanfang.WithCredentials(srv.AuthKey, srv.AuthValue),
		kanfang.WithObserver(rec), kanfang.WithRetry(3, time.Millisecond, time.Millisecond),
		kanfang.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	srv.FailNext(1, kanfangtest.Failure{Endpoint: kanfangtest.PathPutAnjukeBianHao, HTTPStatus: http.StatusServiceUnavailable})
	req := &kanfang.PutAnjukeBianHaoRequest{PackageID: "pkg-obs-1", AnjukeBianHao: "00000000010101"}
	if _, err := c.PutAnjukeBianHao(ctx, req); err != nil {
		t.Fatal(err)
	}
	got := rec.Snapshot()
	names := []string{}
	for _, call := range got.Calls {
		names = append(names, call.Name()+"/"+string(call.Renewal))
	}
	if strings.Join(names, ",") != "kanfang.PutAnjukeBianHao/,kanfang.GetAccessToken/cold_start" {
		t.Fatalf("calls %v", names)
	}
	if len(got.Renewals) != 1 || got.Renewals[0].Kind != observe.RenewalLogin || got.Renewals[0].Op != "GetAccessToken" ||
		got.Renewals[0].Cause != observe.CauseColdStart || got.Renewals[0].Err != nil {
		t.Fatalf("renewals: %s", rec.Dump())
	}
	var put []observe.Attempt
	for _, a := range got.Attempts {
		if a.Op == "PutAnjukeBianHao" {
			put = append(put, a)
		}
	}
	if len(put) != 2 || put[0].N != 1 || put[0].Status != 503 || !put[0].Sent || put[1].N != 2 || put[1].Status != 200 {
		t.Fatalf("attempts of the put: %+v", put)
	}
	if len(got.Retries) != 1 || got.Retries[0].After != 1 || got.Retries[0].Status != 503 {
		t.Fatalf("retries: %+v", got.Retries)
	}
	if len(got.Ends) != 2 || got.Ends[1].Op != "PutAnjukeBianHao" || got.Ends[1].Status != 200 || got.Ends[1].ErrorKind != "" {
		t.Fatalf("ends: %+v", got.Ends)
	}

	// The server rejects the token: a refresh, caused by the rejection.
	srv.FailNext(1, kanfangtest.Failure{Endpoint: kanfangtest.PathPutAnjukeBianHao, Code: kanfangtest.StateUnauthorized})
	if _, err := c.PutAnjukeBianHao(ctx, req); err != nil {
		t.Fatal(err)
	}
	got = rec.Snapshot()
	if len(got.Renewals) != 2 || got.Renewals[1].Kind != observe.RenewalRefresh || got.Renewals[1].Op != "RefreshToken" ||
		got.Renewals[1].Cause != observe.CauseRejected {
		t.Fatalf("renewals: %s", rec.Dump())
	}
	var lines []string
	for l := range strings.SplitSeq(logs.String(), "\n") {
		if strings.Contains(l, "level=INFO") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 2 || !strings.Contains(lines[0], `msg="fang: logged in"`) || !strings.Contains(lines[0], "op=GetAccessToken cause=cold_start") ||
		!strings.Contains(lines[1], `msg="fang: token refreshed"`) || !strings.Contains(lines[1], "op=RefreshToken cause=rejected") {
		t.Fatalf("log lines:\n%s", logs.String())
	}
	checkNoSecret(t, rec.Dump()+logs.String(), srv.AuthValue)
}

// TestPropertyObserved: HC's login (cold start) and save are observed, each
// attempt with its own transaction-id, the call's end with the last one.
func TestPropertyObserved(t *testing.T) {
	srv := propertytest.NewServer()
	defer srv.Close()
	rec := &testkit.Recorder{}
	c, err := property.NewClient(property.WithBaseURL(srv.URL), property.WithAppID(srv.AppID), property.WithSecurityCode(srv.SecurityCode),
		property.WithCredentials(srv.Username, srv.Password), property.WithObserver(rec))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.SaveProperty(context.Background(), &property.SavePropertyRequest{
		Name: "物业公司O", Address: "北京市朝阳区1号", Tel: "13900000088", Corporation: "张三", FoundingTime: "2022-09-01",
	})
	if err != nil {
		t.Fatal(err)
	}
	got := rec.Snapshot()
	if len(got.Calls) != 2 || got.Calls[0].Name() != "property.SaveProperty" || got.Calls[1].Name() != "property.Login" ||
		got.Calls[1].Renewal != observe.CauseColdStart {
		t.Fatalf("calls: %s", rec.Dump())
	}
	if len(got.Renewals) != 1 || got.Renewals[0].Kind != observe.RenewalLogin || got.Renewals[0].Op != "Login" {
		t.Fatalf("renewals: %s", rec.Dump())
	}
	for _, a := range got.Attempts {
		if a.TransactionID == "" || !srv.SeenTransactionID(a.TransactionID) {
			t.Errorf("attempt %+v: transaction-id not the one sent", a)
		}
	}
	if end := got.Ends[1]; end.Op != "SaveProperty" || end.TransactionID == "" || end.TransactionID != got.Attempts[len(got.Attempts)-1].TransactionID {
		t.Errorf("end %+v", end)
	}
	checkNoSecret(t, rec.Dump(), srv.Password, sign.HCPassword(srv.Password), srv.SecurityCode)
}

// checkNoSecret fails when dump holds one of secrets or a token (tokens
// are runs of 32 or more hex digits).
func checkNoSecret(t *testing.T, dump string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(dump, s) {
			t.Errorf("secret %q in:\n%s", s, dump)
		}
	}
	run := 0
	for _, r := range dump {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'f' {
			if run++; run >= 32 {
				t.Fatalf("a token-like value in:\n%s", dump)
			}
		} else {
			run = 0
		}
	}
}
