package sign

import "net/url"

// KanfangTimestamp is Kanfang for a timestamp given as the text of the
// timestamp header, signed exactly as received: what a receiver of
// 123kanfang's callbacks checks, since the platform may send the timestamp
// in milliseconds or in seconds, and the sign covers the header's text,
// not a number. KanfangTimestamp(key, params, "1532059200000") equals
// Kanfang(key, params, 1532059200000).
func KanfangTimestamp(signKey string, params url.Values, timestamp string) string {
	return kanfangSign(signKey, params, []byte(timestamp))
}
