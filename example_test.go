package fang_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/fangsdk/fang"
	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/property/propertytest"
)

// Both clients configured at once, here against the in-process fakes.
func Example() {
	kf := kanfangtest.NewServer()
	defer kf.Close()
	hc := propertytest.NewServer()
	defer hc.Close()

	client, err := fang.New(
		fang.WithKanfang(kanfang.WithBaseURL(kf.URL), kanfang.WithCredentials(kf.AuthKey, kf.AuthValue)),
		fang.WithProperty(
			property.WithBaseURL(hc.URL),
			property.WithAppID(hc.AppID),
			property.WithSecurityCode(hc.SecurityCode),
			property.WithCredentials(hc.Username, hc.Password),
		),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	put, err := client.Kanfang.PutAnjukeBianHao(ctx, &kanfang.PutAnjukeBianHaoRequest{PackageID: "pkg-1", AnjukeBianHao: "00000000010101"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("anjuke number:", put.AnjukeBianHao)

	req := &property.SavePropertyRequest{
		Name: "物业公司A", Address: "北京市朝阳区XX路XX号", Tel: "18909711449", Corporation: "张三",
		FoundingTime: "2022-09-01",
		CommunityIDs: []string{propertytest.DefaultCommunityID}, GroupIDs: []string{propertytest.DefaultMenuGroupID},
	}
	saved, err := client.Property.SaveProperty(ctx, req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("saved:", saved.Msg, len(saved.TransactionID), "digit transaction-id")

	_, err = client.Property.SaveProperty(ctx, req)
	fmt.Println("again:", errors.Is(err, property.ErrCommunityAlreadySettled))
	// Output:
	// anjuke number: 00000000010101
	// saved: 成功 30 digit transaction-id
	// again: true
}

func ExampleNew_nothingConfigured() {
	_, err := fang.New()
	fmt.Println(err)
	// Output: fang: nothing to configure: give WithKanfang and/or WithProperty
}
