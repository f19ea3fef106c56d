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
// body is not one: not JSON, not an object, or without an integer state.
func DecodeKanfang(body []byte) (env Kanfang, ok bool) {
	var raw struct {
		State   json.RawMessage `json:"state"`
		Payload json.RawMessage `json:"payload"`
	}
	if !isObject(body) || json.Unmarshal(body, &raw) != nil {
		return Kanfang{}, false
	}
	state, ok := parseInt(raw.State)
	if !ok {
		return Kanfang{}, false
	}
	return Kanfang{State: state, Payload: raw.Payload}, true
}

// HC is the HC (MicroCommunity) envelope: {"code": 0, "msg": "成功", "data": ...}.
type HC struct {
	Code int
	Msg  string
	Data json.RawMessage
}

// DecodeHC decodes body as an HC envelope. ok is false when body is not
// one: not JSON, not an object, or without an integer code (a number or a
// string of digits, as some HC versions send).
func DecodeHC(body []byte) (env HC, ok bool) {
	var raw struct {
		Code json.RawMessage `json:"code"`
		Msg  json.RawMessage `json:"msg"`
		Data json.RawMessage `json:"data"`
	}
	if !isObject(body) || json.Unmarshal(body, &raw) != nil {
		return HC{}, false
	}
	code, ok := parseInt(raw.Code)
	if !ok {
		return HC{}, false
	}
	return HC{Code: code, Msg: Text(raw.Msg), Data: raw.Data}, true
}

// Text renders a raw JSON value as message text: a JSON string is unquoted,
// null or absent is "", anything else is quoted as an excerpt of its JSON.
func Text(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return Excerpt([]byte(s))
		}
	}
	return Excerpt(raw)
}

// Excerpt returns at most MaxExcerpt bytes of body as valid UTF-8 with
// surrounding space trimmed, marking a cut with "…".
func Excerpt(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) <= MaxExcerpt {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	cut := body[:MaxExcerpt]
	for i := 0; i < utf8.UTFMax-1 && !utf8.Valid(cut); i++ {
		cut = cut[:len(cut)-1] // do not split a character
	}
	return strings.ToValidUTF8(string(cut), "\uFFFD") + "…"
}

func isObject(body []byte) bool {
	body = bytes.TrimSpace(body)
	return len(body) > 0 && body[0] == '{'
}

// parseInt accepts a JSON integer, or a JSON string holding one.
func parseInt(raw json.RawMessage) (int, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return 0, false
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
		raw = []byte(strings.TrimSpace(s))
	}
	n, err := strconv.Atoi(string(raw))
	return n, err == nil
}
