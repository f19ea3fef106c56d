package property

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
	"github.com/fangsdk/fang/internal/wire"
)

// Sentinels matched with errors.Is against the errors of this package.
// A real HC server reports almost every failure as HTTP 200 with code 404
// and a message; the seed document promises the codes -1, -2 and -3. Both
// forms match the same sentinels (see Error.Is).
var (
	// ErrSaveFailed matches a failed write: code -1, or the messages
	// 保存数据失败 and 注册失败.
	ErrSaveFailed = errors.New("property: saving failed")
	// ErrCommunityAlreadySettled matches code -2, or a message containing
	// 小区已经入驻 (the server, followed by the community id) or 小区已入驻
	// (the seed).
	ErrCommunityAlreadySettled = errors.New("property: community already has a property company")
	// ErrDefaultPrivilegeMissing matches code -3, or 未配置物业默认权限.
	ErrDefaultPrivilegeMissing = errors.New("property: no default property privilege configured")
	// ErrUnauthorized matches a rejected session or login: the session
	// filter's answer (meta code 1996 on a 2xx answer, or HTTP 401), and
	// a login refused (用户或密码错误, 当前商户限制登录, 登陆错误次数过多,
	// 用户不存在: a user with no active company), which also matches
	// auth.ErrLoginRefused. An answer whose outcome is unknown (a 502
	// whose body says 1996, say) is never ErrUnauthorized: it is not the
	// session filter's answer, and sending again could repeat the call.
	ErrUnauthorized = errors.New("property: unauthorized")
	// ErrAmbiguousLogin matches a login answer listing several users
	// whose userName (or tel) equals the username, with different
	// userIds: HC's names and tels are not unique, its staff query
	// ignores the password and every entry carries a live session, so
	// nothing says whose password matched. fang refuses such an answer,
	// never picks one: log in by a unique name or tel. The error also
	// matches ErrUnexpectedResponse and auth.ErrLoginRefused: the answer
	// will not change by itself, and each try opens a session for every
	// user listed, so WithCredentials holds it like a refused login
	// (RenewingConfig.RefusalHold, five minutes) instead of logging in on
	// every call.
	ErrAmbiguousLogin = errors.New("property: ambiguous login answer: several users have this name or tel")
	// ErrGateway matches the other code-404 failures: the gateway's own
	// (鉴权失败：…, 初始化失败：…, 解密异常：…, HTTP 500 请求发生异常，…, a
	// 内部异常：I/O error… that never reached the command: connect timeout,
	// connection refused, no connection from the pool, unknown host) and
	// a command's validation messages. Nothing ran, or the failure is
	// definite.
	ErrGateway = errors.New("property: request failed at the gateway (code 404)")
	// ErrSignatureRejected matches 鉴权失败：签名失败: the sign header did
	// not match. Check the app-id and the security code. Nothing ran.
	ErrSignatureRejected = errors.New("property: signature rejected (签名失败)")
	// ErrUnexpectedResponse matches answers that are not an HC envelope
	// (a proxy's HTML page, say), a non-2xx status without one, or a login
	// answer of the wrong shape.
	ErrUnexpectedResponse = errors.New("property: unexpected response")
	// ErrInvalidRequest matches client-side validation failures: nothing
	// was sent. errors.As with *InvalidRequestError lists the bad fields.
	ErrInvalidRequest = errors.New("property: invalid request")
	// ErrOutcomeUnknown matches a failure after the request may have
	// reached the server (timeout, connection lost after sending, a
	// gateway error page, the gateway's own read timeout towards the
	// command service: 内部异常：…Read timed out): the call may or may not
	// have taken effect. The *Error carries the transaction-id to
	// reconcile with. fang never repeats such a call by itself.
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

// SessionRejectedCode is the code of the session filter's answer to a
// request without a live session: {"meta":{"code":"1996",...}}.
const SessionRejectedCode = 1996

// Error is the failure of a call that passed validation: an answer of the
// server or a gateway, or a transport failure. Code, Msg and HTTPStatus are
// as received; TransactionID is the transaction-id of the request that
// failed ("" when none was sent). Unwrap gives the cause of a failure to get
// an answer: a transport or context error, a token source's error, or
// ErrConfig for a call that needs a session on a client given none.
type Error struct {
	Code          int // the envelope's code (1996 for the session filter); 0 when the body was not an envelope
	Msg           string
	HTTPStatus    int // 0 when no answer was received
	TransactionID string

	meta call.Meta // the method, the cause, the attempts, the unknown outcome, …
}

// failure is e as the one error model: its public fields and its meta.
func (e *Error) failure() *call.Failure {
	return &call.Failure{Code: e.Code, Msg: e.Msg, HTTPStatus: e.HTTPStatus, TransactionID: e.TransactionID, Meta: e.meta}
}

// Error is "property: Op: code 404: msg (HTTP 200) (transaction-id …)",
// with the username of a failed login, the unknown outcome and the
// attempts when there is something to say of them.
func (e *Error) Error() string { return e.failure().Format("property", "code") }

// Unwrap returns the transport or token-source failure, if any, so that
// errors.Is sees context.DeadlineExceeded and the like.
func (e *Error) Unwrap() error { return e.meta.Cause }

// Attempts is how many times the request was sent: 1 unless fang retried
// it (a GET, or a request that provably never left this host).
func (e *Error) Attempts() int { return e.meta.AttemptCount() }

// OutcomeUnknown reports whether the request may have reached the server
// without fang learning what came of it: the call may or may not have
// taken effect (the error matches ErrOutcomeUnknown).
func (e *Error) OutcomeUnknown() bool { return e.meta.Unknown }

// Is reports whether target is a sentinel that describes e (see
// sentinels). It reads the public fields, so an &Error{Code: -2} built in
// a test matches ErrCommunityAlreadySettled.
func (e *Error) Is(target error) bool { return sentinels.Is(e.failure(), target) }

// sentinels are the sentinels an *Error matches, each with its rule: the
// one place that says which failure is which. ErrGateway's rule names
// every sentinel it excludes; a test makes every new sentinel decide its
// relation to ErrGateway.
var sentinels = call.Table{
	{Sentinel: ErrSaveFailed, Match: saveFailed},
	{Sentinel: ErrCommunityAlreadySettled, Match: alreadySettled},
	{Sentinel: ErrDefaultPrivilegeMissing, Match: privilegeMissing},
	{Sentinel: ErrUnauthorized, Match: unauthorized},
	{Sentinel: auth.ErrLoginRefused, Match: call.Either(loginRefused, ambiguous)},
	{Sentinel: ErrAmbiguousLogin, Match: ambiguous},
	{Sentinel: ErrGateway, Match: gatewayFailure},
	{Sentinel: ErrSignatureRejected, Match: call.Says(404, "签名失败")},
	{Sentinel: ErrUnexpectedResponse, Match: unexpectedResponse},
	{Sentinel: ErrOutcomeUnknown, Match: func(f *call.Failure) bool { return f.Unknown }},
}

// The rules of the documented failures: the seed's codes, or the real
// server's code 404 with the message.
var (
	saveFailed       = call.Either(call.Codes(-1), call.Says(404, "保存数据失败", "注册失败"))
	alreadySettled   = call.Either(call.Codes(-2), call.Says(404, "小区已经入驻", "小区已入驻"))
	privilegeMissing = call.Either(call.Codes(-3), call.Says(404, "未配置物业默认权限"))
)

// gatewayFailure is a code-404 failure that is none of: an unknown
// outcome, a rejected session or login, ErrSaveFailed,
// ErrCommunityAlreadySettled, ErrDefaultPrivilegeMissing. (It may be
// ErrSignatureRejected too.)
func gatewayFailure(f *call.Failure) bool {
	return f.Code == 404 && !f.Unknown && !unauthorized(f) && !saveFailed(f) && !alreadySettled(f) && !privilegeMissing(f)
}

// unexpectedResponse is a success of the wrong shape, or a non-2xx answer
// without a code, but for a rejected session or login. A 1996 under an
// error status is not the session filter's answer.
func unexpectedResponse(f *call.Failure) bool {
	return f.Shape || f.HTTPStatus != 0 && (f.Code == 0 || f.Code == SessionRejectedCode) && !unauthorized(f)
}

// ambiguous is a login answer fang refused: several users of that name.
func ambiguous(f *call.Failure) bool { return f.Ambiguous }

// unauthorized is a rejected session or login.
func unauthorized(f *call.Failure) bool { return sessionRefused(f) || loginRefused(f) }

// sessionRefused is the session filter's refusal of a call's session,
// answered before anything ran: HTTP 401, or code 1996 on a 2xx answer.
// Never for an unknown outcome, nor for the login itself.
func sessionRefused(f *call.Failure) bool {
	if f.Unknown || f.Login {
		return false
	}
	return f.HTTPStatus == http.StatusUnauthorized || f.HTTPStatus/100 == 2 && f.Code == SessionRejectedCode
}

// loginRefused is login.pcUserLogin's refusal: a refusal on a 2xx answer, or HTTP 401 (older setups).
func loginRefused(f *call.Failure) bool {
	if !f.Login || f.Unknown {
		return false
	}
	return f.HTTPStatus == http.StatusUnauthorized || f.HTTPStatus/100 == 2 && refusal(f)
}

// refusal is a code-404 answer with one of PcUserLoginCmd's refusals:
// wrong credentials, a company barred from logging in, too many failures,
// a user with no active company.
var refusal = call.Says(404, "用户或密码错误", "当前商户限制登录", "登陆错误次数过多", "用户不存在")

// unknownOutcome reports whether a code-404 message is the gateway's own
// failure towards the command service after it may have sent the command
// (a read timeout, a connection reset or closed without an answer): the
// command may still run. The gateway's RestTemplate (Apache HttpClient)
// words every failure "I/O error on POST request for …: <cause>; nested
// exception is <exception>". A failure to connect (connect timeout,
// refused, no connection from the pool, unknown host) never sent the
// command: a definite failure. An I/O error of no known kind is taken as
// unknown: fang never sends twice on a guess.
func unknownOutcome(msg string) bool {
	if !strings.HasPrefix(msg, "内部异常：") {
		return false
	}
	for _, m := range afterSending {
		if strings.Contains(msg, m) {
			return true
		}
	}
	for _, m := range neverSent {
		if strings.Contains(msg, m) {
			return false
		}
	}
	for _, m := range []string{"I/O error", "timed out", "Timeout", "SocketException", "IOException"} {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}

// afterSending are the causes of an I/O error after the request may have
// been sent: it may have run.
var afterSending = []string{
	"Read timed out",            // java.net.SocketTimeoutException: Read timed out
	"Connection reset",          // java.net.SocketException: Connection reset (by peer)
	"NoHttpResponseException",   // the backend closed the connection without answering
	"failed to respond",         // NoHttpResponseException's message
	"Broken pipe",               // the connection died while the request was written
	"Premature end of",          // the answer was cut short
	"ConnectionClosedException", // likewise
}

// neverSent are the causes of an I/O error before the request was sent.
var neverSent = []string{
	"ConnectTimeoutException",                  // org.apache.http.conn.ConnectTimeoutException
	"connect timed out",                        // its message, or SocketTimeoutException's from a plain socket
	"ConnectionPoolTimeoutException",           // org.apache.http.conn.ConnectionPoolTimeoutException
	"Timeout waiting for connection from pool", // its message
	"HttpHostConnectException",                 // Connect to host:port failed: Connection refused
	"Connection refused",                       // java.net.ConnectException
	"UnknownHostException",                     // the service name did not resolve
	"NoRouteToHostException",                   // java.net.NoRouteToHostException
}

// Error wraps f as an *Error.
func (p *protocol) Error(f call.Failure) error {
	return &Error{Code: f.Code, Msg: f.Msg, HTTPStatus: f.HTTPStatus, TransactionID: f.TransactionID, meta: f.Meta}
}

// Invalid wraps c's problems as an *InvalidRequestError.
func (p *protocol) Invalid(c *check.Checker) error {
	return &InvalidRequestError{Op: c.Op(), Problems: check.As[Problem](c)}
}

// View returns the Failure of an *Error in err's chain.
func (p *protocol) View(err error) (*call.Failure, bool) {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.failure(), true
	}
	return nil, false
}

// InvalidRequestError reports a request that failed validation: nothing
// was sent. It matches ErrInvalidRequest; Problems names every bad field.
type InvalidRequestError struct {
	// Op is the method that refused the request, such as "SaveProperty".
	Op string
	// Problems lists every bad field, in the order they were checked.
	Problems []Problem
}

// Problem is one bad field of a request.
type Problem struct {
	Field  string // the Go field, such as "FoundingTime" ("ctx", "method" for Do's arguments)
	Reason string // what is wrong, such as "is required"
}

func (e *InvalidRequestError) Error() string { return check.Message("property", e.Op, e.Problems) }

// Is matches ErrInvalidRequest.
func (e *InvalidRequestError) Is(target error) bool { return target == ErrInvalidRequest }

// Fields returns the names of the bad fields, in order.
func (e *InvalidRequestError) Fields() []string { return check.Fields(e.Problems) }

func configError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)
}
