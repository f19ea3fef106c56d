// Package property is a client for the HC (MicroCommunity) property
// management platform, which each customer hosts at http://{ip}:{port}.
//
// It creates property companies — CreateProperty, which saves once and
// returns the new company with its StoreID, over SaveProperty, the single
// request — and manages the login session (Login, and WithCredentials,
// which logs in for you). Every call
// is POST {base}/app/{serviceCode} with a JSON body and the headers the
// gateway checks: app-id, a transaction-id that never repeats, req-time in
// China Standard Time, and sign, the MD5 of transaction-id + req-time +
// app-id + the exact body bytes + the application's security code.
//
//	c, err := property.NewClient(
//		property.WithBaseURL("http://10.0.0.8:8008"),
//		property.WithAppID(appID),
//		property.WithSecurityCode(securityCode),
//		property.WithCredentials(username, password),
//	)
//	p, err := c.CreateProperty(ctx, &property.SavePropertyRequest{...})
//	// p.StoreID is the new company's id.
//
// # Logging in
//
// login.pcUserLogin compares the passwd it receives with what HC stores,
// md5hex(md5hex(password + "hc@java110")): Login sends that hash
// (sign.HCPassword), except with the app-id PropertyAppID, HC's own web
// app, whose server hashes the password itself (WithPasswordMode forces
// either). A real server answers the staff entries whose name contains the
// username, newest first: OpenSession takes the user's own entry (userName
// or tel equal to the username) and never another user's token. Older
// servers answer the bare user object; that works too. A failed login is
// never repeated: five failures lock the account.
//
// # Never twice
//
// SaveProperty is not idempotent: a repeat creates a second company. fang
// therefore never repeats an HC call once it may have reached the server.
// A timeout, a connection lost after sending, a gateway's error page, or
// the gateway's own read timeout towards the command service (code 404
// 内部异常：…Read timed out) is reported as an *Error matching
// ErrOutcomeUnknown that carries the transaction-id, for the caller to
// reconcile. A call that provably never left (connection refused, DNS
// failure) is retried (WithRetry) and is not ErrOutcomeUnknown; nor is the
// gateway's own failure to reach the command service (内部异常：I/O error…
// connect timed out, Connection refused, a pool timeout), which is
// ErrGateway. The one repeat fang does make is after a rejected session —
// the session filter's {"meta":{"code":"1996",...}} answer on a 2xx, or
// HTTP 401 — which comes before anything runs: with WithCredentials the
// session is renewed and the call sent once more, with a new
// transaction-id. An answer whose outcome is unknown is never such a
// rejection, whatever its body says (a 502 page quoting 1996, say).
//
// # Other services
//
// Client.Do calls any service through the same pipeline: a GET signed over
// "?" and the decoded query, retried with a new transaction-id when it
// fails in transit; a JSON POST never repeated once it may have reached the
// server. Answers without a code (community.listCommunitys) are successes.
//
// # Reconciling an unknown outcome
//
// CreateProperty reconciles by itself: it lists the companies with the
// request's tel before saving, and after an unknown outcome keeps listing
// within a settle window (WithSettleWindow) until the new company appears;
// it reports ErrNotCreated only when the company can no longer appear to
// an account that would see it, and ErrOutcomeUnknown when it cannot
// tell. When SaveProperty ends in ErrOutcomeUnknown, look before trying
// again: ListProperties with the request's Tel tells whether a company
// with that tel exists (see its example). Only when it does not is a new
// save safe.
//
// # Errors
//
// Requests are validated first (ErrInvalidRequest, naming every bad field,
// including the server's column widths). Every later failure is an *Error
// with Code, Msg and HTTPStatus as received and the TransactionID of the
// request. A real server answers almost every failure with HTTP 200, code
// 404 and a message; the seed document promises codes -1, -2, -3. Both
// match the same sentinels: ErrSaveFailed (-1, 保存数据失败, 注册失败),
// ErrCommunityAlreadySettled (-2, 小区已经入驻…, 小区已入驻),
// ErrDefaultPrivilegeMissing (-3, 未配置物业默认权限), ErrSignatureRejected
// (鉴权失败：签名失败: check app-id and security code), ErrGateway (other
// code-404 failures: 鉴权失败：…, 初始化失败：…, HTTP 500 请求发生异常，…,
// a command's validation message), ErrUnauthorized (code 1996, HTTP 401,
// 用户或密码错误 and the other login refusals, which also match
// auth.ErrLoginRefused), ErrAmbiguousLogin (a login answer naming several
// users of that name or tel), ErrUnexpectedResponse and
// ErrOutcomeUnknown (also Error.OutcomeUnknown; Error.Attempts counts
// the attempts). A non-2xx status is never a success, and only a code
// of 0 (the number, or the string "0") is. errors.Unwrap exposes a
// transport cause such as context.DeadlineExceeded; a failed login inside
// a call is returned as the login's own *Error.
//
// The security code, passwords, password hashes and tokens never appear in
// an error or in the lines written to WithLogger.
package property
