package call

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/observe"
)

// fakeAPI is an API that puts the token in the Authorization header,
// sends the values as the query (a GET) and a JSON body (a POST), takes
// any 200 answer as a success whose Data is the whole body, any other
// status as a failure whose code is the status, and treats code 401 as a
// rejected token. It records the steps the caller asked of it.
type fakeAPI struct {
	base     string
	buildErr error // what Build fails with, if not nil

	mu    sync.Mutex
	steps []string
	built int // how many calls Build made: "tx-N" is the transaction-id of the Nth
}

// errFakeConfig is the ErrConfig of the fake client.
var errFakeConfig = errors.New("fake: invalid configuration")

// fakeNoTokens is the NoTokens message of the fake client.
const fakeNoTokens = "this call needs a token: give the client a token source"

func (p *fakeAPI) step(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.steps = append(p.steps, s)
}

// took returns the steps recorded since the last call, joined by commas,
// and forgets them.
func (p *fakeAPI) took() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := strings.Join(p.steps, ",")
	p.steps = nil
	return s
}

func (p *fakeAPI) Encode(method string, in any) (url.Values, []byte, error) {
	p.step("encode")
	if method == http.MethodPost {
		body, err := json.Marshal(in)
		return nil, body, err
	}
	v, err := Values(in)
	return v, nil, err
}

func (p *fakeAPI) Build(req *Request, token string) (*wire.Call, error) {
	p.step("build " + token)
	if p.buildErr != nil {
		return nil, p.buildErr
	}
	p.mu.Lock()
	p.built++
	txID := "tx-" + strconv.Itoa(p.built)
	p.mu.Unlock()
	h := wire.NewHeader("Accept", "application/json")
	if token != "" {
		h.Set("Authorization", token)
	}
	return &wire.Call{Op: req.Spec.Op, Method: req.Spec.Method, URL: p.base + req.Spec.Path, RawQuery: req.Params.Encode(),
		Header: h, Body: req.Body, Idempotent: req.Spec.Idempotent, TransactionID: txID}, nil
}

func (p *fakeAPI) Decode(_ *Request, _ *wire.Call, resp *wire.Response, q Quoter) (*Answer, *Failure) {
	p.step("decode")
	if resp.Status != http.StatusOK {
		return nil, &Failure{Code: resp.Status, Msg: q.Quote(resp.Body), HTTPStatus: resp.Status}
	}
	return &Answer{Body: resp.Body, Data: resp.Body, Code: http.StatusOK, Enveloped: true}, nil
}

func (p *fakeAPI) Rejected(f *Failure) bool { return f.Code == http.StatusUnauthorized }

func (p *fakeAPI) Error(f Failure) error { return &fakeError{f} }

func (p *fakeAPI) Invalid(c *check.Checker) error {
	return &invalidError{op: c.Op(), problems: check.As[check.Problem](c)}
}

func (p *fakeAPI) View(err error) (*Failure, bool) {
	if e, ok := errors.AsType[*fakeError](err); ok {
		return &e.f, true
	}
	return nil, false
}

// fakeError is the fake API's *Error.
type fakeError struct{ f Failure }

func (e *fakeError) Error() string { return e.f.Format("fake", "code") }
func (e *fakeError) Unwrap() error { return e.f.Cause }

// invalidError is the fake API's *InvalidRequestError.
type invalidError struct {
	op       string
	problems []check.Problem
}

func (e *invalidError) Error() string { return check.Message("fake", e.op, e.problems) }

// Tokens the fake server knows: tokNew and tokGiven are accepted, any
// other is rejected (401); a request without one is accepted too (a
// login). They are long enough to be scrubbed from error text.
const (
	tokOld   = "old-token-1"
	tokNew   = "new-token-2"
	tokGiven = "given-token-3"
)

// renewing hands out first (tokOld when "") and renews it to next (tokNew
// when ""), or fails with err.
type renewing struct {
	first, next string
	err         error

	mu       sync.Mutex
	renewals int
}

func (r *renewing) Token(context.Context) (*auth.Token, error) {
	return &auth.Token{Value: cmp.Or(r.first, tokOld)}, nil
}

func (r *renewing) Renew(_ context.Context, rejected *auth.Token) (*auth.Token, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.renewals++
	if r.err != nil {
		return nil, r.err
	}
	if rejected.Value != cmp.Or(r.first, tokOld) {
		return nil, errors.New("renewed a token that was not handed out")
	}
	return &auth.Token{Value: cmp.Or(r.next, tokNew)}, nil
}

func (r *renewing) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.renewals
}

// failing is a token source whose Token fails with err.
type failing struct{ err error }

func (f failing) Token(context.Context) (*auth.Token, error) { return nil, f.err }

// fakeServer is a loopback server for fakeAPI: it records "METHOD path
// token" of every request, refuses unknown tokens with 401, answers
// "/fail" with a 500 that echoes what it was sent, and otherwise answers
// 200 with {"query": ..., "body": ...}.
type fakeServer struct {
	*httptest.Server

	mu   sync.Mutex
	seen []string
}

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	s := &fakeServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		tok := r.Header.Get("Authorization")
		s.mu.Lock()
		s.seen = append(s.seen, strings.TrimSpace(r.Method+" "+r.URL.Path+" "+tok))
		s.mu.Unlock()
		switch {
		case tok != "" && tok != tokNew && tok != tokGiven:
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, "token "+tok+" refused")
		case r.URL.Path == "/fail":
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, "failed: token "+tok+" query "+r.URL.RawQuery+" body "+string(body))
		case r.URL.Path == "/redirect":
			http.Redirect(w, r, "https://elsewhere.example/x?token="+tok, http.StatusFound)
		default:
			_ = json.NewEncoder(w).Encode(map[string]string{"query": r.URL.RawQuery, "body": string(body)})
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// took returns what the server saw since the last call, joined by commas,
// and forgets it.
func (s *fakeServer) took() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := strings.Join(s.seen, ",")
	s.seen = nil
	return out
}

// fixture is a caller of the fake API on a fake server.
type fixture struct {
	srv    *fakeServer
	api    *fakeAPI
	caller *Caller
}

// newFixture returns a caller with tokens (nil: none) and the client
// secret "client-secret-1", without retries, reporting to obs (nil: none).
func newFixture(t *testing.T, tokens auth.TokenSource, obs observe.Observer) *fixture {
	t.Helper()
	srv := newFakeServer(t)
	return newFixtureOn(t, srv, tokens, obs)
}

// newFixtureOn is newFixture on an existing server.
func newFixtureOn(t *testing.T, srv *fakeServer, tokens auth.TokenSource, obs observe.Observer) *fixture {
	t.Helper()
	engine, err := wire.New(wire.Config{BaseURL: srv.URL, Retry: wire.NoRetry, Observer: obs, API: "fake"})
	if err != nil {
		t.Fatal(err)
	}
	api := &fakeAPI{base: srv.URL}
	c := New(Config{Engine: engine, API: api, Tokens: tokens, Secrets: []string{"", "client-secret-1"},
		NoTokens: fakeNoTokens, ErrConfig: errFakeConfig})
	return &fixture{srv: srv, api: api, caller: c}
}

// Specs of the fake API.
var (
	getSpec     = Spec{Op: "Get", Method: http.MethodGet, Path: "/get", Idempotent: true}
	failSpec    = Spec{Op: "Fail", Method: http.MethodPost, Path: "/fail"}
	loginSpec   = Spec{Op: "Login", Method: http.MethodPost, Path: "/login", Auth: NoToken}
	refreshSpec = Spec{Op: "Refresh", Method: http.MethodGet, Path: "/refresh", Auth: GivenToken}
)

// asFake returns err as a *fakeError, failing t when it is not one.
func asFake(t *testing.T, err error) *fakeError {
	t.Helper()
	fe, ok := errors.AsType[*fakeError](err)
	if !ok {
		t.Fatalf("error %T %v is not the API's *Error", err, err)
	}
	return fe
}
