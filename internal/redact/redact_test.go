package redact

import "testing"

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
