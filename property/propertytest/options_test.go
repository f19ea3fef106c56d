package propertytest

import (
	"strings"
	"testing"

	"github.com/fangsdk/fang/internal/testkit"
)

// TestBadOptionsPanic: a bad option makes NewServer panic with a message
// naming it, as kanfangtest.NewServer does; a nil option is skipped.
func TestBadOptionsPanic(t *testing.T) {
	for _, tt := range []struct {
		opt  Option
		want string
	}{
		{WithApp("", "code"), "propertytest: WithApp: "},
		{WithCredentials("", "p"), "propertytest: WithCredentials: "},
		{WithCredentials("u", ""), "propertytest: WithCredentials: "},
		{WithUser("", "189", "p"), "propertytest: WithUser: "},
		{WithUser("u", "189", ""), "propertytest: WithUser: "},
		{WithSessionLifetime(0), "propertytest: WithSessionLifetime: "},
	} {
		msg := testkit.PanicMessage(func() { NewServer(tt.opt).Close() })
		if !strings.HasPrefix(msg, tt.want) {
			t.Errorf("panic %q, want it to start with %q", msg, tt.want)
		}
	}
	s := NewServer(nil, WithApp("app", "")) // an empty security code is allowed
	s.Close()
}
