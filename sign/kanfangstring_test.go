package sign

import (
	"net/url"
	"testing"
)

// TestKanfangTimestampVector checks the published vector, a timestamp in
// seconds (signed as its text), repeated names and UTF-8 values.
func TestKanfangTimestampVector(t *testing.T) {
	params := url.Values{"B": {"2"}, "A": {"1"}, "C": {"3"}}
	if got, want := KanfangTimestamp("CdLvNRRQvy0xjORPNvuVaA", params, "1532059200000"), "d5680a902dd2de08cf2bf9df819ffb9d"; got != want {
		t.Fatalf("KanfangTimestamp = %s, want %s", got, want)
	}
	for _, tt := range []struct {
		params url.Values
		ts     string
		msg    string
	}{
		// md5("CdLvNRRQvy0xjORPNvuVaA1231532059200"): seconds, as sent.
		{params, "1532059200", "CdLvNRRQvy0xjORPNvuVaA1231532059200"},
		// A repeated name contributes its values in the order received.
		{url.Values{"b": {"2", "1"}, "a": {"x"}}, "7", "CdLvNRRQvy0xjORPNvuVaAx217"},
		// Names sort by bytes; values are signed as UTF-8.
		{url.Values{"houseId": {"房源1"}, "State": {"完成"}}, "1", "CdLvNRRQvy0xjORPNvuVaA完成房源11"},
		// The text as received: a leading zero is signed too.
		{params, "01532059200", "CdLvNRRQvy0xjORPNvuVaA12301532059200"},
	} {
		if got, want := KanfangTimestamp("CdLvNRRQvy0xjORPNvuVaA", tt.params, tt.ts), hexMD5([]byte(tt.msg)); got != want {
			t.Errorf("KanfangTimestamp(%v, %q) = %s, want md5(%q) = %s", tt.params, tt.ts, got, tt.msg, want)
		}
	}
	if KanfangTimestamp("k", params, "1532059200000") != Kanfang("k", params, 1532059200000) {
		t.Error("KanfangTimestamp and Kanfang disagree")
	}
}
