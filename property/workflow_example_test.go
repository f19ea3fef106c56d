package property_test

import (
	"context"
	"fmt"

	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/property/propertytest"
)

// newExampleClient is a client of srv logged in as its operator.
func newExampleClient(srv *propertytest.Server) *property.Client {
	c, err := property.NewClient(property.WithBaseURL(srv.URL), property.WithAppID(srv.AppID),
		property.WithSecurityCode(srv.SecurityCode), property.WithCredentials(srv.Username, srv.Password))
	if err != nil {
		panic(err)
	}
	return c
}

// exampleCompany creates a company on srv and returns its storeId, found
// by its tel (newest first).
func exampleCompany(c *property.Client, name, tel string) string {
	ctx := context.Background()
	if _, err := c.SaveProperty(ctx, &property.SavePropertyRequest{Name: name, Address: "北京市朝阳区XX路XX号",
		Tel: tel, Corporation: "张三", FoundingTime: "2022-09-01"}); err != nil {
		panic(err)
	}
	found, err := c.ListProperties(ctx, &property.ListPropertiesRequest{Tel: tel})
	if err != nil {
		panic(err)
	}
	return found.Properties[0].StoreID
}

func ExampleClient_UpdateProperty() {
	srv := propertytest.NewServer()
	defer srv.Close()
	c := newExampleClient(srv)
	ctx := context.Background()
	storeID := exampleCompany(c, "物业公司A", "18909711449")

	// Only the fields set change; StoreID is required.
	err := c.UpdateProperty(ctx, &property.UpdatePropertyRequest{StoreID: storeID, Address: "北京市海淀区YY路1号", NearbyLandmarks: "国投广场"})
	if err != nil {
		fmt.Println(err)
		return
	}
	found, _ := c.ListProperties(ctx, &property.ListPropertiesRequest{StoreID: storeID})
	p := found.Properties[0]
	fmt.Println(p.Name, p.Address, p.NearbyLandmarks)
	// Output:
	// 物业公司A 北京市海淀区YY路1号 国投广场
}

func ExampleClient_DeleteProperty() {
	srv := propertytest.NewServer()
	defer srv.Close()
	c := newExampleClient(srv)
	ctx := context.Background()
	storeID := exampleCompany(c, "物业公司A", "18909711449")

	// StoreTypeCd "" means a property company. Never repeated by fang.
	if err := c.DeleteProperty(ctx, &property.DeletePropertyRequest{StoreID: storeID}); err != nil {
		fmt.Println(err)
		return
	}
	found, _ := c.ListProperties(ctx, &property.ListPropertiesRequest{Tel: "18909711449"})
	fmt.Println("companies with that tel:", found.Total)
	// Output:
	// companies with that tel: 0
}

func ExampleClient_ListCommunities() {
	srv := propertytest.NewServer(propertytest.WithCommunity(propertytest.CommunityDetails{
		CommunityID: "2023000000000001", Name: "东方花园", Address: "上海市浦东新区", CityCode: "310115"}))
	defer srv.Close()

	// No session is needed: this client has neither token nor credentials.
	c, err := property.NewClient(property.WithBaseURL(srv.URL), property.WithAppID(srv.AppID), property.WithSecurityCode(srv.SecurityCode))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := c.ListCommunities(context.Background(), &property.ListCommunitiesRequest{Name: "东方"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, cm := range resp.Communities {
		fmt.Println(resp.Total, cm.CommunityID, cm.Name, cm.CityCode, cm.State)
	}
	// Output:
	// 1 2023000000000001 东方花园 310115 1100
}

func ExampleClient_ListMenuGroups() {
	srv := propertytest.NewServer()
	defer srv.Close()
	c := newExampleClient(srv)

	// The groups of property companies: their GIDs are what
	// SavePropertyRequest.GroupIDs takes.
	resp, err := c.ListMenuGroups(context.Background(), &property.ListMenuGroupsRequest{StoreType: "800900000003"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range resp.MenuGroups {
		fmt.Println(g.GID, g.StoreType)
	}
	// Output:
	// 802021080609660006 800900000003
}
