package auth

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// Placement says where an access token travels on a 123kanfang request. The
// server accepts the token in any one of these places; the parameter is
// always named Authorization and carries the bare token.
type Placement int

const (
	// InHeader sends "Authorization: <token>". The default.
	InHeader Placement = iota
	// InForm adds Authorization=<token> to the x-www-form-urlencoded body.
	// On a request without a form body (a GET), the query is used instead.
	InForm
	// InCookie sends the cookie Authorization=<token>.
	InCookie
	// InQuery adds Authorization=<token> to the URL's query string. The
	// server accepts it on its GET endpoints.
	InQuery
)

// ParamName is the name of the header, form field, cookie and query
// parameter that carries the token.
const ParamName = "Authorization"

// String returns "header", "form", "cookie" or "query".
func (p Placement) String() string {
	switch p {
	case InHeader:
		return "header"
	case InForm:
		return "form"
	case InCookie:
		return "cookie"
	case InQuery:
		return "query"
	}
	return fmt.Sprintf("Placement(%d)", int(p))
}

// Valid reports whether p is one of the defined placements.
func (p Placement) Valid() bool { return p >= InHeader && p <= InQuery }

// ParsePlacement is the inverse of Placement.String.
func ParsePlacement(s string) (Placement, error) {
	for p := InHeader; p <= InQuery; p++ {
		if p.String() == s {
			return p, nil
		}
	}
	return 0, fmt.Errorf("auth: unknown token placement %q (want header, form, cookie or query)", s)
}

// Carrier is the part of one outgoing request that a token can be placed
// on. Form is nil for a request without a form body.
type Carrier struct {
	Header http.Header
	Query  url.Values
	Form   url.Values
}

// ErrInvalidTokenValue is returned by Place for a token that cannot travel
// in the chosen place (a control character in a header, a character a
// cookie value may not hold). The token itself is never part of the error.
var ErrInvalidTokenValue = errors.New("auth: token value cannot be sent in the chosen placement")

// Place puts value on c where p says, under the name Authorization. value is
// sent as given: the caller adds a scheme such as "Bearer " when its API
// wants one. Both fang clients place every token through this routine.
func (p Placement) Place(c Carrier, value string) error {
	if err := p.Check(value); err != nil {
		return err
	}
	switch p {
	case InHeader:
		c.Header.Set(ParamName, value)
	case InForm:
		if c.Form == nil {
			c.Query.Set(ParamName, value)
			return nil
		}
		c.Form.Set(ParamName, value)
	case InQuery:
		c.Query.Set(ParamName, value)
	case InCookie:
		cookie := ParamName + "=" + value
		if prev := c.Header.Get("Cookie"); prev != "" {
			cookie = prev + "; " + cookie
		}
		c.Header.Set("Cookie", cookie)
	default:
		return fmt.Errorf("auth: unknown token placement %d", int(p))
	}
	return nil
}

// Check reports whether value can travel where p says, without placing it:
// an error matching ErrInvalidTokenValue for a value a header or cookie
// cannot hold (the value itself is never part of the error), or one for an
// unknown placement. Place makes the same check; clients call Check when
// they are built, for a token known in advance.
func (p Placement) Check(value string) error {
	switch p {
	case InHeader:
		if !validHeaderValue(value) {
			return fmt.Errorf("%w (header)", ErrInvalidTokenValue)
		}
	case InCookie:
		if !validCookieValue(value) {
			return fmt.Errorf("%w (cookie)", ErrInvalidTokenValue)
		}
	case InForm, InQuery:
	default:
		return fmt.Errorf("auth: unknown token placement %d", int(p))
	}
	return nil
}

// validHeaderValue rejects the bytes net/http refuses in a header value.
func validHeaderValue(v string) bool {
	for i := range len(v) {
		if b := v[i]; b < ' ' && b != '\t' || b == 0x7f {
			return false
		}
	}
	return true
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
