// Package call owns a call of either API end to end: check the request,
// encode it, authenticate, sign, send, decode, recover.
//
// An endpoint is a declaration, an Endpoint: the Go method, HTTP method,
// path, whether it may be repeated, where its token comes from, how its
// request is checked and what its answer decodes into. A client's method
// is one line over it:
//
//	var putAnjukeBianHao = call.Endpoint[PutAnjukeBianHaoRequest, PutAnjukeBianHaoResponse]{...}
//
//	func (c *Client) PutAnjukeBianHao(ctx context.Context, req *PutAnjukeBianHaoRequest) (*PutAnjukeBianHaoResponse, error) {
//		return putAnjukeBianHao.Call(ctx, c.caller, req)
//	}
//
// A client's public Do is the same machinery with a Spec made at the call.
// Caller.Do runs a Request:
//
//  1. authenticate: take a token from the client's token source (or none,
//     or the request's own, as the Spec declares);
//  2. sign: the API builds the wire.Call, placing the token and signing
//     (kanfang's strong validation; HC's transaction-id, req-time and
//     sign, renewed on every attempt);
//  3. send: wire.Engine sends it, retrying only what is safe;
//  4. decode: the API maps the answer to an Answer or to its *Error;
//  5. recover: a token the server rejected before running anything is
//     renewed once, when the source can renew, and the call sent once more.
//
// What differs between the APIs is their API: where the token goes and how
// a request is signed, what an envelope looks like, which answer means a
// rejected token, and their *Error type. Both *Error types hold a Failure
// view (one error model) and match their sentinels from one Table.
package call
