package property

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/sign"
)

type seen struct {
	Method, Path string
	Header       http.Header
	Body         []byte
	Query        string // the raw query
}

type reply struct {
	status int
	body   string
}

type recorder struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []seen
	replies []reply
}

func newRecorder(t *testing.T, replies ...reply) *recorder {
	t.Helper()
	r := &recorder{replies: replies}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, seen{req.Method, req.URL.Path, req.Header.Clone(), body, req.URL.RawQuery})
		rep := reply{200, `{"code":0,"msg":"成功"}`}
		if len(r.replies) > 0 {
			rep = r.replies[0]
			if len(r.replies) > 1 {
				r.replies = r.replies[1:]
			}
		}
		r.mu.Unlock()
		w.WriteHeader(rep.status)
		io.WriteString(w, rep.body)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) requests() []seen {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seen(nil), r.reqs...)
}

const (
	testAppID    = "micro-community"
	testSecurity = "hc-security-code"
	testToken    = "session-token-xyz"
)

func newTestClient(t *testing.T, base string, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(append([]Option{
		WithBaseURL(base), WithAppID(testAppID), WithSecurityCode(testSecurity),
		WithToken(auth.StaticToken(testToken)), WithRetry(3, time.Millisecond, 2*time.Millisecond),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// vectorRequest is the request of PROTOCOL.md's signing vector.
var vectorRequest = &SavePropertyRequest{
	Name: "物业公司A", Address: "北京市朝阳区XX路XX号", Tel: "18909711449", Corporation: "张三",
	FoundingTime: "2022-09-01", NearbyLandmarks: "国投广场",
	CommunityIDs: []string{"2022092200930358"}, GroupIDs: []string{"802021080609660006"},
}

// vectorBody is what fang sends for vectorRequest: the PROTOCOL.md vector
// body with the landmark also under nearByLandmarks, the field the server
// reads (last: SavePropertyRequest.MarshalJSON adds it).
const vectorBody = `{"name":"物业公司A","address":"北京市朝阳区XX路XX号","tel":"18909711449","corporation":"张三","foundingTime":"2022-09-01","nearbyLandmarks":"国投广场","communityIds":["2022092200930358"],"groupIds":["802021080609660006"],"nearByLandmarks":"国投广场"}`

func TestSavePropertyWire(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, rec.URL+"/hc/", WithTransactionIDPrefix("1000000007")) // a prefix of its own: ids follow its clock
	c.proto.now = func() time.Time { return time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC) }
	resp, err := c.SaveProperty(context.Background(), vectorRequest)
	if err != nil {
		t.Fatal(err)
	}
	r := rec.requests()[0]
	if r.Method != http.MethodPost || r.Path != "/hc/app/property.saveProperty" {
		t.Errorf("request line %s %s", r.Method, r.Path)
	}
	if string(r.Body) != vectorBody {
		t.Errorf("body\n%s\nwant\n%s", r.Body, vectorBody)
	}
	txID := r.Header.Get("transaction-id")
	want := map[string]string{
		"Authorization": "Bearer " + testToken,
		"App-Id":        testAppID,
		"Req-Time":      "20240101120000",
		"Content-Type":  "application/json",
		"Sign":          sign.MicroCommunity(txID, "20240101120000", testAppID, vectorBody, testSecurity),
	}
	for k, v := range want {
		if got := r.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	// The sign is the MD5 of exactly the bytes that arrived.
	sum := md5.Sum([]byte(txID + "20240101120000" + testAppID + string(r.Body) + testSecurity))
	if r.Header.Get("sign") != hex.EncodeToString(sum[:]) {
		t.Error("sign is not over the body bytes received")
	}
	if len(txID) != 30 || txID[10:24] != "20240101120000" || strings.Trim(txID, "0123456789") != "" {
		t.Errorf("transaction-id %q", txID)
	}
	if r.Header.Get("user-id") != "" {
		t.Errorf("user-id sent without WithUserID: %q", r.Header.Get("user-id"))
	}
	if resp.Code != 0 || resp.Msg != "成功" || resp.TransactionID != txID {
		t.Errorf("response %+v", resp)
	}
}

// TestSignVectorFromEncodedRequest: SavePropertyRequest's own JSON tags
// are the seed's names: the request marshals to the PROTOCOL.md vector
// body, byte for byte, with only nearByLandmarks added (what a user who
// gives the request to Do sends), and the vector body decodes back to the
// request.
func TestSignVectorFromEncodedRequest(t *testing.T) {
	const protocolVectorBody = `{"name":"物业公司A","address":"北京市朝阳区XX路XX号","tel":"18909711449","corporation":"张三","foundingTime":"2022-09-01","nearbyLandmarks":"国投广场","communityIds":["2022092200930358"],"groupIds":["802021080609660006"]}`
	body, err := json.Marshal(vectorRequest)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSuffix(protocolVectorBody, "}") + `,"nearByLandmarks":"国投广场"}`; string(body) != want || string(body) != vectorBody {
		t.Fatalf("encoded vector request differs:\n%s", body)
	}
	var back SavePropertyRequest
	if err := json.Unmarshal([]byte(protocolVectorBody), &back); err != nil || !reflect.DeepEqual(&back, vectorRequest) {
		t.Fatalf("the vector body decodes to %+v (%v)", back, err)
	}
	if got := sign.MicroCommunityBytes("100000000020240101120000000001", "20240101120000", testAppID, []byte(protocolVectorBody), testSecurity); len(protocolVectorBody) != 239 || got != "ab7be2e9cd7a4736b5928a3d9a3af121" {
		t.Fatalf("sign %s", got)
	}
}

func TestOptionalFieldsOmittedNeverNull(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, rec.URL)
	req := &SavePropertyRequest{Name: "n", Address: "a", Tel: "1", Corporation: "c", FoundingTime: "2020-02-29", CommunityIDs: []string{}, GroupIDs: nil}
	if _, err := c.SaveProperty(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	const want = `{"name":"n","address":"a","tel":"1","corporation":"c","foundingTime":"2020-02-29"}`
	if got := string(rec.requests()[0].Body); got != want {
		t.Fatalf("body %s, want %s", got, want)
	}
}

func TestValidation(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, rec.URL)
	ok := *vectorRequest
	tests := []struct {
		name   string
		mutate func(r *SavePropertyRequest) *SavePropertyRequest
		fields []string
	}{
		{"nil", func(*SavePropertyRequest) *SavePropertyRequest { return nil }, []string{"request"}},
		{"empty", func(*SavePropertyRequest) *SavePropertyRequest { return &SavePropertyRequest{} }, []string{"Name", "Address", "Tel", "Corporation", "FoundingTime"}},
		{"long name", func(r *SavePropertyRequest) *SavePropertyRequest { r.Name = strings.Repeat("物", 65); return r }, []string{"Name"}},
		{"not a date", func(r *SavePropertyRequest) *SavePropertyRequest { r.FoundingTime = "2022-02-30"; return r }, []string{"FoundingTime"}},
		{"wrong layout", func(r *SavePropertyRequest) *SavePropertyRequest { r.FoundingTime = "2022/09/01"; return r }, []string{"FoundingTime"}},
		{"short layout", func(r *SavePropertyRequest) *SavePropertyRequest { r.FoundingTime = "2022-9-1"; return r }, []string{"FoundingTime"}},
		{"communities without groups", func(r *SavePropertyRequest) *SavePropertyRequest { r.GroupIDs = nil; return r }, []string{"GroupIDs"}},
		{"invalid UTF-8", func(r *SavePropertyRequest) *SavePropertyRequest {
			r.Name, r.NearbyLandmarks, r.CommunityIDs = "物业\xff", "\xfe", []string{"ok", "\xc3"}
			return r
		}, []string{"Name", "NearbyLandmarks", "CommunityIDs[1]"}},
		{"empty ids", func(r *SavePropertyRequest) *SavePropertyRequest {
			r.CommunityIDs = []string{""}
			r.GroupIDs = []string{"g", ""}
			return r
		}, []string{"CommunityIDs[0]", "GroupIDs[1]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			_, err := c.SaveProperty(context.Background(), tt.mutate(&r))
			var ve *InvalidRequestError
			if !errors.Is(err, ErrInvalidRequest) || !errors.As(err, &ve) {
				t.Fatalf("err = %v", err)
			}
			if got := strings.Join(ve.Fields(), ","); got != strings.Join(tt.fields, ",") {
				t.Errorf("fields %s, want %v", got, tt.fields)
			}
		})
	}
	if n := len(rec.requests()); n != 0 {
		t.Fatalf("%d requests sent for invalid input", n)
	}
}

func TestServerAnswers(t *testing.T) {
	html := "<html>" + strings.Repeat("Bad Gateway ", 2000) + "</html>"
	tests := []struct {
		name      string
		rep       reply
		sentinels []error
		code      int
		status    int
	}{
		{"-1", reply{200, `{"code":-1,"msg":"保存数据失败"}`}, []error{ErrSaveFailed}, -1, 200},
		{"-2", reply{200, `{"code":-2,"msg":"小区已入驻"}`}, []error{ErrCommunityAlreadySettled}, -2, 200},
		{"-3", reply{200, `{"code":-3,"msg":"未配置物业默认权限"}`}, []error{ErrDefaultPrivilegeMissing}, -3, 200},
		{"sign", reply{500, `{"code":404,"msg":"请求发生异常，签名失败"}`}, []error{ErrGateway, ErrSignatureRejected}, 404, 500},
		{"gateway", reply{500, `{"code":404,"msg":"请求发生异常，小区不存在"}`}, []error{ErrGateway}, 404, 500},
		{"unknown code", reply{200, `{"code":7,"msg":"?"}`}, nil, 7, 200},
		{"code as string", reply{200, `{"code":"-2","msg":"小区已入驻"}`}, []error{ErrCommunityAlreadySettled}, -2, 200},
		{"401 plain", reply{401, "用户或密码错误"}, []error{ErrUnauthorized}, 0, 401},
		{"502 html", reply{502, html}, []error{ErrUnexpectedResponse, ErrOutcomeUnknown}, 0, 502},
		{"504 empty", reply{504, ""}, []error{ErrUnexpectedResponse, ErrOutcomeUnknown}, 0, 504},
		{"truncated", reply{200, `{"code":0,"ms`}, []error{ErrUnexpectedResponse, ErrOutcomeUnknown}, 0, 200},
	}
	all := []error{ErrSaveFailed, ErrCommunityAlreadySettled, ErrDefaultPrivilegeMissing, ErrGateway, ErrSignatureRejected, ErrUnauthorized, ErrUnexpectedResponse, ErrOutcomeUnknown}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, tt.rep)
			c := newTestClient(t, rec.URL)
			_, err := c.SaveProperty(context.Background(), vectorRequest)
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v (%T)", err, err)
			}
			if pe.Code != tt.code || pe.HTTPStatus != tt.status || pe.TransactionID != rec.requests()[0].Header.Get("transaction-id") {
				t.Errorf("got %+v", pe)
			}
			if len(pe.Msg) > 2100 {
				t.Errorf("message not bounded: %d bytes", len(pe.Msg))
			}
			for _, s := range all {
				want := false
				for _, w := range tt.sentinels {
					want = want || w == s
				}
				if errors.Is(err, s) != want {
					t.Errorf("errors.Is(err, %v) = %v, want %v", s, !want, want)
				}
			}
			if n := len(rec.requests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
			if strings.Contains(err.Error(), testSecurity) || strings.Contains(err.Error(), testToken) {
				t.Errorf("secret in %q", err)
			}
		})
	}
}

// TestNeverDuplicatesASave: once a save may have reached the server, no
// second request follows, whatever the retry policy.
func TestNeverDuplicatesASave(t *testing.T) {
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request)
		timeout time.Duration
	}{
		// The deadline leaves a loaded machine time to deliver the
		// request (at 100 ms the server sometimes never saw it).
		{"timeout after sending", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }, time.Second},
		{"connection dropped", func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}, 0},
		{"504", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGatewayTimeout) }, 0},
		{"reset mid-answer", func(w http.ResponseWriter, r *http.Request) {
			conn, buf, _ := w.(http.Hijacker).Hijack()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"code\":0")
			buf.Flush()
			conn.Close()
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var hits int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.ReadAll(r.Body)
				mu.Lock()
				hits++
				mu.Unlock()
				tt.handler(w, r)
			}))
			defer srv.Close()
			c := newTestClient(t, srv.URL, WithRetry(5, time.Millisecond, time.Millisecond))
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			_, err := c.SaveProperty(ctx, vectorRequest)
			var pe *Error
			if !errors.Is(err, ErrOutcomeUnknown) || !errors.As(err, &pe) || len(pe.TransactionID) != 30 {
				t.Fatalf("err = %v, want ErrOutcomeUnknown with a transaction-id", err)
			}
			if tt.timeout > 0 && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("deadline not visible: %v", err)
			}
			srv.Close() // waits for handlers: every request that arrived is counted
			mu.Lock()
			defer mu.Unlock()
			if hits != 1 {
				t.Fatalf("server saw %d requests, want exactly 1", hits)
			}
		})
	}
}

func TestRefusedIsNotOutcomeUnknown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := newTestClient(t, "http://"+addr)
	_, err = c.SaveProperty(context.Background(), vectorRequest)
	if err == nil || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want a failure that is not ErrOutcomeUnknown", err)
	}
	var pe *Error
	if !errors.As(err, &pe) || pe.TransactionID == "" {
		t.Fatalf("err = %#v", err)
	}
}

func TestDistinctTransactionIDsUnderConcurrency(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, rec.URL)
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			for range 5 {
				if _, err := c.SaveProperty(context.Background(), vectorRequest); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	ids := map[string]bool{}
	for _, r := range rec.requests() {
		ids[r.Header.Get("transaction-id")] = true
	}
	if len(ids) != 500 {
		t.Fatalf("%d distinct transaction-ids for 500 calls", len(ids))
	}
}

func TestNewClientConfig(t *testing.T) {
	base, app := WithBaseURL("http://10.0.0.1:8008"), WithAppID("a")
	tests := map[string][]Option{
		"no base":           {app},
		"no app-id":         {base},
		"bad base":          {app, WithBaseURL("10.0.0.1:8008")},
		"bad prefix":        {base, app, WithTransactionIDPrefix("12")},
		"token and creds":   {base, app, WithToken(auth.StaticToken("t")), WithCredentials("u", "p")},
		"empty creds":       {base, app, WithCredentials("u", "")},
		"zero max attempts": {base, app, WithRetry(0, 0, 0)},
	}
	for name, opts := range tests {
		if _, err := NewClient(opts...); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: err = %v, want ErrConfig", name, err)
		}
	}
	c, err := NewClient(base, app, WithSecurityCode("s3cret-code"), WithTransactionIDPrefix("1234567890"))
	if err != nil {
		t.Fatal(err)
	}
	if s := c.String(); strings.Contains(s, "s3cret-code") {
		t.Fatalf("String reveals the security code: %s", s)
	}
	_, err = c.SaveProperty(context.Background(), vectorRequest)
	var perr *Error
	if !errors.Is(err, ErrConfig) || !errors.As(err, &perr) || errors.Is(err, ErrOutcomeUnknown) ||
		err.Error() != "property: SaveProperty: no session: give WithToken or WithCredentials to NewClient" {
		t.Fatalf("save without a token source: %v", err)
	}
}

func TestLoginWire(t *testing.T) {
	rec := newRecorder(t, reply{200, `{"code":0,"msg":"成功","data":{"userId":"u1","token":"new-session"}}`}, reply{401, "用户或密码错误"})
	c, err := NewClient(WithBaseURL(rec.URL), WithAppID(testAppID), WithSecurityCode(testSecurity), WithSessionLifetime(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 1, 1, 4, 0, 0, 0, time.UTC)
	c.proto.now = func() time.Time { return now }
	tok, err := c.Login(context.Background(), "admin", "pa55word")
	if err != nil {
		t.Fatal(err)
	}
	if tok.Value != "new-session" || !tok.Expiry.Equal(now.Add(time.Hour)) {
		t.Fatalf("token %v", tok)
	}
	r := rec.requests()[0]
	// HC compares the hash md5hex(md5hex("pa55word" + "hc@java110")).
	if r.Path != "/app/login.pcUserLogin" || string(r.Body) != `{"username":"admin","passwd":"`+sign.HCPassword("pa55word")+`"}` {
		t.Errorf("%s %s", r.Path, r.Body)
	}
	if r.Header.Get("user-id") != "-1" || r.Header.Get("Authorization") != "" {
		t.Errorf("headers %v", r.Header)
	}
	if r.Header.Get("sign") != sign.MicroCommunityBytes(r.Header.Get("transaction-id"), r.Header.Get("req-time"), testAppID, r.Body, testSecurity) {
		t.Error("login not signed over its body")
	}
	_, err = c.Login(context.Background(), "admin", "wrong-password")
	if !errors.Is(err, ErrUnauthorized) || strings.Contains(err.Error(), "wrong-password") {
		t.Fatalf("err = %v", err)
	}
}

func TestTransportSentinels(t *testing.T) {
	big := newRecorder(t, reply{200, `{"code":0,"msg":"` + strings.Repeat("x", 100) + `"}`})
	c := newTestClient(t, big.URL, WithMaxResponseBytes(64))
	_, err := c.SaveProperty(context.Background(), vectorRequest)
	if !errors.Is(err, ErrResponseTooLarge) || !errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("large body: %v", err)
	}
	moved := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://elsewhere.example/", http.StatusTemporaryRedirect)
	}))
	defer moved.Close()
	c = newTestClient(t, moved.URL)
	if _, err := c.SaveProperty(context.Background(), vectorRequest); !errors.Is(err, ErrRedirected) || errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("redirect: %v", err)
	}
	gone := newRecorder(t)
	gone.Close()
	c = newTestClient(t, gone.URL)
	_, err = c.SaveProperty(context.Background(), vectorRequest)
	if !errors.Is(err, ErrNoResponse) || errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("refused: %v", err)
	}
}
