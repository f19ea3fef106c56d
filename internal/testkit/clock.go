package testkit

import (
	"time"

	"github.com/fangsdk/fang/internal/fakeserver"
)

// Clock is the fakes' manual clock, safe for concurrent use. Give its Now
// method to a client and to a fake server so both see the same time.
type Clock = fakeserver.Clock

// NewClock returns a clock reading start until it is advanced.
func NewClock(start time.Time) *Clock {
	return fakeserver.NewClock(func() time.Time { return start })
}
