package wire

import (
	"net/http"
	"net/url"
	"testing"
)

func TestSetHeaders(t *testing.T) {
	h := NewHeader("accept", "application/json", "App-Id", "992", "x-requested-with", "XMLHttpRequest")
	want := http.Header{"Accept": {"application/json"}, "App-Id": {"992"}, "X-Requested-With": {"XMLHttpRequest"}}
	if len(h) != len(want) {
		t.Fatalf("header %v", h)
	}
	for k, v := range want {
		if got := h.Values(k); len(got) != 1 || got[0] != v[0] {
			t.Fatalf("%s: %v, want %v", k, got, v)
		}
	}
	// Appending to one value must not overwrite the next.
	h.Add("Accept", "text/plain")
	if got := h.Get("App-Id"); got != "992" {
		t.Fatalf("Add overwrote App-Id: %q", got)
	}
	SetHeaders(h, "Sign", "s", "Req-Time", "t")
	if h.Get("sign") != "s" || h.Get("req-time") != "t" || len(h.Values("Accept")) != 2 {
		t.Fatalf("header %v", h)
	}
}

func TestEncodeForm(t *testing.T) {
	for _, v := range []url.Values{
		nil,
		{},
		{"packageId": {"p 1&x=y"}, "anjukeBianHao": {"房 2"}},
		{"b": {"2", "1"}, "a": {""}, "c%": {"~!*'()"}},
	} {
		if got, want := string(EncodeForm(v)), v.Encode(); got != want {
			t.Errorf("EncodeForm(%v) = %q, want %q", v, got, want)
		}
	}
}

func BenchmarkEncodeForm(b *testing.B) {
	v := url.Values{"packageId": {"pkg-0001"}, "anjukeBianHao": {"AJK-123456"}}
	b.Run("impl=encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = []byte(v.Encode())
		}
	})
	b.Run("impl=wire", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = EncodeForm(v)
		}
	})
}

func BenchmarkHeader(b *testing.B) {
	b.Run("impl=set", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h := make(http.Header, 4)
			h.Set("Accept", "application/json")
			h.Set("Content-Type", "application/json")
			h.Set("App-Id", "992")
		}
	})
	b.Run("impl=wire", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = NewHeader("Accept", "application/json", "Content-Type", "application/json", "App-Id", "992")
		}
	})
}
