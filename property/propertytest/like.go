package propertytest

import "strings"

// sqlLike is the filter ListPropertyCmd's SQL applies to a name: the
// mapper pastes it into the statement as text, t.name like '%${name}%'
// (java110-db/src/main/resources/mapper/store/StoreV1ServiceDaoImplMapper.xml:36-38),
// so MySQL first reads '%name%' as a string literal (a backslash escapes,
// \% and \_ are kept for LIKE, two quotes are one) and then as a LIKE pattern
// (% any run, _ any one character, \ takes the next one literally),
// comparing without regard to case as the tables' *_general_ci collation
// does. A lone quote ends the literal early: ok is false, and the query
// is a syntax error (what MySQL makes of text injected after the quote,
// the fake does not run).
func sqlLike(name string) (match func(string) bool, ok bool) {
	lit := []rune("%" + name + "%")
	var pat []rune // the pattern, with \ still marking a literal character
	for i := 0; i < len(lit); i++ {
		switch c := lit[i]; {
		case c == '\'':
			if i+1 < len(lit) && lit[i+1] == '\'' {
				pat = append(pat, '\\', '\'')
				i++
				continue
			}
			return nil, false
		case c == '\\' && i+1 < len(lit):
			i++
			switch n := lit[i]; n {
			case '%', '_':
				pat = append(pat, '\\', n)
			case '0':
				pat = append(pat, '\\', 0)
			case 'b':
				pat = append(pat, '\\', '\b')
			case 'n':
				pat = append(pat, '\\', '\n')
			case 'r':
				pat = append(pat, '\\', '\r')
			case 't':
				pat = append(pat, '\\', '\t')
			case 'Z':
				pat = append(pat, '\\', 0x1a)
			case '\\':
				pat = append(pat, '\\') // one backslash: LIKE's escape of what follows
			default:
				pat = append(pat, '\\', n)
			}
		default:
			pat = append(pat, c)
		}
	}
	return func(s string) bool { return likeMatch(pat, []rune(s)) }, true
}

// likeMatch reports whether s matches the LIKE pattern pat, ignoring case.
func likeMatch(pat, s []rune) bool {
	for len(pat) > 0 {
		switch c := pat[0]; c {
		case '%':
			for len(pat) > 0 && pat[0] == '%' {
				pat = pat[1:]
			}
			if len(pat) == 0 {
				return true
			}
			for i := range len(s) + 1 {
				if likeMatch(pat, s[i:]) {
					return true
				}
			}
			return false
		case '_':
			if len(s) == 0 {
				return false
			}
			pat, s = pat[1:], s[1:]
		default:
			if c == '\\' && len(pat) > 1 {
				pat = pat[1:]
				c = pat[0]
			}
			if len(s) == 0 || !sameFold(c, s[0]) {
				return false
			}
			pat, s = pat[1:], s[1:]
		}
	}
	return len(s) == 0
}

// sameFold reports whether a and b are the same letter but for case.
func sameFold(a, b rune) bool {
	return a == b || strings.EqualFold(string(a), string(b))
}

// likeSyntaxError is MySQL's answer to a name whose quote ends the
// literal early (the text it quotes after "near" is approximated).
func likeSyntaxError(name string) string {
	rest := name[strings.IndexByte(name, '\'')+1:]
	return "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '" + rest + "%'' at line 1"
}

// boundLike is the filter of a mapper that binds the name as a parameter,
// like concat('%',#{name},'%') (the communities', the staff query's): no
// string literal to break, but % and _ are still wildcards, a backslash
// escapes and case is ignored.
func boundLike(name string) func(string) bool {
	pat := []rune("%" + name + "%")
	return func(s string) bool { return likeMatch(pat, []rune(s)) }
}

// sqlEqual is MySQL's = between two strings of a *_general_ci column:
// case is ignored, and so are trailing spaces (PAD SPACE).
func sqlEqual(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(a, " "), strings.TrimRight(b, " "))
}
