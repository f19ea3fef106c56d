package testkit

import (
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	start := time.Unix(100, 0)
	c := NewClock(start)
	c.Advance(time.Second)
	if got := c.Now(); !got.Equal(start.Add(time.Second)) {
		t.Fatalf("Now = %v", got)
	}
}

func TestPanicMessage(t *testing.T) {
	if got := PanicMessage(func() { panic("boom") }); got != "boom" {
		t.Errorf("got %q", got)
	}
	if got := PanicMessage(func() {}); got != "" {
		t.Errorf("no panic gave %q", got)
	}
	if got := PanicMessage(func() { panic(42) }); got != "" {
		t.Errorf("a non-string panic gave %q", got)
	}
}
