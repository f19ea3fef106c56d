package call

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/fangsdk/fang/internal/wire"
)

// Failure is the one error model under kanfang.Error and property.Error:
// what either says of a failed call. Each package's *Error keeps its
// contract fields (kanfang: State, Message, HTTPStatus; property: Code,
// Msg, HTTPStatus, TransactionID) and holds the rest as a Meta; View
// gives the Failure back to the code here.
type Failure struct {
	Code          int    // kanfang's state, HC's code; 0 when the body was not an envelope
	Msg           string // as received (scrubbed), or what fang says of the failure
	HTTPStatus    int    // 0 when no answer was received
	TransactionID string // HC's transaction-id of the request that failed
	Meta
}

// Meta is what an *Error holds besides its contract fields.
type Meta struct {
	Op        string // the Go method, e.g. "SaveProperty"
	User      string // the username of a failed login
	Cause     error  // the transport or token failure, if any: Unwrap gives it
	Attempts  int    // how many attempts the call made (0: one, or none)
	Unknown   bool   // the request may have reached the server: its outcome is unknown
	Login     bool   // the answer of the API's login endpoint
	Shape     bool   // a success whose payload has the wrong shape
	Ambiguous bool   // HC: a login answer listing several users of that name
}

// AttemptCount is how many times the request was sent: 1 unless it was
// retried.
func (m *Meta) AttemptCount() int { return max(m.Attempts, 1) }

// Format is the text of f's error: "kanfang: PutAnjukeBianHao: state 403:
// no such package (HTTP 200)". api prefixes it; codeWord names the code
// ("state", "code").
func (f *Failure) Format(api, codeWord string) string {
	var b strings.Builder
	b.WriteString(api + ": ")
	if f.Op != "" {
		b.WriteString(f.Op + ": ")
	}
	if f.User != "" {
		fmt.Fprintf(&b, "user %q: ", f.User)
	}
	if f.Unknown {
		b.WriteString("outcome unknown, the request may have reached the server: ")
	}
	msg := f.Msg
	switch {
	case msg != "" || f.HTTPStatus == 0:
	case f.Code == 0 && !f.Shape:
		msg = "(empty body)" // the body was not an envelope: it was empty
	default:
		msg = "(empty message)"
	}
	switch {
	case f.HTTPStatus == 0:
		b.WriteString(msg)
	case f.Code == 0 && !f.Shape:
		fmt.Fprintf(&b, "unexpected HTTP %d response: %s", f.HTTPStatus, msg)
	case f.Code == 0:
		fmt.Fprintf(&b, "%s (HTTP %d)", msg, f.HTTPStatus)
	default:
		fmt.Fprintf(&b, "%s %d: %s (HTTP %d)", codeWord, f.Code, msg, f.HTTPStatus)
	}
	if f.TransactionID != "" {
		fmt.Fprintf(&b, " (transaction-id %s)", f.TransactionID)
	}
	if f.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", f.Attempts)
	}
	return b.String()
}

// Rule says when a failure matches one sentinel.
type Rule struct {
	Sentinel error
	Match    func(f *Failure) bool
}

// Table is an API's sentinels, each with the rule that matches it: the one
// place that says which failure is which. A sentinel not in the table
// matches nothing.
type Table []Rule

// Is reports whether f matches target.
func (t Table) Is(f *Failure, target error) bool {
	for _, r := range t {
		if r.Sentinel == target { //nolint:errorlint // identity: Is is errors.Is's hook, target is one error of the chain
			return r.Match(f)
		}
	}
	return false
}

// Codes matches a failure whose code is one of codes.
func Codes(codes ...int) func(f *Failure) bool {
	return func(f *Failure) bool { return slices.Contains(codes, f.Code) }
}

// Says matches a failure with code whose message contains one of texts.
func Says(code int, texts ...string) func(f *Failure) bool {
	return func(f *Failure) bool {
		if f.Code != code {
			return false
		}
		for _, t := range texts {
			if strings.Contains(f.Msg, t) {
				return true
			}
		}
		return false
	}
}

// Either matches a failure that one of rules matches.
func Either(rules ...func(f *Failure) bool) func(f *Failure) bool {
	return func(f *Failure) bool {
		for _, r := range rules {
			if r(f) {
				return true
			}
		}
		return false
	}
}

// transport is the failure of a call that got no usable answer: sent or
// not (a request that may have reached the server has an unknown
// outcome; a redirect answer means the command did not run here).
func transport(op, txID string, err error, q Quoter) Failure {
	f := Failure{Msg: q.Quote([]byte(err.Error())), TransactionID: txID, Meta: Meta{Op: op, Cause: err}}
	if se, ok := errors.AsType[*wire.SendError](err); ok {
		f.Attempts, f.Unknown = se.Attempts, se.Sent
	}
	if _, ok := errors.AsType[*wire.BodyError](err); ok {
		f.Unknown = true
	}
	if _, ok := errors.AsType[*wire.RedirectError](err); ok {
		f.Unknown = false
	}
	return f
}

// JSONErrorKind describes a decoding error without quoting the input
// (which may hold tokens).
func JSONErrorKind(err error) string {
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		if te.Field == "" {
			return "the payload is a JSON " + te.Value
		}
		return fmt.Sprintf("field %q is a JSON %s", te.Field, te.Value)
	}
	return "the payload is not valid JSON"
}
