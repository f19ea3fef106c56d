package property

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/property/propertytest"
)

// countPath is how many requests of rec went to /app/{service}.
func countPath(rec *recorder, service string) int {
	n := 0
	for _, r := range rec.requests() {
		if r.Path == "/app/"+service {
			n++
		}
	}
	return n
}

// TestLoginRefusesAmbiguousAnswer: HC's names and tels are not unique and
// its staff query ignores the password, so two entries equal to the
// username with different userIds both carry a live session and nothing
// says whose password matched. fang refuses the answer, never picks one;
// one user in several companies (one userId) is fine.
func TestLoginRefusesAmbiguousAnswer(t *testing.T) {
	mine := loginEntry{UserID: "u1", UserName: "admin", Tel: "18900000001", StoreName: "物业公司A", StoreTypeCd: "800900000003", Token: "token-of-u1-aaaa"}
	mineB := loginEntry{UserID: "u1", UserName: "admin", Tel: "18900000001", StoreName: "物业公司B", StoreTypeCd: "800900000003", Token: "token-of-u1-bbbb"}
	twin := loginEntry{UserID: "u9", UserName: "admin", Tel: "18900000009", StoreName: "别的公司", StoreTypeCd: "800900000003", Token: "token-of-u9-cccc"}
	telTwin := loginEntry{UserID: "u8", UserName: "18900000001", Tel: "18900000008", StoreName: "又一家", StoreTypeCd: "800900000003", Token: "token-of-u8-dddd"}
	other := loginEntry{UserID: "u2", UserName: "admin2", Tel: "18900000002", Token: "token-of-u2-eeee"}
	tokens := []string{mine.Token, mineB.Token, twin.Token, telTwin.Token, other.Token}
	tests := []struct {
		name, username string
		entries        []loginEntry
		ambiguous      bool
	}{
		{"two users of one name, other first", "admin", []loginEntry{twin, mine}, true},
		{"two users of one name, own first", "admin", []loginEntry{mine, twin}, true},
		{"with other users around", "admin", []loginEntry{other, mine, mineB, twin}, true},
		{"a name that is another's tel", "18900000001", []loginEntry{telTwin, mine}, true},
		{"one user, several companies", "admin", []loginEntry{other, mine, mineB}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, reply{200, staffAnswer(tt.entries...)})
			c := newTestClient(t, rec.URL)
			s, err := c.OpenSession(context.Background(), tt.username, "pw")
			if !tt.ambiguous {
				if err != nil || s.UserID != "u1" || s.Token.Value != mine.Token || len(s.Companies) != 2 {
					t.Fatalf("session %+v, err %v", s, err)
				}
				return
			}
			if s != nil || !errors.Is(err, ErrAmbiguousLogin) || !errors.Is(err, ErrUnexpectedResponse) || !errors.Is(err, auth.ErrLoginRefused) {
				t.Fatalf("session %+v, err = %v: an ambiguous answer must be refused", s, err)
			}
			if errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrOutcomeUnknown) {
				t.Errorf("err = %v matches ErrUnauthorized or ErrOutcomeUnknown", err)
			}
			text := fmt.Sprintf("%v %+v", err, err)
			if !strings.Contains(text, "unique name or tel") || !strings.Contains(text, `user "`+tt.username+`"`) {
				t.Errorf("error does not say what to do: %s", text)
			}
			for _, tok := range tokens {
				if strings.Contains(text, tok) {
					t.Errorf("error shows a token: %s", text)
				}
			}
			if n := len(rec.requests()); n != 1 {
				t.Errorf("%d login requests", n)
			}
		})
	}

	// Behind WithCredentials the call fails with that error, and nothing
	// is sent with any of the sessions.
	rec := newRecorder(t, reply{200, staffAnswer(twin, mine)})
	c, err := NewClient(WithBaseURL(rec.URL), WithAppID(testAppID), WithSecurityCode(testSecurity), WithCredentials("admin", "pw"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SaveProperty(context.Background(), company(1)); !errors.Is(err, ErrAmbiguousLogin) {
		t.Fatalf("err = %v", err)
	}
	if n := countPath(rec, ServiceSaveProperty); n != 0 {
		t.Fatalf("%d saves sent after an ambiguous login", n)
	}
	// The answer will not change by itself and each login opens a session
	// for every user listed: the refusal is held (RefusalHold), not tried
	// again on every call.
	for range 3 {
		if _, err := c.ListProperties(context.Background(), &ListPropertiesRequest{}); !errors.Is(err, ErrAmbiguousLogin) {
			t.Fatalf("err = %v", err)
		}
	}
	if n := countPath(rec, ServiceLogin); n != 1 {
		t.Errorf("%d logins for 4 calls, want 1 (the ambiguous answer held)", n)
	}
}

// TestLoginRefusalsMatchErrLoginRefused: every refusal of
// login.pcUserLogin matches auth.ErrLoginRefused (so that the renewing
// source holds it rather than locking the account) and ErrUnauthorized,
// and is sent once; a session rejected on another call is not a refused
// login.
func TestLoginRefusalsMatchErrLoginRefused(t *testing.T) {
	refusals := []reply{
		{200, `{"code":404,"msg":"用户或密码错误"}`},
		{200, `{"code":404,"msg":"当前商户限制登录，请联系管理员"}`},
		{200, `{"code":404,"msg":"登陆错误次数过多，请休息一会再试"}`},
		{200, `{"code":404,"msg":"用户不存在","page":0,"records":0,"rows":0,"total":0}`},
		{401, `用户或密码错误`},
		{401, ``},
	}
	for _, rep := range refusals {
		t.Run(fmt.Sprintf("%d %s", rep.status, rep.body), func(t *testing.T) {
			rec := newRecorder(t, rep)
			c := newTestClient(t, rec.URL)
			_, err := c.Login(context.Background(), "admin", "pw")
			if !errors.Is(err, auth.ErrLoginRefused) || !errors.Is(err, ErrUnauthorized) {
				t.Fatalf("err = %v, want auth.ErrLoginRefused and ErrUnauthorized", err)
			}
			if errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrGateway) || errors.Is(err, ErrUnexpectedResponse) {
				t.Errorf("err = %v matches another sentinel", err)
			}
			// Inside a call: the login's own error, sent once, no save.
			rec = newRecorder(t, rep)
			c, err2 := NewClient(WithBaseURL(rec.URL), WithAppID(testAppID), WithSecurityCode(testSecurity), WithCredentials("admin", "pw"))
			if err2 != nil {
				t.Fatal(err2)
			}
			_, err = c.SaveProperty(context.Background(), company(1))
			if !errors.Is(err, auth.ErrLoginRefused) || !errors.Is(err, ErrUnauthorized) {
				t.Fatalf("save: err = %v", err)
			}
			if n, saves := len(rec.requests()), countPath(rec, ServiceSaveProperty); n != 1 || saves != 0 {
				t.Errorf("%d requests, %d saves: a refused login is sent once", n, saves)
			}
		})
	}

	// Not refused logins: a session rejected on another call, a refusal
	// under a gateway error status, a 用户不存在 of another service.
	notRefused := []struct {
		name         string
		rep          reply
		do           bool // a POST through Do to another service, not a save
		unauthorized bool
	}{
		{"1996 on a save", reply{200, `{"meta":{"code":"1996","message":"您还没有登录，请先登录","transactionId":"-1"}}`}, false, true},
		{"401 on a save", reply{401, `用户未登录`}, false, true},
		{"用户不存在 of another service", reply{200, `{"code":404,"msg":"用户不存在"}`}, true, false},
	}
	for _, tt := range notRefused {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, tt.rep)
			c := newTestClient(t, rec.URL)
			var err error
			if tt.do {
				err = c.Do(context.Background(), http.MethodPost, "user.changeStaffPwd", map[string]string{"userId": "u1"}, nil)
			} else {
				_, err = c.SaveProperty(context.Background(), company(1))
			}
			if err == nil || errors.Is(err, auth.ErrLoginRefused) || errors.Is(err, ErrUnauthorized) != tt.unauthorized {
				t.Fatalf("err = %v: ErrLoginRefused must not match; ErrUnauthorized %v", err, tt.unauthorized)
			}
		})
	}
	rec := newRecorder(t, reply{504, `{"code":404,"msg":"用户或密码错误"}`})
	c := newTestClient(t, rec.URL)
	if _, err := c.Login(context.Background(), "admin", "pw"); errors.Is(err, auth.ErrLoginRefused) || errors.Is(err, ErrUnauthorized) {
		t.Fatalf("a refusal under HTTP 504 is not the server's refusal: %v", err)
	}
}

// TestUnknownOutcomeIsNeverASessionRejection: an answer under a gateway
// error status (502, 503, 504) may follow a save that ran, whatever its
// body says: a code 1996 or a login refusal in it is not the session
// filter's answer. The save is not sent again, and the error says the
// outcome is unknown.
func TestUnknownOutcomeIsNeverASessionRejection(t *testing.T) {
	login := reply{200, staffAnswer(loginEntry{UserID: "u1", UserName: "admin", Token: "session-token-1"})}
	answers := []reply{
		{502, `{"code":1996,"msg":"您还没有登录，请先登录"}`},
		{503, `{"code":"1996","msg":"您还没有登录，请先登录"}`},
		{502, `{"meta":{"code":"1996","message":"您还没有登录，请先登录","transactionId":"-1"}}`},
		{504, `{"code":404,"msg":"内部异常：I/O error on POST request: Read timed out; 用户或密码错误"}`},
		{504, `{"code":404,"msg":"用户或密码错误"}`},
	}
	for _, ans := range answers {
		t.Run(fmt.Sprintf("%d %s", ans.status, ans.body), func(t *testing.T) {
			rec := newRecorder(t, login, ans, login, reply{200, `{"code":0,"msg":"成功"}`})
			c, err := NewClient(WithBaseURL(rec.URL), WithAppID(testAppID), WithSecurityCode(testSecurity), WithCredentials("admin", "pw"))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.SaveProperty(context.Background(), company(1))
			if !errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrUnauthorized) || errors.Is(err, auth.ErrLoginRefused) {
				t.Fatalf("err = %v, want ErrOutcomeUnknown only", err)
			}
			if n := countPath(rec, ServiceSaveProperty); n != 1 {
				t.Fatalf("the server received %d saves, want exactly 1", n)
			}
			if n := countPath(rec, ServiceLogin); n != 1 {
				t.Errorf("%d logins: an unknown outcome is no reason to renew", n)
			}
		})
	}

	// The same through the fake, as an nginx in front of the gateway
	// would answer.
	srv := propertytest.NewServer()
	defer srv.Close()
	c := newCredClient(t, srv)
	srv.FailNext(1, propertytest.Failure{Endpoint: ServiceSaveProperty, HTTPStatus: http.StatusBadGateway, Code: SessionRejectedCode, Message: "您还没有登录，请先登录"})
	if _, err := c.SaveProperty(context.Background(), company(1)); !errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	if n, l := srv.Requests(ServiceSaveProperty), srv.Logins(); n != 1 || l != 1 {
		t.Fatalf("%d saves and %d logins, want 1 and 1", n, l)
	}
	if n := len(srv.Companies()); n != 0 {
		t.Fatalf("%d companies", n)
	}
}

// TestGatewayIOErrors: the gateway's RestTemplate (Apache HttpClient)
// reports its failures towards the command service as 内部异常：I/O error….
// A failure to connect never sent the command: a definite failure
// (ErrGateway). A read timeout or a connection lost after sending may
// follow a command that runs: ErrOutcomeUnknown. The messages are the
// real ones (Spring's ResourceAccessException around HttpClient's).
func TestGatewayIOErrors(t *testing.T) {
	const pre = `内部异常：I/O error on POST request for "http://service-store:8008/cmd/property.saveProperty": `
	tests := []struct {
		name, msg string
		unknown   bool
	}{
		{"connect timeout", pre + `Connect to service-store:8008 [service-store/10.0.0.5] failed: connect timed out; nested exception is org.apache.http.conn.ConnectTimeoutException: Connect to service-store:8008 [service-store/10.0.0.5] failed: connect timed out`, false},
		{"connect timeout, plain socket", pre + `connect timed out; nested exception is java.net.SocketTimeoutException: connect timed out`, false},
		{"pool timeout", pre + `Timeout waiting for connection from pool; nested exception is org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool`, false},
		{"refused", pre + `Connect to service-store:8008 [service-store/10.0.0.5] failed: Connection refused (Connection refused); nested exception is org.apache.http.conn.HttpHostConnectException: Connect to service-store:8008 [service-store/10.0.0.5] failed: Connection refused (Connection refused)`, false},
		{"refused, short", `内部异常：I/O error on POST request: Connection refused`, false},
		{"unknown host", pre + `service-store; nested exception is java.net.UnknownHostException: service-store`, false},
		{"method mismatch", `内部异常：服务【property.saveProperty】调用方式不对请检查,当前请求方式为：GET`, false},
		{"read timeout", pre + `Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out`, true},
		{"read timeout, doubled", strings.Repeat(pre+`Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out`, 2), true},
		{"reset", pre + `Connection reset; nested exception is java.net.SocketException: Connection reset`, true},
		{"reset, short", `Connection reset`, false}, // not the gateway's own failure: no 内部异常 prefix
		{"no answer", pre + `service-store:8008 failed to respond; nested exception is org.apache.http.NoHttpResponseException: service-store:8008 failed to respond`, true},
		{"broken pipe", pre + `Broken pipe (Write failed); nested exception is java.net.SocketException: Broken pipe (Write failed)`, true},
		{"other I/O error", pre + `Premature EOF; nested exception is java.io.IOException: Premature EOF`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unknownOutcome(tt.msg); got != tt.unknown {
				t.Errorf("unknownOutcome = %v, want %v", got, tt.unknown)
			}
			body, _ := json.Marshal(map[string]any{"code": 404, "msg": tt.msg})
			rec := newRecorder(t, reply{200, string(body)})
			c := newTestClient(t, rec.URL)
			_, err := c.SaveProperty(context.Background(), company(1))
			if errors.Is(err, ErrOutcomeUnknown) != tt.unknown || errors.Is(err, ErrGateway) == tt.unknown {
				t.Errorf("err = %v: ErrOutcomeUnknown %v, ErrGateway %v; want unknown %v",
					err, errors.Is(err, ErrOutcomeUnknown), errors.Is(err, ErrGateway), tt.unknown)
			}
			if n := len(rec.requests()); n != 1 {
				t.Errorf("%d requests", n)
			}
		})
	}
}

// TestBlankRequiredFieldsRefused: a required value of only white space
// passes HC's own checks and would create a company whose name is a
// space: refused before sending.
func TestBlankRequiredFieldsRefused(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, rec.URL)
	for _, blank := range []string{" ", "  \t", "\u3000"} {
		tests := []struct {
			field string
			edit  func(r *SavePropertyRequest)
		}{
			{"Name", func(r *SavePropertyRequest) { r.Name = blank }},
			{"Address", func(r *SavePropertyRequest) { r.Address = blank }},
			{"Tel", func(r *SavePropertyRequest) { r.Tel = blank }},
			{"Corporation", func(r *SavePropertyRequest) { r.Corporation = blank }},
			{"FoundingTime", func(r *SavePropertyRequest) { r.FoundingTime = blank }},
			{"CommunityIDs[1]", func(r *SavePropertyRequest) { r.CommunityIDs, r.GroupIDs = []string{"c1", blank}, []string{"g1"} }},
			{"GroupIDs[0]", func(r *SavePropertyRequest) { r.CommunityIDs, r.GroupIDs = []string{"c1"}, []string{blank} }},
		}
		for _, tt := range tests {
			req := company(1)
			tt.edit(req)
			_, err := c.SaveProperty(context.Background(), req)
			var ie *InvalidRequestError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalidRequest) || strings.Join(ie.Fields(), ",") != tt.field {
				t.Errorf("%s = %q: err = %v", tt.field, blank, err)
			}
		}
		if _, err := c.OpenSession(context.Background(), blank, "pw"); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("username %q: err = %v", blank, err)
		}
	}
	if n := len(rec.requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}
