package kanfangtest_test

import (
	"testing"

	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/kanfang/kanfangtest"
)

// TestConstantsMatchTheClient: the fake states the endpoints on its own —
// it cannot import kanfang, whose internal tests import it (an import
// cycle), and as an independent statement of the protocol it must not
// share a typo with the client — so this guard says at once when the two
// drift apart.
func TestConstantsMatchTheClient(t *testing.T) {
	for _, c := range [][2]string{
		{kanfang.PathGetAccessToken, kanfangtest.PathGetAccessToken},
		{kanfang.PathRefreshToken, kanfangtest.PathRefreshToken},
		{kanfang.PathPutAnjukeBianHao, kanfangtest.PathPutAnjukeBianHao},
		{kanfang.PathAddNewNotifyTaskByPackageID, kanfangtest.PathAddNewNotifyTaskByPackageID},
		{kanfang.ClientEdition, kanfangtest.ClientEdition},
	} {
		if c[0] != c[1] {
			t.Errorf("kanfang says %q, kanfangtest %q", c[0], c[1])
		}
	}
}
