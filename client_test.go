package fang

import (
	"errors"
	"net/http"
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
