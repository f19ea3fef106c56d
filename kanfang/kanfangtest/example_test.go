package kanfangtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/sign"
)

// putBianHao sends putAnjukeBianHao with the token in the Authorization
// header and returns the HTTP status and the raw body.
func putBianHao(srv *kanfangtest.Server, token, packageID, number string, header http.Header) (int, string) {
	form := url.Values{"packageId": {packageID}, "anjukeBianHao": {number}}
	req, err := http.NewRequest(http.MethodPost, srv.URL+kanfangtest.PathPutAnjukeBianHao, strings.NewReader(form.Encode()))
	if err != nil {
		panic(err)
	}
	maps.Copy(req.Header, header)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// Log in with the fake's credentials, then set the Anjuke number of a data
// package with the access token obtained.
func Example() {
	srv := kanfangtest.NewServer()
	defer srv.Close()

	q := url.Values{"authKey": {srv.AuthKey}, "authValue": {srv.AuthValue}, "clientEdtion": {"ps_1.0.0"}}
	resp, err := http.Get(srv.URL + kanfangtest.PathGetAccessToken + "?" + q.Encode())
	if err != nil {
		panic(err)
	}
	var login struct {
		State   int `json:"state"`
		Payload struct {
			Token         string `json:"token"`
			TokenExpireIn int    `json:"tokenExpireIn"`
		} `json:"payload"`
	}
	err = json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	if err != nil {
		panic(err)
	}
	fmt.Println("login state:", login.State, "expires in:", login.Payload.TokenExpireIn)

	status, body := putBianHao(srv, login.Payload.Token, "pkg-42", "00000000010101", nil)
	fmt.Println(status, body)

	number, _ := srv.AnjukeBianHao("pkg-42")
	fmt.Println("stored:", number)
	// Output:
	// login state: 200 expires in: 172800
	// 200 {"state":200,"payload":{"packageId":"pkg-42","anjukeBianHao":"00000000010101"}}
	// stored: 00000000010101
}

// Make the next putAnjukeBianHao fail the way a gateway in front of the real
// server sometimes does, with an HTML page and HTTP 502, to test a client's
// error handling. The request is not carried out.
func ExampleServer_FailNext() {
	srv := kanfangtest.NewServer()
	defer srv.Close()

	srv.FailNext(1, kanfangtest.Failure{
		Endpoint:   kanfangtest.PathPutAnjukeBianHao,
		HTTPStatus: http.StatusBadGateway,
		Body:       "<html><body><h1>502 Bad Gateway</h1></body></html>",
	})
	status, body := putBianHao(srv, srv.Token, "pkg-1", "0001", nil)
	fmt.Println(status, body)

	srv.FailNext(1, kanfangtest.Failure{Code: 500, Message: "InnerServerError -> database is down"})
	status, body = putBianHao(srv, srv.Token, "pkg-1", "0001", nil)
	fmt.Println(status, body)

	_, stored := srv.AnjukeBianHao("pkg-1")
	fmt.Println("stored:", stored)
	// Output:
	// 502 <html><body><h1>502 Bad Gateway</h1></body></html>
	// 200 {"state":500,"payload":"InnerServerError -> database is down"}
	// stored: false
}

// Expire the access token by moving the fake's clock instead of sleeping.
func ExampleServer_Advance() {
	srv := kanfangtest.NewServer(kanfangtest.WithTokenLifetime(time.Hour))
	defer srv.Close()

	_, body := putBianHao(srv, srv.Token, "pkg-1", "0001", nil)
	fmt.Println(body)

	srv.Advance(time.Hour)
	_, body = putBianHao(srv, srv.Token, "pkg-1", "0002", nil)
	fmt.Println(body)
	// Output:
	// {"state":200,"payload":{"packageId":"pkg-1","anjukeBianHao":"0001"}}
	// {"state":401,"payload":"token is invalid or expired"}
}

// With a sign key the fake checks the "strong validation" headers of the
// calls that carry them and notes the outcome; it refuses none (the
// platform documents strong validation for its callbacks only).
func ExampleWithSignKey() {
	const key = "CdLvNRRQvy0xjORPNvuVaA"
	srv := kanfangtest.NewServer(kanfangtest.WithSignKey(key))
	defer srv.Close()

	_, body := putBianHao(srv, srv.Token, "pkg-1", "0001", nil)
	fmt.Println(body)

	ts := srv.Now().UnixMilli()
	params := url.Values{"packageId": {"pkg-1"}, "anjukeBianHao": {"0001"}}
	h := http.Header{}
	h.Set("timestamp", strconv.FormatInt(ts, 10))
	h.Set("sign", sign.Kanfang(key, params, ts))
	_, body = putBianHao(srv, srv.Token, "pkg-1", "0001", h)
	fmt.Println(body)

	h.Set("sign", "0123")
	putBianHao(srv, srv.Token, "pkg-1", "0001", h)
	for _, r := range srv.RequestLog() {
		fmt.Printf("state %d, sign %q\n", r.State, r.Sign)
		if r.SignProblem != "" {
			fmt.Println(" ", r.SignProblem)
		}
	}
	// Output:
	// {"state":200,"payload":{"packageId":"pkg-1","anjukeBianHao":"0001"}}
	// {"state":200,"payload":{"packageId":"pkg-1","anjukeBianHao":"0001"}}
	// state 200, sign ""
	// state 200, sign "valid"
	// state 200, sign "invalid"
	//   strong validation failed: sign does not match
}

// An endpoint the fake does not know, served with the fake's token rules,
// for code that calls it through kanfang.Client.Do.
func ExampleServer_Handle() {
	srv := kanfangtest.NewServer()
	defer srv.Close()
	srv.Handle(http.MethodGet, "/v2/house/count", func(v url.Values) (int, any) {
		return kanfangtest.StateOK, map[string]any{"city": v.Get("city"), "count": 3}
	})
	get := func(token string) string {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v2/house/count?city=bj", nil)
		req.Header.Set("Authorization", token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	fmt.Println(get(srv.Token))
	fmt.Println(get("wrong"))
	// Output:
	// {"state":200,"payload":{"city":"bj","count":3}}
	// {"state":401,"payload":"token is invalid or expired"}
}
