package fang_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/fangsdk/fang"
	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/testkit"
	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/property"
)

// TestUnderHTTPMockActivatedAfterNew: httpmock.Activate() called after
// kanfang.NewClient, property.NewClient and fang.New still intercepts
// their calls: clients given no http.Client read http.DefaultTransport at
// every request. The base URLs point at a closed loopback port, so a call
// that bypassed httpmock would be refused.
func TestUnderHTTPMockActivatedAfterNew(t *testing.T) {
	kbase, pbase := "http://"+testkit.ClosedAddr(t), "http://"+testkit.ClosedAddr(t)
	kopts := []kanfang.Option{kanfang.WithBaseURL(kbase), kanfang.WithToken(auth.StaticToken("kf-token")), kanfang.WithoutRetry()}
	popts := []property.Option{property.WithBaseURL(pbase), property.WithAppID("app"), property.WithToken(auth.StaticToken("hc-token")), property.WithoutRetry()}
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

	httpmock.Activate()
	defer httpmock.DeactivateAndReset()
	httpmock.RegisterResponder(http.MethodPost, kbase+kanfang.PathPutAnjukeBianHao,
		httpmock.NewStringResponder(200, `{"state":200,"payload":{"packageId":"p","anjukeBianHao":"b"}}`))
	httpmock.RegisterResponder(http.MethodPost, pbase+"/app/"+property.ServiceSaveProperty,
		httpmock.NewStringResponder(200, `{"code":0,"msg":"成功"}`))

	ctx := context.Background()
	put := &kanfang.PutAnjukeBianHaoRequest{PackageID: "p", AnjukeBianHao: "b"}
	save := &property.SavePropertyRequest{Name: "n", Address: "a", Tel: "13900000000", Corporation: "c", FoundingTime: "2022-09-01"}
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
