package kanfang

import (
	"errors"
	"fmt"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/wire"
)

// Sentinels matched with errors.Is. Every *Error whose State is 401 is
// ErrUnauthorized, and so on; ErrUnexpectedResponse matches answers that are
// not a well-formed envelope. GetAccessToken's state 401 (wrong authKey or
// authValue) also matches auth.ErrLoginRefused; RefreshToken's 4011 and a
// call's rejected token do not.
var (
	ErrUnauthorized       = errors.New("kanfang: authentication failed (state 401)")
	ErrRefreshFailed      = errors.New("kanfang: refreshing the token failed (state 4011)")
	ErrRejected           = errors.New("kanfang: request rejected (state 403)")
	ErrServerError        = errors.New("kanfang: server error (state 500)")
	ErrUnexpectedResponse = errors.New("kanfang: unexpected response")
	// ErrInvalidRequest matches client-side validation failures: nothing
	// was sent. errors.As with *InvalidRequestError lists the bad fields.
	ErrInvalidRequest = errors.New("kanfang: invalid request")
	// ErrConfig matches bad options given to NewClient.
	ErrConfig = errors.New("kanfang: invalid configuration")

	// ErrNoResponse matches a failure that got no HTTP answer: refused,
	// reset, timed out, or cut off while reading the answer. The error
	// also wraps the cause (context.DeadlineExceeded, a *net.OpError, ...).
	ErrNoResponse = wire.ErrNoResponse
	// ErrResponseTooLarge matches an answer whose body exceeds
	// WithMaxResponseBytes; nothing beyond the limit was read.
	ErrResponseTooLarge = wire.ErrBodyTooLarge
	// ErrRedirected matches a redirect answer, which fang never follows:
	// the error names the target.
	ErrRedirected = wire.ErrRedirected
)

// Error is the failure of a call that passed validation: an answer of the
// server or of a gateway in front of it (State, Message and HTTPStatus as
// received), or a failure to get one (HTTPStatus 0; Unwrap gives the cause:
// a transport error, a context error, a token source's error, or ErrConfig
// for a call that needs a token on a client given none).
type Error struct {
	State      int    // the envelope's state; 0 when the body was not an envelope
	Message    string // payload text, or a bounded excerpt of a non-JSON body
	HTTPStatus int

	op       string // the Go method, e.g. "PutAnjukeBianHao"
	cause    error
	login    bool // the answer of GetAccessToken
	attempts int  // how many attempts the call made, when more than one
}

func (e *Error) Error() string {
	prefix := "kanfang: "
	if e.op != "" {
		prefix += e.op + ": "
	}
	msg := e.Message
	if msg == "" {
		msg = "(empty body)"
	}
	var s string
	switch {
	case e.HTTPStatus == 0:
		s = prefix + msg
	case e.State == 0:
		s = fmt.Sprintf("%sunexpected HTTP %d response: %s", prefix, e.HTTPStatus, msg)
	default:
		s = fmt.Sprintf("%sstate %d: %s (HTTP %d)", prefix, e.State, msg, e.HTTPStatus)
	}
	if e.attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.attempts)
	}
	return s
}

// Attempts is how many times the request was sent (1 unless it was
// retried).
func (e *Error) Attempts() int { return max(e.attempts, 1) }

// Unwrap returns the cause of a call that got no usable answer, so that
// errors.Is sees context.DeadlineExceeded, ErrNoResponse and the like.
func (e *Error) Unwrap() error { return e.cause }

// Is reports whether target is the sentinel of e's state.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.State == 401
	case auth.ErrLoginRefused:
		return e.login && e.State == 401
	case ErrRefreshFailed:
		return e.State == 4011
	case ErrRejected:
		return e.State == 403
	case ErrServerError:
		return e.State == 500
	case ErrUnexpectedResponse:
		return e.HTTPStatus != 0 && (e.State == 0 || e.State == stateOK)
	}
	return false
}

// transportError is the *Error of a call that got no usable answer.
func transportError(op string, err error) *Error {
	e := &Error{op: op, Message: err.Error(), cause: err}
	if se, ok := errors.AsType[*wire.SendError](err); ok {
		e.attempts = se.Attempts
	}
	return e
}

// errNilContext is the error of a call given a nil context.
func errNilContext(op string) error {
	c := check.New(op)
	c.Add("ctx", check.NilContext)
	return invalidRequest(c)
}

// InvalidRequestError reports a request that failed validation: nothing
// was sent. It matches ErrInvalidRequest; Problems names every bad field.
type InvalidRequestError struct {
	// Op is the method that refused the request, such as "PutAnjukeBianHao".
	Op string
	// Problems lists every bad field, in the order they were checked.
	Problems []Problem
}

// Problem is one bad field of a request.
type Problem struct {
	Field  string // the Go field, such as "PackageID" ("ctx", "method" for Do's arguments)
	Reason string // what is wrong, such as "is required"
}

func (e *InvalidRequestError) Error() string { return check.Message("kanfang", e.Op, e.Problems) }

// Is matches ErrInvalidRequest.
func (e *InvalidRequestError) Is(target error) bool { return target == ErrInvalidRequest }

// Fields returns the names of the bad fields, in order.
func (e *InvalidRequestError) Fields() []string { return check.Fields(e.Problems) }

// invalidRequest is the *InvalidRequestError of what c found, or nil: the
// one way this package reports a request it will not send.
func invalidRequest(c *check.Checker) error {
	if !c.Failed() {
		return nil
	}
	return &InvalidRequestError{Op: c.Op(), Problems: check.As[Problem](c)}
}

func configError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)
}
