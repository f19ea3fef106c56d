package call

import (
	"net/url"

	"github.com/google/go-querystring/query"
)

// Values turns the in of a client's Do into form or query values: nil,
// url.Values (used as is), or a struct, or pointer to one, with `url` tags
// (encoded by go-querystring).
func Values(in any) (url.Values, error) {
	switch v := in.(type) {
	case nil:
		return url.Values{}, nil
	case url.Values:
		return v, nil
	}
	return query.Values(in)
}
