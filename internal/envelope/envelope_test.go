package envelope

import "testing"

// TestDecodeHCCode: only a real 0 is success; a string code must be an
// integer in canonical form.
func TestDecodeHCCode(t *testing.T) {
	tests := []struct {
		body string
		code int
		ok   bool
	}{
		{`{"code":0,"msg":"成功"}`, 0, true},
		{`{"code":"0","msg":"成功"}`, 0, true},
		{`{"code":404,"msg":"x"}`, 404, true},
		{`{"code":"-2","msg":"小区已入驻"}`, -2, true},
		{`{"code":"+0"}`, 0, false},
		{`{"code":" -0 "}`, 0, false},
		{`{"code":"000"}`, 0, false},
		{`{"code":" 0"}`, 0, false},
		{`{"code":"0x0"}`, 0, false},
		{`{"code":0.5}`, 0, false},
		{`{"code":null}`, 0, false},
		{`{"msg":"no code"}`, 0, false},
	}
	for _, tt := range tests {
		env, ok := DecodeHC([]byte(tt.body))
		if ok != tt.ok || env.Code != tt.code {
			t.Errorf("DecodeHC(%s) = %d, %v; want %d, %v", tt.body, env.Code, ok, tt.code, tt.ok)
		}
	}
}

// TestDecodeKanfangState: the state is a JSON number; a string is not.
func TestDecodeKanfangState(t *testing.T) {
	for body, want := range map[string]bool{
		`{"state":200,"payload":{}}`:    true,
		`{"state":4011,"payload":"x"}`:  true,
		`{"state":"200","payload":{}}`:  false,
		`{"state":" 200","payload":{}}`: false,
		`{"payload":{}}`:                false,
		`{"state":200.5}`:               false,
	} {
		if _, ok := DecodeKanfang([]byte(body)); ok != want {
			t.Errorf("DecodeKanfang(%s) ok = %v, want %v", body, ok, want)
		}
	}
}
