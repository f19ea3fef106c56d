package call

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/fangsdk/fang/auth"
	"io"
	"testing"

	"github.com/fangsdk/fang/internal/wire"
)

// TestFailureFormat covers every branch of Format.
func TestFailureFormat(t *testing.T) {
	for _, tt := range []struct {
		f    Failure
		want string
	}{
		// No answer: the message alone.
		{Failure{Msg: "connection refused", Meta: Meta{Op: "Get"}}, "fake: Get: connection refused"},
		{Failure{Msg: "no op"}, "fake: no op"},
		{Failure{Meta: Meta{Op: "Get"}}, "fake: Get: "},
		// Code 0, not a shape failure: the body was not an envelope.
		{Failure{Msg: "<html>bad gateway</html>", HTTPStatus: 502, Meta: Meta{Op: "Get"}}, "fake: Get: unexpected HTTP 502 response: <html>bad gateway</html>"},
		{Failure{HTTPStatus: 502, Meta: Meta{Op: "Get"}}, "fake: Get: unexpected HTTP 502 response: (empty body)"},
		// Code 0, a shape failure.
		{Failure{Msg: "success without the expected payload", HTTPStatus: 200, Meta: Meta{Op: "Get", Shape: true}}, "fake: Get: success without the expected payload (HTTP 200)"},
		{Failure{HTTPStatus: 200, Meta: Meta{Op: "Get", Shape: true}}, "fake: Get: (empty message) (HTTP 200)"},
		// With a code.
		{Failure{Code: 403, Msg: "no such package", HTTPStatus: 200, Meta: Meta{Op: "Put"}}, "fake: Put: code 403: no such package (HTTP 200)"},
		{Failure{Code: 403, HTTPStatus: 200, Meta: Meta{Op: "Put"}}, "fake: Put: code 403: (empty message) (HTTP 200)"},
		// User, unknown outcome, transaction-id, attempts.
		{Failure{Code: 401, Msg: "wrong password", HTTPStatus: 200, Meta: Meta{Op: "Login", User: "bob"}}, `fake: Login: user "bob": code 401: wrong password (HTTP 200)`},
		{Failure{Msg: "timeout", Meta: Meta{Op: "Save", Unknown: true}}, "fake: Save: outcome unknown, the request may have reached the server: timeout"},
		{Failure{Code: 500, Msg: "x", HTTPStatus: 500, TransactionID: "tx-9", Meta: Meta{Op: "Save"}}, "fake: Save: code 500: x (HTTP 500) (transaction-id tx-9)"},
		{Failure{Msg: "reset", Meta: Meta{Op: "Get", Attempts: 1}}, "fake: Get: reset"},
		{Failure{Msg: "reset", Meta: Meta{Op: "Get", Attempts: 3}}, "fake: Get: reset (after 3 attempts)"},
		{Failure{Code: 5, Msg: "m", HTTPStatus: 503, TransactionID: "t", Meta: Meta{Op: "O", User: "u", Unknown: true, Attempts: 2}},
			`fake: O: user "u": outcome unknown, the request may have reached the server: code 5: m (HTTP 503) (transaction-id t) (after 2 attempts)`},
	} {
		if got := tt.f.Format("fake", "code"); got != tt.want {
			t.Errorf("Format(%+v)\n got %q\nwant %q", tt.f, got, tt.want)
		}
	}
}

func TestAttemptCount(t *testing.T) {
	for attempts, want := range map[int]int{0: 1, 1: 1, 3: 3} {
		if got := (&Meta{Attempts: attempts}).AttemptCount(); got != want {
			t.Errorf("AttemptCount of %d = %d, want %d", attempts, got, want)
		}
	}
}

// TestTable lists a table of the fake API's sentinels and checks which
// failure matches which.
func TestTable(t *testing.T) {
	var (
		errUnauthorized = errors.New("unauthorized")
		errLocked       = errors.New("locked")
		errEither       = errors.New("either")
		errUnknown      = errors.New("outcome unknown")
		errNotInTable   = errors.New("not in the table")
	)
	table := Table{
		{Sentinel: errUnauthorized, Match: Codes(401, 4011)},
		{Sentinel: errLocked, Match: Says(1001, "locked", "frozen")},
		{Sentinel: errEither, Match: Either(Codes(7), Says(8, "eight"))},
		{Sentinel: errUnknown, Match: func(f *Failure) bool { return f.Unknown }},
	}
	all := []error{errUnauthorized, errLocked, errEither, errUnknown, errNotInTable}
	for _, tt := range []struct {
		f     Failure
		match []error
	}{
		{Failure{Code: 401}, []error{errUnauthorized}},
		{Failure{Code: 4011}, []error{errUnauthorized}},
		{Failure{Code: 1001, Msg: "account locked until noon"}, []error{errLocked}},
		{Failure{Code: 1001, Msg: "frozen"}, []error{errLocked}},
		{Failure{Code: 1001, Msg: "wrong password"}, nil},
		{Failure{Code: 1002, Msg: "locked"}, nil},
		{Failure{Code: 7}, []error{errEither}},
		{Failure{Code: 8, Msg: "eight"}, []error{errEither}},
		{Failure{Code: 8, Msg: "nine"}, nil},
		{Failure{Code: 401, Meta: Meta{Unknown: true}}, []error{errUnauthorized, errUnknown}},
		{Failure{}, nil},
	} {
		for _, target := range all {
			want := false
			for _, m := range tt.match {
				want = want || m == target //nolint:errorlint // identity of sentinels
			}
			if got := table.Is(&tt.f, target); got != want {
				t.Errorf("Is(%+v, %v) = %v, want %v", tt.f, target, got, want)
			}
		}
	}
	if Says(1001)(&Failure{Code: 1001, Msg: "locked"}) {
		t.Error("Says without texts matched")
	}
	if Either()(&Failure{}) {
		t.Error("Either without rules matched")
	}
}

// TestTransport classifies failures to get an answer: a request that may
// have been sent, or an answer cut short, has an unknown outcome; a
// redirect or a request never sent does not.
func TestTransport(t *testing.T) {
	q := Quoter{token: "token-abc", client: []string{"client-xyz"}}
	redirect := &wire.RedirectError{Status: 302, Location: "https://elsewhere.example"}
	for _, tt := range []struct {
		name     string
		err      error
		unknown  bool
		attempts int
	}{
		{"sent", &wire.SendError{Sent: true, Attempts: 3, Err: io.ErrUnexpectedEOF}, true, 3},
		{"not sent", &wire.SendError{Attempts: 2, Err: errors.New("connection refused")}, false, 2},
		{"body cut short", &wire.BodyError{Status: 200, Err: io.ErrUnexpectedEOF}, true, 0},
		{"redirect", redirect, false, 0},
		{"redirect after a send", &wire.SendError{Sent: true, Attempts: 1, Err: redirect}, false, 1},
		{"context", context.Canceled, false, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := fmt.Errorf("token-abc client-xyz: %w", tt.err)
			f := transport("Get", "tx-1", err, q)
			if f.Unknown != tt.unknown || f.Attempts != tt.attempts {
				t.Errorf("unknown %v, attempts %d; want %v, %d", f.Unknown, f.Attempts, tt.unknown, tt.attempts)
			}
			if f.Op != "Get" || f.TransactionID != "tx-1" || f.Cause != err || f.HTTPStatus != 0 || f.Code != 0 { //nolint:errorlint // the very cause
				t.Errorf("failure %+v", f)
			}
			if want := auth.Redacted + " " + auth.Redacted + ": " + tt.err.Error(); f.Msg != want {
				t.Errorf("message %q, want %q", f.Msg, want)
			}
		})
	}
}

func TestJSONErrorKind(t *testing.T) {
	var out struct {
		N int `json:"n"`
	}
	var list []int
	for _, tt := range []struct {
		data string
		into any
		want string
	}{
		{`{"n":"secret-value"}`, &out, `field "n" is a JSON string`},
		{`{"n":1}`, &list, "the payload is a JSON object"},
		{`{"n":secret-value}`, &out, "the payload is not valid JSON"},
	} {
		err := json.Unmarshal([]byte(tt.data), tt.into)
		if got := JSONErrorKind(err); got != tt.want {
			t.Errorf("JSONErrorKind(%v) = %q, want %q", err, got, tt.want)
		}
	}
}
