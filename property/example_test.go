package property_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/property/propertytest"
)

func ExampleClient_SaveProperty() {
	srv := propertytest.NewServer() // stands in for http://{ip}:{port}
	defer srv.Close()

	c, err := property.NewClient(
		property.WithBaseURL(srv.URL),
		property.WithAppID(srv.AppID),
		property.WithSecurityCode(srv.SecurityCode),
		property.WithCredentials(srv.Username, srv.Password),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := c.SaveProperty(context.Background(), &property.SavePropertyRequest{
		Name:         "物业公司A",
		Address:      "北京市朝阳区XX路XX号",
		Tel:          "18909711449",
		Corporation:  "张三",
		FoundingTime: "2022-09-01",
		CommunityIDs: []string{"2022092200930358"},
		GroupIDs:     []string{"802021080609660006"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Code, resp.Msg, len(resp.TransactionID))
	fmt.Println("admin account:", srv.Companies()[0].AdminUsername)
	// Output:
	// 0 成功 30
	// admin account: 18909711449
}

// Each failure a save can meet, and how to tell them apart.
func ExampleError() {
	srv := propertytest.NewServer()
	defer srv.Close()
	c, _ := property.NewClient(property.WithBaseURL(srv.URL), property.WithAppID(srv.AppID),
		property.WithSecurityCode(srv.SecurityCode), property.WithCredentials(srv.Username, srv.Password))
	ctx := context.Background()
	req := &property.SavePropertyRequest{Name: "A", Address: "a", Tel: "13900000000", Corporation: "c", FoundingTime: "2022-09-01",
		CommunityIDs: []string{"2022092200930358"}, GroupIDs: []string{"802021080609660006"}}
	c.SaveProperty(ctx, req)

	_, err := c.SaveProperty(ctx, req)
	var perr *property.Error
	if errors.Is(err, property.ErrCommunityAlreadySettled) && errors.As(err, &perr) {
		fmt.Println("conflict:", perr.Code, perr.Msg)
	}

	// The gateway answers, but the proxy in front loses the answer.
	srv.FailNext(1, propertytest.Failure{Endpoint: "property.saveProperty", HTTPStatus: 504, Body: "Gateway Timeout", AfterApply: true})
	req.Tel, req.CommunityIDs, req.GroupIDs = "13900000001", nil, nil
	_, err = c.SaveProperty(ctx, req)
	if errors.Is(err, property.ErrOutcomeUnknown) && errors.As(err, &perr) {
		fmt.Println("unknown outcome; reconcile transaction-id", len(perr.TransactionID), "digits; companies now:", len(srv.Companies()))
	}

	_, err = c.SaveProperty(ctx, &property.SavePropertyRequest{Name: "A", FoundingTime: "2022-02-30"})
	if invalid, ok := errors.AsType[*property.InvalidRequestError](err); ok {
		fmt.Println("fix fields:", invalid.Fields())
	}
	// Output:
	// conflict: 404 小区已经入驻2022092200930358
	// unknown outcome; reconcile transaction-id 30 digits; companies now: 2
	// fix fields: [Address Tel Corporation FoundingTime]
}

func ExampleClient_Login() {
	srv := propertytest.NewServer()
	defer srv.Close()
	c, _ := property.NewClient(property.WithBaseURL(srv.URL), property.WithAppID(srv.AppID), property.WithSecurityCode(srv.SecurityCode))

	tok, err := c.Login(context.Background(), srv.Username, srv.Password)
	fmt.Println(err == nil, tok) // a Token prints without its value
	_, err = c.Login(context.Background(), srv.Username, "wrong")
	fmt.Println(errors.Is(err, property.ErrUnauthorized))
}

// A save whose outcome is unknown is reconciled by looking the company up
// by its tel, never by saving again: here the gateway timed out after the
// company was created.
func ExampleClient_ListProperties() {
	srv := propertytest.NewServer()
	defer srv.Close()
	c, _ := property.NewClient(property.WithBaseURL(srv.URL), property.WithAppID(srv.AppID),
		property.WithSecurityCode(srv.SecurityCode), property.WithCredentials(srv.Username, srv.Password))
	ctx := context.Background()
	req := &property.SavePropertyRequest{Name: "物业公司R", Address: "a", Tel: "13900000042", Corporation: "c", FoundingTime: "2022-09-01"}

	srv.FailNext(1, propertytest.ReadTimeout(property.ServiceSaveProperty))
	_, err := c.SaveProperty(ctx, req)
	fmt.Println("outcome unknown:", errors.Is(err, property.ErrOutcomeUnknown))

	found, err := c.ListProperties(ctx, &property.ListPropertiesRequest{Tel: req.Tel})
	if err != nil {
		fmt.Println(err)
		return
	}
	if found.Total > 0 {
		fmt.Println("created after all:", found.Properties[0].Name, "— do not save again")
	}
	// Output:
	// outcome unknown: true
	// created after all: 物业公司R — do not save again
}

// CreateProperty saves once and returns the new company with its StoreID,
// even when the gateway's read timeout hides whether the save went through.
func ExampleClient_CreateProperty() {
	srv := propertytest.NewServer() // stands in for http://{ip}:{port}
	defer srv.Close()
	c, err := property.NewClient(property.WithBaseURL(srv.URL), property.WithAppID(srv.AppID),
		property.WithSecurityCode(srv.SecurityCode), property.WithCredentials(srv.Username, srv.Password))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	ctx := context.Background()

	p, err := c.CreateProperty(ctx, &property.SavePropertyRequest{
		Name: "物业公司A", Address: "北京市朝阳区XX路XX号", Tel: "18909711449", Corporation: "张三", FoundingTime: "2022-09-01",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("created:", p.Name, p.StoreID == srv.Companies()[0].StoreID)

	// The gateway gives up on the command service (内部异常：…Read timed
	// out) and the command lands a moment later: CreateProperty keeps
	// looking instead of guessing, and never saves twice.
	srv.HoldNextSave(1)
	p, err = c.CreateProperty(ctx, &property.SavePropertyRequest{
		Name: "物业公司B", Address: "上海市XX路1号", Tel: "13800000000", Corporation: "李四", FoundingTime: "2020-02-29",
	})
	switch {
	case errors.Is(err, property.ErrNotCreated):
		fmt.Println("nothing was created: saving again is safe")
	case errors.Is(err, property.ErrOutcomeUnknown):
		fmt.Println("cannot tell yet: do not save again")
	case err != nil:
		fmt.Println(err)
	default:
		fmt.Println("created after a read timeout:", p.Name, p.StoreID == srv.Companies()[1].StoreID)
	}
	fmt.Println("saves sent:", srv.Requests(property.ServiceSaveProperty))
	// Output:
	// created: 物业公司A true
	// created after a read timeout: 物业公司B true
	// saves sent: 2
}
