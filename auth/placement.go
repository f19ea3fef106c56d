package auth

import (
	"errors"
	"fmt"
)

// Placement says where an access token travels on a 123kanfang request
// (kanfang.WithTokenPlacement). The server accepts the token in any one of
// these places; the parameter is always named Authorization and carries the
// bare token.
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

// ErrInvalidTokenValue is matched by the error of a call whose token cannot
// travel in the chosen placement (a control character in a header, a
// character a cookie value may not hold); NewClient refuses such a static
// token with ErrConfig. The token itself is never part of the error.
var ErrInvalidTokenValue = errors.New("auth: token value cannot be sent in the chosen placement")
