package kanfang

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
	"github.com/fangsdk/fang/sign"
)

// seen is one request as it arrived on the wire.
type seen struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   string
}

// recorder is an httptest server that records every request and answers
// with the next canned reply (the last one repeats).
type recorder struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []seen
	replies []reply
}

type reply struct {
	status int
	body   string
	header map[string]string
}

func newRecorder(t *testing.T, replies ...reply) *recorder {
	t.Helper()
	r := &recorder{replies: replies}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, seen{req.Method, req.URL.Path, req.URL.RawQuery, req.Header.Clone(), string(body)})
		rep := reply{status: 200, body: `{"state":200,"payload":{"packageId":"p","anjukeBianHao":"b"}}`}
		if len(r.replies) > 0 {
			rep = r.replies[0]
			if len(r.replies) > 1 {
				r.replies = r.replies[1:]
			}
		}
		r.mu.Unlock()
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
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

func newTestClient(t *testing.T, base string, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(append([]Option{WithBaseURL(base), WithToken(auth.StaticToken("tok-123")), WithRetry(3, time.Millisecond, 2*time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var putReq = &PutAnjukeBianHaoRequest{PackageID: "pkg 1/数据", AnjukeBianHao: "00000000010101"}

func TestPutAnjukeBianHaoWire(t *testing.T) {
	const form = "anjukeBianHao=00000000010101&packageId=pkg+1%2F%E6%95%B0%E6%8D%AE"
	tests := []struct {
		placement              auth.Placement
		wantHeader, wantCookie string
		wantBody, wantQuery    string
	}{
		{auth.InHeader, "tok-123", "", form, ""},
		{auth.InForm, "", "", "Authorization=tok-123&" + form, ""},
		{auth.InCookie, "", "Authorization=tok-123", form, ""},
		// A query placement on a POST travels in the form: never in the
		// URL, which access logs record.
		{auth.InQuery, "", "", "Authorization=tok-123&" + form, ""},
	}
	for _, tt := range tests {
		t.Run(tt.placement.String(), func(t *testing.T) {
			rec := newRecorder(t)
			c := newTestClient(t, rec.URL, WithTokenPlacement(tt.placement))
			resp, err := c.PutAnjukeBianHao(context.Background(), putReq)
			if err != nil {
				t.Fatal(err)
			}
			if resp.PackageID != "p" || resp.AnjukeBianHao != "b" {
				t.Fatalf("response %+v", resp)
			}
			reqs := rec.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.Path != "/v2/houseTask/putAnjukeBianHao" {
				t.Errorf("request line %s %s", r.Method, r.Path)
			}
			if got := r.Header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
				t.Errorf("Content-Type %q", got)
			}
			if got := r.Header.Get("Authorization"); got != tt.wantHeader {
				t.Errorf("Authorization header %q, want %q", got, tt.wantHeader)
			}
			if got := r.Header.Get("Cookie"); got != tt.wantCookie {
				t.Errorf("Cookie %q, want %q", got, tt.wantCookie)
			}
			if r.Body != tt.wantBody {
				t.Errorf("body %q, want %q", r.Body, tt.wantBody)
			}
			if r.RawQuery != tt.wantQuery {
				t.Errorf("query %q, want %q", r.RawQuery, tt.wantQuery)
			}
			if got := r.Header.Get("User-Agent"); !strings.HasPrefix(got, "fang/") {
				t.Errorf("User-Agent %q", got)
			}
			if r.Header.Get("timestamp") != "" || r.Header.Get("sign") != "" {
				t.Error("strong-validation headers sent without a sign key")
			}
		})
	}
}

func TestBaseURLForms(t *testing.T) {
	for _, suffix := range []string{"", "/", "/kf", "/kf/"} {
		rec := newRecorder(t)
		c := newTestClient(t, rec.URL+suffix)
		if _, err := c.PutAnjukeBianHao(context.Background(), putReq); err != nil {
			t.Fatal(err)
		}
		want := strings.TrimSuffix(suffix, "/") + "/v2/houseTask/putAnjukeBianHao"
		if got := rec.requests()[0].Path; got != want {
			t.Errorf("base %q: path %q, want %q", suffix, got, want)
		}
	}
}

func TestNewClientConfigErrors(t *testing.T) {
	tok := WithToken(auth.StaticToken("t"))
	tests := map[string][]Option{
		"bad scheme":         {tok, WithBaseURL("ftp://x")},
		"no host":            {tok, WithBaseURL("http://")},
		"query in base":      {tok, WithBaseURL("http://x/?a=1")},
		"bad placement":      {tok, WithTokenPlacement(auth.Placement(9))},
		"token and creds":    {tok, WithCredentials("k", "v")},
		"empty creds":        {WithCredentials("", "")},
		"nil token":          {WithToken(nil)},
		"zero attempts":      {tok, WithRetry(0, 0, 0)},
		"non-positive limit": {tok, WithMaxResponseBytes(0)},
	}
	for name, opts := range tests {
		if _, err := NewClient(opts...); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: err = %v, want ErrConfig", name, err)
		}
	}
	c, err := NewClient(tok)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.proto.base; got != ProductionBaseURL {
		t.Errorf("default base %q", got)
	}
	// Without a token source only the token endpoints may be called.
	bare, err := NewClient()
	if err != nil {
		t.Fatal(err)
	}
	_, err = bare.PutAnjukeBianHao(context.Background(), putReq)
	var kerr *Error
	if !errors.Is(err, ErrConfig) || !errors.As(err, &kerr) || err.Error() != "kanfang: PutAnjukeBianHao: no token: give WithToken or WithCredentials to NewClient" {
		t.Errorf("put without a token: %v", err)
	}
}

func TestValidationNamesEveryFieldAndSendsNothing(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, rec.URL)
	long := strings.Repeat("房", MaxFieldLength+1)
	tests := []struct {
		req    *PutAnjukeBianHaoRequest
		fields []string
	}{
		{nil, []string{"request"}},
		{&PutAnjukeBianHaoRequest{}, []string{"PackageID", "AnjukeBianHao"}},
		{&PutAnjukeBianHaoRequest{PackageID: long, AnjukeBianHao: long}, []string{"PackageID", "AnjukeBianHao"}},
		{&PutAnjukeBianHaoRequest{PackageID: "p", AnjukeBianHao: long}, []string{"AnjukeBianHao"}},
		{&PutAnjukeBianHaoRequest{PackageID: "p\xff", AnjukeBianHao: "ok"}, []string{"PackageID"}},
	}
	for _, tt := range tests {
		_, err := c.PutAnjukeBianHao(context.Background(), tt.req)
		if !errors.Is(err, ErrInvalidRequest) {
			t.Fatalf("%+v: err = %v", tt.req, err)
		}
		var ve *InvalidRequestError
		if !errors.As(err, &ve) || strings.Join(ve.Fields(), ",") != strings.Join(tt.fields, ",") {
			t.Errorf("%+v: fields %v, want %v", tt.req, ve.Fields(), tt.fields)
		}
		for _, f := range tt.fields {
			if !strings.Contains(err.Error(), f) {
				t.Errorf("message %q does not name %s", err, f)
			}
		}
	}
	// Exactly 128 characters is fine.
	ok := strings.Repeat("房", MaxFieldLength)
	if _, err := c.PutAnjukeBianHao(context.Background(), &PutAnjukeBianHaoRequest{PackageID: ok, AnjukeBianHao: ok}); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.requests()); n != 1 {
		t.Fatalf("%d requests reached the server, want only the valid one", n)
	}
}

func TestServerErrors(t *testing.T) {
	html := "<html><body>" + strings.Repeat("502 Bad Gateway ", 1000) + "</body></html>"
	tests := []struct {
		name       string
		rep        reply
		sentinel   error
		state      int
		httpStatus int
		message    string
	}{
		{"401", reply{200, `{"state":401,"payload":"token expired"}`, nil}, ErrUnauthorized, 401, 200, "token expired"},
		{"4011", reply{200, `{"state":4011,"payload":"refresh failed"}`, nil}, ErrRefreshFailed, 4011, 200, "refresh failed"},
		{"403", reply{200, `{"state":403,"payload":"packageId 不存在"}`, nil}, ErrRejected, 403, 200, "packageId 不存在"},
		{"500", reply{200, `{"state":500,"payload":"InnerServerError -> detail"}`, nil}, ErrServerError, 500, 200, "InnerServerError -> detail"},
		{"unknown state", reply{200, `{"state":999,"payload":"what"}`, nil}, nil, 999, 200, "what"},
		{"object payload on failure", reply{200, `{"state":403,"payload":{"x":1}}`, nil}, ErrRejected, 403, 200, `{"x":1}`},
		{"html", reply{502, html, nil}, ErrUnexpectedResponse, 0, 502, "<html><body>502 Bad Gateway"},
		{"empty body", reply{500, "", nil}, ErrUnexpectedResponse, 0, 500, ""},
		{"truncated json", reply{200, `{"state":200,"payl`, nil}, ErrUnexpectedResponse, 0, 200, `{"state":200,"payl`},
		{"state of wrong type", reply{200, `{"state":true,"payload":"x"}`, nil}, ErrUnexpectedResponse, 0, 200, `{"state":true`},
		{"mistyped success payload", reply{200, `{"state":200,"payload":"ok"}`, nil}, ErrUnexpectedResponse, 200, 200, `the payload is a JSON string`},
		// The platform sends the state as a number: a string is not one.
		{"state as string", reply{200, `{"state":"403","payload":"no"}`, nil}, ErrUnexpectedResponse, 0, 200, `{"state":"403","payload":"no"}`},
		{"success as string", reply{200, `{"state":"200","payload":{"packageId":"p","anjukeBianHao":"b"}}`, nil}, ErrUnexpectedResponse, 0, 200, `"state":"200"`},
		{"empty success payload", reply{200, `{"state":200,"payload":{}}`, nil}, ErrUnexpectedResponse, 200, 200, "without packageId and anjukeBianHao"},
		{"null success payload", reply{200, `{"state":200,"payload":null}`, nil}, ErrUnexpectedResponse, 200, 200, "without packageId and anjukeBianHao"},
		{"another object", reply{200, `{"state":200,"payload":{"id":1}}`, nil}, ErrUnexpectedResponse, 200, 200, "without packageId and anjukeBianHao"},
		{"success body, HTTP 500", reply{500, `{"state":200,"payload":{"packageId":"p","anjukeBianHao":"b"}}`, nil}, ErrUnexpectedResponse, 200, 500, "error status"},
		{"success body, HTTP 404", reply{404, `{"state":200,"payload":{"packageId":"p","anjukeBianHao":"b"}}`, nil}, ErrUnexpectedResponse, 200, 404, "error status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, tt.rep)
			c := newTestClient(t, rec.URL, WithoutRetry())
			_, err := c.PutAnjukeBianHao(context.Background(), putReq)
			var ke *Error
			if !errors.As(err, &ke) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if ke.State != tt.state || ke.HTTPStatus != tt.httpStatus || !strings.Contains(ke.Message, tt.message) {
				t.Errorf("got %+v", ke)
			}
			if len(ke.Message) > 2048+len("…")+64 {
				t.Errorf("message not bounded: %d bytes", len(ke.Message))
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.sentinel)
			}
			for _, s := range []error{ErrUnauthorized, ErrRefreshFailed, ErrRejected, ErrServerError, ErrUnexpectedResponse} {
				if s != tt.sentinel && errors.Is(err, s) {
					t.Errorf("also matches %v", s)
				}
			}
		})
	}
}

func TestTokenNeverInErrors(t *testing.T) {
	rec := newRecorder(t, reply{200, `{"state":401,"payload":"token tok-123 is not valid"}`, nil})
	c := newTestClient(t, rec.URL, WithTokenPlacement(auth.InQuery))
	_, err := c.PutAnjukeBianHao(context.Background(), putReq)
	if err == nil || strings.Contains(err.Error(), "tok-123") {
		t.Fatalf("err = %v", err)
	}
	// A transport failure names the URL; its query (holding the token) is redacted.
	rec.Close()
	_, err = c.PutAnjukeBianHao(context.Background(), putReq)
	if err == nil || strings.Contains(err.Error(), "tok-123") {
		t.Fatalf("transport err = %v", err)
	}
}

func TestContextErrorsStayVisible(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := newTestClient(t, srv.URL, WithoutRetry())
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.PutAnjukeBianHao(ctx, putReq)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := c.PutAnjukeBianHao(ctx, putReq); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want Canceled", err)
	}
}

// TestStrongValidationSignsEveryValueSent: the platform signs all form
// values of a POST and all query values of a GET, so a token placed in the
// form or the query is signed, and clientEdtion and GetAccessToken's
// credentials too; a token in a header or cookie is not. The test
// recomputes the sign from what arrived.
func TestStrongValidationSignsEveryValueSent(t *testing.T) {
	const key = "CdLvNRRQvy0xjORPNvuVaA"
	for _, p := range []auth.Placement{auth.InHeader, auth.InForm, auth.InCookie, auth.InQuery} {
		t.Run(p.String(), func(t *testing.T) {
			rec := newRecorder(t, reply{200, `{"state":200,"payload":{"packageId":"pkg-1","anjukeBianHao":"AJK-1"}}`, nil},
				reply{200, `{"state":200,"payload":{"token":"t2","tokenExpireIn":60}}`, nil})
			c := newTestClient(t, rec.URL, WithSignKey(key), WithTokenPlacement(p))
			c.proto.now = func() time.Time { return time.UnixMilli(1532059200000) }
			if _, err := c.PutAnjukeBianHao(context.Background(), putReq); err != nil {
				t.Fatal(err)
			}
			if _, err := c.RefreshToken(context.Background(), "refresh-tok"); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetAccessToken(context.Background(), "user", "pass-value"); err != nil {
				t.Fatal(err)
			}
			reqs := rec.requests()
			if len(reqs) != 3 {
				t.Fatalf("%d requests", len(reqs))
			}
			// GetAccessToken sends no token: its credentials and
			// clientEdtion are the signed query values.
			if q, _ := url.ParseQuery(reqs[2].RawQuery); len(q) != 3 || q.Get("authValue") != "pass-value" || q.Get("authKey") != "user" {
				t.Errorf("GetAccessToken query %v", q)
			}
			for i, r := range reqs {
				if got := r.Header.Get("timestamp"); got != "1532059200000" {
					t.Errorf("request %d: timestamp %q", i, got)
				}
				signed, err := url.ParseQuery(r.RawQuery)
				if err != nil {
					t.Fatal(err)
				}
				want := (p == auth.InForm || p == auth.InQuery) && r.Path == PathRefreshToken // GET: the token travels in the query
				if r.Method == http.MethodPost {
					if signed, err = url.ParseQuery(r.Body); err != nil {
						t.Fatal(err)
					}
					want = p == auth.InForm || p == auth.InQuery // POST: the form, where both placements travel
				}
				if _, tokenSigned := signed["Authorization"]; tokenSigned != want {
					t.Errorf("request %d (%s): token among the signed values: %v, want %v", i, r.Method, tokenSigned, want)
				}
				if r.Method == http.MethodGet && signed.Get("clientEdtion") != ClientEdition {
					t.Errorf("request %d: clientEdtion not among the signed values %v", i, signed)
				}
				if got, want := r.Header.Get("sign"), sign.Kanfang(key, signed, 1532059200000); got != want {
					t.Errorf("request %d (%s): sign %q, want %q over %v", i, r.Method, got, want, signed)
				}
			}
		})
	}
}

func TestRetriesTransientFailuresOfIdempotentCall(t *testing.T) {
	rec := newRecorder(t,
		reply{503, "busy", map[string]string{"Retry-After": "0"}},
		reply{502, "<html>bad gateway</html>", nil},
		reply{200, `{"state":200,"payload":{"packageId":"p","anjukeBianHao":"b"}}`, nil},
	)
	c := newTestClient(t, rec.URL)
	if _, err := c.PutAnjukeBianHao(context.Background(), putReq); err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d attempts, want 3", len(reqs))
	}
	for _, r := range reqs[1:] {
		if r.Body != reqs[0].Body {
			t.Errorf("retry body %q differs from %q", r.Body, reqs[0].Body)
		}
	}
	// A failure the server answered in the envelope is not retried.
	rec2 := newRecorder(t, reply{200, `{"state":500,"payload":"InnerServerError"}`, nil})
	c2 := newTestClient(t, rec2.URL)
	if _, err := c2.PutAnjukeBianHao(context.Background(), putReq); !errors.Is(err, ErrServerError) {
		t.Fatal(err)
	}
	if n := len(rec2.requests()); n != 1 {
		t.Fatalf("%d attempts for state 500, want 1", n)
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	var hits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer other.Close()
	for _, p := range []auth.Placement{auth.InHeader, auth.InForm, auth.InCookie, auth.InQuery} {
		// A token may ride in the target's path, query or fragment: only
		// the scheme and host are shown.
		rec := newRecorder(t, reply{307, "", map[string]string{"Location": other.URL + "/steal/tok-123?x=1#tok-123"}})
		c := newTestClient(t, rec.URL, WithTokenPlacement(p))
		_, err := c.PutAnjukeBianHao(context.Background(), putReq)
		if err == nil || !strings.Contains(err.Error(), other.URL+"/[REDACTED]") || strings.Contains(err.Error(), "x=1") ||
			strings.Contains(err.Error(), "steal") || strings.Contains(err.Error(), "tok-123") || !errors.Is(err, ErrRedirected) {
			t.Errorf("%v: err = %v", p, err)
		}
		if n := len(rec.requests()); n != 1 {
			t.Errorf("%v: %d attempts", p, n)
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("redirect target was contacted %d times", hits.Load())
	}
}

func TestTransportSentinels(t *testing.T) {
	big := newRecorder(t, reply{200, `{"state":200,"payload":"` + strings.Repeat("x", 100) + `"}`, nil})
	c := newTestClient(t, big.URL, WithMaxResponseBytes(64), WithoutRetry())
	if _, err := c.PutAnjukeBianHao(context.Background(), putReq); !errors.Is(err, ErrResponseTooLarge) || errors.Is(err, ErrNoResponse) {
		t.Errorf("large body: %v", err)
	}
	moved := newRecorder(t, reply{302, "", map[string]string{"Location": "https://elsewhere.example/"}})
	c = newTestClient(t, moved.URL)
	if _, err := c.PutAnjukeBianHao(context.Background(), putReq); !errors.Is(err, ErrRedirected) || errors.Is(err, ErrNoResponse) {
		t.Errorf("redirect: %v", err)
	}
	gone := newRecorder(t)
	gone.Close()
	c = newTestClient(t, gone.URL)
	_, err := c.PutAnjukeBianHao(context.Background(), putReq)
	if !errors.Is(err, ErrNoResponse) || errors.Is(err, ErrRedirected) || errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("refused: %v", err)
	}
	// One error model: a transport failure is a *kanfang.Error too, named
	// by the method, wrapping its cause, and not an unexpected response.
	var ke *Error
	if !errors.As(err, &ke) || ke.HTTPStatus != 0 || errors.Is(err, ErrUnexpectedResponse) ||
		!strings.HasPrefix(err.Error(), "kanfang: PutAnjukeBianHao: ") || strings.Count(err.Error(), "kanfang:") != 1 {
		t.Errorf("transport failure: %v (%#v)", err, ke)
	}
}

// TestStrongValidationAgainstFake: with a sign key, every call the client
// makes (login, put, refresh) passes the fake's signature check, for every
// token placement.
func TestStrongValidationAgainstFake(t *testing.T) {
	const key = "sign-key-e2e"
	for _, p := range []auth.Placement{auth.InHeader, auth.InForm, auth.InCookie, auth.InQuery} {
		t.Run(p.String(), func(t *testing.T) {
			srv := kanfangtest.NewServer(kanfangtest.WithSignKey(key))
			defer srv.Close()
			c, err := NewClient(WithBaseURL(srv.URL), WithCredentials(srv.AuthKey, srv.AuthValue), WithSignKey(key),
				WithTokenPlacement(p), WithoutRetry())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.PutAnjukeBianHao(context.Background(), putReq); err != nil {
				t.Fatalf("put: %v", err)
			}
			tok, err := c.GetAccessToken(context.Background(), srv.AuthKey, srv.AuthValue)
			if err != nil {
				t.Fatalf("login: %v", err)
			}
			if _, err := c.RefreshToken(context.Background(), tok.RefreshToken); err != nil {
				t.Fatalf("refresh: %v", err)
			}
			if srv.Logins() != 2 || srv.Refreshes() != 1 {
				t.Errorf("%d logins, %d refreshes", srv.Logins(), srv.Refreshes())
			}
			// The fake carries out unsigned calls too: it notes the
			// worth of the signature, which must be valid on every call.
			for i, r := range srv.RequestLog() {
				if r.Sign != kanfangtest.SignValid {
					t.Errorf("request %d (%s %s): sign %q %s", i, r.Method, r.Path, r.Sign, r.SignProblem)
				}
			}
		})
	}
}
