// Package wire is the sending half that both fang clients share: the resty
// client and its transport, one attempt with a bounded body read, the retry
// policy, redirect refusal, logging, and the redaction of anything secret
// from errors and log lines. Endpoint methods build a Call and hand it to
// Engine.Do; they never touch resty themselves.
package wire
