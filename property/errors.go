package property

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/fangsdk/fang/auth"
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
	// matches ErrUnexpectedResponse.
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

	op        string // the Go method, e.g. "SaveProperty"
	user      string // the username of a failed login
	cause     error  // the transport failure, if any
	unknown   bool   // the outcome is unknown
	shape     bool   // a success whose data has the wrong shape
	login     bool   // the answer of login.pcUserLogin
	ambiguous bool   // a login answer listing several users of that name
	attempts  int    // how many attempts the call made, when more than one
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("property: ")
	if e.op != "" {
		b.WriteString(e.op)
		b.WriteString(": ")
	}
	if e.user != "" {
		fmt.Fprintf(&b, "user %q: ", e.user)
	}
	if e.unknown {
		b.WriteString("outcome unknown, the request may have reached the server: ")
	}
	msg := e.Msg
	if msg == "" && e.HTTPStatus != 0 {
		msg = "(empty message)"
	}
	switch {
	case e.HTTPStatus == 0:
		b.WriteString(msg)
	case e.Code == 0 && !e.shape:
		fmt.Fprintf(&b, "unexpected HTTP %d response: %s", e.HTTPStatus, msg)
	case e.Code == 0:
		fmt.Fprintf(&b, "%s (HTTP %d)", msg, e.HTTPStatus)
	default:
		fmt.Fprintf(&b, "code %d: %s (HTTP %d)", e.Code, msg, e.HTTPStatus)
	}
	if e.TransactionID != "" {
		fmt.Fprintf(&b, " (transaction-id %s)", e.TransactionID)
	}
	if e.attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.attempts)
	}
	return b.String()
}

// Unwrap returns the transport or token-source failure, if any, so that
// errors.Is sees context.DeadlineExceeded and the like.
func (e *Error) Unwrap() error { return e.cause }

// Is reports whether target is a sentinel that describes e.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrSaveFailed:
		return e.Code == -1 || e.Code == 404 && (strings.Contains(e.Msg, "保存数据失败") || strings.Contains(e.Msg, "注册失败"))
	case ErrCommunityAlreadySettled:
		return e.Code == -2 || e.Code == 404 && (strings.Contains(e.Msg, "小区已经入驻") || strings.Contains(e.Msg, "小区已入驻"))
	case ErrDefaultPrivilegeMissing:
		return e.Code == -3 || e.Code == 404 && strings.Contains(e.Msg, "未配置物业默认权限")
	case ErrUnauthorized:
		return e.unauthorized()
	case auth.ErrLoginRefused:
		return e.loginRefused()
	case ErrAmbiguousLogin:
		return e.ambiguous
	case ErrGateway:
		return e.Code == 404 && !e.unknown && !e.unauthorized() && !e.Is(ErrSaveFailed) &&
			!e.Is(ErrCommunityAlreadySettled) && !e.Is(ErrDefaultPrivilegeMissing)
	case ErrSignatureRejected:
		return e.Code == 404 && strings.Contains(e.Msg, "签名失败")
	case ErrUnexpectedResponse:
		// A 1996 under an error status is not the session filter's
		// answer.
		return e.shape || e.HTTPStatus != 0 && (e.Code == 0 || e.Code == SessionRejectedCode) && !e.unauthorized()
	case ErrOutcomeUnknown:
		return e.unknown
	}
	return false
}

// unauthorized reports whether e is a rejected session or login.
func (e *Error) unauthorized() bool { return e.sessionRejected() || e.loginRefused() }

// sessionRejected reports whether e is the session filter's refusal of a
// call's session, answered before anything ran: HTTP 401, or code 1996 on
// a 2xx answer. Never for an unknown outcome, nor for the login itself.
func (e *Error) sessionRejected() bool {
	if e.unknown || e.login {
		return false
	}
	return e.HTTPStatus == http.StatusUnauthorized || e.HTTPStatus/100 == 2 && e.Code == SessionRejectedCode
}

// loginRefused reports whether e is login.pcUserLogin's refusal: one of
// loginRefusals on a 2xx answer, or HTTP 401 (older setups).
func (e *Error) loginRefused() bool {
	if !e.login || e.unknown {
		return false
	}
	if e.HTTPStatus == http.StatusUnauthorized {
		return true
	}
	if e.HTTPStatus/100 != 2 || e.Code != 404 {
		return false
	}
	for _, m := range loginRefusals {
		if strings.Contains(e.Msg, m) {
			return true
		}
	}
	return false
}

// loginRefusals are PcUserLoginCmd's refusals: wrong credentials, a
// company barred from logging in, too many failures, a user with no
// active company.
var loginRefusals = []string{"用户或密码错误", "当前商户限制登录", "登陆错误次数过多", "用户不存在"}

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

// invalidRequest is the *InvalidRequestError of what c found, or nil: the
// one way this package reports a request it will not send.
func invalidRequest(c *check.Checker) error {
	if !c.Failed() {
		return nil
	}
	return &InvalidRequestError{Op: c.Op(), Problems: check.As[Problem](c)}
}

// errNilContext is the error of a call given a nil context.
func errNilContext(op string) error {
	c := check.New(op)
	c.Add("ctx", check.NilContext)
	return invalidRequest(c)
}

func configError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)
}
