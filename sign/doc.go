// Package sign holds the pure functions both remote APIs need to accept a
// request: the HC (MicroCommunity) MD5 request signature, the 123kanfang
// "strong validation" signature, the HC req-time format and the HC
// transaction-id generator.
//
// Everything here is deterministic given its inputs (the generator aside,
// which reads the clock) and allocation-light: it sits on the hot path of
// every HC call. The vectors published in the project's PROTOCOL.md are
// tests of this package.
package sign
