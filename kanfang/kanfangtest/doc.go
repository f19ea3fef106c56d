// Package kanfangtest provides an in-process fake of the 123kanfang web API
// for hermetic tests and runnable examples, in the spirit of
// cloud.google.com/go/pubsub/pstest. It is a test helper: nothing in it is
// meant for production traffic.
//
// NewServer starts an HTTP server on a loopback port. Give Server.URL to
// kanfang.WithBaseURL and either Server.Token (a valid access token) or
// Server.AuthKey and Server.AuthValue (credentials the fake's login accepts)
// to the client under test, then inspect what the server saw:
//
//	srv := kanfangtest.NewServer()
//	defer srv.Close()
//	// ... point the client at srv.URL, make calls ...
//	num, ok := srv.AnjukeBianHao("pkg-1")
//
// # Endpoints
//
// The fake serves exactly these paths (case-sensitive, no trailing slash):
//
//	GET  /v2/Authorization/GetAccessToken?authKey=..&authValue=..[&clientEdtion=ps_1.0.0]
//	GET  /v2/Authorization/RefreshToken[?clientEdtion=ps_1.0.0] (refresh token as Authorization)
//	POST /v2/houseTask/putAnjukeBianHao                         (access token as Authorization)
//	POST /v2/houseTask/AddNewNotifyTaskByPackageID              (access token as Authorization)
//
// Like the real server it answers HTTP 200 with an envelope
// {"state": <int>, "payload": ...} whose payload is an object on success and
// a string on failure; bodies are JSON with Content-Type
// "application/json; charset=utf-8". The fake is deliberately strict: a fake
// that accepts what the real server rejects hides bugs. In detail:
//
//   - Any other path answers HTTP 404 with {"state":404,"payload":"..."}.
//   - A known path with the wrong method answers HTTP 405, an Allow header and
//     {"state":405,"payload":"..."}.
//   - clientEdtion is optional on both Authorization endpoints (the docs
//     need it only for accounts limited to a client version); when given,
//     it must be ps_1.0.0 exactly, once, otherwise state 403.
//   - GetAccessToken with wrong or missing credentials answers state 401.
//     Success returns a fresh access token and refresh token (48 random hex
//     digits each) and their lifetimes in whole seconds (see
//     WithTokenLifetime and WithRefreshTokenLifetime).
//   - RefreshToken takes the refresh token as the Authorization header,
//     cookie or query parameter (bare, no "Bearer " prefix). A missing,
//     unknown or expired refresh token answers state 4011. Success returns
//     the same payload as GetAccessToken; the refresh token used becomes
//     invalid (rotation), while access tokens already issued stay valid until
//     they expire.
//   - putAnjukeBianHao requires Content-Type application/x-www-form-urlencoded
//     (parameters are allowed; a charset, if given, must be utf-8), else state
//     403. The access token is looked for, in this order, in the
//     Authorization header, the Authorization form field and the
//     Authorization cookie — on a GET, then the Authorization query
//     parameter; the first non-empty one found is the only one checked.
//     The query string of a POST is never read for a token, as the
//     platform's docs list no such place: a POST whose only token is in
//     its URL answers state 401 (a token there would be recorded by every
//     access log). The value must be the bare token: "Bearer <token>" is
//     not a token. Missing, unknown, revoked or expired tokens answer
//     state 401. The form fields packageId and anjukeBianHao
//     are read from the body only (never the query), are required, must each
//     be given once and be at most 128 characters (Unicode code points) of
//     valid UTF-8; otherwise state 403 with a message naming every bad field.
//     Success stores the number for the package (setting it again overwrites,
//     so the call is idempotent) and echoes what was stored.
//   - With WithPackages, a packageId the fake does not know answers state 403,
//     as the real server does for an unknown data package. Without it, every
//     packageId is accepted.
//   - "Strong validation" (the timestamp and sign headers) is what the
//     platform's docs describe for the callbacks it sends; no webapi page
//     asks for it, so the fake never requires it and never refuses a call
//     for it. With WithSignKey it notes in Request.Sign what the headers
//     of a call that carries them are worth (see WithSignKey).
//
// Checks run in this order for putAnjukeBianHao: method, Content-Type, body,
// token, fields, known package. The first failing one answers.
//
// AddNewNotifyTaskByPackageID follows the same rules up to the token, then
// requires packageId (at most 128 characters) and notifyconfigId (at most
// 32), takes forcePush ("true" or "false", any case) and payload (at most
// 255) when given, each field at most once, else state 403; with
// WithPackages an unknown packageId answers state 403. A package already
// pushed to a configuration is not pushed again without forcePush: the
// answer is the task that pushed it. Each forcePush=true makes a new task.
// Every task the fake makes reports notifyResult 0 (not notified yet), as
// the platform's example answer does: it pushes after answering and
// reports a failed push with a callback, so the answer never says the push
// was made. NotifyTasks lists the tasks.
//
// # Time, endpoints of your own, failure injection
//
// Token expiry follows the fake's clock (WithClock, Server.Now,
// Server.Advance), so tests can expire tokens without sleeping.
// Server.Handle serves an endpoint the fake does not know under the same
// token, signature and failure rules. Server.FailNext makes the next
// matching requests fail (Failure: an error state, a proxy's HTML page, a
// Retry-After, a delay, a dropped connection), before or after the
// request took effect. Failure, Request, the counters (Requests, Logins,
// PendingFailures, ClearFailures), the request log, the clock and Handle
// are propertytest's too, over one shared implementation, and both fakes
// panic on a bad option.
//
// # Concurrency and shutdown
//
// A Server is safe for concurrent use by many goroutines. Close stops it,
// ends any injected delay early and returns once every request in progress
// has finished; it never waits for a delay to run out.
package kanfangtest
