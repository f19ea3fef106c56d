package propertytest

// Tests of the fake's fidelity to the real server: each names the java110
// MicroCommunity source (the 2025 line, commit 45102fc) it follows.

import (
	"testing"
)

// TestListMenuGroupsRequiresPageAndRow: ListMenuGroupsCmd.validate calls
// validatePageInfo (service-dev/src/main/java/com/java110/dev/cmd/menuGroup/
// ListMenuGroupsCmd.java:30; Cmd.java:26-29), so a call without page or row
// is refused, not answered with every group.
func TestListMenuGroupsRequiresPageAndRow(t *testing.T) {
	s := NewServer()
	defer s.Close()
	wantResultError(t, signedGet(t, s, ServiceListMenuGroups, s.Token), "请求中未包含page信息")
	wantResultError(t, signedGet(t, s, ServiceListMenuGroups, s.Token, [2]string{"storeType", storeTypeProperty}), "请求中未包含page信息")
	wantResultError(t, signedGet(t, s, ServiceListMenuGroups, s.Token, [2]string{"page", "1"}), "请求中未包含row信息")
}
