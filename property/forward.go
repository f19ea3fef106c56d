package property

import (
	"net/url"
	"slices"
	"strings"

	"github.com/fangsdk/fang/internal/check"
)

// unforwardable are the characters HC's gateway cannot pass on in a GET
// parameter's value. ApiServiceSMOImpl appends the decoded query
// (BaseController's REQUEST_URL: name=value pairs joined as they are) to
// the command service's URL and hands it to RestTemplate as a URI
// template: & ends the value early and starts another parameter, # drops
// the rest of the query, + arrives as a space, and { } fail the template
// (内部异常). A search for "A&B" would silently list every "A" company.
const unforwardable = "&#+{}"

// forwardableReason is the problem recorded for such a value.
const forwardableReason = "must not contain & # + { or }: HC's gateway forwards a GET's parameters undecoded, so the service would not get this value"

// checkForwardable records field when value is a GET parameter value the
// gateway would not pass on intact.
func checkForwardable(c *check.Checker, field, value string) {
	if strings.ContainsAny(value, unforwardable) {
		c.Add(field, forwardableReason)
	}
}

// unforwardableParams returns the names in v, sorted, of the parameters
// with a value the gateway would not pass on intact.
func unforwardableParams(v url.Values) []string {
	var found []string
	for name, values := range v {
		if slices.ContainsFunc(values, func(s string) bool { return strings.ContainsAny(s, unforwardable) }) {
			found = append(found, name)
		}
	}
	slices.Sort(found)
	return found
}
