package kanfang

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/testkit"
)

// TestSentinelTable lists the sentinels table: which *Error matches which
// sentinel, from its public fields (as users build it in their own tests)
// and the unknown-outcome and login bits. Every sentinel of the table is
// in the list, so that a new row needs a case here.
func TestSentinelTable(t *testing.T) {
	all := []error{ErrUnauthorized, auth.ErrLoginRefused, ErrRefreshFailed, ErrRejected, ErrServerError, ErrUnexpectedResponse, ErrOutcomeUnknown}
	tests := []struct {
		name string
		err  *Error
		want []error
	}{
		{"state 401", &Error{State: 401, HTTPStatus: 200}, []error{ErrUnauthorized}},
		{"login's state 401", &Error{State: 401, HTTPStatus: 200, meta: call.Meta{Login: true}}, []error{ErrUnauthorized, auth.ErrLoginRefused}},
		{"state 4011", &Error{State: 4011, HTTPStatus: 200}, []error{ErrRefreshFailed}},
		{"state 403", &Error{State: 403, HTTPStatus: 200}, []error{ErrRejected}},
		{"state 500", &Error{State: 500, HTTPStatus: 500}, []error{ErrServerError}},
		{"not an envelope", &Error{HTTPStatus: 404}, []error{ErrUnexpectedResponse}},
		{"a success that is not one", &Error{State: 200, HTTPStatus: 200}, []error{ErrUnexpectedResponse}},
		{"a proxy's 5xx page", &Error{HTTPStatus: 502, meta: call.Meta{Unknown: true}}, []error{ErrUnexpectedResponse, ErrOutcomeUnknown}},
		{"no answer after sending", &Error{Message: "EOF", meta: call.Meta{Unknown: true}}, []error{ErrOutcomeUnknown}},
		{"no answer", &Error{Message: "connection refused"}, nil},
		{"another state", &Error{State: 999, HTTPStatus: 200}, nil},
	}
	for _, r := range sentinels {
		if !slices.Contains(all, r.Sentinel) {
			t.Errorf("the table's %v is not listed here", r.Sentinel)
		}
	}
	for _, tt := range tests {
		for _, s := range all {
			if got, want := errors.Is(tt.err, s), slices.Contains(tt.want, s); got != want {
				t.Errorf("%s: errors.Is(%v, %v) = %v", tt.name, tt.err, s, got)
			}
		}
		if tt.err.OutcomeUnknown() != slices.Contains(tt.want, ErrOutcomeUnknown) {
			t.Errorf("%s: OutcomeUnknown() = %v", tt.name, tt.err.OutcomeUnknown())
		}
	}
}

// TestOutcomeUnknown: a call that may have reached the server and got no
// definite answer — sent then timed out, the connection lost, the body cut
// off, a 5xx page or a success page that is not the platform's envelope —
// fails with an *Error matching ErrOutcomeUnknown, for a POST through Do,
// PutAnjukeBianHao and a forced AddNotifyTask alike; a call that was
// refused (nothing listening, a 4xx page) or that the platform answered
// (an error envelope, whatever the status) does not. Neither is sent
// twice here (WithoutRetry).
func TestOutcomeUnknown(t *testing.T) {
	calls := map[string]func(c *Client) error{
		"Do POST": func(c *Client) error {
			return c.Do(context.Background(), http.MethodPost, "/v2/house/create", url.Values{"name": {"a"}}, nil)
		},
		"PutAnjukeBianHao": func(c *Client) error {
			_, err := c.PutAnjukeBianHao(context.Background(), putReq)
			return err
		},
		"AddNotifyTask ForcePush": func(c *Client) error {
			_, err := c.AddNotifyTask(context.Background(), &AddNotifyTaskRequest{PackageID: "p", NotifyConfigID: "c", ForcePush: true})
			return err
		},
	}
	answer := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc // nil: nothing listens
		unknown bool
	}{
		{"timed out after sending", testkit.BlockUntilClientGone, true},
		{"connection lost after sending", testkit.HangUp, true},
		{"body cut off", truncated, true},
		{"502 page", testkit.HTMLPage(502), true},
		{"500, empty body", answer(500, ""), true},
		{"200 page", answer(200, "<html>ok</html>"), true},
		{"success envelope, HTTP 503", answer(503, `{"state":200,"payload":{}}`), true},
		{"refused", nil, false},
		{"404 page", testkit.HTMLPage(404), false},
		{"state 500", answer(200, `{"state":500,"payload":"InnerServerError"}`), true},
		{"state 500, HTTP 400", answer(400, `{"state":500,"payload":"InnerServerError"}`), false},
		{"state 403, HTTP 500", answer(500, `{"state":403,"payload":"no"}`), true},
		{"state 401, HTTP 502", answer(502, `{"state":401,"payload":"no"}`), true},
		{"state 403, HTTP 200", answer(200, `{"state":403,"payload":"no"}`), false},
		{"state 401, HTTP 401", answer(401, `{"state":401,"payload":"no"}`), false},
	}
	for name, do := range calls {
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				base := "http://" + testkit.ClosedAddr(t)
				var srv *faultServer
				if tt.handler != nil {
					srv = newFaultServer(t, tt.handler)
					base = srv.URL
				}
				// The timeout leaves a loaded machine time to deliver the
				// request before the client gives up on it.
				err := do(newTestClient(t, base, WithoutRetry(), WithTimeout(time.Second)))
				var ke *Error
				if !errors.As(err, &ke) {
					t.Fatalf("err = %v (%T), want an *Error", err, err)
				}
				if ke.OutcomeUnknown() != tt.unknown || errors.Is(err, ErrOutcomeUnknown) != tt.unknown || ke.Attempts() != 1 {
					t.Errorf("err = %v: OutcomeUnknown() = %v, Attempts() = %d; want %v after 1 attempt", err, ke.OutcomeUnknown(), ke.Attempts(), tt.unknown)
				}
				if srv != nil {
					if n := srv.seenRequests(); n != 1 {
						t.Errorf("server saw %d requests", n)
					}
				}
			})
		}
	}
}
