package property

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/fangsdk/fang/sign"
)

// staffAnswer is a current server's login answer listing entries.
func staffAnswer(entries ...loginEntry) string {
	b, _ := json.Marshal(map[string]any{"code": 0, "data": entries, "msg": "成功", "page": 0, "records": 1, "rows": 0, "total": len(entries)})
	return string(b)
}

func TestLoginPicksTheUsersOwnEntry(t *testing.T) {
	admin2 := loginEntry{UserID: "u2", UserName: "admin2", Tel: "18900000002", StoreName: "运营团队", StoreTypeCd: "800900000001", Token: "token-of-admin2"}
	adminA := loginEntry{UserID: "u1", UserName: "admin", Tel: "18900000001", StoreName: "物业公司A", StoreTypeCd: "800900000003", Token: "token-of-admin-a"}
	adminB := loginEntry{UserID: "u1", UserName: "admin", Tel: "18900000001", StoreName: "物业公司B", StoreTypeCd: "800900000003", Token: "token-of-admin-b"}
	tests := []struct {
		name, username, answer string
		token, userID          string
		companies              int
	}{
		{"newer admin2 listed first", "admin", staffAnswer(admin2, adminA, adminB), "token-of-admin-a", "u1", 2},
		{"by tel", "18900000001", staffAnswer(adminA), "token-of-admin-a", "u1", 1},
		// u_user.name is utf8_general_ci: the server found admin for ADMIN.
		{"name in another case", "ADMIN", staffAnswer(admin2, adminA), "token-of-admin-a", "u1", 1},
		// u_user.tel is a utf8_general_ci varchar(11) too (docs/db/TT.sql:34140):
		// getUsers' and getStaffs' u.tel= #{tel} (UserServiceDaoImplMapper.xml:677
		// and :561, PcUserLoginCmd.java:125,150) ignore trailing spaces, so the
		// server logged in and listed the user's entries for "18900000001 ".
		{"tel with a trailing space", "18900000001 ", staffAnswer(adminA), "token-of-admin-a", "u1", 1},
		{"older server: bare object", "admin", `{"userId":"u1","userName":"admin","token":"bare-token"}`, "bare-token", "u1", 0},
		{"seed: data object", "admin", `{"code":0,"msg":"成功","data":{"userId":"u1","token":"seed-token"}}`, "seed-token", "u1", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, reply{200, tt.answer})
			c := newTestClient(t, rec.URL)
			s, err := c.OpenSession(context.Background(), tt.username, "pw")
			if err != nil {
				t.Fatal(err)
			}
			if s.Token.Value != tt.token || s.UserID != tt.userID || len(s.Companies) != tt.companies {
				t.Errorf("session %+v (token %q)", s, s.Token.Value)
			}
		})
	}
}

func TestLoginAnswersRefused(t *testing.T) {
	const password = "s3cret-pass"
	hash := sign.HCPassword(password)
	other := loginEntry{UserID: "u2", UserName: "admin2", Tel: "1", Token: "token-of-admin2-xyz"}
	tests := []struct {
		name, answer string
		status       int
		want         error
	}{
		{"only other users", staffAnswer(other), 200, ErrUnexpectedResponse},
		{"empty list", staffAnswer(), 200, ErrUnexpectedResponse},
		{"own entry without token", staffAnswer(loginEntry{UserID: "u1", UserName: "admin"}), 200, ErrUnexpectedResponse},
		{"token of the wrong type", `{"code":0,"data":[{"userId":"u1","userName":"admin","token":12345678}],"msg":"成功"}`, 200, ErrUnexpectedResponse},
		{"data a string", `{"code":0,"data":"token-in-a-string-9","msg":"成功"}`, 200, ErrUnexpectedResponse},
		{"no data", `{"code":0,"msg":"成功"}`, 200, ErrUnexpectedResponse},
		{"wrong credentials", `{"code":404,"msg":"用户或密码错误"}`, 200, ErrUnauthorized},
		{"wrong credentials, older setup", `用户或密码错误`, 401, ErrUnauthorized},
		{"locked", `{"code":404,"msg":"登陆错误次数过多，请休息一会再试"}`, 200, ErrUnauthorized},
		{"company barred", `{"code":404,"msg":"当前商户限制登录，请联系管理员"}`, 200, ErrUnauthorized},
		{"echoes the hash", `{"code":404,"msg":"用户或密码错误: ` + hash + ` / ` + password + `"}`, 200, ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, reply{tt.status, tt.answer})
			c := newTestClient(t, rec.URL)
			_, err := c.Login(context.Background(), "admin", password)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			text := fmt.Sprintf("%v %+v", err, err)
			for _, secret := range []string{password, hash, "token-of-admin2-xyz", "12345678", "token-in-a-string-9"} {
				if strings.Contains(text, secret) {
					t.Errorf("error shows %q: %s", secret, text)
				}
			}
			if !strings.Contains(err.Error(), `user "admin"`) {
				t.Errorf("error does not name the user: %v", err)
			}
			if n := len(rec.requests()); n != 1 {
				t.Errorf("%d login requests: a failed login must not be repeated", n)
			}
		})
	}
}

// TestPasswordModes: the hash is sent except to HC's own web app; the
// mode can force either.
func TestPasswordModes(t *testing.T) {
	tests := []struct {
		appID  string
		mode   PasswordMode
		hashed bool
	}{
		{testAppID, PasswordAuto, true},
		{PropertyAppID, PasswordAuto, false},
		{PropertyAppID, PasswordHashed, true},
		{testAppID, PasswordPlain, false},
	}
	for _, tt := range tests {
		rec := newRecorder(t, reply{200, staffAnswer(loginEntry{UserID: "u1", UserName: "admin", Token: "t"})})
		c := newTestClient(t, rec.URL, WithAppID(tt.appID), WithPasswordMode(tt.mode))
		if _, err := c.Login(context.Background(), "admin", "pw"); err != nil {
			t.Fatal(err)
		}
		want := "pw"
		if tt.hashed {
			want = sign.HCPassword("pw")
		}
		if got := string(rec.requests()[0].Body); got != `{"username":"admin","passwd":"`+want+`"}` {
			t.Errorf("%s %v: body %s", tt.appID, tt.mode, got)
		}
	}
	if _, err := NewClient(WithBaseURL("http://h"), WithAppID("a"), WithPasswordMode(PasswordMode(9))); !errors.Is(err, ErrConfig) {
		t.Errorf("unknown mode: %v", err)
	}
}

// TestFailedLoginInsideACall: errors.As reaches the login's own failure,
// with the login's transaction-id; no empty wrapper, no stutter.
func TestFailedLoginInsideACall(t *testing.T) {
	rec := newRecorder(t, reply{200, `{"code":404,"msg":"用户或密码错误"}`})
	c, err := NewClient(WithBaseURL(rec.URL), WithAppID(testAppID), WithSecurityCode(testSecurity), WithCredentials("admin", "wrong-pw"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.SaveProperty(context.Background(), company(1))
	var perr *Error
	if !errors.As(err, &perr) || perr.Code != 404 || perr.Msg != "用户或密码错误" || perr.HTTPStatus != 200 ||
		perr.TransactionID != rec.requests()[0].Header.Get("transaction-id") {
		t.Fatalf("err = %v (%+v)", err, perr)
	}
	if text := err.Error(); strings.Count(text, "property:") != 1 || strings.Contains(text, "(transaction-id )") || strings.Contains(text, "wrong-pw") {
		t.Errorf("error text %q", text)
	}
}
