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
	ctx := context.Background()
	save := &property.SavePropertyRequest{Name: "n", Address: "a", Tel: "13900000000", Corporation: "c", FoundingTime: "2022-09-01"}
	put := &kanfang.PutAnjukeBianHaoRequest{PackageID: "p", AnjukeBianHao: "b"}

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
	for _, k := range []*kanfang.Client{both.Kanfang, kc} {
		if _, err := k.PutAnjukeBianHao(ctx, put); err != nil {
			t.Errorf("kanfang: %v", err)
		}
	}
	for _, p := range []*property.Client{both.Property, pc} {
		if _, err := p.SaveProperty(ctx, save); err != nil {
			t.Errorf("property: %v", err)
		}
	}
	if n := httpmock.GetTotalCallCount(); n != 4 {
		t.Errorf("%d calls reached httpmock, want 4", n)
	}
}
