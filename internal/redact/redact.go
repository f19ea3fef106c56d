// Package redact scrubs known secrets out of text that reaches callers:
// server messages may echo what they were sent, raw or encoded.
package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/envelope"
)

// minLen is the shortest secret scrubbed: shorter strings would mangle
// ordinary text and are not worth hiding.
const minLen = 4

// String returns s with every occurrence of each secret replaced by
// auth.Redacted,
// in every form a server may echo it in: as is, query-escaped (form and
// query values: "+" for a space, %2B, %2F, %3D), path-escaped,
// JSON-escaped (with or without HTML escaping, "\/" for "/", non-ASCII as
// \uXXXX), with upper- or lower-case percent hex. Secrets shorter than 4
// bytes are left alone.
func String(s string, secrets ...string) string {
	for _, secret := range secrets {
		if len(secret) < minLen {
			continue
		}
		for _, form := range forms(secret) {
			s = strings.ReplaceAll(s, form, auth.Redacted)
		}
	}
	return s
}

// Excerpt is what an error may quote of a body or message b: every secret
// scrubbed first, then cut to envelope.MaxExcerpt bytes of valid UTF-8.
// Scrubbing before cutting means a secret straddling the cut cannot leak
// its beginning.
func Excerpt(b []byte, secrets ...string) string {
	return envelope.Excerpt([]byte(String(string(b), secrets...)))
}

// forms returns the encodings of secret a server may echo, longest first so
// that a form containing another is replaced whole.
func forms(secret string) []string {
	out := []string{secret}
	add := func(f string) {
		if slices.Contains(out, f) {
			return
		}
		out = append(out, f)
	}
	for _, f := range []string{url.QueryEscape(secret), url.PathEscape(secret)} {
		add(f)
		add(lowerHex(f))
	}
	for _, f := range jsonForms(secret) {
		add(f)
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// jsonForms is secret as encoding/json writes it inside a string, with and
// without HTML escaping, with "/" escaped, and with every non-ASCII
// character as \uXXXX (what Java's JSON libraries write).
func jsonForms(secret string) []string {
	var out []string
	for _, html := range []bool{true, false} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		if err := enc.Encode(secret); err != nil {
			continue
		}
		f := strings.TrimSuffix(b.String(), "\n")
		f = f[1 : len(f)-1]
		out = append(out, f, strings.ReplaceAll(f, "/", `\/`), asciiOnly(f))
	}
	return out
}

// asciiOnly replaces every non-ASCII character of s by its \uXXXX escape
// (a surrogate pair beyond the BMP).
func asciiOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// lowerHex returns s with the hex digits of its percent escapes in lower
// case.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1] = lower(b[i+1])
			b[i+2] = lower(b[i+2])
		}
	}
	return string(b)
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}
