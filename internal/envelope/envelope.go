// Package envelope decodes the two APIs' response envelopes from a bounded
// body, lazily: the payload is kept raw until the status is known, because
// 123kanfang sends an object on success and a string on failure.
package envelope

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxExcerpt is the most of a body an error message quotes.
const MaxExcerpt = 2048

// Kanfang is the 123kanfang envelope: {"state": 200, "payload": ...}.
type Kanfang struct {
	State   int
	Payload json.RawMessage
}

// DecodeKanfang decodes body as a 123kanfang envelope. ok is false when
// body is not one: not JSON, not an object, or without a state that is a
// JSON integer (the platform sends a number; "200" as a string is not a
// state, so it is never a success). Members are matched as in DecodeHC, and
// Payload aliases body.
func DecodeKanfang(body []byte) (env Kanfang, ok bool) {
	var state []byte
	valid := Object(body, func(name, value []byte) {
		switch {
		case NameIs(name, "state"):
			state = value
		case NameIs(name, "payload"):
			env.Payload = value
		}
	})
	if env.State, ok = parseInt(state); !valid || !ok {
		return Kanfang{}, false
	}
	return env, true
}

// HC is the HC (MicroCommunity) envelope: {"code": 0, "msg": "成功", "data": ...}.
type HC struct {
	Code int
	Msg  string
	Data json.RawMessage
}

// DecodeHC decodes body as an HC envelope. ok is false when body is not
// one: not JSON, not an object, or without an integer code. The code is a
// JSON integer, or a string holding an integer in its canonical form ("0",
// "-1"), as some HC versions send it: "+0", " 0 " or "000" are not codes,
// so that nothing but a real 0 reads as success. Members are matched as
// encoding/json matches struct fields (case-insensitively, the last of a
// repeated name winning).
//
// body is walked once (Object) and Data aliases it: decoding the envelope
// of a large list costs a pass over its bytes, not a decoding and a copy of
// its data, so the caller decodes the payload once.
func DecodeHC(body []byte) (env HC, ok bool) {
	var code, msg []byte
	valid := Object(body, func(name, value []byte) {
		switch {
		case NameIs(name, "code"):
			code = value
		case NameIs(name, "msg"):
			msg = value
		case NameIs(name, "data"):
			env.Data = value
		}
	})
	if !valid {
		return HC{}, false
	}
	if env.Code, ok = hcCode(code); !ok {
		return HC{}, false
	}
	env.Msg = Text(msg)
	return env, true
}

// hcCode parses an HC code: a JSON integer, or a JSON string holding an
// integer in its canonical form.
func hcCode(raw []byte) (int, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return parseInt(raw)
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && s == strconv.Itoa(n)
}

// Text renders a raw JSON value as message text: a JSON string is unquoted,
// null or absent is "", anything else is its JSON as received. The text is
// not cut: whoever quotes it scrubs secrets first and cuts after
// (redact.Excerpt), so that no secret straddles the cut.
func Text(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		if s, ok := plainString(raw); ok {
			return string(s)
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	return string(raw)
}

// plainString returns the contents of raw when it is a JSON string literal
// whose decoding is its contents unchanged: no escape sequence, no control
// character, valid UTF-8. Most server messages are; they then cost one
// allocation, the message itself.
func plainString(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || raw[len(raw)-1] != '"' {
		return nil, false
	}
	inner := raw[1 : len(raw)-1]
	for _, c := range inner {
		if c == '\\' || c == '"' || c < 0x20 {
			return nil, false
		}
	}
	if !utf8.Valid(inner) {
		return nil, false
	}
	return inner, true
}

// Excerpt returns at most MaxExcerpt bytes of body as valid UTF-8 with
// surrounding space trimmed, marking a cut with "…".
func Excerpt(body []byte) string {
	body = bytes.TrimSpace(body)
	cut := len(body) > MaxExcerpt
	if cut {
		body = body[:MaxExcerpt]
		for i := 0; i < utf8.UTFMax-1 && !utf8.Valid(body); i++ {
			body = body[:len(body)-1] // do not split a character
		}
	}
	s := strings.ToValidUTF8(string(body), "\uFFFD")
	if len(s) > MaxExcerpt { // a replaced invalid byte takes three
		i := MaxExcerpt
		for !utf8.RuneStart(s[i]) {
			i--
		}
		s, cut = s[:i], true
	}
	if cut {
		s += "…"
	}
	return s
}

// parseInt parses raw, a JSON value as Object gives it, as an integer.
func parseInt(raw []byte) (int, bool) {
	n, err := strconv.Atoi(string(raw))
	return n, err == nil
}
