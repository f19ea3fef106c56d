package wire_test

import (
	"math/rand/v2"
	"net/url"
	"reflect"
	"strconv"
	"testing"

	"github.com/google/go-querystring/query"

	"github.com/fangsdk/fang/internal/wire"
	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/property"
)

// plain has every kind and tag StructValues encodes itself.
type plain struct {
	S      string `url:"s"`
	SOmit  string `url:"sOmit,omitempty"`
	B      bool   `url:"b"`
	BOmit  bool   `url:"bOmit,omitempty"`
	I      int    `url:"i"`
	IOmit  int64  `url:"iOmit,omitempty"`
	U      uint8  `url:"u,omitempty"`
	NoTag  string
	Skip   string `url:"-"`
	hidden string
}

// Types StructValues leaves to go-querystring.
type (
	withSlice struct {
		IDs []string `url:"ids"`
	}
	withOption struct {
		N int `url:"n,int"`
	}
	named     int
	withNamed struct {
		N named `url:"n"`
	}
	embedded struct {
		plain
	}
)

// requests are the clients' own request types, each with values that
// set and clear every field.
func requests(r *rand.Rand) []any {
	s := func() string {
		if r.IntN(3) == 0 {
			return ""
		}
		return "v " + strconv.Itoa(r.IntN(1000)) + "&=中"
	}
	n := func() int { return r.IntN(3) - 1 }
	return []any{
		&kanfang.PutAnjukeBianHaoRequest{PackageID: s(), AnjukeBianHao: s()},
		&kanfang.AddNotifyTaskRequest{PackageID: s(), NotifyConfigID: s(), ForcePush: r.IntN(2) == 0, Payload: s()},
		&property.ListPropertiesRequest{StoreID: s(), Name: s(), Tel: s(), Page: n(), Row: n()},
		&property.ListCommunitiesRequest{CommunityID: s(), Name: s(), CityCode: s(), Page: n(), Row: n()},
		&property.ListMenuGroupsRequest{StoreType: s(), Page: n(), Row: n()},
		&plain{S: s(), SOmit: s(), B: r.IntN(2) == 0, BOmit: r.IntN(2) == 0, I: n(), IOmit: int64(n()), U: uint8(r.IntN(2)), NoTag: s(), Skip: s(), hidden: s()},
		plain{S: s()},
	}
}

// TestStructValuesIsGoQuerystring: on every request type of both clients
// (and a struct with every kind and tag it handles), StructValues gives
// exactly what go-querystring gives, so the `url` tags stay the one
// source of truth whichever encodes them.
func TestStructValuesIsGoQuerystring(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		for _, in := range requests(r) {
			got, ok := wire.StructValues(in)
			if !ok {
				t.Fatalf("%T: not encoded", in)
			}
			want, err := query.Values(in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%#v:\n got %v\nwant %v", in, got, want)
			}
		}
	}
}

// TestStructValuesLeavesTheRest: what it does not handle is refused, for
// go-querystring to encode.
func TestStructValuesLeavesTheRest(t *testing.T) {
	for _, in := range []any{nil, (*plain)(nil), 3, "s", url.Values{}, withSlice{}, &withOption{}, withNamed{}, embedded{}} {
		if v, ok := wire.StructValues(in); ok {
			t.Errorf("%#v encoded as %v", in, v)
		}
	}
}

// BenchmarkStructValues: the form of PutAnjukeBianHao, encoded on every
// call, by StructValues and by go-querystring.
func BenchmarkStructValues(b *testing.B) {
	req := &kanfang.PutAnjukeBianHaoRequest{PackageID: "pkg-1", AnjukeBianHao: "ajk-1"}
	b.Run("impl=structvalues", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			wire.StructValues(req)
		}
	})
	b.Run("impl=go-querystring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = query.Values(req)
		}
	})
}
