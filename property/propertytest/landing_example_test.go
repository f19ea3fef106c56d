package propertytest_test

import (
	"fmt"
	"strings"

	"github.com/fangsdk/fang/property/propertytest"
)

// The gateway gives up on the command service after 10 s and answers
// 内部异常：…Read timed out, while the command keeps running: the company
// appears a moment later. A client must neither take the answer for a
// failure nor save again.
func ExampleServer_HoldNextSave() {
	s := propertytest.NewServer()
	defer s.Close()

	held := s.HoldNextSave(1) // lands with the next request
	status, body := call(s, "property.saveProperty", s.Token, companyA)
	fmt.Println(status, strings.Contains(body, `"code":404`), strings.Contains(body, "Read timed out"))
	fmt.Println("companies:", len(s.Companies()))

	// Any next request: the command lands before it is processed.
	call(s, "property.saveProperty", s.Token, `{"name":"物业公司A"}`)
	c, landed := held.Landed()
	fmt.Println("landed:", landed, c.Name, c.TransactionID == held.TransactionID(), "companies:", len(s.Companies()))

	// One that never lands: the command failed after the gateway gave up.
	never := s.HoldNextSave(0)
	call(s, "property.saveProperty", s.Token, companyA)
	never.Drop()
	fmt.Println("companies:", len(s.Companies()))
	// Output:
	// 200 true true
	// companies: 0
	// landed: true 物业公司A true companies: 1
	// companies: 1
}
