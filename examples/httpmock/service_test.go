package httpmock

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/property/propertytest"
)

var company = &property.SavePropertyRequest{
	Name: "物业公司A", Address: "北京市朝阳区XX路XX号", Tel: "18909711449", Corporation: "张三",
	FoundingTime: "2022-09-01", CommunityIDs: []string{"2022092200930358"}, GroupIDs: []string{"802021080609660006"},
}

// TestOnboardWithHTTPMock mocks both APIs with httpmock responders
// activated on the http.Client handed to fang.
func TestOnboardWithHTTPMock(t *testing.T) {
	hc := &http.Client{}
	httpmock.ActivateNonDefault(hc)
	defer httpmock.DeactivateAndReset()

	httpmock.RegisterResponder("POST", "https://kanfang.example/v2/houseTask/putAnjukeBianHao",
		func(r *http.Request) (*http.Response, error) {
			if r.Header.Get("Authorization") != "kf-token" {
				return httpmock.NewStringResponse(200, `{"state":401,"payload":"bad token"}`), nil
			}
			if err := r.ParseForm(); err != nil {
				return nil, err
			}
			return httpmock.NewJsonResponse(200, map[string]any{
				"state":   200,
				"payload": map[string]string{"packageId": r.PostForm.Get("packageId"), "anjukeBianHao": r.PostForm.Get("anjukeBianHao")},
			})
		})
	httpmock.RegisterResponder("POST", "http://hc.example:8008/app/property.saveProperty",
		// What a real HC server answers (the seed documents {"code":-2,...}).
		httpmock.NewStringResponder(200, `{"code":404,"msg":"小区已经入驻2022092200930358","page":0,"records":0,"rows":0,"total":0}`))

	kc, err := kanfang.NewClient(kanfang.WithBaseURL("https://kanfang.example"), kanfang.WithToken(auth.StaticToken("kf-token")), kanfang.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	pc, err := property.NewClient(property.WithBaseURL("http://hc.example:8008"), property.WithAppID("app"), property.WithToken(auth.StaticToken("hc-token")), property.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	svc := &Onboarding{Kanfang: kc, Property: pc}
	res, err := svc.Onboard(context.Background(), "pkg-1", "00000000010101", company)
	if err != nil {
		t.Fatal(err)
	}
	if res.AnjukeBianHao != "00000000010101" || !res.AlreadyHadCo || len(res.TransactionID) != 30 {
		t.Fatalf("result %+v", res)
	}
	if n := httpmock.GetTotalCallCount(); n != 2 {
		t.Fatalf("%d calls reached the mocks", n)
	}
}

// TestOnboardWithFakes runs the same service against fang's fakes, which
// enforce everything the real servers check (signatures, tokens,
// transaction-ids, the saveProperty rules).
func TestOnboardWithFakes(t *testing.T) {
	kf := kanfangtest.NewServer()
	defer kf.Close()
	hc := propertytest.NewServer()
	defer hc.Close()

	kc, err := kanfang.NewClient(kanfang.WithBaseURL(kf.URL), kanfang.WithCredentials(kf.AuthKey, kf.AuthValue))
	if err != nil {
		t.Fatal(err)
	}
	pc, err := property.NewClient(property.WithBaseURL(hc.URL), property.WithAppID(hc.AppID),
		property.WithSecurityCode(hc.SecurityCode), property.WithCredentials(hc.Username, hc.Password))
	if err != nil {
		t.Fatal(err)
	}
	svc := &Onboarding{Kanfang: kc, Property: pc}

	res, err := svc.Onboard(context.Background(), "pkg-1", "00000000010101", company)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := kf.AnjukeBianHao("pkg-1"); got != "00000000010101" || res.AlreadyHadCo {
		t.Fatalf("stored %q, result %+v", got, res)
	}
	if cos := hc.Companies(); len(cos) != 1 || cos[0].TransactionID != res.TransactionID {
		t.Fatalf("companies %+v", cos)
	}
	// Onboarding the same community again is tolerated by the service.
	res, err = svc.Onboard(context.Background(), "pkg-1", "00000000010101", company)
	if err != nil || !res.AlreadyHadCo {
		t.Fatalf("second onboarding: %+v, %v", res, err)
	}
	// A failure injected at the HC gateway surfaces as a typed error.
	hc.FailNext(1, propertytest.Failure{Endpoint: "property.saveProperty", HTTPStatus: 502, Body: "<html>502 Bad Gateway</html>"})
	_, err = svc.Onboard(context.Background(), "pkg-1", "00000000010101", &property.SavePropertyRequest{Name: "B", Address: "a", Tel: "1", Corporation: "c", FoundingTime: "2020-01-01"})
	if !errors.Is(err, property.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
}
