package property

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them:
// connections, logins and timers of the client must all end.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
