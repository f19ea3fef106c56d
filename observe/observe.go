// Package observe is fang's hook for metrics and traces: an Observer given
// to kanfang.WithObserver or property.WithObserver (or to
// auth.RenewingConfig.Observer) sees every call, every HTTP attempt and
// retry, every login or refresh made for WithCredentials and why, and
// every failure of the token store.
//
// The events carry no secret: no token, password, security code or sign
// key, no query string (a login's query holds the password), no header and
// no body. Paths, transaction-ids, statuses, durations and error kinds are
// all they say about a request. fang's own errors, which CallEnd and
// Renewal carry, never quote a secret either.
//
// The package imports nothing beyond the standard library: an
// OpenTelemetry adapter lives in fang's examples/otel module.
//
// An Observer is called synchronously, by the goroutine doing the work (a
// token renewal shared by concurrent calls is reported once, with the
// context of the call that started it): it must be fast, safe for
// concurrent use, and must not panic.
// With no Observer (the default) fang does none of this work.
package observe

import (
	"context"
	"time"
)

// Observer receives fang's events. Embed Nop to implement only some of its
// methods.
type Observer interface {
	// CallStart is called when a client method has passed validation and
	// is about to be sent. The call then runs in the context it returns
	// (which may carry a span): its attempts, its token renewal and its
	// CallEnd are given that context.
	CallStart(ctx context.Context, c Call) context.Context
	// CallEnd is called once when the call started by CallStart ends,
	// with the context CallStart returned.
	CallEnd(ctx context.Context, c CallEnd)
	// Attempt is called after every HTTP attempt of a call.
	Attempt(ctx context.Context, a Attempt)
	// Retry is called before the engine waits to send another attempt.
	Retry(ctx context.Context, r Retry)
	// Renewal is called after every login or refresh made by the token
	// source behind WithCredentials (an auth.RenewingSource), successful
	// or not.
	Renewal(ctx context.Context, r Renewal)
	// StoreError is called for every failed operation of the token store.
	StoreError(ctx context.Context, e StoreError)
}

// Nop is an Observer that does nothing; embed it to implement only some
// methods.
type Nop struct{}

// CallStart returns ctx.
func (Nop) CallStart(ctx context.Context, _ Call) context.Context { return ctx }

// CallEnd does nothing.
func (Nop) CallEnd(context.Context, CallEnd) {}

// Attempt does nothing.
func (Nop) Attempt(context.Context, Attempt) {}

// Retry does nothing.
func (Nop) Retry(context.Context, Retry) {}

// Renewal does nothing.
func (Nop) Renewal(context.Context, Renewal) {}

// StoreError does nothing.
func (Nop) StoreError(context.Context, StoreError) {}

// Call identifies a client call.
type Call struct {
	API    string // "kanfang" or "property"
	Op     string // the Go method, e.g. "PutAnjukeBianHao"
	Method string // "GET" or "POST"
	Path   string // the endpoint's path below the base URL, e.g. "/v2/houseTask/putAnjukeBianHao"
	// Renewal is set when the call is the login or refresh of a token
	// renewal (GetAccessToken, RefreshToken, Login): why it was made.
	Renewal Cause
	Start   time.Time
}

// Name is API + "." + Op, e.g. "kanfang.PutAnjukeBianHao": the name of a
// span for the call.
func (c Call) Name() string { return c.API + "." + c.Op }

// CallEnd reports how a call ended.
type CallEnd struct {
	Call
	Duration time.Duration
	// TransactionID is the last attempt's transaction-id (HC), or "".
	TransactionID string
	// Status is the HTTP status of the last answer; 0 when none.
	Status int
	// ErrorKind classifies Err; "" when the call succeeded.
	ErrorKind ErrorKind
	// Err is the error the caller got, nil on success.
	Err error
}

// Attempt reports one HTTP attempt.
type Attempt struct {
	// API, Op and Method are the Call's; Path is the whole URL path sent,
	// base URL prefix included, never the query.
	API, Op, Method, Path string
	// N numbers the attempts of a call from 1. A call repeated after a
	// rejected token starts again at 1.
	N             int
	Start         time.Time
	Duration      time.Duration
	TransactionID string
	// Status is the HTTP status answered; 0 when there was no answer.
	Status int
	// Sent reports whether the request may have reached the server.
	Sent bool
	// ErrorKind is "" when an answer was read, whatever its status.
	ErrorKind ErrorKind
}

// Retry reports a retry about to be waited for.
type Retry struct {
	API, Op, Method, Path string
	// After is the number of the attempt that failed; the next is After+1.
	After int
	Wait  time.Duration
	// Why: the status of a retryable answer (429, 502, 503, 504), or the
	// kind of failure of an attempt that got no answer.
	Status    int
	ErrorKind ErrorKind
}

// Renewal reports a login or a refresh of the token source behind
// WithCredentials.
type Renewal struct {
	Kind  RenewalKind
	Op    string // the client method that did it ("GetAccessToken", "RefreshToken", "Login"); "" if unknown
	Cause Cause
	Start time.Time
	// Duration covers the whole renewal (a kanfang refresh that fails and
	// the login after it, say).
	Duration  time.Duration
	ErrorKind ErrorKind // "" on success
	Err       error
}

// StoreError reports a failed operation of the token store.
type StoreError struct {
	// Op is the store operation: "Load", "Save", "TryLease", "Extend" or
	// "Release".
	Op        string
	ErrorKind ErrorKind // KindStoreUnavailable, KindTimeout, KindPanic or KindCorruptToken
	// Err matches auth.ErrStoreUnavailable (errors.Is), or
	// auth.ErrCorruptToken for a stored value that cannot be read.
	Err error
}

// Cause says why a token was renewed.
type Cause string

// The causes of a renewal. CauseStoreDown wins over the others: the token
// was needed (for any of them) and the store, which might have had one,
// could not be asked.
const (
	CauseColdStart     Cause = "cold_start"      // no token yet
	CauseExpired       Cause = "expired"         // the token had expired
	CauseAheadOfExpiry Cause = "ahead_of_expiry" // the token was due for renewal, still valid
	CauseRejected      Cause = "rejected"        // the server rejected the token
	CauseStoreDown     Cause = "store_down"      // the store failed: renewed without it
)

// RenewalKind says whether a renewal logged in or refreshed.
type RenewalKind string

// Renewal kinds. RenewalUnknown is a renewal done by a RenewFunc that is not
// a fang client's.
const (
	RenewalLogin   RenewalKind = "login"
	RenewalRefresh RenewalKind = "refresh"
	RenewalUnknown RenewalKind = "renewal"
)

// ErrorKind classifies a failure in a few words, fit for a metric label or
// an error.type attribute.
type ErrorKind string

// Error kinds.
const (
	KindTimeout          ErrorKind = "timeout"            // a deadline passed
	KindCanceled         ErrorKind = "canceled"           // the caller's context was cancelled
	KindNoResponse       ErrorKind = "no_response"        // no HTTP answer: refused, reset, unreadable
	KindRedirect         ErrorKind = "redirect"           // a 3xx, never followed
	KindResponseTooLarge ErrorKind = "response_too_large" // the body exceeded the limit
	KindTokenRejected    ErrorKind = "token_rejected"     // the server rejected the token, even renewed
	KindLoginRefused     ErrorKind = "login_refused"      // the server refused the credentials
	KindStoreUnavailable ErrorKind = "store_unavailable"  // the token store failed
	KindCorruptToken     ErrorKind = "corrupt_token"      // the stored token could not be read
	KindPanic            ErrorKind = "panic"              // a store operation or a RenewFunc panicked
	KindAPIError         ErrorKind = "api_error"          // the server answered with an error
	KindOther            ErrorKind = "other"              // anything else
)
