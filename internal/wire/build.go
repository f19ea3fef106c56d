package wire

import (
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
)

// This file holds the two allocation savings of request building, each
// shown by the PutAnjukeBianHao and SaveProperty benchmarks against their
// net/http twins (BENCHMARKS.md). Endpoint and protocol code stays plain:
// it calls these instead of repeating the tricks.

// NewHeader returns a header holding the name/value pairs of kv (an even
// number of strings). See SetHeaders.
func NewHeader(kv ...string) http.Header {
	h := make(http.Header, len(kv)/2+3) // room for the User-Agent and a token
	SetHeaders(h, kv...)
	return h
}

// SetHeaders sets each name/value pair of kv on h, as h.Set would, but
// with every value in one backing array: one allocation instead of one per
// header. Each value slice is capped at its length, so an append to one
// (net/http only reads them) copies instead of overwriting its neighbour.
func SetHeaders(h http.Header, kv ...string) {
	values := make([]string, len(kv)/2)
	for i := range values {
		values[i] = kv[2*i+1]
		h[textproto.CanonicalMIMEHeaderKey(kv[2*i])] = values[i : i+1 : i+1]
	}
}

// EncodeForm is v.Encode() as bytes, written straight into the slice that
// is sent instead of into a string that is then copied.
func EncodeForm(v url.Values) []byte {
	if len(v) == 0 {
		return []byte{}
	}
	keys := make([]string, 0, len(v))
	size := 0
	for k, vs := range v {
		keys = append(keys, k)
		for _, s := range vs {
			size += len(k) + len(s) + 2
		}
	}
	slices.Sort(keys)
	buf := make([]byte, 0, size+size/4) // escaping grows a few bytes
	for _, k := range keys {
		for _, s := range v[k] {
			if len(buf) > 0 {
				buf = append(buf, '&')
			}
			buf = append(buf, url.QueryEscape(k)...)
			buf = append(buf, '=')
			buf = append(buf, url.QueryEscape(s)...)
		}
	}
	return buf
}
