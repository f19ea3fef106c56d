package fang_test

import (
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"

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
	clients := newEveryClient(t, kopts, popts)

	httpmock.Activate()
	defer httpmock.DeactivateAndReset()
	httpmock.RegisterResponder(http.MethodPost, kbase+kanfang.PathPutAnjukeBianHao,
		httpmock.NewStringResponder(200, `{"state":200,"payload":{"packageId":"p","anjukeBianHao":"b"}}`))
	httpmock.RegisterResponder(http.MethodPost, pbase+"/app/"+property.ServiceSaveProperty,
		httpmock.NewStringResponder(200, `{"code":0,"msg":"成功"}`))

	callEveryClient(t, clients)
}
