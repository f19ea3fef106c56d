// Package redact scrubs known secrets out of text that reaches callers:
// server messages may echo what they were sent.
package redact

import (
	"strings"

	"github.com/fangsdk/fang/internal/envelope"
)

// Mask is what a secret is replaced with.
const Mask = "[REDACTED]"

// minLen is the shortest secret scrubbed: shorter strings would mangle
// ordinary text and are not worth hiding.
const minLen = 4

// String returns s with every occurrence of each secret replaced by Mask.
func String(s string, secrets ...string) string {
	for _, secret := range secrets {
		if len(secret) >= minLen && strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, Mask)
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
