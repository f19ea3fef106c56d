package pipeline

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/wire"
)

// fakeProto is a Protocol that puts the token in a header, sends the
// params as the query, treats HTTP 401 as a rejected token and records
// what the pipeline asked of it.
type fakeProto struct {
	mu    sync.Mutex
	steps []string
}

var (
	errStatus   = errors.New("status")
	errNoTokens = errors.New("no tokens")
)

func (p *fakeProto) step(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.steps = append(p.steps, s)
}

func (p *fakeProto) Build(req *Request, token string) (*wire.Call, error) {
	p.step("build " + token)
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", token)
	}
	return &wire.Call{Op: req.Endpoint.Op, Method: req.Endpoint.Method, URL: req.Endpoint.URL(), RawQuery: req.Params.Encode(),
		Header: h, Idempotent: req.Endpoint.Idempotent}, nil
}

func (p *fakeProto) Decode(_ *Request, _ *wire.Call, resp *wire.Response, s Secrets) (string, error) {
	p.step("decode")
	if resp.Status != http.StatusOK {
		return "", errStatus
	}
	body := string(resp.Body)
	for _, secret := range s.All() {
		if secret != "" {
			body = strings.ReplaceAll(body, secret, "***")
		}
	}
	return body, nil
}

func (p *fakeProto) Failed(_ *Request, _ *wire.Call, err error, _ Secrets) error {
	p.step("failed")
	return err
}

func (p *fakeProto) Rejected(err error) bool { return errors.Is(err, errStatus) }

func (p *fakeProto) TokenError(op, doing string, err error) error {
	p.step("token error")
	return errors.New(op + ": " + doing + ": " + err.Error())
}

func (p *fakeProto) NoTokens(string) error { return errNoTokens }

// renewing hands out "old" and renews to "new".
type renewing struct{ renewals int }

func (r *renewing) Token(context.Context) (*auth.Token, error) { return &auth.Token{Value: "old"}, nil }
func (r *renewing) Renew(context.Context, *auth.Token) (*auth.Token, error) {
	r.renewals++
	return &auth.Token{Value: "new"}, nil
}

// TestPipeline follows calls of each kind of endpoint through the steps,
// against a loopback server that accepts only the token "new" and echoes
// the query with the token.
func TestPipeline(t *testing.T) {
	var seen []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		if tok := r.Header.Get("Authorization"); tok != "" && tok != "new" && tok != "given" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, r.URL.RawQuery+" secret-1")
	}))
	defer srv.Close()
	engine, err := wire.New(wire.Config{BaseURL: srv.URL + "/base", Retry: wire.NoRetry})
	if err != nil {
		t.Fatal(err)
	}
	proto := &fakeProto{}
	src := &renewing{}
	p := New[string](engine, src, proto, "secret-1", "")
	ep := p.Bind(Endpoint{Op: "Get", Method: http.MethodGet, Path: "/get", Idempotent: true})
	if ep.URL() != srv.URL+"/base/get" {
		t.Fatalf("bound URL %q", ep.URL())
	}

	// FromSource: rejected, renewed once, sent again; the client's secret
	// is given to Decode.
	ans, err := p.Do(context.Background(), &Request{Endpoint: ep, Params: map[string][]string{"a": {"1"}}})
	if err != nil || ans != "a=1 ***" || src.renewals != 1 {
		t.Fatalf("answer %q, err %v, renewals %d", ans, err, src.renewals)
	}
	if got := strings.Join(proto.steps, ","); got != "build old,decode,build new,decode" {
		t.Fatalf("steps %s", got)
	}

	// NoToken and GivenToken never ask the source.
	proto.steps = nil
	login := p.Bind(Endpoint{Op: "Login", Method: http.MethodPost, Path: "/login", Auth: NoToken})
	refresh := p.Bind(Endpoint{Op: "Refresh", Method: http.MethodGet, Path: "/refresh", Auth: GivenToken})
	if _, err := p.Do(context.Background(), &Request{Endpoint: login}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Do(context.Background(), &Request{Endpoint: refresh, Token: "given"}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(proto.steps, ","); got != "build ,decode,build given,decode" || src.renewals != 1 {
		t.Fatalf("steps %s, renewals %d", got, src.renewals)
	}
	mu.Lock()
	if got := strings.Join(seen[len(seen)-2:], ","); got != "POST /base/login ,GET /base/refresh given" {
		t.Fatalf("server saw %s", got)
	}
	mu.Unlock()

	// A GivenToken endpoint that is rejected is not recovered.
	proto.steps = nil
	if _, err := p.Do(context.Background(), &Request{Endpoint: refresh, Token: "stale"}); !errors.Is(err, errStatus) || src.renewals != 1 {
		t.Fatalf("err %v, renewals %d", err, src.renewals)
	}

	// No source: NoTokens, nothing built or sent.
	proto.steps = nil
	bare := New[string](engine, nil, proto)
	if _, err := bare.Do(context.Background(), &Request{Endpoint: ep}); !errors.Is(err, errNoTokens) || len(proto.steps) != 0 {
		t.Fatalf("err %v, steps %v", err, proto.steps)
	}
	bare.SetTokens(auth.StaticToken("new"))
	if _, err := bare.Do(context.Background(), &Request{Endpoint: ep}); err != nil {
		t.Fatal(err)
	}

	// A failure to get an answer goes to Failed.
	srv.Close()
	proto.steps = nil
	if _, err := p.Do(context.Background(), &Request{Endpoint: login}); err == nil || strings.Join(proto.steps, ",") != "build ,failed" {
		t.Fatalf("err %v, steps %v", err, proto.steps)
	}
}

func TestSecretsAll(t *testing.T) {
	s := Secrets{Token: "t", Client: []string{"c"}, Request: []string{"r1", "r2"}}
	if got := strings.Join(s.All(), ","); got != "t,c,r1,r2" {
		t.Fatalf("All() = %s", got)
	}
}

func TestValues(t *testing.T) {
	type in struct {
		Name string `url:"name"`
		Page int    `url:"page"`
	}
	for _, tt := range []struct {
		in   any
		want string
	}{
		{nil, ""},
		{map[string][]string{"x": {"1"}}, ""}, // not url.Values: go-querystring refuses a map
		{in{Name: "房 A", Page: 2}, "name=%E6%88%BF+A&page=2"},
		{&in{Name: "b"}, "name=b&page=0"},
	} {
		v, err := Values(tt.in)
		if tt.want == "" && tt.in != nil {
			if err == nil {
				t.Errorf("Values(%T) accepted", tt.in)
			}
			continue
		}
		if err != nil || v.Encode() != tt.want {
			t.Errorf("Values(%#v) = %q, %v; want %q", tt.in, v.Encode(), err, tt.want)
		}
	}
}
