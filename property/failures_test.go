package property

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFailureTable sends every failure of PROTOCOL.md section B, in the
// form real servers send it and in the seed's, and checks which sentinels
// the error matches: exactly the expected ones, and the *Error keeps the
// code, message and status as received.
func TestFailureTable(t *testing.T) {
	const readTimeout = `内部异常：I/O error on POST request for "http://service-store/cmd/property.saveProperty": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out`
	sentinels := map[string]error{
		"SaveFailed": ErrSaveFailed, "Settled": ErrCommunityAlreadySettled, "Privilege": ErrDefaultPrivilegeMissing,
		"Unauthorized": ErrUnauthorized, "Gateway": ErrGateway, "Signature": ErrSignatureRejected,
		"Unexpected": ErrUnexpectedResponse, "Unknown": ErrOutcomeUnknown,
	}
	tests := []struct {
		name       string
		status     int
		body       string
		code       int // as the *Error keeps it
		msg        string
		want       []string // the sentinels that match
		hasTxIDMsg bool
	}{
		{"seed -1", 200, `{"code":-1,"msg":"保存数据失败"}`, -1, "保存数据失败", []string{"SaveFailed"}, false},
		{"real 保存数据失败", 200, `{"code":404,"msg":"保存数据失败"}`, 404, "保存数据失败", []string{"SaveFailed"}, false},
		{"real 注册失败", 200, `{"code":404,"msg":"注册失败","page":0,"records":0,"rows":0,"total":0}`, 404, "注册失败", []string{"SaveFailed"}, false},
		{"seed -2", 200, `{"code":-2,"msg":"小区已入驻"}`, -2, "小区已入驻", []string{"Settled"}, false},
		{"real 小区已经入驻", 200, `{"code":404,"msg":"小区已经入驻2022092200930358"}`, 404, "小区已经入驻2022092200930358", []string{"Settled"}, false},
		{"string code -2", 200, `{"code":"-2","msg":"小区已入驻"}`, -2, "小区已入驻", []string{"Settled"}, false},
		{"seed -3", 200, `{"code":-3,"msg":"未配置物业默认权限"}`, -3, "未配置物业默认权限", []string{"Privilege"}, false},
		{"real 未配置物业默认权限", 200, `{"code":404,"msg":"未配置物业默认权限"}`, 404, "未配置物业默认权限", []string{"Privilege"}, false},
		{"sign", 200, `{"code":404,"msg":"鉴权失败：签名失败"}`, 404, "鉴权失败：签名失败", []string{"Gateway", "Signature"}, false},
		{"req-time", 200, `{"code":404,"msg":"鉴权失败：requestTime 格式不对，遵循yyyyMMddHHmmss格式"}`, 404, "鉴权失败：requestTime 格式不对，遵循yyyyMMddHHmmss格式", []string{"Gateway"}, false},
		{"app-id", 200, `{"code":404,"msg":"初始化失败：当前没有获取到AppId对应的信息，appId = x"}`, 404, "初始化失败：当前没有获取到AppId对应的信息，appId = x", []string{"Gateway"}, false},
		{"controller 500", 500, `{"code":404,"msg":"请求发生异常，用户没有权限"}`, 404, "请求发生异常，用户没有权限", []string{"Gateway"}, false},
		{"command validation", 200, `{"code":404,"msg":"请求报文中未包含名称"}`, 404, "请求报文中未包含名称", []string{"Gateway"}, false},
		{"read timeout", 200, `{"code":404,"msg":"` + strings.ReplaceAll(readTimeout, `"`, `\"`) + `"}`, 404, readTimeout, []string{"Unknown"}, true},
		{"connection reset", 200, `{"code":404,"msg":"内部异常：I/O error on POST request: Connection reset"}`, 404, "内部异常：I/O error on POST request: Connection reset", []string{"Unknown"}, true},
		{"internal, refused", 200, `{"code":404,"msg":"内部异常：I/O error on POST request: Connection refused"}`, 404, "内部异常：I/O error on POST request: Connection refused", []string{"Gateway"}, false},
		{"session 1996", 200, `{"meta":{"code":"1996","message":"您还没有登录，请先登录","responseTime":"2024-01-01 12:00:00","transactionId":"-1"}}`, 1996, "您还没有登录，请先登录", []string{"Unauthorized"}, false},
		{"seed session 401", 401, `用户未登录或登录已失效`, 0, "用户未登录或登录已失效", []string{"Unauthorized"}, false},
		{"proxy 502", 502, `<html>502 Bad Gateway</html>`, 0, "<html>502 Bad Gateway</html>", []string{"Unexpected", "Unknown"}, true},
		{"500 with a success body", 500, `{"code":0,"msg":"成功"}`, 0, `{"code":0,"msg":"成功"}`, []string{"Unexpected", "Unknown"}, true},
		{"404 with a success body", 404, `{"code":0,"msg":"成功"}`, 0, `{"code":0,"msg":"成功"}`, []string{"Unexpected"}, false},
		{"non-canonical code", 200, `{"code":"+0","msg":"成功"}`, 0, `{"code":"+0","msg":"成功"}`, []string{"Unexpected", "Unknown"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, reply{tt.status, tt.body})
			c := newTestClient(t, rec.URL)
			_, err := c.SaveProperty(context.Background(), company(1))
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("err = %v, not an *Error", err)
			}
			if perr.Code != tt.code || perr.Msg != tt.msg || perr.HTTPStatus != tt.status {
				t.Errorf("Error = {%d %q %d}, want {%d %q %d}", perr.Code, perr.Msg, perr.HTTPStatus, tt.code, tt.msg, tt.status)
			}
			sent := rec.requests()
			if len(sent) != 1 {
				t.Fatalf("%d requests, want 1", len(sent))
			}
			if perr.TransactionID != sent[0].Header.Get("transaction-id") {
				t.Errorf("TransactionID %q, sent %q", perr.TransactionID, sent[0].Header.Get("transaction-id"))
			}
			want := map[string]bool{}
			for _, w := range tt.want {
				want[w] = true
			}
			for name, s := range sentinels {
				if got := errors.Is(err, s); got != want[name] {
					t.Errorf("errors.Is(err, %s) = %v, want %v (%v)", name, got, want[name], err)
				}
			}
			if tt.hasTxIDMsg && !strings.Contains(err.Error(), perr.TransactionID) {
				t.Errorf("an unknown outcome must name its transaction-id: %v", err)
			}
		})
	}
}

// TestSessionRejectedWithStaticToken: the 1996 answer is ErrUnauthorized,
// not an unknown outcome, and a static token cannot be renewed: one request.
func TestSessionRejectedWithStaticToken(t *testing.T) {
	rec := newRecorder(t, reply{200, `{"meta":{"code":"1996","message":"您还没有登录，请先登录","transactionId":"-1"}}`})
	c := newTestClient(t, rec.URL)
	_, err := c.SaveProperty(context.Background(), company(1))
	if !errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestGETSendsXRequestedWith: on a GET the session filter answers 401, not a
// redirect to its login page, when the request says XMLHttpRequest; the
// sign covers "?" and the query.
func TestGETSendsXRequestedWith(t *testing.T) {
	rec := newRecorder(t, reply{http.StatusUnauthorized, ""})
	c := newTestClient(t, rec.URL)
	err := c.Do(context.Background(), http.MethodGet, "community.listCommunitys", url.Values{"page": {"1"}, "row": {"10"}}, nil)
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	r := rec.requests()[0]
	if r.Method != http.MethodGet || r.Header.Get("X-Requested-With") != "XMLHttpRequest" || r.Header.Get("Content-Type") != "" {
		t.Errorf("%s %v", r.Method, r.Header)
	}
	if len(r.Body) != 0 {
		t.Errorf("GET with a body %q", r.Body)
	}
	// A POST does not claim to be an XMLHttpRequest.
	rec2 := newRecorder(t)
	c2 := newTestClient(t, rec2.URL)
	if _, err := c2.SaveProperty(context.Background(), company(1)); err != nil {
		t.Fatal(err)
	}
	if got := rec2.requests()[0].Header.Get("X-Requested-With"); got != "" {
		t.Errorf("POST sent X-Requested-With %q", got)
	}
}
