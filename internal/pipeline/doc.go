// Package pipeline is the one path every call of both clients takes after
// validation: authenticate → sign → send → decode → recover.
//
// An endpoint is a declaration (Endpoint: the Go method, HTTP method,
// path, whether it may be repeated, where its token comes from). A call is
// a Request of an endpoint. Pipeline.Do runs it:
//
//  1. authenticate: take a token from the client's token source (or none,
//     or the request's own, as the endpoint declares);
//  2. sign: the API's Protocol builds the wire.Call, placing the token and
//     signing (kanfang's strong validation; HC's transaction-id, req-time
//     and sign, renewed on every attempt);
//  3. send: wire.Engine sends it, retrying only what is safe;
//  4. decode: the Protocol maps the answer to its result or its *Error,
//     and a failure to get one to its *Error;
//  5. recover: a token the server rejected before running anything is
//     renewed once, when the source can renew, and the call sent once more.
//
// What differs between the APIs is the Protocol; nothing else is written
// twice.
package pipeline
