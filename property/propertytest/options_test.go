package propertytest

import (
	"strings"
	"testing"
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
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, tt.want) {
					t.Errorf("panic %q, want it to start with %q", msg, tt.want)
				}
			}()
			s := NewServer(tt.opt)
			s.Close()
		}()
	}
	s := NewServer(nil, WithApp("app", "")) // an empty security code is allowed
	s.Close()
}
