package call_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/wire"
)

// greetAPI is a tiny API: the token in a header, the request as the
// query, any 200 a success whose body is the payload.
type greetAPI struct{ base string }

func (greetAPI) Encode(_ string, in any) (url.Values, []byte, error) {
	v, err := call.Values(in)
	return v, nil, err
}

func (a greetAPI) Build(req *call.Request, token string) (*wire.Call, error) {
	return &wire.Call{Op: req.Spec.Op, Method: req.Spec.Method, URL: a.base + req.Spec.Path, RawQuery: req.Params.Encode(),
		Header: wire.NewHeader("Authorization", token), Idempotent: req.Spec.Idempotent}, nil
}

func (greetAPI) Decode(_ *call.Request, _ *wire.Call, resp *wire.Response, q call.Quoter) (*call.Answer, *call.Failure) {
	if resp.Status != http.StatusOK {
		return nil, &call.Failure{Code: resp.Status, Msg: q.Quote(resp.Body), HTTPStatus: resp.Status}
	}
	return &call.Answer{Body: resp.Body, Data: resp.Body}, nil
}

func (greetAPI) Rejected(f *call.Failure) bool { return f.Code == http.StatusUnauthorized }

func (greetAPI) Error(f call.Failure) error { return errors.New(f.Format("greet", "code")) }

func (greetAPI) Invalid(c *check.Checker) error {
	return errors.New(check.Message("greet", c.Op(), check.As[check.Problem](c)))
}

func (greetAPI) View(error) (*call.Failure, bool) { return nil, false }

// GreetRequest is the request of Greet.
type GreetRequest struct {
	Name string `url:"name"`
}

// GreetResponse is its answer.
type GreetResponse struct {
	Greeting string `json:"greeting"`
}

// greet declares the endpoint: the wire, the checks, the answer.
var greet = call.Endpoint[GreetRequest, GreetResponse]{
	Spec:  call.Spec{Op: "Greet", Method: http.MethodGet, Path: "/greet", Idempotent: true},
	Check: func(c *check.Checker, r *GreetRequest) { c.RequiredText("Name", r.Name, 32) },
}

// Client is a client of the greeting API.
type Client struct{ caller *call.Caller }

// Greet is one line over its Endpoint.
func (c *Client) Greet(ctx context.Context, req *GreetRequest) (*GreetResponse, error) {
	return greet.Call(ctx, c.caller, req)
}

func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "t0ken" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, `{"greeting":"hello, `+r.URL.Query().Get("name")+`"}`)
	}))
	defer srv.Close()
	engine, err := wire.New(wire.Config{BaseURL: srv.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := &Client{caller: call.New(call.Config{Engine: engine, API: greetAPI{base: srv.URL}, Tokens: auth.StaticToken("t0ken")})}

	resp, err := c.Greet(context.Background(), &GreetRequest{Name: "Ada"})
	fmt.Println(resp.Greeting, err)
	_, err = c.Greet(context.Background(), &GreetRequest{})
	fmt.Println(err)
	// Output:
	// hello, Ada <nil>
	// greet: Greet: invalid request: Name is required
}
