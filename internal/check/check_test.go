package check

import (
	"errors"
	"strings"
	"testing"
)

var errSentinel = errors.New("pkg: invalid request")

func TestCheckerCollectsEveryProblem(t *testing.T) {
	c := New("pkg", "Op", errSentinel)
	c.Required("A", "")
	c.Required("B", "ok")
	c.Required("C", "bad\xff")
	c.MaxRunes("D", "房房房", 2)
	c.MaxRunes("E", "房房", 2)
	c.Text("F", "\xfe")
	err := c.Err()
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, errSentinel) {
		t.Fatalf("err = %v", err)
	}
	if got := strings.Join(e.Fields(), ","); got != "A,C,D,F" {
		t.Fatalf("fields %s", got)
	}
	want := "pkg: Op: invalid request: A is required; C is not valid UTF-8; D is longer than 2 characters (3); F is not valid UTF-8"
	if err.Error() != want {
		t.Fatalf("message\n%s\nwant\n%s", err, want)
	}
	if New("pkg", "Op", errSentinel).Err() != nil {
		t.Fatal("no problems, yet an error")
	}
}

func TestRequiredAndOptionalText(t *testing.T) {
	c := New("p", "Op", errors.New("invalid"))
	c.RequiredText("A", "", 3)
	c.RequiredText("B", "abcd", 3)
	c.RequiredText("C", "abc", 3)
	c.OptionalText("D", "", 3)
	c.OptionalText("E", "物业公司", 3)
	c.OptionalText("F", "\xff", 3)
	var e *Error
	if !errors.As(c.Err(), &e) || strings.Join(e.Fields(), ",") != "A,B,E,F" {
		t.Fatalf("err = %v", c.Err())
	}
}
