package call

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/fangsdk/fang/internal/check"
)

// listRequest is a request of the fake API: query values with `url` tags.
type listRequest struct {
	Name string `url:"name"`
	Page int    `url:"page"`
}

// echo is what the fake server answers with 200.
type echo struct {
	Query string `json:"query"`
	Body  string `json:"body"`
}

// listEndpoint checks Name, fills in page 1 in a copy and decodes with
// Answer.Into.
var listEndpoint = Endpoint[listRequest, echo]{
	Spec:  getSpec,
	Check: func(c *check.Checker, r *listRequest) { c.Required("Name", r.Name) },
	Encode: func(r *listRequest) any {
		cp := *r
		if cp.Page == 0 {
			cp.Page = 1
		}
		return &cp
	},
}

// TestEndpointCall: a call is checked, encoded, sent and decoded, in
// that order; Encode's copy is what is sent; with no Decode, the answer
// goes through Answer.Into.
func TestEndpointCall(t *testing.T) {
	fx := newFixture(t, &renewing{}, nil)
	req := &listRequest{Name: "a b"}
	out, err := listEndpoint.Call(context.Background(), fx.caller, req)
	if err != nil {
		t.Fatal(err)
	}
	if out.Query != "name=a+b&page=1" || req.Page != 0 {
		t.Errorf("sent %q, request's page %d", out.Query, req.Page)
	}
	if got := fx.api.took(); got != "encode,build "+tokOld+",decode,build "+tokNew+",decode" {
		t.Errorf("steps %s", got)
	}

	// A POST without Encode sends the request itself.
	post := Endpoint[listRequest, echo]{Spec: Spec{Op: "Post", Method: http.MethodPost, Path: "/post", Auth: NoToken}}
	out, err = post.Call(context.Background(), fx.caller, &listRequest{Name: "x"})
	if err != nil || out.Body != `{"Name":"x","Page":0}` {
		t.Errorf("out %+v, err %v", out, err)
	}
}

// TestEndpointRefuses: a nil context, a nil request or a request that
// fails its checks is the API's invalid-request error, with only that
// problem, and nothing is encoded or sent.
func TestEndpointRefuses(t *testing.T) {
	fx := newFixture(t, &renewing{}, nil)
	for _, tt := range []struct {
		name string
		ctx  context.Context
		req  *listRequest
		want []check.Problem
	}{
		{"nil context", nil, nil, []check.Problem{{Field: "ctx", Reason: check.NilContext}}},
		{"nil request", context.Background(), nil, []check.Problem{{Field: "request", Reason: "is nil"}}},
		{"checks", context.Background(), &listRequest{}, []check.Problem{{Field: "Name", Reason: "is required"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := listEndpoint.Call(tt.ctx, fx.caller, tt.req)
			ie, ok := errors.AsType[*invalidError](err)
			if !ok || out != nil {
				t.Fatalf("out %v, err %v", out, err)
			}
			if ie.op != "Get" || len(ie.problems) != len(tt.want) || ie.problems[0] != tt.want[0] {
				t.Errorf("op %s, problems %+v, want %+v", ie.op, ie.problems, tt.want)
			}
			if steps, seen := fx.api.took(), fx.srv.took(); steps != "" || seen != "" {
				t.Errorf("steps %q, server saw %q", steps, seen)
			}
		})
	}
}

// TestEndpointDecode: Decode is given the answer and its error is the
// call's, as is; a failed call never reaches Decode.
func TestEndpointDecode(t *testing.T) {
	fx := newFixture(t, &renewing{first: tokNew}, nil)
	ctx := context.Background()
	var answers []*Answer
	errShort := errors.New("answer too short")
	ep := Endpoint[listRequest, echo]{
		Spec: getSpec,
		Decode: func(a *Answer, out *echo) error {
			answers = append(answers, a)
			if err := a.Into(out); err != nil {
				return err
			}
			if len(out.Query) < 20 {
				return errShort
			}
			return nil
		},
	}
	out, err := ep.Call(ctx, fx.caller, &listRequest{Name: strings.Repeat("n", 20)})
	if err != nil || len(answers) != 1 || answers[0].Status != http.StatusOK || !strings.HasPrefix(out.Query, "name=nnn") {
		t.Fatalf("out %+v, err %v, answers %v", out, err, answers)
	}
	if out, err := ep.Call(ctx, fx.caller, &listRequest{}); err != errShort || out != nil { //nolint:errorlint // Decode's very error
		t.Errorf("out %v, err %v", out, err)
	}
	ep.Spec = failSpec
	if _, err := ep.Call(ctx, fx.caller, &listRequest{}); asFake(t, err).f.Code != 500 || len(answers) != 2 {
		t.Errorf("err %v, Decode called %d times", err, len(answers))
	}

	// Without Decode, a payload of the wrong shape is the API's error.
	wrong := Endpoint[listRequest, []int]{Spec: getSpec}
	if _, err := wrong.Call(ctx, fx.caller, &listRequest{}); !strings.Contains(err.Error(), "success without the expected payload: the payload is a JSON object") {
		t.Errorf("err %v", err)
	}
}

// TestEndpointEncodingError: a request the API cannot encode is the API's
// error, wrapping the encoder's, and nothing is sent.
func TestEndpointEncodingError(t *testing.T) {
	fx := newFixture(t, &renewing{}, nil)
	for _, spec := range []Spec{getSpec, failSpec} {
		ep := Endpoint[listRequest, echo]{
			Spec:   spec,
			Encode: func(*listRequest) any { return map[string]any{"c": make(chan int)} }, // neither a query nor JSON
		}
		_, err := ep.Call(context.Background(), fx.caller, &listRequest{})
		fe := asFake(t, err)
		if fe.f.Op != spec.Op || fe.f.Cause == nil || !errors.Is(err, fe.f.Cause) || !strings.HasPrefix(fe.f.Msg, "encoding the request: ") {
			t.Errorf("%s: failure %+v", spec.Method, fe.f)
		}
		if steps, seen := fx.api.took(), fx.srv.took(); steps != "encode" || seen != "" {
			t.Errorf("%s: steps %q, server saw %q", spec.Method, steps, seen)
		}
	}
}
