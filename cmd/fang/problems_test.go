package main

import (
	"errors"
	"fmt"
	"testing"
)

func TestFlagName(t *testing.T) {
	t.Parallel()
	flags := map[string]string{"FoundingTime": "founding-time", "CommunityIDs": "community-id"}
	for field, want := range map[string]string{
		"FoundingTime":    "--founding-time",
		"CommunityIDs[0]": "--community-id (value 1)",
		"CommunityIDs[1]": "--community-id (value 2)",
		"MapX":            "MapX",        // no flag sets it
		"GroupIDs[3]":     "GroupIDs[3]", // nor this
	} {
		if got := flagName(field, flags); got != want {
			t.Errorf("flagName(%q) = %q, want %q", field, got, want)
		}
	}
	if got := flagName("FoundingTime", nil); got != "FoundingTime" {
		t.Errorf("flagName without flags = %q", got)
	}
}

// TestDescribeOtherErrors: only validation errors carry problems and are
// reworded; any other error keeps its message.
func TestDescribeOtherErrors(t *testing.T) {
	t.Parallel()
	other := fmt.Errorf("wrapped: %w", errors.New("not a validation error"))
	if info := describe(other, map[string]string{}); info.Problems != nil || info.Message != other.Error() || info.Kind != "transport" {
		t.Errorf("describe(%v) = %+v", other, info)
	}
}
