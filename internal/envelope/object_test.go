package envelope

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// decodeHCReference and decodeKanfangReference are DecodeHC and
// DecodeKanfang as they were before Object: the body decoded by
// encoding/json (which validates it, then decodes it, copying the
// members). The fuzz target below keeps the one-pass decoders equal to
// them.
func decodeHCReference(body []byte) (HC, bool) {
	var raw struct {
		Code json.RawMessage `json:"code"`
		Msg  json.RawMessage `json:"msg"`
		Data json.RawMessage `json:"data"`
	}
	if !isObject(body) || json.Unmarshal(body, &raw) != nil {
		return HC{}, false
	}
	code, ok := hcCode(raw.Code)
	if !ok {
		return HC{}, false
	}
	return HC{Code: code, Msg: Text(raw.Msg), Data: raw.Data}, true
}

func decodeKanfangReference(body []byte) (Kanfang, bool) {
	var raw struct {
		State   json.RawMessage `json:"state"`
		Payload json.RawMessage `json:"payload"`
	}
	if !isObject(body) || json.Unmarshal(body, &raw) != nil {
		return Kanfang{}, false
	}
	state, err := strconv.Atoi(string(raw.State))
	if err != nil {
		return Kanfang{}, false
	}
	return Kanfang{State: state, Payload: raw.Payload}, true
}

func isObject(body []byte) bool {
	body = bytes.TrimSpace(body)
	return len(body) > 0 && body[0] == '{'
}

// objectSeeds are the documents where a hand-written scanner goes wrong:
// numbers, escapes, control characters, nesting, trailing bytes, names
// matched by case folding.
var objectSeeds = []string{
	`{}`, ` { } `, `{"a":1}`, `{"a":1,}`, `{,"a":1}`, `{"a" 1}`, `{"a":}`, `{"a":1 "b":2}`,
	`{"a":-0}`, `{"a":-}`, `{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":1e}`, `{"a":1e+}`, `{"a":1E-7}`, `{"a":-1.5e+10}`,
	`{"a":tru}`, `{"a":truex}`, `{"a":nul}`, `{"a":[1,2,]}`, `{"a":[,]}`, `{"a":[]}`, `{"a":[[[]]]}`,
	`{"a":"\u00e9\n\t\/\\\""}`, `{"a":"\u00g9"}`, `{"a":"\x"}`, "{\"a\":\"\x01\"}", "{\"a\":\"\xff\"}", `{"a":"\u12"}`,
	`{"a":1} x`, `{"a":1}}`, `{"a":1`, `{"a`, `[{"code":0}]`, `"code"`, `null`, "\v{}", "{}\u00a0",
	`{"CODE":0}`, `{"Code":"0","MSG":"m","Data":[1]}`, `{"co\u0064e":0}`, `{"code":1,"code":0}`, `{"code":0,"code":null}`,
	"{\"\u017fode\":0}", "{\"code\":0,\"m\u017fg\":\"long s\"}", "{\"data\":1,\"dat\u212a\":2}", `{"code":0,"data":null}`,
	`{"code":0,"msg":{"x":[1,{"y":null}]},"data":{"rows":[{"a":"b"}]}}`,
}

func FuzzObjectValid(f *testing.F) {
	for _, s := range append(append(objectSeeds, hcSeeds...), kanfangSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		want := json.Valid(body) && isObject(body)
		var names, values [][]byte
		got := Object(body, func(name, value []byte) {
			names, values = append(names, name), append(values, value)
		})
		if got != want {
			t.Fatalf("Object(%q) = %v, json.Valid and an object: %v", body, got, want)
		}
		if got {
			for i, v := range values {
				if !json.Valid(v) || len(bytes.TrimSpace(v)) != len(v) {
					t.Fatalf("member %q: value %q is not a trimmed JSON value", names[i], v)
				}
			}
		}
		gotEnv, gotOK := DecodeHC(body)
		wantEnv, wantOK := decodeHCReference(body)
		if gotOK != wantOK || gotEnv.Code != wantEnv.Code || gotEnv.Msg != wantEnv.Msg || !bytes.Equal(gotEnv.Data, wantEnv.Data) || (gotEnv.Data == nil) != (wantEnv.Data == nil) {
			t.Fatalf("DecodeHC(%q) = %+v, %v; the encoding/json decoding gives %+v, %v", body, gotEnv, gotOK, wantEnv, wantOK)
		}
		gotK, gotOK := DecodeKanfang(body)
		wantK, wantOK := decodeKanfangReference(body)
		if gotOK != wantOK || gotK.State != wantK.State || !bytes.Equal(gotK.Payload, wantK.Payload) || (gotK.Payload == nil) != (wantK.Payload == nil) {
			t.Fatalf("DecodeKanfang(%q) = %+v, %v; the encoding/json decoding gives %+v, %v", body, gotK, gotOK, wantK, wantOK)
		}
	})
}

// TestObjectDepth: encoding/json refuses a document nested deeper than
// 10,000 levels, and so does Object.
func TestObjectDepth(t *testing.T) {
	for _, depth := range []int{maxDepth - 1, maxDepth, maxDepth + 1} {
		inner := strings.Repeat("[", depth-1) + strings.Repeat("]", depth-1)
		body := []byte(`{"data":` + inner + `}`)
		if got, want := Object(body, func(_, _ []byte) {}), json.Valid(body); got != want {
			t.Errorf("depth %d: Object %v, json.Valid %v", depth, got, want)
		}
	}
}

// TestNameIs: names match as encoding/json matches fields.
func TestNameIs(t *testing.T) {
	for name, want := range map[string]bool{
		"code": true, "CODE": true, "cOdE": true, "\u017fode": false, "m\u017fg": true,
		"dat\u212a": false, "\u212aey": false, "codes": false, "cod": false, "": false,
	} {
		field := "code"
		switch {
		case strings.HasPrefix(name, "m"):
			field = "msg"
		case strings.HasPrefix(name, "dat"):
			field = "data"
		}
		var probe struct {
			Code int `json:"code"`
			Msg  int `json:"msg"`
			Data int `json:"data"`
		}
		doc, _ := json.Marshal(map[string]int{name: 1})
		_ = json.Unmarshal(doc, &probe)
		ref := map[string]int{"code": probe.Code, "msg": probe.Msg, "data": probe.Data}[field] == 1
		if got := NameIs([]byte(name), field); got != ref || got != want {
			t.Errorf("NameIs(%q, %q) = %v; encoding/json %v; want %v", name, field, got, ref, want)
		}
	}
}
