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
//	GET  /v2/Authorization/GetAccessToken?authKey=..&authValue=..&clientEdtion=ps_1.0.0
//	GET  /v2/Authorization/RefreshToken?clientEdtion=ps_1.0.0   (refresh token as Authorization)
//	POST /v2/houseTask/putAnjukeBianHao                         (access token as Authorization)
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
//   - Both Authorization endpoints require clientEdtion=ps_1.0.0 exactly in
//     the query; otherwise state 403.
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
//     Authorization header, the Authorization form field, the Authorization
//     cookie and the Authorization query parameter; the first non-empty one
//     found is the only one checked. The value must be the bare token:
//     "Bearer <token>" is not a token. Missing, unknown, revoked or expired
//     tokens answer state 401. The form fields packageId and anjukeBianHao
//     are read from the body only (never the query), are required, must each
//     be given once and be at most 128 characters (Unicode code points) of
//     valid UTF-8; otherwise state 403 with a message naming every bad field.
//     Success stores the number for the package (setting it again overwrites,
//     so the call is idempotent) and echoes what was stored.
//   - With WithPackages, a packageId the fake does not know answers state 403,
//     as the real server does for an unknown data package. Without it, every
//     packageId is accepted.
//   - With WithSignKey, "strong validation" is on for every endpoint: the
//     request must carry the headers timestamp (Unix milliseconds, decimal
//     digits only, within five minutes of the fake's clock) and sign
//     (sign.Kanfang over every value received, in lower-case hex: the
//     platform signs all form values of a POST, so the Authorization form
//     field is signed too when the token travels there, and all query
//     values of a GET, so clientEdtion, authKey, authValue and a refresh
//     token in the query are signed; a token in a header or cookie, or the
//     query of a POST, is not). A missing or bad header answers state 403.
//     GetAccessToken and RefreshToken check it right after clientEdtion.
//
// Checks run in this order for putAnjukeBianHao: method, Content-Type, body,
// token, signature, fields, known package. The first failing one answers.
//
// # Time
//
// Token expiry follows the fake's clock, which is the real clock unless
// WithClock replaces it; Server.Advance moves it forward, so tests can expire
// tokens without sleeping.
//
// # Endpoints of your own
//
// Server.Handle serves an endpoint the fake does not know, for code that
// calls it through kanfang.Client.Do, under the same token, signature and
// failure rules as the fake's own endpoints.
//
// # Failure injection
//
// Server.FailNext makes the next matching requests fail in a chosen way (an
// error state, an HTTP status with a raw HTML body, a Retry-After, a delay,
// a dropped connection), in front of the server or after the request took
// effect (AfterApply), so that callers can test their error handling and
// retries. Failure, its defaults and the counters (Requests, Logins,
// PendingFailures, ClearFailures) are the same as propertytest's, and both
// fakes panic on a bad option.
//
// # Concurrency and shutdown
//
// A Server is safe for concurrent use by many goroutines. Close stops it,
// ends any injected delay early and returns once every request in progress
// has finished; it never waits for a delay to run out.
package kanfangtest
