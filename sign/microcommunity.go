package sign

import (
	"crypto/md5"
	"encoding/hex"
	"net/url"
	"strings"
)

// MicroCommunity returns the HC (MicroCommunity) request signature:
//
//	lowercase_hex(MD5(transactionID + reqTime + appID + payload + securityCode))
//
// For a POST the payload is the exact request body as sent; for a GET it is
// "?" followed by the decoded query, or "" when there is none (see
// MicroCommunityQuery). An empty
// securityCode is allowed: the server then skips the check, but the header is
// still sent.
func MicroCommunity(transactionID, reqTime, appID, payload, securityCode string) string {
	return MicroCommunityBytes(transactionID, reqTime, appID, []byte(payload), securityCode)
}

// MicroCommunityBytes is MicroCommunity for a payload held as bytes, such as
// a request body about to be sent. It signs exactly those bytes without
// copying them into a string.
func MicroCommunityBytes(transactionID, reqTime, appID string, payload []byte, securityCode string) string {
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

// MicroCommunityQuery returns the payload HC signs for a GET whose query
// string is rawQuery (as sent, without the "?"): "?" followed by the
// name=value pairs with names and values decoded, names in the order they
// first appear and a repeated name's values together, as the server
// rebuilds it from its parameter map (BaseController.initUrlParam). So a
// Chinese value travels percent-encoded and is signed as plain UTF-8. A
// pair that does not decode is left out, as the server drops it; an empty
// query gives "".
func MicroCommunityQuery(rawQuery string) string {
	var order []string
	values := map[string][]string{}
	for pair := range strings.SplitSeq(rawQuery, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			continue
		}
		if _, seen := values[k]; !seen {
			order = append(order, k)
		}
		values[k] = append(values[k], v)
	}
	if len(order) == 0 {
		return ""
	}
	var b strings.Builder
	for _, k := range order {
		for _, v := range values[k] {
			if b.Len() == 0 {
				b.WriteByte('?')
			} else {
				b.WriteByte('&')
			}
			b.WriteString(k + "=" + v)
		}
	}
	return b.String()
}
