package sign

import (
	"crypto/md5"
	"io"
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
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	sort.Strings(names)

	h := md5.New()
	io.WriteString(h, signKey)
	for _, name := range names {
		for _, v := range params[name] {
			io.WriteString(h, v)
		}
	}
	var ts [20]byte
	h.Write(strconv.AppendInt(ts[:0], timestampMillis, 10))
	return sum(h)
}
