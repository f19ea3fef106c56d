package sign

import "time"

// ReqTimeLayout is the Go layout of the HC req-time header (yyyyMMddHHmmss).
const ReqTimeLayout = "20060102150405"

// chinaStandardTime is UTC+08:00 without daylight saving. A fixed zone does
// not depend on the host's time-zone database.
var chinaStandardTime = time.FixedZone("CST", 8*60*60)

// ChinaStandardTime returns the fixed UTC+08:00 zone in which every HC time
// is expressed, whatever the host's own zone.
func ChinaStandardTime() *time.Location { return chinaStandardTime }

// ReqTime formats t as the HC req-time header: China Standard Time
// (UTC+08:00), layout "20060102150405". The host's time zone and whether
// zone data is installed make no difference.
func ReqTime(t time.Time) string {
	var buf [14]byte
	return string(appendReqTime(buf[:0], t))
}

// appendReqTime appends the 14 req-time digits of t to dst.
func appendReqTime(dst []byte, t time.Time) []byte {
	t = t.In(chinaStandardTime)
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	dst = appendDigits(dst, year, 4)
	dst = appendDigits(dst, int(month), 2)
	dst = appendDigits(dst, day, 2)
	dst = appendDigits(dst, hour, 2)
	dst = appendDigits(dst, minute, 2)
	return appendDigits(dst, sec, 2)
}

// appendDigits appends v as exactly n decimal digits (v must fit).
func appendDigits(dst []byte, v, n int) []byte {
	start := len(dst)
	for range n {
		dst = append(dst, '0')
	}
	for i := len(dst) - 1; i >= start; i-- {
		dst[i] = byte('0' + v%10)
		v /= 10
	}
	return dst
}
