package kanfangtest

import (
	"strings"
	"testing"

	"github.com/fangsdk/fang/internal/testkit"
)

// TestBadOptionsPanic: a bad option makes NewServer panic with a message
// naming it, as propertytest.NewServer does; a nil option is skipped.
func TestBadOptionsPanic(t *testing.T) {
	for _, tt := range []struct {
		opt  Option
		want string
	}{
		{WithCredentials("", "v"), "kanfangtest: WithCredentials: "},
		{WithCredentials("k", ""), "kanfangtest: WithCredentials: "},
		{WithTokenLifetime(0), "kanfangtest: WithTokenLifetime: "},
		{WithRefreshTokenLifetime(-1), "kanfangtest: WithRefreshTokenLifetime: "},
		{WithSignKey(""), "kanfangtest: WithSignKey: "},
	} {
		msg := testkit.PanicMessage(func() { NewServer(tt.opt).Close() })
		if !strings.HasPrefix(msg, tt.want) {
			t.Errorf("panic %q, want it to start with %q", msg, tt.want)
		}
	}
	s := NewServer(nil, WithTokenLifetime(1500e6)) // 1.5 s: whole seconds
	defer s.Close()
	if s.cfg.tokenLife.Seconds() != 1 {
		t.Errorf("token lifetime %v", s.cfg.tokenLife)
	}
}
