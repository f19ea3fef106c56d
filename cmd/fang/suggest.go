package main

import "sort"

// suggest returns the candidate closest to what was typed, when it is
// close enough to be what was meant (an edit distance of at most two, or a
// prefix of at least three letters), else "".
func suggest(typed string, candidates []string) string {
	best, bestDist := "", 3
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		d := editDistance(typed, c)
		if len(typed) >= 3 && len(c) > len(typed) && c[:len(typed)] == typed {
			d = min(d, 1)
		}
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// didYouMean is " (did you mean X?)" for the closest candidate, or "".
func didYouMean(typed string, candidates []string) string {
	if s := suggest(typed, candidates); s != "" {
		return " (did you mean " + s + "?)"
	}
	return ""
}
