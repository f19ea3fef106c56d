package propertytest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/fangsdk/fang/sign"
)

const (
	testReqTime = "20240101120000"
	// seedBody is the PROTOCOL.md vector body: the seed's example, compact.
	seedBody = `{"name":"物业公司A","address":"北京市朝阳区XX路XX号","tel":"18909711449","corporation":"张三","foundingTime":"2022-09-01","nearbyLandmarks":"国投广场","communityIds":["2022092200930358"],"groupIds":["802021080609660006"]}`
	// plainBody creates a company without communities: repeatable.
	plainBody = `{"name":"物业公司B","address":"上海市XX路1号","tel":"13800000000","corporation":"李四","foundingTime":"2020-02-29"}`
)

var txSeq atomic.Int64

// nextTxID returns a well-formed transaction-id never used before in this
// test binary.
func nextTxID() string {
	return fmt.Sprintf("1000000000%s%06d", testReqTime, txSeq.Add(1))
}

// newRequest builds a correctly signed request for service on s carrying
// body and, when token is not empty, Authorization: Bearer token.
func newRequest(t testing.TB, s *Server, service, body, token string) *http.Request {
	t.Helper()
	return newRequestCtx(t, context.Background(), s, service, body, token)
}

func newRequestCtx(t testing.TB, ctx context.Context, s *Server, service, body, token string) *http.Request {
	t.Helper()
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/app/"+service, bytes.NewReader([]byte(body)))
	if err != nil {
		panic(err) // cannot happen with the server's URL; no t.Fatal: goroutines call this
	}
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Accept", "application/json")
	r.Header.Set("app-id", s.AppID)
	r.Header.Set("transaction-id", nextTxID())
	r.Header.Set("req-time", testReqTime)
	r.Header.Set("user-id", "-1")
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	resign(r, body, s.SecurityCode)
	return r
}

// resign recomputes the sign header from the request's current headers.
func resign(r *http.Request, body, securityCode string) {
	r.Header.Set("sign", sign.MicroCommunityBytes(
		r.Header.Get("transaction-id"), r.Header.Get("req-time"), r.Header.Get("app-id"), []byte(body), securityCode))
}

type result struct {
	status      int
	contentType string
	body        string
}

// envelope decodes the body as an HC envelope.
func (r result) envelope(t testing.TB) envelope {
	t.Helper()
	var e envelope
	if err := json.Unmarshal([]byte(r.body), &e); err != nil {
		t.Fatalf("body %q is not an envelope: %v", r.body, err)
	}
	return e
}

func do(t testing.TB, r *http.Request) result {
	t.Helper()
	got, err := try(r)
	if err != nil {
		t.Fatalf("%s: %v", r.URL.Path, err)
	}
	return got
}

// try sends r; unlike do it may be called from any goroutine.
func try(r *http.Request) (result, error) {
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		return result{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return result{}, err
	}
	return result{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), body: string(b)}, nil
}

// wantJSON checks an answer is a JSON envelope with the given status, code
// and message.
func wantJSON(t testing.TB, got result, status, code int, msg string) {
	t.Helper()
	if got.status != status {
		t.Errorf("status = %d, want %d (body %s)", got.status, status, got.body)
	}
	if got.contentType != contentTypeJSON {
		t.Errorf("Content-Type = %q, want %q", got.contentType, contentTypeJSON)
	}
	e := got.envelope(t)
	if e.Code != code || e.Msg != msg {
		t.Errorf("envelope = {%d %q}, want {%d %q}", e.Code, e.Msg, code, msg)
	}
}

// wantResultError checks ResultVo.error: HTTP 200 {"code":404,"msg":msg}.
func wantResultError(t testing.TB, got result, msg string) {
	t.Helper()
	wantJSON(t, got, http.StatusOK, 404, msg)
}

// wantText checks a plain-text answer.
func wantText(t testing.TB, got result, status int, text string) {
	t.Helper()
	if got.status != status || got.body != text {
		t.Errorf("answer = %d %q, want %d %q", got.status, got.body, status, text)
	}
	if got.contentType != contentTypeText {
		t.Errorf("Content-Type = %q, want %q", got.contentType, contentTypeText)
	}
}

// loginBody is a login.pcUserLogin body sending the password's hash, as
// every app but HC's own web app does.
func loginBody(username, password string) string {
	b, _ := json.Marshal(map[string]string{"username": username, "passwd": sign.HCPassword(password)})
	return string(b)
}

// loginEntries logs in and returns the answer's data entries.
func loginEntries(t testing.TB, s *Server, username, password string) []loginEntry {
	t.Helper()
	got := do(t, newRequest(t, s, ServiceLogin, loginBody(username, password), ""))
	var e struct {
		Code int
		Data []loginEntry
	}
	if got.status != http.StatusOK || json.Unmarshal([]byte(got.body), &e) != nil || e.Code != 0 || len(e.Data) == 0 {
		t.Fatalf("login %s: %d %s", username, got.status, got.body)
	}
	return e.Data
}

// login logs in and returns the session token of the entry that is the
// user's own (the first may be another user's: the name matches by
// substring).
func login(t testing.TB, s *Server, username, password string) string {
	t.Helper()
	for _, e := range loginEntries(t, s, username, password) {
		if e.UserName == username || e.Tel == username {
			if e.Token == "" || e.UserID == "" {
				t.Fatalf("login entry %+v", e)
			}
			return e.Token
		}
	}
	t.Fatalf("login %s: no entry of the user", username)
	return ""
}

// The entries of the fake's answers, as the tests decode them.

// propertyEntry is one company of property.listProperty's data (StoreDto),
// by member name.
type propertyEntry map[string]string

// communityEntry is one community of community.listCommunitys (ApiCommunityDataVo).
type communityEntry struct {
	Address           string `json:"address"`
	CityCode          string `json:"cityCode"`
	CityName          string `json:"cityName"`
	CommunityAttrDtos []any  `json:"communityAttrDtos"`
	CommunityID       string `json:"communityId"`
	MapX              string `json:"mapX"`
	MapY              string `json:"mapY"`
	Name              string `json:"name"`
	NearbyLandmarks   string `json:"nearbyLandmarks"`
	State             string `json:"state"`
	StateName         string `json:"stateName"`
	Tel               string `json:"tel"`
}

// menuGroupEntry is one group of menuGroup.listMenuGroups (MenuGroupDto).
type menuGroupEntry struct {
	Description string `json:"description"`
	GID         string `json:"gId"`
	GroupType   string `json:"groupType"`
	Icon        string `json:"icon"`
	Label       string `json:"label"`
	Name        string `json:"name"`
	Seq         int    `json:"seq"`
	StoreType   string `json:"storeType"`
}
