package kanfang

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them:
// connections, renewals and timers of the client must all end.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
