package sign

import (
	"crypto/md5"
	"encoding/hex"
	"hash"
	"io"
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
	h := md5.New()
	writeStrings(h, transactionID, reqTime, appID)
	io.WriteString(h, payload)
	io.WriteString(h, securityCode)
	return sum(h)
}

// MicroCommunityBytes is MicroCommunity for a payload held as bytes, such as
// a request body about to be sent. It signs exactly those bytes without
// copying them into a string.
func MicroCommunityBytes(transactionID, reqTime, appID string, payload []byte, securityCode string) string {
	h := md5.New()
	writeStrings(h, transactionID, reqTime, appID)
	h.Write(payload)
	io.WriteString(h, securityCode)
	return sum(h)
}

func writeStrings(h hash.Hash, parts ...string) {
	for _, p := range parts {
		io.WriteString(h, p)
	}
}

func sum(h hash.Hash) string {
	var raw [md5.Size]byte
	var out [2 * md5.Size]byte
	hex.Encode(out[:], h.Sum(raw[:0]))
	return string(out[:])
}
