package check

import (
	"strings"
	"testing"
)

// problem is a package's own Problem type, as kanfang and property declare
// it.
type pkgProblem struct {
	Field  string // documented per package
	Reason string
}

func TestCheckerCollectsEveryProblem(t *testing.T) {
	c := New("Op")
	c.Required("A", "")
	c.Required("B", "ok")
	c.Required("C", "bad\xff")
	c.MaxRunes("D", "房房房", 2)
	c.MaxRunes("E", "房房", 2)
	c.Text("F", "\xfe")
	if !c.Failed() || c.Op() != "Op" {
		t.Fatalf("failed %v, op %q", c.Failed(), c.Op())
	}
	ps := As[pkgProblem](c)
	if got := strings.Join(Fields(ps), ","); got != "A,C,D,F" {
		t.Fatalf("fields %s", got)
	}
	want := "pkg: Op: invalid request: A is required; C is not valid UTF-8; D is longer than 2 characters (3); F is not valid UTF-8"
	if got := Message("pkg", "Op", ps); got != want {
		t.Fatalf("message\n%s\nwant\n%s", got, want)
	}
	if c := New("Op"); c.Failed() || As[pkgProblem](c) != nil {
		t.Fatal("no problems, yet a failure")
	}
}

func TestRequiredAndOptionalText(t *testing.T) {
	c := New("Op")
	c.RequiredText("A", "", 3)
	c.RequiredText("B", "abcd", 3)
	c.RequiredText("C", "abc", 3)
	c.OptionalText("D", "", 3)
	c.OptionalText("E", "物业公司", 3)
	c.OptionalText("F", "\xff", 3)
	if got := strings.Join(Fields(As[pkgProblem](c)), ","); got != "A,B,E,F" {
		t.Fatalf("fields %s", got)
	}
}

// TestRequiredRefusesBlank: a value made only of white space is no value
// (HC would create a company whose name is a space).
func TestRequiredRefusesBlank(t *testing.T) {
	c := New("Op")
	for i, v := range []string{" ", "   ", "\t", " \n ", "\u3000", "\u00a0"} {
		if c.Required(string(rune('A'+i)), v) {
			t.Errorf("Required(%q) passed", v)
		}
	}
	c.RequiredText("G", " \u3000", 3)
	if !c.Required("H", " x ") {
		t.Error("a value with text around spaces failed")
	}
	ps := As[pkgProblem](c)
	if got := strings.Join(Fields(ps), ","); got != "A,B,C,D,E,F,G" {
		t.Fatalf("fields %s", got)
	}
	for _, p := range ps {
		if p.Reason != Blank {
			t.Errorf("%s: %q, want %q", p.Field, p.Reason, Blank)
		}
	}
}
