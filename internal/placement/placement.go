// Package placement puts an access token on an outgoing request where an
// auth.Placement says: the one routine both fang clients place every token
// through. It is internal: users choose a placement (auth.InHeader,
// auth.InForm, auth.InCookie, auth.InQuery) and the clients do the rest.
package placement

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/wire"
)

// ParamName is the name of the header, form field, cookie and query
// parameter that carries the token.
const ParamName = "Authorization"

// Carrier is the part of one outgoing request that a token can be placed
// on. Form is nil for a request without a form body.
type Carrier struct {
	Header http.Header
	Query  url.Values
	Form   url.Values
}

// Place puts value on c where p says, under the name Authorization. value
// is sent as given: the caller adds a scheme such as "Bearer " when its API
// wants one. A value that cannot travel there gives an error matching
// auth.ErrInvalidTokenValue, and an unknown placement an error (see Check).
func Place(p auth.Placement, c Carrier, value string) error {
	if err := Check(p, value); err != nil {
		return err
	}
	switch p {
	case auth.InHeader:
		c.Header.Set(ParamName, value)
	case auth.InForm:
		if c.Form == nil {
			c.Query.Set(ParamName, value)
			return nil
		}
		c.Form.Set(ParamName, value)
	case auth.InQuery:
		c.Query.Set(ParamName, value)
	case auth.InCookie:
		cookie := ParamName + "=" + value
		if prev := c.Header.Get("Cookie"); prev != "" {
			cookie = prev + "; " + cookie
		}
		c.Header.Set("Cookie", cookie)
	}
	return nil
}

// Check reports whether value can travel where p says, without placing it:
// an error matching auth.ErrInvalidTokenValue for a value a header or
// cookie cannot hold (the value itself is never part of the error), or one
// for an unknown placement. Place makes the same check; clients call Check
// when they are built, for a token known in advance.
func Check(p auth.Placement, value string) error {
	switch p {
	case auth.InHeader:
		if wire.CheckHeaderValue("the token", value) != nil {
			return fmt.Errorf("%w (header)", auth.ErrInvalidTokenValue)
		}
	case auth.InCookie:
		if !validCookieValue(value) {
			return fmt.Errorf("%w (cookie)", auth.ErrInvalidTokenValue)
		}
	case auth.InForm, auth.InQuery:
	default:
		return fmt.Errorf("auth: unknown token placement %d", int(p))
	}
	return nil
}

// validCookieValue accepts RFC 6265 cookie-octets only, so that net/http
// never rewrites (and logs about) the value.
func validCookieValue(v string) bool {
	for i := range len(v) {
		b := v[i]
		if b < 0x21 || b > 0x7e || b == '"' || b == ',' || b == ';' || b == '\\' {
			return false
		}
	}
	return true
}
