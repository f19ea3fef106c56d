package propertytest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/property/propertytest"
)

// A service the fake does not know, served under the gateway's rules (the
// session filter, the sign, the failure queue), for code that calls it
// through property.Client.Do; RequestLog then shows what reached the
// gateway and how it answered.
func ExampleServer_Handle() {
	srv := propertytest.NewServer()
	defer srv.Close()
	srv.Handle(http.MethodGet, "room.queryRooms", func(p propertytest.Params) (int, any) {
		if p.Get("communityId") == "" {
			return 404, "communityId is required"
		}
		return 0, []map[string]string{{"roomId": "7", "communityId": p.Get("communityId")}}
	})

	c, err := property.NewClient(property.WithBaseURL(srv.URL), property.WithAppID(srv.AppID),
		property.WithSecurityCode(srv.SecurityCode), property.WithCredentials(srv.Username, srv.Password))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	var out struct {
		Data []struct{ RoomID, CommunityID string }
	}
	q := url.Values{"communityId": {propertytest.DefaultCommunityID}}
	fmt.Println(c.Do(ctx, http.MethodGet, "room.queryRooms", q, &out), out.Data)
	var perr *property.Error
	if err := c.Do(ctx, http.MethodGet, "room.queryRooms", nil, nil); errors.As(err, &perr) {
		fmt.Println(perr.Code, perr.Msg)
	}

	for _, r := range srv.RequestLog() {
		fmt.Println(r.Method, r.ServiceCode, r.HTTPStatus, r.Sign)
	}
	// Output:
	// <nil> [{7 2022092200930358}]
	// 404 communityId is required
	// POST login.pcUserLogin 200 valid
	// GET room.queryRooms 200 valid
	// GET room.queryRooms 200 valid
}

// RequestLog records every request once answered, whatever answered it:
// the command, the gateway's checks or an injected failure.
func ExampleServer_RequestLog() {
	srv := propertytest.NewServer()
	defer srv.Close()
	srv.FailNext(1, propertytest.Failure{HTTPStatus: http.StatusBadGateway})
	call(srv, "property.saveProperty", srv.Token, companyA) // the proxy's 502
	call(srv, "property.saveProperty", srv.Token, companyA) // created
	call(srv, "property.saveProperty", "expired", companyA) // the session filter

	for _, r := range srv.RequestLog() {
		fmt.Printf("%s %d injected=%v sign=%q\n", r.ServiceCode, r.HTTPStatus, r.Injected, r.Sign)
	}
	// Output:
	// property.saveProperty 502 injected=true sign=""
	// property.saveProperty 200 injected=false sign="valid"
	// property.saveProperty 200 injected=false sign=""
}
