package property

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/property/propertytest"
	"github.com/fangsdk/fang/sign"
)

// TestRealGatewayJourney is the story of issue 10, tried as a new user
// would against the fake in its default (real server) mode: save a
// company, log in as its new admin (tel / tel), save again, lose the
// session, save once more. No error, exactly one extra login, no company
// twice, every request signed right.
func TestRealGatewayJourney(t *testing.T) {
	srv := propertytest.NewServer(propertytest.WithStrictTransactionIDs())
	defer srv.Close()
	ctx := context.Background()
	ops, err := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode), WithToken(auth.StaticToken(srv.Token)))
	if err != nil {
		t.Fatal(err)
	}
	first := &SavePropertyRequest{Name: "物业公司甲", Address: "北京市朝阳区1号", Tel: "13911112222", Corporation: "张三",
		FoundingTime: "2022-09-01", NearbyLandmarks: "国投广场", MapX: "116.4", MapY: "39.9",
		CommunityIDs: []string{propertytest.DefaultCommunityID}, GroupIDs: []string{propertytest.DefaultMenuGroupID}}
	if _, err := ops.SaveProperty(ctx, first); err != nil {
		t.Fatal(err)
	}

	admin, err := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode), WithCredentials(first.Tel, first.Tel))
	if err != nil {
		t.Fatal(err)
	}
	second := company(2)
	if _, err := admin.SaveProperty(ctx, second); err != nil {
		t.Fatal(err)
	}
	logins := srv.Logins()
	srv.RevokeSessions()
	third := company(3)
	if _, err := admin.SaveProperty(ctx, third); err != nil {
		t.Fatal(err)
	}
	if got := srv.Logins() - logins; got != 1 {
		t.Errorf("%d logins after the session was revoked, want 1", got)
	}
	cs := srv.Companies()
	if len(cs) != 3 || cs[0].Tel != first.Tel || cs[1].Tel != second.Tel || cs[2].Tel != third.Tel {
		t.Fatalf("companies %+v", cs)
	}
	if cs[0].NearbyLandmarks != "国投广场" || cs[0].MapX != "116.4" || cs[0].MapY != "39.9" {
		t.Errorf("first company %+v: landmark or map lost", cs[0])
	}
	// Every save and login the gateway accepted carried a sign over its
	// own body (the strict fake rejects repeated transaction-ids too).
	if n := srv.Requests(ServiceSaveProperty); n != 4 { // 3 saves + the one refused with 1996
		t.Errorf("%d save requests, want 4", n)
	}
	last, _ := srv.LastRequest(ServiceSaveProperty)
	if last.Header.Get("Sign") != sign.MicroCommunityBytes(last.TransactionID, last.Header.Get("Req-Time"), srv.AppID, last.Body, srv.SecurityCode) {
		t.Error("last save not signed over its body")
	}
}

// TestSeedGatewayJourney: the same against a server of the seed's dialect.
func TestSeedGatewayJourney(t *testing.T) {
	srv := propertytest.NewServer(propertytest.WithSeedDialect())
	defer srv.Close()
	ctx := context.Background()
	c, err := NewClient(WithBaseURL(srv.URL), WithAppID(srv.AppID), WithSecurityCode(srv.SecurityCode), WithCredentials(srv.Username, srv.Password))
	if err != nil {
		t.Fatal(err)
	}
	req := company(1)
	req.CommunityIDs, req.GroupIDs = []string{propertytest.DefaultCommunityID}, []string{propertytest.DefaultMenuGroupID}
	if _, err := c.SaveProperty(ctx, req); err != nil {
		t.Fatal(err)
	}
	srv.RevokeSessions()
	req2 := company(2)
	req2.CommunityIDs, req2.GroupIDs = req.CommunityIDs, req.GroupIDs
	_, err = c.SaveProperty(ctx, req2)
	var perr *Error
	if !errors.Is(err, ErrCommunityAlreadySettled) || !errors.As(err, &perr) || perr.Code != -2 {
		t.Fatalf("err = %v", err)
	}
	if srv.Logins() != 2 {
		t.Errorf("%d logins, want 2", srv.Logins())
	}
	if _, err := c.Login(ctx, srv.Username, "wrong"); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("wrong password: %v", err)
	}
}

// TestSavePropertyLimits: the real column widths are checked before
// sending, every bad field named.
func TestSavePropertyLimits(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, rec.URL)
	req := &SavePropertyRequest{
		Name: strings.Repeat("名", 51), Address: strings.Repeat("址", 201), Tel: "139000000001",
		Corporation: strings.Repeat("法", 51), FoundingTime: "2022-09-01",
		NearbyLandmarks: strings.Repeat("场", 201), MapX: strings.Repeat("1", 21), MapY: strings.Repeat("2", 21),
	}
	_, err := c.SaveProperty(context.Background(), req)
	var ie *InvalidRequestError
	if !errors.Is(err, ErrInvalidRequest) || !errors.As(err, &ie) {
		t.Fatalf("err = %v", err)
	}
	if got := strings.Join(ie.Fields(), ","); got != "Name,Address,Tel,Corporation,NearbyLandmarks,MapX,MapY" {
		t.Errorf("fields %s", got)
	}
	if len(rec.requests()) != 0 {
		t.Error("an invalid request was sent")
	}
	ok := &SavePropertyRequest{Name: strings.Repeat("名", 50), Address: strings.Repeat("址", 200), Tel: "13900000000",
		Corporation: strings.Repeat("法", 50), FoundingTime: "2022-09-01", NearbyLandmarks: strings.Repeat("场", 200),
		MapX: strings.Repeat("1", 20), MapY: "2"}
	if _, err := c.SaveProperty(context.Background(), ok); err != nil {
		t.Fatal(err)
	}
	body := string(rec.requests()[0].Body)
	if !strings.Contains(body, `"mapX":"`+strings.Repeat("1", 20)+`","mapY":"2"`) || !strings.Contains(body, `"nearByLandmarks":"`) {
		t.Errorf("body %s", body)
	}
}

// TestHeaderUnsafeConfiguration: values that cannot travel in a header
// fail NewClient, never showing the value.
func TestHeaderUnsafeConfiguration(t *testing.T) {
	base := []Option{WithBaseURL("http://hc.invalid"), WithAppID("app")}
	for name, opts := range map[string][]Option{
		"app-id":       {WithBaseURL("http://hc.invalid"), WithAppID("app\r\nX-Evil: 1")},
		"user-id":      append(base, WithUserID("7\n")),
		"user agent":   append(base, WithUserAgent("ua\x00")),
		"static token": append(base, WithToken(auth.StaticToken("tok-secret\r\nX: y"))),
	} {
		_, err := NewClient(opts...)
		if !errors.Is(err, ErrConfig) || strings.Contains(err.Error(), "tok-secret") || strings.Contains(err.Error(), "X-Evil") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// TestNilContext: every method given a nil context returns an error.
func TestNilContext(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, rec.URL)
	cred, _ := NewClient(WithBaseURL(rec.URL), WithAppID("a"), WithCredentials("u", "p"))
	var nilCtx context.Context
	calls := map[string]func() error{
		"SaveProperty":             func() error { _, err := c.SaveProperty(nilCtx, company(1)); return err },
		"SaveProperty credentials": func() error { _, err := cred.SaveProperty(nilCtx, company(1)); return err },
		"Login":                    func() error { _, err := c.Login(nilCtx, "u", "p"); return err },
		"OpenSession":              func() error { _, err := c.OpenSession(nilCtx, "u", "p"); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestInvalidRequestError: a *property.InvalidRequestError of its own
// (not kanfang's), naming the method and each bad field.
func TestInvalidRequestError(t *testing.T) {
	c, _ := NewClient(WithBaseURL("http://hc.invalid"), WithAppID("a"), WithToken(auth.StaticToken("t")))
	_, err := c.ListProperties(context.Background(), &ListPropertiesRequest{Page: -1, Row: -1})
	var ie *InvalidRequestError
	if !errors.As(err, &ie) || ie.Op != "ListProperties" || strings.Join(ie.Fields(), ",") != "Page,Row" ||
		ie.Problems[0].Reason != "is negative" || !strings.HasPrefix(err.Error(), "property: ListProperties: invalid request: ") {
		t.Fatalf("err = %v", err)
	}
	_, err = c.Login(context.Background(), "", "")
	if !errors.As(err, &ie) || ie.Op != "Login" {
		t.Fatalf("login: %v", err)
	}
}
