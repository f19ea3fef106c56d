package sign

import (
	"crypto/md5"
	"encoding/hex"
)

// MicroCommunity returns the HC (MicroCommunity) request signature:
//
//	lowercase_hex(MD5(transactionID + reqTime + appID + payload + securityCode))
//
// For a POST the payload is the exact request body as sent; for a GET it is
// "?" followed by the query string, or "" when there is none. An empty
// securityCode is allowed: the server then skips the check, but the header is
// still sent.
func MicroCommunity(transactionID, reqTime, appID, payload, securityCode string) string {
	return microCommunity(transactionID, reqTime, appID, payload, securityCode)
}

// MicroCommunityBytes is MicroCommunity for a payload held as bytes, such as
// a request body about to be sent. It signs exactly those bytes without
// copying them into a string.
func MicroCommunityBytes(transactionID, reqTime, appID string, payload []byte, securityCode string) string {
	return microCommunity(transactionID, reqTime, appID, payload, securityCode)
}

// microCommunity assembles the signed message and hashes it, for a payload
// held as a string or as bytes.
func microCommunity[P string | []byte](transactionID, reqTime, appID string, payload P, securityCode string) string {
	var stack [signStack]byte
	msg := stack[:0]
	if n := len(transactionID) + len(reqTime) + len(appID) + len(payload) + len(securityCode); n > len(stack) {
		msg = make([]byte, 0, n)
	}
	msg = append(msg, transactionID...)
	msg = append(msg, reqTime...)
	msg = append(msg, appID...)
	msg = append(msg, payload...)
	msg = append(msg, securityCode...)
	return hexMD5(msg)
}

// signStack is the longest signed message assembled on the stack. The
// message is hashed in one md5.Sum call: a hash.Hash from md5.New, fed
// string by string, costs an allocation per string and one for the
// digest. Longer messages (large bodies) are assembled on the heap, one
// allocation.
const signStack = 2048

// hexMD5 returns the lower-case hex MD5 of msg: the one allocation of a
// signature is this string.
func hexMD5(msg []byte) string {
	sum := md5.Sum(msg)
	var out [2 * md5.Size]byte
	hex.Encode(out[:], sum[:])
	return string(out[:])
}
