package sign

import (
	"net/url"
	"sort"
	"strconv"
)

// Kanfang returns the 123kanfang "strong validation" signature sent in the
// sign header, next to a timestamp header holding timestampMillis:
//
//	lowercase_hex(MD5(signKey + values + timestampMillis))
//
// where values is the concatenation of the request parameters' values (form
// values for a POST, query values for a GET), ordered by parameter name
// ascending, with nothing between them. A name with several values
// contributes them in the order given.
func Kanfang(signKey string, params url.Values, timestampMillis int64) string {
	var ts [20]byte
	return kanfangSign(signKey, params, strconv.AppendInt(ts[:0], timestampMillis, 10))
}

// kanfangSign is the strong-validation sign over params with the
// timestamp's text ts.
func kanfangSign(signKey string, params url.Values, ts []byte) string {
	var names [8]string
	sorted := names[:0]
	for name := range params {
		sorted = append(sorted, name)
	}
	sort.Strings(sorted)

	var stack [signStack]byte
	msg := append(stack[:0], signKey...)
	for _, name := range sorted {
		for _, v := range params[name] {
			msg = append(msg, v...)
		}
	}
	msg = append(msg, ts...)
	return hexMD5(msg)
}
