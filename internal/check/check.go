// Package check collects request validation problems into one error that
// names every bad field, so a caller fixes them all in one go.
package check

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Problem is one bad field.
type Problem struct {
	Field  string // the Go field name, e.g. "PackageID"
	Reason string // e.g. "is required"
}

// Error is a failed validation. Nothing was sent. It matches (errors.Is)
// the package's ErrInvalidRequest.
type Error struct {
	Package  string // "kanfang" or "property"
	Op       string // e.g. "PutAnjukeBianHao"
	Problems []Problem
	sentinel error
}

// Error lists every problem: "kanfang: PutAnjukeBianHao: invalid request:
// PackageID is required; AnjukeBianHao is longer than 128 characters".
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: invalid request: ", e.Package, e.Op)
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Field)
		b.WriteByte(' ')
		b.WriteString(p.Reason)
	}
	return b.String()
}

// Is matches the package's ErrInvalidRequest.
func (e *Error) Is(target error) bool { return target == e.sentinel }

// Fields returns the names of the bad fields, in order.
func (e *Error) Fields() []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Field
	}
	return out
}

// Checker accumulates problems.
type Checker struct {
	pkg, op  string
	sentinel error
	problems []Problem
}

// New starts a validation of one request of op in pkg.
func New(pkg, op string, sentinel error) *Checker {
	return &Checker{pkg: pkg, op: op, sentinel: sentinel}
}

// Add records a problem.
func (c *Checker) Add(field, reason string) { c.problems = append(c.problems, Problem{field, reason}) }

// Required records field when value is empty or not valid UTF-8. It
// reports whether value passed.
func (c *Checker) Required(field, value string) bool {
	if value == "" {
		c.Add(field, "is required")
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

// RequiredText records field when value is empty, not valid UTF-8, or
// longer than limit characters.
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

// Problems returns the problems recorded so far, in order.
func (c *Checker) Problems() []Problem { return append([]Problem(nil), c.problems...) }

// Err returns the collected problems as an *Error, or nil.
func (c *Checker) Err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return &Error{Package: c.pkg, Op: c.op, Problems: c.problems, sentinel: c.sentinel}
}
