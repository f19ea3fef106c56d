package call

import (
	"net/url"
	"testing"
)

func TestValues(t *testing.T) {
	type in struct {
		Name string `url:"name"`
		Page int    `url:"page"`
		Skip string `url:"skip,omitempty"`
	}
	given := url.Values{"x": {"1", "2"}}
	for _, tt := range []struct {
		in   any
		want string
	}{
		{nil, ""},
		{given, "x=1&x=2"},
		{in{Name: "房 A", Page: 2}, "name=%E6%88%BF+A&page=2"},
		{&in{Name: "b"}, "name=b&page=0"},
	} {
		v, err := Values(tt.in)
		if err != nil || v == nil || v.Encode() != tt.want {
			t.Errorf("Values(%#v) = %q, %v; want %q", tt.in, v.Encode(), err, tt.want)
		}
	}
	// url.Values are used as is, not copied.
	if v, _ := Values(given); &v["x"][0] != &given["x"][0] {
		t.Error("url.Values copied")
	}
	// Anything else go-querystring refuses: a map that is not url.Values.
	if _, err := Values(map[string][]string{"x": {"1"}}); err == nil {
		t.Error("Values accepted a map")
	}
}
