// Package sign holds the pure functions both remote APIs need to accept a
// request: the HC (MicroCommunity) MD5 request signature, the 123kanfang
// "strong validation" signature, the HC req-time format and the HC
// transaction-id generator.
//
// Everything here is deterministic given its inputs (the generator aside,
// which reads the clock) and allocation-light: it sits on the hot path of
// every HC call. docs/PROTOCOL.md in the repository explains both formulas
// and lists their test vectors, each of which is a test of this package:
// https://github.com/fangsdk/fang/blob/main/docs/PROTOCOL.md
package sign
