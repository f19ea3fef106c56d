package propertytest

import (
	"strings"
	"testing"

	"github.com/fangsdk/fang/internal/testkit"
)

// TestBadOptionsPanic: each bad option makes NewServer panic with a
// message naming it, as kanfangtest.NewServer does; a nil option is
// skipped.
func TestBadOptionsPanic(t *testing.T) {
	bad := map[string][]Option{
		"WithApp":             {WithApp("", "code")},
		"WithCredentials":     {WithCredentials("", "p"), WithCredentials("u", "")},
		"WithUser":            {WithUser("", "189", "p"), WithUser("u", "189", "")},
		"WithSessionLifetime": {WithSessionLifetime(0)},
	}
	for name, opts := range bad {
		for _, opt := range opts {
			if msg := testkit.PanicMessage(func() { NewServer(opt).Close() }); !strings.HasPrefix(msg, "propertytest: "+name+": ") {
				t.Errorf("%s: panic %q", name, msg)
			}
		}
	}
	s := NewServer(nil, WithApp("app", "")) // an empty security code is allowed
	s.Close()
}
