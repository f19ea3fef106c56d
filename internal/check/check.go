// Package check collects request validation problems into one error that
// names every bad field, so a caller fixes them all in one go.
package check

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Problem is one bad field.
type Problem struct {
	Field  string // the Go field name, e.g. "PackageID"
	Reason string // e.g. "is required"
}

// problem is the shape of every package's exported Problem type
// (kanfang.Problem, property.Problem): each package documents its own
// type, and these helpers serve them all.
type problem interface {
	~struct {
		Field  string
		Reason string
	}
}

// Message is the text of an invalid-request error: "kanfang:
// PutAnjukeBianHao: invalid request: PackageID is required; AnjukeBianHao
// is longer than 128 characters".
func Message[P problem](pkg, op string, problems []P) string {
	var b strings.Builder
	b.WriteString(pkg + ": " + op + ": invalid request: ")
	for i, p := range problems {
		q := Problem(p)
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(q.Field + " " + q.Reason)
	}
	return b.String()
}

// Fields returns the names of the bad fields, in order.
func Fields[P problem](problems []P) []string {
	out := make([]string, len(problems))
	for i, p := range problems {
		out[i] = Problem(p).Field
	}
	return out
}

// As returns c's problems as a package's Problem type, or nil when there
// are none.
func As[P problem](c *Checker) []P {
	if len(c.problems) == 0 {
		return nil
	}
	out := make([]P, len(c.problems))
	for i, p := range c.problems {
		out[i] = P(p)
	}
	return out
}

// Checker accumulates problems.
type Checker struct {
	op       string
	problems []Problem
}

// New starts a validation of one request of op (the Go method).
func New(op string) *Checker { return &Checker{op: op} }

// Add records a problem.
func (c *Checker) Add(field, reason string) { c.problems = append(c.problems, Problem{field, reason}) }

// Blank is the problem of a required value made only of white space
// (spaces, tabs, the ideographic space U+3000, ...): the servers accept it
// and would create, say, a company whose name is a space.
const Blank = "is blank (only white space)"

// Required records field when value is empty, only white space, or not
// valid UTF-8. It reports whether value passed.
func (c *Checker) Required(field, value string) bool {
	switch {
	case value == "":
		c.Add(field, "is required")
		return false
	case strings.TrimSpace(value) == "":
		c.Add(field, Blank)
		return false
	}
	return c.Text(field, value)
}

// Text records field when value is not valid UTF-8: the servers would
// reject it, or JSON encoding would silently replace the bad bytes. It
// reports whether value passed.
func (c *Checker) Text(field, value string) bool {
	if !utf8.ValidString(value) {
		c.Add(field, "is not valid UTF-8")
		return false
	}
	return true
}

// MaxRunes records field when value has more than limit characters.
func (c *Checker) MaxRunes(field, value string, limit int) {
	if n := utf8.RuneCountInString(value); n > limit {
		c.Add(field, fmt.Sprintf("is longer than %d characters (%d)", limit, n))
	}
}

// RequiredText records field when value is empty, only white space, not
// valid UTF-8, or longer than limit characters.
func (c *Checker) RequiredText(field, value string, limit int) {
	if c.Required(field, value) {
		c.MaxRunes(field, value, limit)
	}
}

// OptionalText records field when value is not valid UTF-8 or longer than
// limit characters; empty is fine.
func (c *Checker) OptionalText(field, value string, limit int) {
	if c.Text(field, value) {
		c.MaxRunes(field, value, limit)
	}
}

// Op is the operation being checked.
func (c *Checker) Op() string { return c.op }

// NilContext is the problem of a nil ctx.
const NilContext = "is nil (use context.Background())"

// Context records ctx when it is nil: every call needs a context.
func (c *Checker) Context(ctx context.Context) {
	if ctx == nil {
		c.Add("ctx", NilContext)
	}
}

// Method records the method given to a client's Do unless it is GET or
// POST.
func (c *Checker) Method(method string) {
	if method != http.MethodGet && method != http.MethodPost {
		c.Add("method", "must be GET or POST")
	}
}

// Failed reports whether a problem was recorded.
func (c *Checker) Failed() bool { return len(c.problems) > 0 }
