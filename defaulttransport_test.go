package fang_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/fangsdk/fang"
	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/property"
)

// TestUnderHTTPMockActivate: with httpmock.Activate() (http.DefaultTransport
// replaced by a mock, as tracing and proxy wrappers also do) the clients are
// built without panicking and their calls reach the registered responders.
func TestUnderHTTPMockActivate(t *testing.T) {
	httpmock.Activate()
	defer httpmock.DeactivateAndReset()
	httpmock.RegisterResponder(http.MethodPost, "https://kf.example/v2/houseTask/putAnjukeBianHao", func(r *http.Request) (*http.Response, error) {
		if r.Header.Get("Authorization") != "kf-token" {
			return httpmock.NewStringResponse(200, `{"state":401,"payload":"bad token"}`), nil
		}
		return httpmock.NewStringResponse(200, `{"state":200,"payload":{"packageId":"p","anjukeBianHao":"b"}}`), nil
	})
	httpmock.RegisterResponder(http.MethodPost, "http://hc.example:8008/app/property.saveProperty", func(r *http.Request) (*http.Response, error) {
		if r.Header.Get("App-Id") != "app" || r.Header.Get("Authorization") != "Bearer hc-token" {
			return httpmock.NewStringResponse(200, `{"code":404,"msg":"鉴权失败：签名失败"}`), nil
		}
		return httpmock.NewStringResponse(200, `{"code":0,"msg":"成功"}`), nil
	})
	kopts := []kanfang.Option{kanfang.WithBaseURL("https://kf.example"), kanfang.WithToken(auth.StaticToken("kf-token"))}
	popts := []property.Option{property.WithBaseURL("http://hc.example:8008"), property.WithAppID("app"), property.WithToken(auth.StaticToken("hc-token"))}
	callEveryClient(t, newEveryClient(t, kopts, popts))
}

// everyClient is what a user may build: fang.New's two clients and one of
// each made alone.
type everyClient struct {
	both *fang.Client
	kc   *kanfang.Client
	pc   *property.Client
}

func newEveryClient(t *testing.T, kopts []kanfang.Option, popts []property.Option) everyClient {
	t.Helper()
	both, err := fang.New(fang.WithKanfang(kopts...), fang.WithProperty(popts...))
	if err != nil {
		t.Fatal(err)
	}
	kc, err := kanfang.NewClient(kopts...)
	if err != nil {
		t.Fatal(err)
	}
	pc, err := property.NewClient(popts...)
	if err != nil {
		t.Fatal(err)
	}
	return everyClient{both, kc, pc}
}

// callEveryClient puts a number with both kanfang clients and saves a
// company with both property clients: four calls, each of which must reach
// httpmock's responders.
func callEveryClient(t *testing.T, c everyClient) {
	t.Helper()
	ctx := context.Background()
	put := &kanfang.PutAnjukeBianHaoRequest{PackageID: "p", AnjukeBianHao: "b"}
	save := &property.SavePropertyRequest{Name: "n", Address: "a", Tel: "13900000000", Corporation: "c", FoundingTime: "2022-09-01"}
	for _, k := range []*kanfang.Client{c.both.Kanfang, c.kc} {
		if _, err := k.PutAnjukeBianHao(ctx, put); err != nil {
			t.Errorf("kanfang: %v", err)
		}
	}
	for _, p := range []*property.Client{c.both.Property, c.pc} {
		if _, err := p.SaveProperty(ctx, save); err != nil {
			t.Errorf("property: %v", err)
		}
	}
	if n := httpmock.GetTotalCallCount(); n != 4 {
		t.Errorf("%d calls reached httpmock, want 4", n)
	}
}
