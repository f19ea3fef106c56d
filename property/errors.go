package property

import (
	"errors"
	"fmt"
	"strings"

	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/wire"
)

// Sentinels matched with errors.Is against the errors of this package.
var (
	// Codes of property.saveProperty.
	ErrSaveFailed              = errors.New("property: saving failed (code -1)")
	ErrCommunityAlreadySettled = errors.New("property: community already has a property company (code -2)")
	ErrDefaultPrivilegeMissing = errors.New("property: no default property privilege configured (code -3)")

	// ErrUnauthorized matches an HTTP 401 answer: the session token is
	// missing, wrong or expired, or login credentials are wrong.
	ErrUnauthorized = errors.New("property: unauthorized (HTTP 401)")
	// ErrGateway matches the gateway's catch-all failure, HTTP 500 with
	// code 404: validation failures, unknown app-id or service, bad
	// transaction-id or req-time, and exceptions of the command.
	ErrGateway = errors.New("property: request failed at the gateway (code 404)")
	// ErrSignatureRejected matches the gateway's "签名失败": the sign
	// header did not match. Check the app-id and the security code.
	ErrSignatureRejected = errors.New("property: signature rejected (签名失败)")
	// ErrUnexpectedResponse matches answers that are not an HC envelope
	// (a proxy's HTML page, say) or whose data has the wrong shape.
	ErrUnexpectedResponse = errors.New("property: unexpected response")

	// ErrInvalidRequest matches client-side validation failures: nothing
	// was sent. errors.As with *InvalidRequestError lists the bad fields.
	ErrInvalidRequest = errors.New("property: invalid request")
	// ErrOutcomeUnknown matches a failure after the request may have
	// reached the server (timeout, connection lost after sending, a
	// gateway error page): the call may or may not have taken effect. The
	// *Error carries the transaction-id to reconcile with. fang never
	// repeats such a call by itself.
	ErrOutcomeUnknown = errors.New("property: outcome unknown")
	// ErrConfig matches bad options given to NewClient.
	ErrConfig = errors.New("property: invalid configuration")

	// ErrNoResponse matches a failure that got no HTTP answer: refused,
	// reset, timed out, or cut off while reading the answer. Whether the
	// request may have reached the server is ErrOutcomeUnknown's to say.
	ErrNoResponse = wire.ErrNoResponse
	// ErrResponseTooLarge matches an answer whose body exceeds
	// WithMaxResponseBytes; nothing beyond the limit was read.
	ErrResponseTooLarge = wire.ErrBodyTooLarge
	// ErrRedirected matches a redirect answer, which fang never follows.
	ErrRedirected = wire.ErrRedirected
)

// Error is the failure of a call that passed validation: an answer of the
// server or a gateway, or a transport failure. TransactionID is always the
// transaction-id the (last) request was sent with.
type Error struct {
	Code          int // the envelope's code; 0 when the body was not an envelope
	Msg           string
	HTTPStatus    int // 0 when no answer was received
	TransactionID string

	op      string
	cause   error // the transport failure, if any
	unknown bool  // the outcome is unknown
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("property: ")
	if e.op != "" {
		b.WriteString(e.op)
		b.WriteString(": ")
	}
	switch {
	case e.unknown && e.HTTPStatus == 0:
		fmt.Fprintf(&b, "outcome unknown, the request may have reached the server: %s (transaction-id %s)", e.Msg, e.TransactionID)
	case e.HTTPStatus == 0:
		fmt.Fprintf(&b, "%s (transaction-id %s)", e.Msg, e.TransactionID)
	case e.Code == 0:
		if e.unknown {
			b.WriteString("outcome unknown, ")
		}
		fmt.Fprintf(&b, "unexpected HTTP %d response: %s (transaction-id %s)", e.HTTPStatus, e.Msg, e.TransactionID)
	default:
		fmt.Fprintf(&b, "code %d: %s (HTTP %d, transaction-id %s)", e.Code, e.Msg, e.HTTPStatus, e.TransactionID)
	}
	return b.String()
}

// Unwrap returns the transport failure, if any, so that errors.Is sees
// context.DeadlineExceeded and the like.
func (e *Error) Unwrap() error { return e.cause }

// Is reports whether target is a sentinel that describes e.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrSaveFailed:
		return e.Code == -1
	case ErrCommunityAlreadySettled:
		return e.Code == -2
	case ErrDefaultPrivilegeMissing:
		return e.Code == -3
	case ErrUnauthorized:
		return e.HTTPStatus == 401
	case ErrGateway:
		return e.Code == 404
	case ErrSignatureRejected:
		return e.Code == 404 && strings.Contains(e.Msg, "签名失败")
	case ErrUnexpectedResponse:
		return e.HTTPStatus != 0 && e.Code == 0 && e.HTTPStatus != 401
	case ErrOutcomeUnknown:
		return e.unknown
	}
	return false
}

// InvalidRequestError is the error for a request that failed validation;
// Problems names every bad field. It matches ErrInvalidRequest.
type InvalidRequestError = check.Error

func configError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)
}
