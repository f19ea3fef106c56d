package placement

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fangsdk/fang/auth"
)

func TestPlace(t *testing.T) {
	for _, p := range []auth.Placement{auth.InHeader, auth.InForm, auth.InCookie, auth.InQuery} {
		c := Carrier{Header: http.Header{}, Query: url.Values{}, Form: url.Values{}}
		if err := Place(p, c, "tok"); err != nil {
			t.Fatal(err)
		}
		got := map[auth.Placement]string{
			auth.InHeader: c.Header.Get("Authorization"),
			auth.InForm:   c.Form.Get("Authorization"),
			auth.InCookie: c.Header.Get("Cookie"),
			auth.InQuery:  c.Query.Get("Authorization"),
		}
		for q, v := range got {
			want := ""
			if q == p {
				want = "tok"
				if q == auth.InCookie {
					want = "Authorization=tok"
				}
			}
			if v != want {
				t.Errorf("placement %v: %v holds %q, want %q", p, q, v, want)
			}
		}
	}
	// Form placement on a request without a form (a GET) uses the query.
	c := Carrier{Header: http.Header{}, Query: url.Values{}}
	if err := Place(auth.InForm, c, "tok"); err != nil || c.Query.Get("Authorization") != "tok" {
		t.Fatalf("form without body: %v %v", c.Query, err)
	}
	// An existing cookie is kept.
	c = Carrier{Header: http.Header{"Cookie": {"a=b"}}}
	Place(auth.InCookie, c, "tok")
	if got := c.Header.Get("Cookie"); got != "a=b; Authorization=tok" {
		t.Fatalf("cookie %q", got)
	}
	for _, tt := range []struct {
		p auth.Placement
		v string
	}{{auth.InHeader, "bad\r\nvalue-secret"}, {auth.InCookie, "has space-secret"}, {auth.InCookie, `quote"-secret`}} {
		err := Place(tt.p, Carrier{Header: http.Header{}}, tt.v)
		if !errors.Is(err, auth.ErrInvalidTokenValue) || strings.Contains(err.Error(), "secret") {
			t.Errorf("%v %q: %v", tt.p, tt.v, err)
		}
	}
	if err := Place(auth.Placement(7), Carrier{Header: http.Header{}}, "x"); err == nil {
		t.Fatal("unknown placement accepted")
	}
}
