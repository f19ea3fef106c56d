package envelope

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// Seeds: the envelopes of PROTOCOL.md and the seed documents, and the
// non-JSON answers gateways send.
var kanfangSeeds = []string{
	`{"state": 200, "payload": {"packageId": "pkg-1", "anjukeBianHao": "AJK-0001"}}`,
	`{"state":401,"payload":"token 无效"}`,
	`{"state":4011,"payload":"刷新token失败"}`,
	`{"state":403,"payload":"数据包不存在"}`,
	`{"state":500,"payload":"InnerServerError -> detail ..."}`,
	`{"state":200,"payload":{"token":"abc","tokenExpireIn":172800,"refreshToken":"def","refreshTokenExpireIn":2592000}}`,
	`{"state":"200","payload":null}`,
	`{"state":2.5}`,
	`{"STATE":1e3}`,
	`<html><body><h1>502 Bad Gateway</h1></body></html>`,
	``,
	`[]`,
	"{\"state\":7,\"payload\":\"\xff\xfe\"}",
}

var hcSeeds = []string{
	`{"code":0,"msg":"成功"}`,
	`{"code":-1,"msg":"保存数据失败"}`,
	`{"code":-2,"msg":"小区已入驻"}`,
	`{"code":-3,"msg":"未配置物业默认权限"}`,
	`{"code":404,"msg":"请求发生异常，签名失败"}`,
	`{"code":0,"msg":"成功","data":{"userId":"u1","token":"t1"}}`,
	`{"code":"0","msg":{"nested":true},"data":[1,2]}`,
	`{"code":" -2 ","msg":null}`,
	`用户或密码错误`,
	`<html><body>502 Bad Gateway</body></html>`,
}

func FuzzDecodeKanfang(f *testing.F) {
	for _, s := range kanfangSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		env, ok := DecodeKanfang(body)
		if ok {
			if !intMember(body, "state", env.State) {
				t.Fatalf("ok with state %d, but the body has no integer state: %q", env.State, body)
			}
		} else if env.State != 0 || env.Payload != nil {
			t.Fatalf("not ok but a non-zero envelope %+v", env)
		}
		checkExcerpt(t, Excerpt(body))
		checkExcerpt(t, Excerpt([]byte(Text(env.Payload))))
	})
}

func FuzzDecodeHC(f *testing.F) {
	for _, s := range hcSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		env, ok := DecodeHC(body)
		if ok {
			if !intMember(body, "code", env.Code) {
				t.Fatalf("ok with code %d, but the body has no integer code: %q", env.Code, body)
			}
			checkExcerpt(t, Excerpt([]byte(env.Msg)))
		} else if env.Code != 0 || env.Msg != "" || env.Data != nil {
			t.Fatalf("not ok but a non-zero envelope %+v", env)
		}
		checkExcerpt(t, Excerpt(body))
	})
}

// checkExcerpt asserts what every quoted excerpt promises.
func checkExcerpt(t *testing.T, s string) {
	t.Helper()
	if len(s) > MaxExcerpt+len("…") {
		t.Fatalf("excerpt of %d bytes, more than %d", len(s), MaxExcerpt+len("…"))
	}
	if !utf8.ValidString(s) {
		t.Fatalf("excerpt is not valid UTF-8: %q", s)
	}
}

// intMember reports whether body is a JSON object with a member named name
// (matched as encoding/json matches field names, case-insensitively) whose
// value is the integer want, or a JSON string holding it. It is written
// independently of the decoder under test.
func intMember(body []byte, name string, want int) bool {
	if !json.Valid(body) {
		return false
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return false
	}
	for k, raw := range obj {
		if !strings.EqualFold(k, name) {
			continue
		}
		var v any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if d.Decode(&v) != nil {
			continue
		}
		var text string
		switch v := v.(type) {
		case json.Number:
			text = v.String()
		case string:
			text = strings.TrimSpace(v)
		default:
			continue
		}
		if n, err := strconv.ParseInt(text, 10, 64); err == nil && n == int64(want) {
			return true
		}
	}
	return false
}

// TestExcerptBounds keeps the inputs that once made Excerpt overrun its
// bound: invalid bytes, each replaced by the three-byte U+FFFD, in a body
// at or under MaxExcerpt bytes (testdata/fuzz/FuzzDecodeKanfang holds the
// smallest). Large inputs live here rather than in the fuzz seeds, where
// minimising them stalls the fuzzer.
func TestExcerptBounds(t *testing.T) {
	for _, body := range [][]byte{
		append([]byte("\xffa\xff"), bytes.Repeat([]byte("a"), MaxExcerpt-3)...),
		bytes.Repeat([]byte("\xffa"), MaxExcerpt),
		bytes.Repeat([]byte("\xff"), 3*MaxExcerpt),
		bytes.Repeat([]byte("名"), MaxExcerpt),
		[]byte(`{"code":1,"msg":"` + strings.Repeat("\\ud800x", MaxExcerpt) + `"}`),
	} {
		checkExcerpt(t, Excerpt(body))
		if env, ok := DecodeHC(body); ok {
			checkExcerpt(t, Excerpt([]byte(env.Msg)))
		}
	}
	if got := Excerpt([]byte(" short ")); got != "short" {
		t.Errorf("Excerpt trims: got %q", got)
	}
	if got := Excerpt(bytes.Repeat([]byte("a"), MaxExcerpt+1)); got != strings.Repeat("a", MaxExcerpt)+"…" {
		t.Errorf("Excerpt cut: got %d bytes", len(got))
	}
}
