// Package kanfang is a client for the 123kanfang VR house-viewing web API.
//
// It sets the Anjuke store number of a panorama data package
// (PutAnjukeBianHao), pushes the package to Anjuke (AddNotifyTask), and
// manages the platform's access tokens
// (GetAccessToken, RefreshToken, and WithCredentials, which does both for
// you). Create a Client with NewClient:
//
//	c, err := kanfang.NewClient(kanfang.WithCredentials(authKey, authValue))
//	resp, err := c.PutAnjukeBianHao(ctx, &kanfang.PutAnjukeBianHaoRequest{
//		PackageID:     "packageIdxxxxxxxxxxxxx",
//		AnjukeBianHao: "00000000010101",
//	})
//
// # Tokens
//
// The token travels bare (no "Bearer ") in the Authorization header by
// default, or in the form body, a cookie or the query
// (WithTokenPlacement); the placement follows the method, as the platform
// reads it: a query placement on a POST travels in the form (a token never
// goes in the URL of a POST, which access logs record), a form placement
// on a GET in the query. WithToken takes any auth.TokenSource, for instance
// auth.StaticToken. WithCredentials logs in on first use, refreshes the
// token shortly before it expires (a tenth of its lifetime, at most five
// minutes), logs in again when the refresh token is no longer usable
// (state 4011), and when the server rejects a token (state 401) renews it
// once and repeats the call once. Any number of concurrent calls cause one
// login; WithTokenStore shares tokens between processes.
//
// # Other endpoints
//
// Client.Do sends any endpoint through the same pipeline — token and its
// placement, strong validation over every value sent, retries for a GET,
// decoding of the state envelope — with a url.Values or a struct with `url`
// tags as the form (POST) or the query (GET).
//
// # Errors
//
// Requests are validated before anything is sent: an error matching
// ErrInvalidRequest names every bad field (*InvalidRequestError). A failure
// the server or a gateway answers is an *Error carrying the envelope's
// state, the message and the HTTP status; errors.Is matches ErrUnauthorized
// (401; GetAccessToken's also matches auth.ErrLoginRefused), ErrRefreshFailed (4011), ErrRejected (403), ErrServerError (500)
// and ErrUnexpectedResponse (a body that is not an envelope, such as a
// gateway's HTML page, or a success without the expected payload).
// Transport failures are returned wrapped, so errors.Is(err,
// context.DeadlineExceeded) works. Error.Attempts counts the sends.
//
// A call that may have reached the server and got no definite answer —
// sent, then timed out or the connection lost; a body cut off or over the
// limit; any 5xx answer, whatever its body says; state 500 (the
// platform's internal error) unless under a 4xx; a 2xx body that is not
// the platform's envelope —
// fails with an *Error matching ErrOutcomeUnknown (Error.OutcomeUnknown
// reports the same): it may have been carried out. A connection refused, a
// 4xx answer or another error envelope under a 2xx is a definite answer. Repeating such a
// call is harmless for PutAnjukeBianHao and AddNotifyTask without
// ForcePush; before repeating a forced push or a POST through Do, look
// whether it took effect.
//
// # Reliability
//
// Each attempt is bounded by WithTimeout (default 30 s) and by the
// context. PutAnjukeBianHao is idempotent and is retried (WithRetry,
// default 3 attempts, full-jitter backoff, Retry-After honoured, never past
// the context's deadline) after connection failures, timeouts and HTTP
// 429, 502, 503 and 504. RefreshToken is not retried once it may have
// reached the server (it rotates the refresh token), and neither is an
// AddNotifyTask with ForcePush (a forced push is made again each time).
// Response bodies are
// read up to WithMaxResponseBytes (default 4 MiB). Redirects are never
// followed: one could carry the token to another host.
//
// Tokens, authValue and query strings never appear in errors or in the
// lines written to WithLogger.
package kanfang
