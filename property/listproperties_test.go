package property

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/property/propertytest"
	"github.com/fangsdk/fang/sign"
)

// TestListPropertiesWire: GET with the query in a fixed order, Chinese
// values sent encoded and signed decoded, X-Requested-With, no body.
func TestListPropertiesWire(t *testing.T) {
	rec := newRecorder(t, reply{200, `{"code":0,"data":[{"storeId":"102","name":"东方物业","address":"a","tel":"13900000001","nearByLandmarks":"国投广场"}],"msg":"成功","page":0,"records":1,"rows":0,"total":1}`})
	c := newTestClient(t, rec.URL)
	resp, err := c.ListProperties(context.Background(), &ListPropertiesRequest{Name: "东方 物业", Tel: "13900000001"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Total != 1 || len(resp.Properties) != 1 || resp.Properties[0].NearbyLandmarks != "国投广场" || resp.Properties[0].StoreID != "102" {
		t.Fatalf("resp %+v", resp)
	}
	r := rec.requests()[0]
	wantQuery := "name=" + url.QueryEscape("东方 物业") + "&page=1&row=10&tel=13900000001"
	if r.Method != http.MethodGet || r.Path != "/app/property.listProperty" || r.Query != wantQuery || len(r.Body) != 0 {
		t.Fatalf("%s %s?%s body %q", r.Method, r.Path, r.Query, r.Body)
	}
	if r.Header.Get("X-Requested-With") != "XMLHttpRequest" || r.Header.Get("Content-Type") != "" {
		t.Errorf("headers %v", r.Header)
	}
	want := sign.MicroCommunity(r.Header.Get("transaction-id"), r.Header.Get("req-time"), testAppID, "?name=东方 物业&page=1&row=10&tel=13900000001", testSecurity)
	if r.Header.Get("sign") != want {
		t.Errorf("sign %s, want %s (over the decoded query)", r.Header.Get("sign"), want)
	}
	if _, err := c.ListProperties(context.Background(), &ListPropertiesRequest{Page: -1}); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("negative page: %v", err)
	}
}

// TestReconcileUnknownSave is the recipe for ErrOutcomeUnknown: the gateway
// timed out after the company was created; listing by tel finds it, so the
// save is not repeated.
func TestReconcileUnknownSave(t *testing.T) {
	srv := propertytest.NewServer()
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode), WithCredentials(srv.Username, srv.Password))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	req := company(5)
	srv.FailNext(1, propertytest.ReadTimeout(ServiceSaveProperty))
	_, err = c.SaveProperty(ctx, req)
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("save: %v", err)
	}
	found, err := c.ListProperties(ctx, &ListPropertiesRequest{Tel: req.Tel})
	if err != nil {
		t.Fatal(err)
	}
	if found.Total != 1 || found.Properties[0].Name != req.Name || found.Properties[0].StoreID != srv.Companies()[0].StoreID {
		t.Fatalf("found %+v", found)
	}
	// Not there: a different tel finds nothing.
	none, err := c.ListProperties(ctx, &ListPropertiesRequest{Tel: "13000000000"})
	if err != nil || none.Total != 0 || len(none.Properties) != 0 {
		t.Fatalf("none %+v %v", none, err)
	}
}

// TestListPropertiesRenewsSession: on a GET the session filter answers 401
// (X-Requested-With); the session is renewed and the list asked again.
func TestListPropertiesRenewsSession(t *testing.T) {
	srv := propertytest.NewServer()
	defer srv.Close()
	c, _ := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode), WithCredentials(srv.Username, srv.Password))
	if _, err := c.ListProperties(context.Background(), &ListPropertiesRequest{}); err != nil {
		t.Fatal(err)
	}
	srv.RevokeSessions()
	if _, err := c.ListProperties(context.Background(), &ListPropertiesRequest{}); err != nil {
		t.Fatal(err)
	}
	if srv.Logins() != 2 {
		t.Errorf("%d logins, want 2", srv.Logins())
	}
	static, _ := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode), WithToken(auth.StaticToken("expired")))
	if _, err := static.ListProperties(context.Background(), &ListPropertiesRequest{}); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("static expired token: %v", err)
	}
}

// TestListPropertiesRefusesLikeCharacters: the server pastes the name into
// SQL LIKE ('%${name}%'): a ' would break the query, a \ escape what
// follows, % and _ match anything. Such a name is refused, naming the
// field, and nothing is sent; a name without them goes out as is.
func TestListPropertiesRefusesLikeCharacters(t *testing.T) {
	rec := newRecorder(t, reply{200, `{"code":0,"data":[],"msg":"成功","records":0,"total":0}`})
	c := newTestClient(t, rec.URL)
	for _, name := range []string{"东方%", "东_方", "O'Brien物业", `东方\`, "%"} {
		_, err := c.ListProperties(context.Background(), &ListPropertiesRequest{Name: name})
		var ire *InvalidRequestError
		if !errors.As(err, &ire) || ire.Op != "ListProperties" || len(ire.Fields()) != 1 || ire.Fields()[0] != "Name" {
			t.Errorf("name %q: %v", name, err)
		}
	}
	if n := len(rec.requests()); n != 0 {
		t.Fatalf("%d requests sent for refused names", n)
	}
	if _, err := c.ListProperties(context.Background(), &ListPropertiesRequest{Name: "东方物业 (北京)"}); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.requests()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

// TestListPropertiesDecodesStoreDto: the fields the server's StoreDto
// carries beyond the first ones, under the server's names.
func TestListPropertiesDecodesStoreDto(t *testing.T) {
	rec := newRecorder(t, reply{200, `{"code":0,"data":[{"storeId":"102","name":"东方物业","address":"a","tel":"13900000001","corporation":"张三","foundingTime":"2022-09-01","createTime":"2024-01-01 12:00:00","state":"48001","storeTypeCd":"800900000003","statusCd":"0"}],"msg":"成功","records":1,"total":1}`})
	c := newTestClient(t, rec.URL)
	resp, err := c.ListProperties(context.Background(), &ListPropertiesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	want := Property{StoreID: "102", Name: "东方物业", Address: "a", Tel: "13900000001", Corporation: "张三", FoundingTime: "2022-09-01",
		CreateTime: "2024-01-01 12:00:00", State: "48001", StoreTypeCd: "800900000003"}
	if len(resp.Properties) != 1 || resp.Properties[0] != want {
		t.Fatalf("got %+v\nwant %+v", resp.Properties, want)
	}
}
