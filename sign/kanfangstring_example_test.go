package sign_test

import (
	"fmt"
	"net/url"

	"github.com/fangsdk/fang/sign"
)

func ExampleKanfangTimestamp() {
	// A callback receiver checks the sign over the timestamp header's text.
	form := url.Values{"B": {"2"}, "A": {"1"}, "C": {"3"}}
	fmt.Println(sign.KanfangTimestamp("CdLvNRRQvy0xjORPNvuVaA", form, "1532059200000"))
	// Output: d5680a902dd2de08cf2bf9df819ffb9d
}
