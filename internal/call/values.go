package call

import (
	"net/url"

	"github.com/google/go-querystring/query"

	"github.com/fangsdk/fang/internal/wire"
)

// Values turns the in of a client's Do into form or query values: nil,
// url.Values (used as is), or a struct, or pointer to one, with `url` tags
// (encoded by go-querystring; wire.StructValues encodes the plain structs
// the clients' own requests are, the same way, with fewer allocations).
func Values(in any) (url.Values, error) {
	switch v := in.(type) {
	case nil:
		return url.Values{}, nil
	case url.Values:
		return v, nil
	}
	if v, ok := wire.StructValues(in); ok {
		return v, nil
	}
	return query.Values(in)
}
