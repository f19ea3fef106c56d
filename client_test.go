package fang

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/property"
)

func TestNewConfiguresWhatIsGiven(t *testing.T) {
	c, err := New(WithKanfang(kanfang.WithToken(auth.StaticToken("t"))))
	if err != nil || c.Kanfang == nil || c.Property != nil {
		t.Fatalf("%+v %v", c, err)
	}
	_, err = New(WithProperty(property.WithAppID("a")))
	if !errors.Is(err, property.ErrConfig) {
		t.Fatalf("missing base URL: %v", err)
	}
	_, err = New(WithKanfang(kanfang.WithBaseURL("ftp://x")), WithHTTPClient(&http.Client{}))
	if !errors.Is(err, kanfang.ErrConfig) {
		t.Fatalf("bad kanfang base URL: %v", err)
	}
	c, err = New(WithKanfang())
	if err != nil || c.Kanfang == nil {
		t.Fatalf("WithKanfang() with no options: %+v, %v", c, err)
	}
}

// TestUserAgent: fang's product token always goes on the wire, after the
// caller's own.
func TestUserAgent(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("User-Agent"))
		io.WriteString(w, `{"state":200,"payload":{"packageId":"p","anjukeBianHao":"b"}}`)
	}))
	defer srv.Close()
	for _, opts := range [][]kanfang.Option{nil, {kanfang.WithUserAgent("myapp/1.2")}} {
		c, err := kanfang.NewClient(append([]kanfang.Option{kanfang.WithBaseURL(srv.URL), kanfang.WithToken(auth.StaticToken("t"))}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.PutAnjukeBianHao(context.Background(), &kanfang.PutAnjukeBianHaoRequest{PackageID: "p", AnjukeBianHao: "b"}); err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"fang/" + Version, "myapp/1.2 fang/" + Version}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("User-Agent %q, want %q", got, want)
	}
}
