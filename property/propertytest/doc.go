// Package propertytest is an in-process fake of the HC (MicroCommunity)
// gateway for hermetic tests and examples, in the spirit of
// cloud.google.com/go/pubsub/pstest. It is a test helper: it keeps all its
// state in memory, listens on the loopback interface by default and is meant
// to live as long as one test or one example program.
//
// NewServer starts a server that behaves like a real HC gateway (the
// java110 MicroCommunity source, 2025 line): it accepts what the real
// gateway accepts and answers failures the way it does. It serves seven
// services at {URL}/app/{serviceCode}, each a command of its command
// table: login.pcUserLogin, property.saveProperty, property.listProperty,
// property.updateProperty, property.deleteProperty (POST but the lists),
// community.listCommunitys and menuGroup.listMenuGroups (GET). Give
// Server.URL to property.WithBaseURL, and Server.AppID, Server.SecurityCode and either Server.Token or
// Server.Username/Server.Password to the client. WithSeedDialect switches
// to what the seed document describes instead (below), so that clients can
// be tested against both.
//
// # The gateway, in the real order
//
// The first check that fails decides the answer.
//
//  1. Session filter (JwtFilter), for every service but those it skips
//     (login.pcUserLogin and community.listCommunitys; an unknown service
//     is not skipped):
//     the token is the Authorization header without its first seven
//     characters ("Bearer "), or the cookie _java110_token_. It must name a
//     live session: issued by this server (Server.Token or a login), not
//     revoked (RevokeSessions), and used within the session lifetime
//     (WithSessionLifetime; each verified call extends the session, as
//     HC's Redis-kept session does). Otherwise a POST is answered HTTP 200,
//     text/plain, {"meta":{"code":"1996","message":"您还没有登录，请先登录",
//     "responseTime":"…","transactionId":"-1"}}; a GET is redirected (302)
//     to /user.html#/pages/frame/login, or answered 401 with that Location
//     when it carries X-Requested-With: XMLHttpRequest. An Authorization
//     header shorter than seven characters (such as "Bearer" with no
//     token) makes the real filter throw, and gets that GET answer
//     whatever the method. No transaction-id is recorded.
//  2. Controller (AppController): Spring answers a POST without body
//     with HTTP 400. A body that is not a JSON object is fastjson's refusal
//     (message approximated): HTTP 500 {"code":404,"msg":"请求发生异常，<reason>"}
//     for the staff of a property company (whose body the gateway parses
//     here), otherwise HTTP 200 {"code":404,"msg":"内部异常：<reason><reason>"}
//     from the dispatcher; a body of null passes every check below and
//     fails as dealCmd starts (内部异常：nullnull). A PUT is taken as a
//     POST and a DELETE's query as its body, and both are then refused for
//     their method (below); HEAD is served as a GET; any other method is
//     Spring's HTTP 405. Every user has every privilege. A GET's
//     parameters come from its query.
//  3. Dispatcher (ApiServiceSMOImpl.judgeAuthority), each failure HTTP 200
//     {"code":404,"msg":…}: an unknown or missing app-id
//     (初始化失败：当前没有获取到AppId对应的信息，appId = …); a missing
//     transaction-id (鉴权失败：TRANSACTION_ID 不能为空); the sign
//     (鉴权失败：签名失败), lowercase_hex(MD5(transaction-id + req-time +
//     app-id + payload + securityCode)) over the raw body of a POST or "?"
//     and the decoded query of a GET, compared with the lower-cased header,
//     skipped when the app has no security code (WithApp(id, "")); req-time
//     (鉴权失败：requestTime 格式不对，遵循yyyyMMddHHmmss格式), 14 digits of a
//     real date and time (the real server's SimpleDateFormat is more
//     lenient; no clock skew is checked); the service, which must be one
//     of the seven or one registered with Handle (鉴权失败：AppId 没有权限访问
//     serviceCode = …: the app's routes); the method the service is declared with
//     (内部异常：服务【…】调用方式不对请检查,当前请求方式为：GET, the message
//     doubled). The sign is checked before req-time. user-id is optional:
//     HC's own clients send -1, and for a session the gateway takes it from
//     the session; but sent empty to a service without session (the login,
//     community.listCommunitys) it is refused after req-time
//     (鉴权失败：USER_ID 不能为空). Every transaction-id that
//     reaches this step is recorded (TransactionIDs), but, as on the real
//     server, neither its format nor repeats are checked unless
//     WithStrictTransactionIDs says so. The Content-Type is not checked.
//  4. dealCmd copies the session's userId, loginUserId and storeId into
//     the parameters that have none: a call without storeId acts on the
//     caller's own company (see updateProperty and deleteProperty).
//     A GET's query reaches the command as the gateway forwards it:
//     decoded, as a URI template, so in a value & and = split the pairs
//     anew, + is a space, # drops the rest of the query and a {…} fails
//     (内部异常：Not enough variable values available to expand …).
//     Then the command. Its failures are HTTP 200 {"code":404,"msg":"<message>"};
//     its success is ResultVo, {"code":0,"msg":"成功",…} with page,
//     records, rows and total (and data where there is some), members in
//     alphabetical order as fastjson writes them.
//
// Header names are matched case-insensitively and the underscore spellings
// the real server accepts (app_id, transaction_id, req_time, user_id) work
// too. What user-id was sent is kept in Request.UserID. A query parameter
// named exactly app-id, transaction-id, req-time, sign or user-id, on a
// POST as on a GET, replaces that header, even when empty, as
// BaseController.initUrlParam makes it: a client must never send one.
//
// Other paths answer HTTP 404; they are counted and logged, with
// Request.ServiceCode "", as kanfangtest counts an unknown path.
//
// # login.pcUserLogin (PcUserLoginCmd)
//
// The body is {"username":"…","passwd":"…"} (missing: 用户登录，未包含username节点，请检查,
// …passwd…). The server stores md5hex(md5hex(password + "hc@java110"))
// (sign.HCPassword; AuthenticationFactory.passwdMd5) and compares passwd
// with it as sent, except for app-id PropertyAppID, whose server hashes the
// received password first. A user is found by name (compared as MySQL's
// *_general_ci collation does: case and trailing spaces do not count),
// else by tel, with that password; none: 用户或密码错误. The staff of a
// company locked by updateProperty (state 48002) are refused with
// 当前商户限制登录，请联系管理员. Failures are counted per username as
// sent: after MaxLoginFailures failures within LoginLockout the username
// is locked (登陆错误次数过多，请休息一会再试), even with the right
// password; each failure restarts the LoginLockout window and a success
// does not reset the count (WithDemoEnvironment counts nothing). Success answers ResultVo whose data lists
// the staff query's entries (getStaffs): every user whose name is like
// '%username%' (% and _ are wildcards, case does not count) — or, for a
// login by tel, whose tel equals it — newest first,
// each with userId, userName, tel, storeName, storeTypeCd and a new session
// token of that user. The first entry may therefore be another user's (a
// login as admin lists a newer admin2 first): a client must pick its own.
// The accounts are Server.Username/Server.Password (tel DefaultUserTel),
// those added with WithUser, and the administrator of every company
// saveProperty created: userName the company's name, tel and password the
// company's tel.
//
// # property.saveProperty (SavePropertyCmd)
//
// Checked in this order, every failure HTTP 200 code 404: name, address,
// tel, corporation and foundingTime present and not empty (请求报文中未包含名称,
// …地址, …tel, …法人, …成立日期; a value of only spaces passes, a number is
// taken as its text, the date's format is not checked); a null communityIds
// or groupIds fails with an empty message (the real command's
// NullPointerException); communityIds without groupIds: 未包含小区开通功能;
// the inserts, in the order MySQL sees their columns: address 200
// characters, name 100, tel 11, mapY then mapX (20, and not null: only an
// absent one becomes "1"), nearByLandmarks 200, corporation and
// foundingTime 50, and name again 50 (the administrator's) — the first
// value refused fails with MySQL's own words (Data truncation: Data too
// long for column 'name' at row 1; Column 'map_x' cannot be null), never
// 保存数据失败; no default property privilege (WithoutDefaultPrivilege):
// 未配置物业默认权限; each community, in order: one that already has a
// company (including one listed twice): 小区已经入驻<communityId>, an
// unknown one: 小区不存在, then its menu groups: unknown group ids are
// skipped, and only when none is known does the save fail (没有分配任何功能).
// The landmark is read from nearByLandmarks, the field of StorePo: a body
// with only the seed's nearbyLandmarks loses it. mapX and mapY default to
// "1".
//
// The command is all-or-nothing (the platform's compensating rollback): a
// failure creates nothing. Success creates a Company with a new StoreID, an
// administrator account (username = the company's name or its tel,
// password = tel) and binds the communities. It is not idempotent: the same
// body again creates a second company, or fails with 小区已经入驻 when
// communities were given.
//
// # property.listProperty (ListPropertyCmd)
//
// page and row are required (请求中未包含page信息, …row…; a value that is
// no number: For input string: "x"); page -1 lists everything, page 0
// is MySQL's refusal of a negative LIMIT. The list is scoped by the
// storeId dealCmd put in: the operator's company (Server.Username's) sees
// every property company, any other only itself; an explicit storeId must
// name a company that exists (非法操作). name is pasted into the SQL as
// the real mapper does (like '%${name}%'): % and _ are wildcards, a
// backslash escapes, case is ignored, and a quote is MySQL's syntax
// error. tel matches exactly, and so do address, nearByLandmarks, mapX,
// mapY and state when given; deleted companies are hidden unless statusCd
// says otherwise (statusCd=1 lists them, an empty statusCd lists all);
// newest first (create_time desc), so Properties[0] is the newest
// company, as on a real server. Each entry is a StoreDto: storeId, name,
// address, tel, corporation, foundingTime, createTime (yyyy-MM-dd
// HH:mm:ss, China time), nearByLandmarks, mapX, mapY, state, statusCd,
// storeTypeCd, storeTypeName (物业商户) and userId — the user who saved
// the company or last changed it (s_store.user_id), not its
// administrator.
//
// # property.updateProperty (UpdatePropertyCmd)
//
// storeId is required, but dealCmd fills in the caller's own: a body
// without storeId changes the caller's company. name, address, tel,
// nearByLandmarks (not the seed's nearbyLandmarks), mapX, mapY,
// corporation and foundingTime change when present and not empty (an
// empty value changes nothing, as the real mappers skip it); a new name
// that is not blank renames the administrator; state sets the company's
// state (48002 locks its staff out of login.pcUserLogin, 48001 lets them
// in again). Too wide: MySQL's
// message. An unknown store: 更新数据失败. A deleted company is updated
// and comes back (the real update matches the store by id and sets its
// status to 0): Deleted is cleared, its CommunityIDs and GroupIDs are
// emptied, its staff stays deleted. Success: {"code":0,"msg":"成功",…}.
// The operator's own company, which Companies does not list, answers 成功.
//
// # property.deleteProperty (DeletePropertyCmd)
//
// storeId (filled in by dealCmd like updateProperty's: a body without it
// deletes the caller's own company) and storeTypeCd are required
// (storeTypeCd不能为空). The company is marked Deleted (hidden from
// listProperty), its staff accounts are deleted (their logins fail with
// 用户或密码错误) and its communities are free again. An unknown store:
// 删除数据失败; an already deleted one answers 成功 again, as on a real
// server. WithDemoEnvironment answers
// 为了保证体验 此功能演示环境不开放, as a DEV or TEST server does.
//
// # community.listCommunitys (ListCommunitysCmd)
//
// No session needed, not scoped to a caller. page and row are required
// (as listProperty's); communityId and cityCode match exactly, name as
// the real SQL's like concat('%',name,'%'): % and _ are wildcards, case
// is ignored. Newest first (create_time desc): the communities count as
// created in the order the options gave them, so the last given comes
// first. The answer is {"code":0,"communitys":[…],"page":0,
// "records":<pages>,"rows":0,"total":n} without msg, each entry with
// communityId, name, address, nearbyLandmarks (lower-case b), cityCode,
// cityName, mapX, mapY, state 1100 (approved), stateName, tel and
// communityAttrDtos. WithOldCommunityShape answers as servers before
// 2025-03 do, without code. WithCommunity gives a community its details.
//
// # menuGroup.listMenuGroups
//
// A session is needed. page and row are required (as listProperty's),
// storeType matches exactly, groups come by seq; the answer is {"menuGroups":[{"gId",…}],"page":0,"records":…,
// "rows":0,"total":…} without code. WithMenuGroup gives a group its
// details.
//
// # The seed dialect
//
// WithSeedDialect answers as the seed document describes HC, as older
// servers do: the codes -1, -2 and -3 of saveProperty, the bare login
// object, HTTP 401 for a missing session, the landmark nearbyLandmarks.
// Clients must understand both.
//
// The gateway's JSON answers carry the Content-Type the request's Accept
// asks for, as Spring negotiates it for HC's controller:
// application/json;charset=UTF-8 for Accept: application/json, but
// text/plain;charset=UTF-8 for */* or no Accept (send Accept:
// application/json). Plain text ones are text/plain;charset=UTF-8.
//
// # Time
//
// Session expiry, Request.ReceivedAt and Company.CreatedAt follow the
// fake's clock (WithClock, Server.Now, Server.Advance), so tests can
// expire sessions without sleeping.
//
// # Services of your own, inspection and failure injection
//
// Server.Handle serves a service the fake does not know under the same
// gateway rules. Companies, Requests, RequestLog, LastRequest, Logins,
// TransactionIDs and SeenTransactionID tell a test what reached the server
// and what it did. FailNext makes the next requests fail the way networks
// and proxies do, before or after the command ran (Failure, ReadTimeout);
// HoldNextSave makes a save time out at the gateway before its command
// has run, and land later or never. Failure, Request, the counters, the
// request log, the clock and Handle are kanfangtest's too, over one shared
// implementation, and both fakes panic on a bad option.
//
// A Server is safe for concurrent use by any number of clients and test
// goroutines. Close stops it without waiting for delays in flight.
package propertytest
