package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/property"
)

// problem is one reason a request failed validation, its field named by
// its flag when one sets it.
type problem struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// requestProblems returns the problems of a validation error of either
// API, each field named by its flag (see flagName); ok is false when err
// carries no problems.
func requestProblems(err error, fieldFlags map[string]string) (problems []problem, ok bool) {
	var kie *kanfang.InvalidRequestError
	var pie *property.InvalidRequestError
	switch {
	case errors.As(err, &kie):
		for _, p := range kie.Problems {
			problems = append(problems, problem{flagName(p.Field, fieldFlags), p.Reason})
		}
	case errors.As(err, &pie):
		for _, p := range pie.Problems {
			problems = append(problems, problem{flagName(p.Field, fieldFlags), p.Reason})
		}
	default:
		return nil, false
	}
	return problems, true
}

// flagName is the flag that sets a request field ("FoundingTime" ->
// "--founding-time", "CommunityIDs[1]" -> "--community-id (value 2)"), or the
// field itself when no flag does.
func flagName(field string, fieldFlags map[string]string) string {
	base, index, indexed := strings.Cut(field, "[")
	flagName, ok := fieldFlags[base]
	if !ok {
		return field
	}
	if indexed {
		n, _ := strconv.Atoi(strings.TrimSuffix(index, "]"))
		return fmt.Sprintf("--%s (value %d)", flagName, n+1)
	}
	return "--" + flagName
}

// validationText is a validation error told in flag names: "invalid
// request: --founding-time is not a real date …; --tel is required".
func validationText(err error, fieldFlags map[string]string) (string, bool) {
	if fieldFlags == nil {
		return "", false
	}
	problems, ok := requestProblems(err, fieldFlags)
	if !ok {
		return "", false
	}
	parts := make([]string, len(problems))
	for i, p := range problems {
		parts[i] = p.Field + " " + p.Reason
	}
	return "invalid request: " + strings.Join(parts, "; "), true
}
