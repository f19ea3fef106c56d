package property

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/envelope"
	"github.com/fangsdk/fang/sign"
)

// PropertyAppID is the app-id of HC's own property web application. Its
// server hashes the password of login.pcUserLogin itself, so a client using
// this app-id sends the password as typed; every other app sends
// sign.HCPassword(password).
const PropertyAppID = "992020022270580001"

// PasswordMode says how Login sends the password.
type PasswordMode int

const (
	// PasswordAuto sends sign.HCPassword(password), except with the app-id
	// PropertyAppID, where it sends the password as given. The default.
	PasswordAuto PasswordMode = iota
	// PasswordHashed always sends sign.HCPassword(password).
	PasswordHashed
	// PasswordPlain always sends the password as given, for a server that
	// hashes it itself whatever the app.
	PasswordPlain
)

// String returns "auto", "hashed" or "plain".
func (m PasswordMode) String() string {
	switch m {
	case PasswordAuto:
		return "auto"
	case PasswordHashed:
		return "hashed"
	case PasswordPlain:
		return "plain"
	}
	return fmt.Sprintf("PasswordMode(%d)", int(m))
}

// Session is a session opened by OpenSession: who logged in, the companies
// the account works for, and the session token.
type Session struct {
	Token     *auth.Token // the session token; its String never shows the value
	UserID    string
	UserName  string
	Tel       string
	Companies []Membership // one per company the user works for; may be empty (older servers)
}

// Membership is a company a user works for, from one entry of the login
// answer.
type Membership struct {
	StoreName   string // the company's name
	StoreTypeCd string // its type, e.g. 800900000003 for a property company
}

type loginBody struct {
	Username string `json:"username"`
	Passwd   string `json:"passwd"`
}

// loginEntry is one staff entry of the login answer.
type loginEntry struct {
	UserID      string `json:"userId"`
	UserName    string `json:"userName"`
	Tel         string `json:"tel"`
	StoreName   string `json:"storeName"`
	StoreTypeCd string `json:"storeTypeCd"`
	Token       string `json:"token"`
}

// Login opens a session (POST /app/login.pcUserLogin) and returns its
// token; see OpenSession. Most users do not call this: WithCredentials does
// it when needed.
func (c *Client) Login(ctx context.Context, username, password string) (*auth.Token, error) {
	s, err := c.OpenSession(ctx, username, password)
	if err != nil {
		return nil, err
	}
	return s.Token, nil
}

// OpenSession logs in (POST /app/login.pcUserLogin, signed like every HC
// call, with user-id -1) and returns the session: its token, which expires
// after the session lifetime (WithSessionLifetime, default two hours), and
// who logged in. username is the account's name or its phone number.
//
// The password is sent as HC compares it: hashed unless the app-id is
// PropertyAppID (see PasswordMode). The server's staff query matches the
// name by substring and lists the newest user first, so the answer may list
// other users before this one: OpenSession takes the entry whose userName
// or tel equals username, and fails with ErrUnexpectedResponse when there
// is none — never with someone else's session. Names and tels are not
// unique and the query ignores the password: when entries of different
// userIds equal username, nothing says whose password matched, and
// OpenSession fails with ErrAmbiguousLogin (log in by a unique name or
// tel). Several entries of one userId (one user, several companies) are
// fine. Older servers answer the bare user object; that works too.
//
// A refused login (code 404 用户或密码错误, 当前商户限制登录, 登陆错误次数过多,
// 用户不存在, or HTTP 401) gives an *Error matching ErrUnauthorized and
// auth.ErrLoginRefused that names the username. A failed login is never
// repeated by fang: five failures lock the account. The password, its hash
// and the token never appear in an error or a log line.
func (c *Client) OpenSession(ctx context.Context, username, password string) (_ *Session, err error) {
	defer func() {
		if e, ok := errors.AsType[*Error](err); ok {
			e.meta.User = username
		}
	}()
	chk := check.New(loginSpec.Op)
	switch {
	case ctx == nil:
		chk.Context(ctx)
	case username == "" || password == "":
		chk.Add("username and password", "are required")
	default:
		chk.Required("username", username)
	}
	if err := c.caller.Invalid(chk); err != nil {
		return nil, err
	}
	passwd := password
	if c.passwordMode == PasswordHashed || c.passwordMode == PasswordAuto && c.proto.appID != PropertyAppID {
		passwd = sign.HCPassword(password)
	}
	body, err := json.Marshal(loginBody{Username: username, Passwd: passwd}) //nolint:gosec // G117: the login body must carry the password
	if err != nil {
		return nil, err
	}
	issued := c.proto.now()
	ans, err := c.caller.Do(ctx, &call.Request{Spec: &loginSpec, Body: body, Secrets: []string{password, passwd}})
	if err != nil {
		return nil, err
	}
	entries, err := loginEntries(ans)
	if err != nil {
		return nil, err
	}
	s := &Session{}
	var users []string // the distinct userIds of the entries that are username's
	for _, e := range entries {
		own := sameName(e.UserName, username) || sameName(e.Tel, username)
		anonymous := len(entries) == 1 && e.UserName == "" && e.Tel == "" // the seed's {"userId","token"}
		if !own && !anonymous {
			continue
		}
		if e.Token == "" {
			return nil, ans.Fail("login answer: the user's entry has no token")
		}
		if !slices.Contains(users, e.UserID) {
			users = append(users, e.UserID)
		}
		if s.Token == nil {
			s.Token = &auth.Token{Value: e.Token, Expiry: issued.Add(c.session)}
			s.UserID, s.UserName, s.Tel = e.UserID, e.UserName, e.Tel
		}
		if e.StoreName != "" || e.StoreTypeCd != "" {
			s.Companies = append(s.Companies, Membership{StoreName: e.StoreName, StoreTypeCd: e.StoreTypeCd})
		}
	}
	if len(users) > 1 {
		err := ans.Fail(fmt.Sprintf("login answer lists %d different users whose name or tel equals the username: "+
			"nothing says whose password matched; refusing all of them: log in by a unique name or tel", len(users)))
		if e, ok := errors.AsType[*Error](err); ok {
			e.meta.Ambiguous = true
		}
		return nil, err
	}
	if s.Token == nil {
		return nil, ans.Fail(fmt.Sprintf("login answer lists no entry for this user (%d entries of other users whose name contains it)", len(entries)))
	}
	return s, nil
}

// loginSpec is login.pcUserLogin: never repeated once it may have reached
// the server (five failures lock the account), sent without a session.
var loginSpec = call.Spec{Op: "Login", Method: http.MethodPost, Path: "/app/" + ServiceLogin, Auth: call.NoToken}

// loginEntries reads the staff entries of a login answer: current servers'
// {"code":0,"data":[...]}, the seed's {"code":0,"data":{...}}, or older
// servers' bare user object. The error names what is wrong, never a value.
func loginEntries(ans *call.Answer) ([]loginEntry, error) {
	raw := json.RawMessage(ans.Body)
	if ans.Enveloped {
		env, _ := envelope.DecodeHC(ans.Body)
		raw = env.Data
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, ans.Fail("login answer: no data")
	}
	var entries []loginEntry
	switch raw[0] {
	case '[':
		if err := json.Unmarshal(raw, &entries); err != nil {
			return nil, ans.Fail("login answer: data is not a list of user entries (" + call.JSONErrorKind(err) + ")")
		}
	case '{':
		var e loginEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, ans.Fail("login answer: the user object has a field of the wrong type (" + call.JSONErrorKind(err) + ")")
		}
		entries = []loginEntry{e}
	default:
		return nil, ans.Fail("login answer: data is neither a list nor an object")
	}
	return entries, nil
}

// credentialSource is the token source behind WithCredentials: log in
// lazily and again shortly before the session ends.
func (c *Client) credentialSource(cfg config) auth.TokenSource {
	username, password := cfg.User, cfg.Secret
	key := "fang:property:" + c.proto.base + ":" + c.proto.appID + ":" + username
	return cfg.RenewingSource(key, func() time.Time { return c.proto.now() }, func(ctx context.Context, _ *auth.Token) (*auth.Token, error) {
		return c.Login(ctx, username, password)
	})
}

// sameName reports whether an entry's userName (or tel) is the username
// the login was given, as the server compared them: u_user.name and
// u_user.tel are utf8_general_ci columns, so u.name = #{name} and u.tel =
// #{tel} ignore case and trailing spaces (a login as ADMIN is admin's, one
// as "18900000001 " is the user's of tel 18900000001). Two users whose
// names differ only so are both "own" entries, and the login is refused as
// ambiguous.
func sameName(userName, username string) bool {
	return userName != "" && strings.EqualFold(strings.TrimRight(userName, " "), strings.TrimRight(username, " "))
}
