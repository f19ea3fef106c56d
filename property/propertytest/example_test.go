package propertytest_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/fangsdk/fang/property/propertytest"
	"github.com/fangsdk/fang/sign"
)

// call sends one signed HC request to s the way any client must: a fresh
// transaction-id, the req-time, and the MD5 sign over the exact body bytes.
func call(s *propertytest.Server, service, token, body string) (int, string) {
	ids, err := sign.NewTransactionIDGenerator("")
	if err != nil {
		panic(err)
	}
	txid, reqTime := ids.Next(), sign.ReqTime(time.Now())
	req, err := http.NewRequest(http.MethodPost, s.URL+"/app/"+service, bytes.NewReader([]byte(body)))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("app-id", s.AppID)
	req.Header.Set("transaction-id", txid)
	req.Header.Set("req-time", reqTime)
	req.Header.Set("sign", sign.MicroCommunityBytes(txid, reqTime, s.AppID, []byte(body), s.SecurityCode))
	req.Header.Set("user-id", "-1")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "error: connection lost"
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

const companyA = `{"name":"物业公司A","address":"北京市朝阳区XX路XX号","tel":"18909711449","corporation":"张三","foundingTime":"2022-09-01","communityIds":["2022092200930358"],"groupIds":["802021080609660006"]}`

// A test creates a property company on the fake gateway, then checks what the
// server did: the company exists and its administrator can log in.
func Example() {
	s := propertytest.NewServer()
	defer s.Close()

	fmt.Println(call(s, "property.saveProperty", s.Token, companyA))
	// The same call again: the community already has a company.
	fmt.Println(call(s, "property.saveProperty", s.Token, companyA))

	c := s.Companies()[0]
	fmt.Println(len(s.Companies()), c.Name, c.CommunityIDs, c.AdminUsername)

	// HC stores md5hex(md5hex(password + "hc@java110")) and compares the
	// passwd sent with it: clients send the hash.
	login := func(username, password string) string {
		return fmt.Sprintf(`{"username":%q,"passwd":%q}`, username, sign.HCPassword(password))
	}
	_, answer := call(s, "login.pcUserLogin", "", login("18909711449", "18909711449"))
	fmt.Println("admin login:", strings.HasPrefix(answer, `{"code":0,"data":[{"userId":`))
	fmt.Println(call(s, "login.pcUserLogin", "", login("18909711449", "wrong")))
	// Output:
	// 200 {"code":0,"msg":"成功","page":0,"records":0,"rows":0,"total":0}
	// 200 {"code":404,"msg":"小区已经入驻2022092200930358","page":0,"records":0,"rows":0,"total":0}
	// 1 物业公司A [2022092200930358] 18909711449
	// admin login: true
	// 200 {"code":404,"msg":"用户或密码错误","page":0,"records":0,"rows":0,"total":0}
}

// The gateway rejects what the real one rejects, the way it does: almost
// every failure is HTTP 200 with code 404 and a message, and a request
// without a live session gets the session filter's 1996 answer.
func Example_rejected() {
	s := propertytest.NewServer()
	defer s.Close()

	fmt.Println(call(s, "property.saveProperty", s.Token, `{"name":"物业公司A"}`))
	status, body := call(s, "property.saveProperty", "not-a-token", companyA)
	fmt.Println(status, strings.HasPrefix(body, `{"meta":{"code":"1996","message":"您还没有登录，请先登录"`))
	// Output:
	// 200 {"code":404,"msg":"请求报文中未包含地址","page":0,"records":0,"rows":0,"total":0}
	// 200 true
}

// The answer is lost after the company was created: the client sees a
// dropped connection, the server has the company. A client must not simply
// repeat saveProperty.
func ExampleServer_FailNext() {
	s := propertytest.NewServer()
	defer s.Close()

	s.FailNext(1, propertytest.Failure{
		Endpoint:        "property.saveProperty",
		CloseConnection: true,
		AfterApply:      true,
	})
	fmt.Println(call(s, "property.saveProperty", s.Token, companyA))
	fmt.Println("companies:", len(s.Companies()))

	// A proxy in front of the gateway answers with its own page.
	s.FailNext(1, propertytest.Failure{HTTPStatus: 502, Body: "<html>502 Bad Gateway</html>"})
	status, body := call(s, "property.saveProperty", s.Token, companyA)
	fmt.Println(status, strings.HasPrefix(body, "<html>"))
	// Output:
	// 0 error: connection lost
	// companies: 1
	// 502 true
}

// WithApp configures the application; the PROTOCOL.md test vector is then
// accepted byte for byte.
func ExampleWithApp() {
	s := propertytest.NewServer(propertytest.WithApp("micro-community", "hc-security-code"))
	defer s.Close()

	body := `{"name":"物业公司A","address":"北京市朝阳区XX路XX号","tel":"18909711449","corporation":"张三","foundingTime":"2022-09-01","nearbyLandmarks":"国投广场","communityIds":["2022092200930358"],"groupIds":["802021080609660006"]}`
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/app/property.saveProperty", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.Token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("app-id", "micro-community")
	req.Header.Set("transaction-id", "100000000020240101120000000001")
	req.Header.Set("req-time", "20240101120000")
	req.Header.Set("sign", "ab7be2e9cd7a4736b5928a3d9a3af121")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(b))
	fmt.Println(len(s.Companies()), "company") // the PROTOCOL.md test vector, byte for byte
	// Output:
	// 200 {"code":0,"msg":"成功","page":0,"records":0,"rows":0,"total":0}
	// 1 company
}
