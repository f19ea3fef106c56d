// Package fang is a Go SDK for two APIs of Chinese property technology:
//
//   - 123kanfang (package kanfang), the VR house-viewing platform: set the
//     Anjuke store number of a panorama data package, log in and refresh
//     access tokens;
//   - HC / MicroCommunity (package property), the self-hosted property
//     management platform: create a property company with signed,
//     serial-numbered requests, log in and keep the session.
//
// Package fang itself only wires both clients together on one HTTP
// connection pool:
//
//	client, err := fang.New(
//		fang.WithKanfang(kanfang.WithCredentials(authKey, authValue)),
//		fang.WithProperty(
//			property.WithBaseURL("http://10.0.0.8:8008"),
//			property.WithAppID(appID),
//			property.WithSecurityCode(securityCode),
//			property.WithCredentials(username, password),
//		),
//	)
//	_, err = client.Kanfang.PutAnjukeBianHao(ctx, &kanfang.PutAnjukeBianHaoRequest{...})
//	_, err = client.Property.SaveProperty(ctx, &property.SavePropertyRequest{...})
//
// The other packages: auth (tokens, token sources, stores shared between
// replicas, auth/redisstore on Redis), sign (the two signatures, req-time
// and transaction-ids), and the in-process fakes kanfang/kanfangtest and
// property/propertytest for hermetic tests. Every client is safe for
// concurrent use.
//
// Errors are typed: *kanfang.Error and *property.Error carry what the
// server answered, sentinels such as kanfang.ErrRejected or
// property.ErrCommunityAlreadySettled work with errors.Is, and
// property.ErrOutcomeUnknown says when a save may or may not have taken
// effect. Tokens, passwords and security codes never appear in an error or
// a log line.
//
// # Tracing without leaking
//
// 123kanfang's GetAccessToken carries the password in its query string
// (authValue), and tracing libraries record each request's full URL
// (otelhttp's url.full). Instrument the transport through
// TraceSafeTransport, which shows the instrumentation the URL with every
// secret parameter (authValue, and Authorization for a token placed in the
// query) replaced by [REDACTED] and puts the real one back just before
// sending:
//
//	hc := &http.Client{Transport: fang.TraceSafeTransport(http.DefaultTransport,
//		func(rt http.RoundTripper) http.RoundTripper { return otelhttp.NewTransport(rt) })}
//	client, err := fang.New(fang.WithKanfang(kanfang.WithHTTPClient(hc), ...), ...)
//
// URLHasSecrets and RedactedURL serve other recorders (access logs, a
// span processor). examples/otel is a complete program with its test.
//
// The wire protocols, in fang's own words and with their test vectors:
// docs/PROTOCOL.md in the repository.
package fang
