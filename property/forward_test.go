package property

import (
	"context"
	"net/url"
	"testing"
)

// TestGETValuesTheGatewayCannotForward: the gateway passes a GET's decoded
// query on to the service as a URI template (BaseController builds
// REQUEST_URL from the decoded parameters, ApiServiceSMOImpl.java:505-511
// appends it to the service's URL for RestTemplate), so a value holding
// & # + { or } would reach the service cut short, as a space, or not at
// all. Every GET refuses it before sending and names the field; a POST
// body carries such values fine.
func TestGETValuesTheGatewayCannotForward(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, rec.URL)
	ctx := context.Background()
	for _, v := range []string{"A&B", "1#楼", "+8613800000000", "{x}", "a}"} {
		_, err := c.ListProperties(ctx, &ListPropertiesRequest{Name: v})
		wantInvalid(t, rec, 0, err, "Name")
		_, err = c.ListProperties(ctx, &ListPropertiesRequest{Tel: v})
		wantInvalid(t, rec, 0, err, "Tel")
		_, err = c.ListProperties(ctx, &ListPropertiesRequest{StoreID: v})
		wantInvalid(t, rec, 0, err, "StoreID")
		for field, req := range map[string]*ListCommunitiesRequest{"Name": {Name: v}, "CommunityID": {CommunityID: v}, "CityCode": {CityCode: v}} {
			_, err = c.ListCommunities(ctx, req)
			wantInvalid(t, rec, 0, err, field)
		}
		_, err = c.ListMenuGroups(ctx, &ListMenuGroupsRequest{StoreType: v})
		wantInvalid(t, rec, 0, err, "StoreType")
		err = c.Do(ctx, "GET", ServiceListProperty, url.Values{"page": {"1"}, "row": {"10"}, "name": {v}}, nil)
		wantInvalid(t, rec, 0, err, "in")
		_, err = c.CreateProperty(ctx, &SavePropertyRequest{Name: "物业", Address: "路", Tel: v, Corporation: "张", FoundingTime: "2020-01-01"})
		wantInvalid(t, rec, 0, err, "Tel")
	}
	// The same values in a POST body, and the other characters in a GET,
	// are sent.
	if err := c.Do(ctx, "POST", ServiceUpdateProperty, map[string]string{"storeId": "1", "name": "A&B#+{}"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListProperties(ctx, &ListPropertiesRequest{Name: "A B-C/D=E?F物业"}); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.requests()); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}
