package sign

import (
	"net/url"
	"sort"
)

// KanfangTimestamp is Kanfang for a timestamp given as the text of the
// timestamp header, signed exactly as received: what a receiver of
// 123kanfang's callbacks checks, since the platform may send the timestamp
// in milliseconds or in seconds, and the sign covers the header's text,
// not a number. KanfangTimestamp(key, params, "1532059200000") equals
// Kanfang(key, params, 1532059200000).
func KanfangTimestamp(signKey string, params url.Values, timestamp string) string {
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
	msg = append(msg, timestamp...)
	return hexMD5(msg)
}
