// Package propertytest is an in-process fake of the HC (MicroCommunity)
// gateway for hermetic tests and examples, in the spirit of
// cloud.google.com/go/pubsub/pstest. It is a test helper: it keeps all its
// state in memory, listens on the loopback interface by default and is meant
// to live as long as one test or one example program.
//
// NewServer starts a server that accepts exactly the requests the real
// gateway accepts and rejects the others the way the real gateway does. It
// serves two services, login.pcUserLogin and property.saveProperty, at
// POST {URL}/app/{serviceCode}. Give Server.URL to property.WithBaseURL, and
// Server.AppID, Server.SecurityCode and either Server.Token or
// Server.Username/Server.Password to the client.
//
// # Gateway rules
//
// Every request to /app/{serviceCode} goes through these checks, in this
// order; the first that fails decides the answer. Unless said otherwise a
// failure is the gateway's catch-all: HTTP 500 with the JSON body
// {"code":404,"msg":"请求发生异常，<reason>"}.
//
//  1. The method must be POST. Reason: 只支持POST请求.
//  2. app-id must be present and name the server's application. Reason:
//     appId 为空或不正确.
//  3. transaction-id must be present (TRANSACTION_ID 不能为空), exactly 30
//     decimal digits (transactionId 格式不对，必须为30位数字) and never seen
//     before by this server (transactionId 重复). Every well-formed id is
//     recorded as seen when this check passes, even if a later check
//     rejects the request: a transaction-id is never usable twice.
//  4. req-time must be 14 digits forming a real date and time in the layout
//     yyyyMMddHHmmss (20241301000000 is rejected). Reason:
//     requestTime 格式不对，遵循yyyyMMddHHmmss格式. No clock skew is checked.
//  5. sign must equal lowercase_hex(MD5(transaction-id + req-time + app-id +
//     body + securityCode)) over the raw body bytes; the header value is
//     lower-cased before comparing, so upper-case hex is accepted. The check
//     is skipped when the application has no security code
//     (WithApp(id, "")). Reason: 签名失败.
//  6. The service code must be known. Reason:
//     AppId 没有权限访问 serviceCode = <code>.
//  7. Content-Type must be application/json (parameters such as charset are
//     allowed). Reason: Content-Type 必须为application/json.
//  8. Except for login.pcUserLogin, Authorization must be "Bearer <token>"
//     with a token of a live session: issued by this server (Server.Token or
//     a login), not revoked (RevokeSessions) and not older than the session
//     lifetime (WithSessionLifetime, measured on the WithClock clock).
//     Otherwise HTTP 401 with the plain-text body 用户未登录或登录已失效.
//
// Header names are matched case-insensitively and the underscore spellings
// the real server accepts (app_id, transaction_id, req_time, user_id) work
// too. user-id is optional; what was sent is kept in Request.UserID.
//
// Other paths answer HTTP 404 and are not counted as requests.
//
// # login.pcUserLogin
//
// The body is {"username":"...","passwd":"..."}. A body that is not a JSON
// object, or a missing or empty username or passwd, is a catch-all failure
// (用户名不能为空, 密码不能为空). Known credentials answer HTTP 200
// {"code":0,"msg":"成功","data":{"userId":"...","token":"..."}} with a new
// session token; unknown ones HTTP 401 with the plain-text body 用户或密码错误.
// The accounts are Server.Username/Server.Password and the administrator of
// every company saveProperty created (username and password both tel).
//
// # property.saveProperty
//
// The body is checked in this order, every failure being the catch-all
// HTTP 500/404 unless a code is given:
//
//   - it must be a JSON object (请求报文格式错误);
//   - no known field may be JSON null: a null required field is reported as
//     missing, a null nearbyLandmarks, communityIds, groupIds, mapX or mapY
//     fails with "<field> 不能为null" (the real server fails on null
//     arrays);
//   - strings must be JSON strings and the arrays arrays of strings
//     ("<field> 类型错误"); this is stricter than the real server, which
//     would also take numbers;
//   - required fields, empty or blank counting as missing, reported as the
//     real server spells them: name 请求报文中未包含名称, address
//     请求报文中未包含地址, tel 请求报文中未包含tel, corporation
//     请求报文中未包含法人, foundingTime 请求报文中未包含成立日期;
//   - name at most 64 characters (名称长度不能超过64);
//   - foundingTime in the form YYYY-MM-DD and a real date
//     (成立日期格式不对，遵循yyyy-MM-dd格式);
//   - communityIds non-empty requires groupIds non-empty (未包含小区开通功能);
//   - without a default property privilege (WithoutDefaultPrivilege): HTTP
//     200 {"code":-3,"msg":"未配置物业默认权限"};
//   - each community, in order: one that already has a company (including
//     one listed twice in the request) answers HTTP 200
//     {"code":-2,"msg":"小区已入驻"}; an unknown one fails with 小区不存在;
//   - when communities are bound, every group id must be a known menu group
//     (没有分配任何功能 when none is known, 菜单组不存在 when some are not).
//
// The command is all-or-nothing: a failure creates nothing. Success answers
// HTTP 200 {"code":0,"msg":"成功"}, creates a Company with a new StoreID and
// an administrator account whose username and password are tel, and binds
// the communities. It is not idempotent: the same body again creates a
// second company, or answers -2 when communities were given.
//
// JSON answers carry Content-Type application/json;charset=UTF-8, plain
// text ones text/plain;charset=UTF-8.
//
// # Inspection and failure injection
//
// Companies, Requests, LastRequest, Logins, TransactionIDs and
// SeenTransactionID let a test assert what reached the server and what it
// did. FailNext makes the next requests fail the way networks and proxies
// do: an error status, a proxy's HTML page, a delay, a dropped connection,
// optionally after the command really ran ("the answer was lost").
//
// A Server is safe for concurrent use by any number of clients and test
// goroutines. Close stops it without waiting for delays in flight.
package propertytest
