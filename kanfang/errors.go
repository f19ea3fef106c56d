package kanfang

import (
	"errors"
	"fmt"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/call"
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
	// ErrOutcomeUnknown matches a failure after which the request may
	// have reached the server and been carried out: sent, then timed out
	// or the connection lost, a body cut off, any 5xx answer (whatever its
	// body says), state 500 (unless under a 4xx), or a 2xx body that is
	// not the platform's envelope. Look before repeating a call that is not
	// harmless to repeat (AddNotifyTask with ForcePush, a POST through
	// Do). Error.OutcomeUnknown reports the same.
	ErrOutcomeUnknown = errors.New("kanfang: outcome unknown")
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

// sentinels says which *Error matches which sentinel: the one place that
// does.
var sentinels = call.Table{
	{Sentinel: ErrUnauthorized, Match: call.Codes(401)},
	{Sentinel: auth.ErrLoginRefused, Match: loginRefused},
	{Sentinel: ErrRefreshFailed, Match: call.Codes(4011)},
	{Sentinel: ErrRejected, Match: call.Codes(403)},
	{Sentinel: ErrServerError, Match: call.Codes(500)},
	{Sentinel: ErrUnexpectedResponse, Match: unexpected},
	{Sentinel: ErrOutcomeUnknown, Match: outcomeUnknown},
}

// loginRefused matches GetAccessToken's state 401: wrong credentials.
func loginRefused(f *call.Failure) bool { return f.Login && f.Code == 401 }

// unexpected matches an answer that is not an envelope (state 0) or a
// state-200 envelope that is not the success it should be.
func unexpected(f *call.Failure) bool { return f.HTTPStatus != 0 && (f.Code == 0 || f.Code == stateOK) }

// outcomeUnknown matches a call that may have been carried out.
func outcomeUnknown(f *call.Failure) bool { return f.Unknown }

// Error is the failure of a call that passed validation: an answer of the
// server or of a gateway in front of it (State, Message and HTTPStatus as
// received), or a failure to get one (HTTPStatus 0; Unwrap gives the cause:
// a transport error, a context error, a token source's error, or ErrConfig
// for a call that needs a token on a client given none).
type Error struct {
	State      int    // the envelope's state; 0 when the body was not an envelope
	Message    string // payload text, or a bounded excerpt of a non-JSON body
	HTTPStatus int

	meta call.Meta // the Go method, cause, attempts, unknown outcome, ...
}

// failure is e as the one error model.
func (e *Error) failure() *call.Failure {
	return &call.Failure{Code: e.State, Msg: e.Message, HTTPStatus: e.HTTPStatus, Meta: e.meta}
}

func (e *Error) Error() string { return e.failure().Format("kanfang", "state") }

// Attempts is how many times the request was sent (1 unless it was
// retried).
func (e *Error) Attempts() int { return e.meta.AttemptCount() }

// OutcomeUnknown reports whether the request may have reached the server
// and been carried out although no definite answer came back (see
// ErrOutcomeUnknown).
func (e *Error) OutcomeUnknown() bool { return e.meta.Unknown }

// Unwrap returns the cause of a call that got no usable answer, so that
// errors.Is sees context.DeadlineExceeded, ErrNoResponse and the like.
func (e *Error) Unwrap() error { return e.meta.Cause }

// Is reports whether target is the sentinel of e (see sentinels).
func (e *Error) Is(target error) bool { return sentinels.Is(e.failure(), target) }

// Error is f as an *Error.
func (p *protocol) Error(f call.Failure) error {
	return &Error{State: f.Code, Message: f.Msg, HTTPStatus: f.HTTPStatus, meta: f.Meta}
}

// Invalid is the *InvalidRequestError of c's problems.
func (p *protocol) Invalid(c *check.Checker) error {
	return &InvalidRequestError{Op: c.Op(), Problems: check.As[Problem](c)}
}

// View is the failure an *Error holds.
func (p *protocol) View(err error) (*call.Failure, bool) {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.failure(), true
	}
	return nil, false
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

func configError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)
}
