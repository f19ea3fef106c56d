package redact

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/envelope"
)

func TestString(t *testing.T) {
	tests := []struct {
		in      string
		secrets []string
		want    string
	}{
		{"token abcd1234 rejected, abcd1234 again", []string{"abcd1234"}, "token [REDACTED] rejected, [REDACTED] again"},
		{"two: s3cret and t0ken", []string{"s3cret", "t0ken", ""}, "two: [REDACTED] and [REDACTED]"},
		{"short secrets are left: abc", []string{"abc"}, "short secrets are left: abc"},
		{"nothing to hide", nil, "nothing to hide"},
	}
	for _, tt := range tests {
		if got := String(tt.in, tt.secrets...); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEncodedForms: a secret echoed in any encoding is scrubbed.
func TestEncodedForms(t *testing.T) {
	secret := `tok+en/with=sp ace&<q>"密码"`
	jsonHTML, _ := json.Marshal(secret)
	var plain strings.Builder
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(secret)
	echoes := map[string]string{
		"raw":             secret,
		"query":           url.QueryEscape(secret),
		"query lower hex": strings.ToLower(url.QueryEscape(secret)),
		"path":            url.PathEscape(secret),
		"form":            url.Values{"Authorization": {secret}}.Encode(),
		"json":            string(jsonHTML),
		"json no html":    strings.TrimSpace(plain.String()),
		"json slash":      strings.ReplaceAll(string(jsonHTML), "/", `\/`),
		"json ascii":      `"tok+en/with=sp ace\u0026\u003cq\u003e\"\u5bc6\u7801\""`,
	}
	for name, echo := range echoes {
		got := String("server says: "+echo+" end", secret)
		if strings.Contains(got, "tok") || strings.Contains(got, "with") || !strings.Contains(got, auth.Redacted) ||
			!strings.HasPrefix(got, "server says: ") || !strings.HasSuffix(got, " end") {
			t.Errorf("%s: %q became %q", name, echo, got)
		}
	}
}

// TestExcerptScrubsBeforeCutting: a secret straddling the excerpt's cut
// leaves no prefix of itself.
func TestExcerptScrubsBeforeCutting(t *testing.T) {
	secret := "SECRETTOKEN0123456789"
	for shift := 1; shift < len(secret); shift++ {
		body := strings.Repeat("x", envelope.MaxExcerpt-shift) + secret + strings.Repeat("y", 100)
		got := Excerpt([]byte(body), secret)
		if strings.Contains(got, secret[:4]) {
			t.Fatalf("shift %d: a prefix of the secret survives the cut: …%s", shift, got[len(got)-30:])
		}
	}
}
