package propertytest_test

import (
	"testing"

	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/property/propertytest"
)

// TestConstantsMatchTheClient: the fake states the service codes on its
// own — it cannot import property, whose internal tests import it (an
// import cycle), and as an independent statement of the protocol it must
// not share a typo with the client — so this guard says at once when the
// two drift apart.
func TestConstantsMatchTheClient(t *testing.T) {
	for _, c := range [][2]string{
		{property.ServiceLogin, propertytest.ServiceLogin},
		{property.ServiceSaveProperty, propertytest.ServiceSaveProperty},
		{property.ServiceListProperty, propertytest.ServiceListProperty},
		{property.ServiceUpdateProperty, propertytest.ServiceUpdateProperty},
		{property.ServiceDeleteProperty, propertytest.ServiceDeleteProperty},
		{property.ServiceListCommunities, propertytest.ServiceListCommunities},
		{property.ServiceListMenuGroups, propertytest.ServiceListMenuGroups},
	} {
		if c[0] != c[1] {
			t.Errorf("property says %q, propertytest %q", c[0], c[1])
		}
	}
}
