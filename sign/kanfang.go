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
	msg = strconv.AppendInt(msg, timestampMillis, 10)
	return hexMD5(msg)
}
