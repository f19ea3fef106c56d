package property

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fangsdk/fang/property/propertytest"
	"github.com/fangsdk/fang/sign"
)

// wantSignedBody checks that r is a POST of service with body, signed
// over exactly those bytes, with the session token.
func wantSignedBody(t *testing.T, r seen, service, body string) {
	t.Helper()
	if r.Method != http.MethodPost || r.Path != "/app/"+service || string(r.Body) != body {
		t.Errorf("%s %s %s\nwant POST /app/%s %s", r.Method, r.Path, r.Body, service, body)
	}
	h := r.Header
	if want := sign.MicroCommunity(h.Get("transaction-id"), h.Get("req-time"), testAppID, body, testSecurity); h.Get("sign") != want {
		t.Errorf("sign %s, want %s", h.Get("sign"), want)
	}
	if h.Get("Authorization") != "Bearer "+testToken || h.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", h)
	}
}

// wantNothingSent checks err is ErrInvalidRequest naming field and that
// rec received nothing more than before.
func wantInvalid(t *testing.T, rec *recorder, before int, err error, field string) {
	t.Helper()
	var ie *InvalidRequestError
	if !errors.As(err, &ie) || !strings.Contains(strings.Join(ie.Fields(), ","), field) {
		t.Errorf("err = %v, want an invalid %s", err, field)
	}
	if n := len(rec.requests()); n != before {
		t.Errorf("%d requests sent for an invalid request", n-before)
	}
}

func TestUpdatePropertyWire(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, rec.URL)
	ctx := context.Background()
	if err := c.UpdateProperty(ctx, &UpdatePropertyRequest{StoreID: "102", Name: "新名", NearbyLandmarks: "国贸"}); err != nil {
		t.Fatal(err)
	}
	// Only the fields set; the landmark under the name the server reads
	// (and the seed's), as SaveProperty sends it.
	wantSignedBody(t, rec.requests()[0], ServiceUpdateProperty, `{"storeId":"102","name":"新名","nearbyLandmarks":"国贸","nearByLandmarks":"国贸"}`)
	if err := c.UpdateProperty(ctx, &UpdatePropertyRequest{StoreID: "102", Tel: "13900000009", FoundingTime: "2020-02-29", MapX: "1.5"}); err != nil {
		t.Fatal(err)
	}
	wantSignedBody(t, rec.requests()[1], ServiceUpdateProperty, `{"storeId":"102","tel":"13900000009","foundingTime":"2020-02-29","mapX":"1.5"}`)

	for _, tt := range []struct {
		req   *UpdatePropertyRequest
		field string
	}{
		{nil, "request"},
		{&UpdatePropertyRequest{Name: "x"}, "StoreID"}, // the gateway would change the caller's own company
		{&UpdatePropertyRequest{StoreID: " ", Name: "x"}, "StoreID"},
		{&UpdatePropertyRequest{StoreID: "102"}, "request"}, // changes nothing
		{&UpdatePropertyRequest{StoreID: "102", Name: "  "}, "Name"},
		{&UpdatePropertyRequest{StoreID: "102", Name: strings.Repeat("名", MaxNameLength+1)}, "Name"},
		{&UpdatePropertyRequest{StoreID: "102", Tel: "139000000001"}, "Tel"},
		{&UpdatePropertyRequest{StoreID: "102", FoundingTime: "2021-02-29"}, "FoundingTime"},
		{&UpdatePropertyRequest{StoreID: "102", MapY: strings.Repeat("1", MaxMapLength+1)}, "MapY"},
	} {
		wantInvalid(t, rec, 2, c.UpdateProperty(ctx, tt.req), tt.field)
	}
	//nolint:staticcheck // a nil context is what is tested
	if err := c.UpdateProperty(nil, &UpdatePropertyRequest{StoreID: "1", Name: "x"}); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("nil ctx: %v", err)
	}
}

// TestUpdatePropertyFailures: setting values is safe to repeat, so a 503
// is retried with a new transaction-id; the server's refusals map to the
// usual sentinels.
func TestUpdatePropertyFailures(t *testing.T) {
	rec := newRecorder(t, reply{503, ""}, reply{200, `{"code":0,"msg":"成功"}`})
	c := newTestClient(t, rec.URL)
	ctx := context.Background()
	req := &UpdatePropertyRequest{StoreID: "102", Name: "x"}
	if err := c.UpdateProperty(ctx, req); err != nil {
		t.Fatal(err)
	}
	if r := rec.requests(); len(r) != 2 || r[0].Header.Get("transaction-id") == r[1].Header.Get("transaction-id") {
		t.Fatalf("%d attempts", len(r))
	}
	for _, tt := range []struct {
		name string
		rep  reply
		want []error
	}{
		{"unknown store", reply{200, `{"code":404,"msg":"更新数据失败"}`}, []error{ErrGateway}},
		{"read timeout", reply{200, `{"code":404,"msg":"内部异常：I/O error on POST request for \"http://s/cmd/property.updateProperty\": Read timed out"}`}, []error{ErrOutcomeUnknown}},
		{"no session", reply{200, `{"meta":{"code":"1996","message":"您还没有登录，请先登录"}}`}, []error{ErrUnauthorized}},
		{"2xx without code", reply{200, `<html>ok</html>`}, []error{ErrOutcomeUnknown}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, tt.rep)
			err := newTestClient(t, rec.URL).UpdateProperty(ctx, req)
			var perr *Error
			if !errors.As(err, &perr) || perr.TransactionID == "" {
				t.Fatalf("err = %v", err)
			}
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("err = %v, want %v", err, w)
				}
			}
		})
	}
}

func TestDeletePropertyWire(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, rec.URL)
	ctx := context.Background()
	if err := c.DeleteProperty(ctx, &DeletePropertyRequest{StoreID: "102"}); err != nil {
		t.Fatal(err)
	}
	wantSignedBody(t, rec.requests()[0], ServiceDeleteProperty, `{"storeId":"102","storeTypeCd":"800900000003"}`)
	if err := c.DeleteProperty(ctx, &DeletePropertyRequest{StoreID: "103", StoreTypeCd: "800900000005"}); err != nil {
		t.Fatal(err)
	}
	wantSignedBody(t, rec.requests()[1], ServiceDeleteProperty, `{"storeId":"103","storeTypeCd":"800900000005"}`)
	wantInvalid(t, rec, 2, c.DeleteProperty(ctx, &DeletePropertyRequest{}), "StoreID")
	wantInvalid(t, rec, 2, c.DeleteProperty(ctx, &DeletePropertyRequest{StoreID: "102", StoreTypeCd: " "}), "StoreTypeCd")
	wantInvalid(t, rec, 2, c.DeleteProperty(ctx, nil), "request")
}

// TestDeletePropertyNeverRepeated: a 503 after sending is an unknown
// outcome, never retried; the server's refusals are ErrGateway.
func TestDeletePropertyNeverRepeated(t *testing.T) {
	rec := newRecorder(t, reply{503, ""}, reply{200, `{"code":0,"msg":"成功"}`})
	c := newTestClient(t, rec.URL)
	ctx := context.Background()
	err := c.DeleteProperty(ctx, &DeletePropertyRequest{StoreID: "102"})
	if !errors.Is(err, ErrOutcomeUnknown) || len(rec.requests()) != 1 {
		t.Fatalf("err %v after %d attempts", err, len(rec.requests()))
	}
	for _, msg := range []string{"删除数据失败", "为了保证体验 此功能演示环境不开放"} {
		rec := newRecorder(t, reply{200, `{"code":404,"msg":"` + msg + `"}`})
		err := newTestClient(t, rec.URL).DeleteProperty(ctx, &DeletePropertyRequest{StoreID: "102"})
		var perr *Error
		if !errors.Is(err, ErrGateway) || errors.Is(err, ErrOutcomeUnknown) || !errors.As(err, &perr) || perr.Msg != msg {
			t.Errorf("%s: %v", msg, err)
		}
	}
	rec = newRecorder(t, reply{200, `{"code":404,"msg":"内部异常：I/O error on POST request for \"http://s/cmd/property.deleteProperty\": Read timed out"}`})
	if err := newTestClient(t, rec.URL).DeleteProperty(ctx, &DeletePropertyRequest{StoreID: "102"}); !errors.Is(err, ErrOutcomeUnknown) || len(rec.requests()) != 1 {
		t.Errorf("read timeout: %v", err)
	}
}

// TestListCommunitiesWire: GET with page and row always, the filters in a
// fixed order, signed over the decoded query, sent without a session even
// by a client that has one; both answer shapes.
func TestListCommunitiesWire(t *testing.T) {
	current := `{"code":0,"communitys":[{"communityId":"c1","name":"东方花园","address":"a","cityCode":"310115","nearbyLandmarks":"陆家嘴","state":"1100","communityAttrDtos":[]}],"page":0,"records":1,"rows":0,"total":1}`
	old := `{"communitys":[{"communityId":"c2","name":"西园"}],"page":0,"records":1,"rows":0,"total":7}`
	rec := newRecorder(t, reply{200, current}, reply{200, old})
	// No WithToken, no WithCredentials: the call needs no session.
	c, err := NewClient(WithBaseURL(rec.URL), WithAppID(testAppID), WithSecurityCode(testSecurity))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	resp, err := c.ListCommunities(ctx, &ListCommunitiesRequest{Name: "东方", CityCode: "310115"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Total != 1 || len(resp.Communities) != 1 || resp.Communities[0].NearbyLandmarks != "陆家嘴" || resp.Communities[0].State != "1100" {
		t.Errorf("resp %+v", resp)
	}
	r := rec.requests()[0]
	if wantQ := "cityCode=310115&name=" + url.QueryEscape("东方") + "&page=1&row=10"; r.Method != http.MethodGet || r.Path != "/app/"+ServiceListCommunities || r.Query != wantQ {
		t.Errorf("%s %s?%s", r.Method, r.Path, r.Query)
	}
	h := r.Header
	if want := sign.MicroCommunity(h.Get("transaction-id"), h.Get("req-time"), testAppID, "?cityCode=310115&name=东方&page=1&row=10", testSecurity); h.Get("sign") != want {
		t.Errorf("sign %s, want %s", h.Get("sign"), want)
	}
	if h.Get("Authorization") != "" || h.Get("X-Requested-With") != "XMLHttpRequest" {
		t.Errorf("headers %v", h)
	}
	resp, err = c.ListCommunities(ctx, &ListCommunitiesRequest{CommunityID: "c2", Page: 2, Row: 5})
	if err != nil || resp.Total != 7 || len(resp.Communities) != 1 || resp.Communities[0].Name != "西园" {
		t.Fatalf("old shape: %+v %v", resp, err)
	}
	if q := rec.requests()[1].Query; q != "communityId=c2&page=2&row=5" {
		t.Errorf("query %s", q)
	}
	// A client with a session does not send it either.
	rec2 := newRecorder(t, reply{200, current})
	if _, err := newTestClient(t, rec2.URL).ListCommunities(ctx, &ListCommunitiesRequest{}); err != nil || rec2.requests()[0].Header.Get("Authorization") != "" {
		t.Errorf("with a session: %v %v", err, rec2.requests()[0].Header)
	}
	wantInvalid(t, rec, 2, func() error { _, err := c.ListCommunities(ctx, &ListCommunitiesRequest{Row: -1}); return err }(), "Row")
	wantInvalid(t, rec, 2, func() error { _, err := c.ListCommunities(ctx, nil); return err }(), "request")
}

// TestListFailures: refusals and answers of the wrong shape.
func TestListFailures(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		rep  reply
		want error
	}{
		{"refused", reply{200, `{"code":404,"msg":"请求中未包含page信息"}`}, ErrGateway},
		{"html page", reply{200, `<html>maintenance</html>`}, ErrUnexpectedResponse},
		{"other object", reply{200, `{"foo":1}`}, ErrUnexpectedResponse},
		{"list of the wrong shape", reply{200, `{"communitys":{"a":1},"menuGroups":3,"total":1}`}, ErrUnexpectedResponse},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, tt.rep)
			c := newTestClient(t, rec.URL)
			if _, err := c.ListCommunities(ctx, &ListCommunitiesRequest{}); !errors.Is(err, tt.want) {
				t.Errorf("ListCommunities: %v, want %v", err, tt.want)
			}
			if _, err := c.ListMenuGroups(ctx, &ListMenuGroupsRequest{}); !errors.Is(err, tt.want) {
				t.Errorf("ListMenuGroups: %v, want %v", err, tt.want)
			}
		})
	}
}

func TestListMenuGroupsWire(t *testing.T) {
	rec := newRecorder(t, reply{200, `{"menuGroups":[{"gId":"g1","name":"物业","label":"L","storeType":"800900000003","seq":"2","groupType":"P_WEB"},{"gId":"g2","seq":3}],"page":0,"records":1,"rows":0,"total":2}`},
		reply{200, `{"code":0,"msg":"成功","menuGroups":[],"total":0}`})
	c := newTestClient(t, rec.URL)
	ctx := context.Background()
	resp, err := c.ListMenuGroups(ctx, &ListMenuGroupsRequest{StoreType: "800900000003"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Total != 2 || len(resp.MenuGroups) != 2 || resp.MenuGroups[0].GID != "g1" || resp.MenuGroups[0].Seq != 2 ||
		resp.MenuGroups[1].Seq != 3 || resp.MenuGroups[0].StoreType != "800900000003" || resp.MenuGroups[0].GroupType != "P_WEB" {
		t.Errorf("resp %+v", resp)
	}
	r := rec.requests()[0]
	if r.Path != "/app/"+ServiceListMenuGroups || r.Query != "page=1&row=10&storeType=800900000003" || r.Header.Get("Authorization") != "Bearer "+testToken {
		t.Errorf("%s?%s %v", r.Path, r.Query, r.Header)
	}
	if resp, err := c.ListMenuGroups(ctx, &ListMenuGroupsRequest{Page: 3, Row: 1}); err != nil || resp.Total != 0 || resp.MenuGroups == nil {
		t.Errorf("with code: %+v %v", resp, err)
	}
	rec2 := newRecorder(t, reply{200, `{"code":0,"data":[{"gId":"g3"}],"msg":"成功","page":0,"records":1,"rows":0,"total":1}`})
	if resp, err := newTestClient(t, rec2.URL).ListMenuGroups(ctx, &ListMenuGroupsRequest{}); err != nil || resp.Total != 1 || resp.MenuGroups[0].GID != "g3" {
		t.Errorf("in ResultVo data: %+v %v", resp, err)
	}
	wantInvalid(t, rec, 2, func() error { _, err := c.ListMenuGroups(ctx, &ListMenuGroupsRequest{Page: -1}); return err }(), "Page")
}

// TestListCommunitiesNameIsLiteral: the server binds the name into a LIKE
// pattern, where % and _ are wildcards and \ escapes; ListCommunities
// escapes them, so a name matches by substring as documented (against the
// fake, whose LIKE is the server's).
func TestListCommunitiesNameIsLiteral(t *testing.T) {
	srv := propertytest.NewServer(propertytest.WithCommunities(),
		propertytest.WithCommunity(propertytest.CommunityDetails{CommunityID: "c1", Name: "50%花园"}),
		propertytest.WithCommunity(propertytest.CommunityDetails{CommunityID: "c2", Name: "50号花园"}),
		propertytest.WithCommunity(propertytest.CommunityDetails{CommunityID: "c3", Name: "A_B苑"}),
		propertytest.WithCommunity(propertytest.CommunityDetails{CommunityID: "c4", Name: "AxB苑"}),
		propertytest.WithCommunity(propertytest.CommunityDetails{CommunityID: "c5", Name: `C\D苑`}),
		propertytest.WithCommunity(propertytest.CommunityDetails{CommunityID: "c6", Name: "CD苑"}))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"50%": "c1", "a_b": "c3", `C\D`: "c5", "号花": "c2"} {
		resp, err := c.ListCommunities(context.Background(), &ListCommunitiesRequest{Name: name})
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		var got []string
		for _, cm := range resp.Communities {
			got = append(got, cm.CommunityID)
		}
		if resp.Total != 1 || len(got) != 1 || got[0] != want {
			t.Errorf("Name %q: total %d, %v; want only %s", name, resp.Total, got, want)
		}
	}
}

// TestWorkflowAgainstFake: create → find the storeId → communities and
// menu groups → update → delete, against propertytest.
func TestWorkflowAgainstFake(t *testing.T) {
	srv := propertytest.NewServer()
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode), WithCredentials(srv.Username, srv.Password))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	anon, _ := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode))
	comms, err := anon.ListCommunities(ctx, &ListCommunitiesRequest{})
	if err != nil || comms.Total != 1 || comms.Communities[0].CommunityID != propertytest.DefaultCommunityID {
		t.Fatalf("communities %+v %v", comms, err)
	}
	groups, err := c.ListMenuGroups(ctx, &ListMenuGroupsRequest{StoreType: "800900000003"})
	if err != nil || groups.Total != 1 {
		t.Fatalf("groups %+v %v", groups, err)
	}
	for i, name := range []string{"旧物业", "新物业"} {
		req := company(i + 20)
		req.Name = name
		req.Tel = "13900000077" // the same tel: the newest comes first
		if _, err := c.SaveProperty(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	found, err := c.ListProperties(ctx, &ListPropertiesRequest{Tel: "13900000077"})
	if err != nil || found.Total != 2 || found.Properties[0].Name != "新物业" {
		t.Fatalf("list %+v %v", found, err)
	}
	id := found.Properties[0].StoreID
	if err := c.UpdateProperty(ctx, &UpdatePropertyRequest{StoreID: id, Address: "新地址", NearbyLandmarks: "国贸"}); err != nil {
		t.Fatal(err)
	}
	got, _ := c.ListProperties(ctx, &ListPropertiesRequest{StoreID: id})
	if got.Total != 1 || got.Properties[0].Address != "新地址" || got.Properties[0].NearbyLandmarks != "国贸" || got.Properties[0].Name != "新物业" {
		t.Errorf("after update %+v", got)
	}
	if err := c.UpdateProperty(ctx, &UpdatePropertyRequest{StoreID: "999", Name: "x"}); !errors.Is(err, ErrGateway) {
		t.Errorf("unknown store: %v", err)
	}
	if err := c.DeleteProperty(ctx, &DeletePropertyRequest{StoreID: id}); err != nil {
		t.Fatal(err)
	}
	if found, _ := c.ListProperties(ctx, &ListPropertiesRequest{Tel: "13900000077"}); found.Total != 1 || found.Properties[0].Name != "旧物业" {
		t.Errorf("after delete %+v", found)
	}
	// DeleteProperty's check after an unknown outcome: a deleted StoreID is
	// refused, not an empty page. ListPropertyCmd.validate looks the given
	// storeId up (StoreDto's statusCd "0": live companies only) and
	// asserts one (ListPropertyCmd.java:103-107, StoreDto.java:53).
	var e *Error
	if _, err := c.ListProperties(ctx, &ListPropertiesRequest{StoreID: id}); !errors.Is(err, ErrGateway) || !errors.As(err, &e) || e.Msg != "非法操作" {
		t.Errorf("deleted StoreID: %v", err)
	}
	// A real server deletes a deleted company again without error; an
	// unknown one is 删除数据失败.
	if err := c.DeleteProperty(ctx, &DeletePropertyRequest{StoreID: id}); err != nil {
		t.Errorf("deleted twice: %v", err)
	}
	if err := c.DeleteProperty(ctx, &DeletePropertyRequest{StoreID: "999"}); !errors.Is(err, ErrGateway) {
		t.Errorf("unknown store: %v", err)
	}
	// The deleted company's admin can no longer log in; the other's can.
	if _, err := c.OpenSession(ctx, "新物业", "13900000077"); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("the deleted company's admin: %v", err)
	}
	if _, err := c.OpenSession(ctx, "旧物业", "13900000077"); err != nil {
		t.Errorf("the other company's admin: %v", err)
	}
}

// TestMissingStoreIDDanger shows why UpdateProperty and DeleteProperty
// require StoreID: the same body without storeId, sent with Do by a
// company's admin, changes that admin's own company.
func TestMissingStoreIDDanger(t *testing.T) {
	srv := propertytest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	op, _ := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode), WithCredentials(srv.Username, srv.Password))
	req := company(30)
	if _, err := op.SaveProperty(ctx, req); err != nil {
		t.Fatal(err)
	}
	admin, _ := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode), WithCredentials(req.Tel, req.Tel))
	if err := admin.UpdateProperty(ctx, &UpdatePropertyRequest{Name: "别人的公司"}); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("UpdateProperty without StoreID: %v", err)
	}
	if err := admin.DeleteProperty(ctx, &DeletePropertyRequest{}); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("DeleteProperty without StoreID: %v", err)
	}
	if srv.Requests(ServiceUpdateProperty)+srv.Requests(ServiceDeleteProperty) != 0 {
		t.Fatal("an invalid request was sent")
	}
	// What fang refuses to send: the gateway fills in the caller's company.
	if err := admin.Do(ctx, http.MethodPost, ServiceUpdateProperty, map[string]string{"name": "改错了"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := admin.Do(ctx, http.MethodPost, ServiceDeleteProperty, map[string]string{"storeTypeCd": "800900000003"}, nil); err != nil {
		t.Fatal(err)
	}
	if cs := srv.Companies(); cs[0].Name != "改错了" || !cs[0].Deleted {
		t.Errorf("companies %+v", cs)
	}
}
