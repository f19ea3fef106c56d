// Package property is a client for the HC (MicroCommunity) property
// management platform, which each customer hosts at http://{ip}:{port}.
//
// It creates property companies (SaveProperty) and manages the login
// session (Login, and WithCredentials, which logs in for you). Every call
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
//	resp, err := c.SaveProperty(ctx, &property.SavePropertyRequest{...})
//	// resp.TransactionID identifies the request on the server.
//
// # Never twice
//
// SaveProperty is not idempotent: a repeat creates a second company. fang
// therefore never repeats an HC call once it may have reached the server.
// A timeout, a connection lost after sending, or a gateway's error page is
// reported as an *Error matching ErrOutcomeUnknown that carries the
// transaction-id, for the caller to reconcile. A call that provably never
// left (connection refused, DNS failure) is retried (WithRetry) and is not
// ErrOutcomeUnknown. The one repeat fang does make is after HTTP 401: the
// gateway rejects a session before the command runs, so with
// WithCredentials the session is renewed and the call sent once more, with
// a new transaction-id.
//
// # Errors
//
// Requests are validated first (ErrInvalidRequest, naming every bad
// field). Every later failure is an *Error with Code, Msg, HTTPStatus and
// TransactionID; errors.Is matches ErrSaveFailed (-1),
// ErrCommunityAlreadySettled (-2), ErrDefaultPrivilegeMissing (-3),
// ErrGateway (the gateway's HTTP 500 code 404), ErrSignatureRejected
// (签名失败: check app-id and security code), ErrUnauthorized (HTTP 401),
// ErrUnexpectedResponse and ErrOutcomeUnknown; errors.Unwrap exposes a
// transport cause such as context.DeadlineExceeded.
//
// The security code, passwords and tokens never appear in an error or in
// the lines written to WithLogger.
package property
