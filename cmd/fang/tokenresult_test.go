package main

import (
	"testing"
	"time"
)

func TestWhen(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	if got := when(time.Time{}, now); got != "never" {
		t.Errorf("when(zero) = %q", got)
	}
	if got, want := when(now.Add(90*time.Minute), now), "2024-05-01T13:30:00Z (in 1h30m0s)"; got != want {
		t.Errorf("when = %q, want %q", got, want)
	}
}
