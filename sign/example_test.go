package sign_test

import (
	"fmt"
	"net/url"
	"time"

	"github.com/fangsdk/fang/sign"
)

func ExampleMicroCommunity() {
	body := `{"name":"物业公司A","address":"北京市朝阳区XX路XX号","tel":"18909711449","corporation":"张三","foundingTime":"2022-09-01","nearbyLandmarks":"国投广场","communityIds":["2022092200930358"],"groupIds":["802021080609660006"]}`
	fmt.Println(sign.MicroCommunity("100000000020240101120000000001", "20240101120000", "micro-community", body, "hc-security-code"))
	// Output: ab7be2e9cd7a4736b5928a3d9a3af121
}

func ExampleKanfang() {
	params := url.Values{"B": {"2"}, "A": {"1"}, "C": {"3"}}
	fmt.Println(sign.Kanfang("CdLvNRRQvy0xjORPNvuVaA", params, 1532059200000))
	// Output: d5680a902dd2de08cf2bf9df819ffb9d
}

func ExampleReqTime() {
	fmt.Println(sign.ReqTime(time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC)))
	// Output: 20240101120000
}

func ExampleNewTransactionIDGenerator() {
	g, err := sign.NewTransactionIDGenerator("1000000000") // a node id of your own per replica
	if err != nil {
		fmt.Println(err)
		return
	}
	id := g.NextAt(time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC))
	fmt.Println(len(id), id[:24])
	// Output: 30 100000000020240101120000
}
