package envelope

import (
	"bytes"
	"encoding/json"
	"unicode"
	"unicode/utf8"
)

// maxDepth is encoding/json's nesting limit: a document nested deeper is
// not valid JSON to it, so it is not to Object either.
const maxDepth = 10000

// Object walks body, a JSON object, once: it reports whether body is valid
// JSON (exactly as json.Valid does) whose top-level value is an object,
// and calls fn, in order, for each member with its name (unquoted) and its
// value as raw JSON, without surrounding space. Both alias body, which
// must not change while they are used; nothing is copied, so a large
// answer's envelope costs one pass over the bytes, no allocation, and its
// payload can be decoded once afterwards. fn is called before the rest of
// body is checked: a caller must ignore what it saw when Object returns
// false.
func Object(body []byte, fn func(name, value []byte)) bool {
	s := scanner{b: body}
	i := s.space(0)
	if i >= len(body) || body[i] != '{' {
		return false
	}
	i = s.object(i, fn)
	return i >= 0 && s.space(i) == len(body)
}

// scanner validates JSON text as encoding/json's scanner does (grammar,
// control characters in strings, escapes, the nesting limit; invalid UTF-8
// is accepted, as json.Valid accepts it) with a plain loop per value.
type scanner struct {
	b     []byte
	depth int
}

func (s *scanner) space(i int) int {
	for i < len(s.b) {
		switch s.b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// value returns the end of the value starting at s.b[i], or -1.
func (s *scanner) value(i int) int {
	if i >= len(s.b) {
		return -1
	}
	switch c := s.b[i]; {
	case c == '"':
		return s.str(i)
	case c == '{':
		return s.object(i, nil)
	case c == '[':
		return s.array(i)
	case c == 't':
		return s.literal(i, "true")
	case c == 'f':
		return s.literal(i, "false")
	case c == 'n':
		return s.literal(i, "null")
	case c == '-' || '0' <= c && c <= '9':
		return s.number(i)
	}
	return -1
}

// object returns the end of the object starting at s.b[i] ('{'), or -1;
// fn, when not nil, sees each member.
func (s *scanner) object(i int, fn func(name, value []byte)) int {
	return s.container(i, '}', fn)
}

// array returns the end of the array starting at s.b[i] ('['), or -1.
func (s *scanner) array(i int) int { return s.container(i, ']', nil) }

// container returns the end of the object or array starting at s.b[i],
// which end is the closing byte of, or -1. The elements of an object are
// members, each a name, a colon and a value; fn, when not nil, sees them.
func (s *scanner) container(i int, end byte, fn func(name, value []byte)) int {
	if s.depth++; s.depth > maxDepth {
		return -1
	}
	i = s.space(i + 1)
	if i < len(s.b) && s.b[i] == end {
		s.depth--
		return i + 1
	}
	for {
		var name []byte
		if end == '}' {
			if i >= len(s.b) || s.b[i] != '"' {
				return -1
			}
			j := s.str(i)
			if j < 0 {
				return -1
			}
			name = s.b[i+1 : j-1]
			i = s.space(j)
			if i >= len(s.b) || s.b[i] != ':' {
				return -1
			}
			i = s.space(i + 1)
		}
		j := s.value(i)
		if j < 0 {
			return -1
		}
		if fn != nil {
			fn(unquoteName(name), s.b[i:j])
		}
		i = s.space(j)
		if i >= len(s.b) {
			return -1
		}
		switch s.b[i] {
		case ',':
			i = s.space(i + 1)
		case end:
			s.depth--
			return i + 1
		default:
			return -1
		}
	}
}

// str returns the end of the string starting at s.b[i] ('"'), or -1.
func (s *scanner) str(i int) int {
	b := s.b
	for i++; i < len(b); i++ {
		c := b[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		switch {
		case c == '"':
			return i + 1
		case c < 0x20:
			return -1
		}
		// A backslash.
		i++
		if i >= len(b) {
			return -1
		}
		switch b[i] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		case 'u':
			if i+4 >= len(b) {
				return -1
			}
			for _, h := range b[i+1 : i+5] {
				if !isHex(h) {
					return -1
				}
			}
			i += 4
		default:
			return -1
		}
	}
	return -1
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func (s *scanner) literal(i int, lit string) int {
	if len(s.b)-i < len(lit) || string(s.b[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

// number returns the end of the number starting at s.b[i], or -1. What
// follows it is the caller's to check ("01" is a 0 followed by garbage).
func (s *scanner) number(i int) int {
	b := s.b
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digits(b, i+1)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		if i++; i >= len(b) || !isDigit(b[i]) {
			return -1
		}
		i = digits(b, i)
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return -1
		}
		i = digits(b, i)
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digits(b []byte, i int) int {
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	return i
}

// unquoteName returns the text of a member name given its contents
// between the quotes (already checked): the contents themselves unless
// they hold an escape, which is rare in a name.
func unquoteName(raw []byte) []byte {
	if !bytes.Contains(raw, []byte{'\\'}) {
		return raw
	}
	var s string
	_ = json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s)
	return []byte(s)
}

// NameIs reports whether a member name matches a struct field whose JSON
// name is field, as encoding/json matches them: exactly, or equal under
// its case folding (so "Code" and "CODE" are "code"). field is ASCII.
func NameIs(name []byte, field string) bool {
	if string(name) == field {
		return true
	}
	j := 0
	for i := 0; i < len(name); {
		var r rune
		if c := name[i]; c < utf8.RuneSelf {
			r = rune(c)
			i++
		} else {
			var n int
			r, n = utf8.DecodeRune(name[i:])
			i += n
		}
		if j >= len(field) || foldRune(r) != foldRune(rune(field[j])) {
			return false
		}
		j++
	}
	return j == len(field)
}

// foldRune is encoding/json's: the smallest rune of r's simple case
// folding orbit ('k', 'K' and the Kelvin sign are 'K').
func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}
