package main

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/property"
)

var camelKey = regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)

// jsonKeys returns every key of v that is not camelCase, with its path;
// the keys of "headers" are header names and are not checked.
func jsonKeys(path string, v any, bad *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if !camelKey.MatchString(k) {
				*bad = append(*bad, path+"."+k)
			}
			if k != "headers" {
				jsonKeys(path+"."+k, x, bad)
			}
		}
	case []any:
		for i, x := range v {
			jsonKeys(fmt.Sprintf("%s[%d]", path, i), x, bad)
		}
	}
}

// TestJSONKeysCamelCase: every key --json prints is camelCase, as the
// APIs spell theirs, in results, errors and dry runs; an error has one
// message field.
func TestJSONKeysCamelCase(t *testing.T) {
	t.Parallel()
	kf := kanfangServer(t)
	hc := propertyServer(t)
	put := []string{"kanfang", "put-anjuke-bianhao", "--package-id", "p1", "--bianhao", "b1"}
	runs := []struct {
		env  map[string]string
		args []string
	}{
		{kanfangEnv(kf), put},
		{kanfangEnv(kf), append(put, "--dry-run")},
		{map[string]string{"FANG_KANFANG_BASE_URL": kf.URL, "FANG_KANFANG_TOKEN": "not-the-token-value"}, put},
		{kanfangEnv(kf), []string{"kanfang", "put-anjuke-bianhao"}},
		{kanfangCredEnv(kf), []string{"kanfang", "token", "--show-secret"}},
		{kanfangEnv(kf), []string{"kanfang", "push", "--package-id", "p1", "--notify-config-id", "anjuke"}},
		{nil, []string{"kanfang", "put-anjuke-bianhao", "--no-such-flag"}},
		{propertyEnv(hc), saveArgs()},
		{propertyEnv(hc), saveArgs()}, // the community is taken now: an HC failure
		{propertyEnv(hc), saveArgs("--dry-run")},
		{propertyEnv(hc), []string{"property", "save-property", "--name", "n"}},
		{propertyCredEnv(hc), []string{"property", "login", "--show-secret"}},
		{propertyEnv(hc), []string{"property", "find", "--tel", "18909711449"}},
		{propertyEnv(hc), []string{"property", "communities"}},
		{propertyEnv(hc), []string{"property", "menu-groups"}},
		{propertyEnv(hc), []string{"property", "update", "--store-id", "s1", "--nearby-landmarks", "x"}},
		{nil, []string{"version"}},
	}
	for _, r := range runs {
		n := min(2, len(r.args))
		name := strings.Join(r.args[:n], " ")
		// --json first: a bad flag after it is reported in JSON too.
		out := fang(t, r.env, slices.Insert(slices.Clone(r.args), n, "--json")...)
		m := out.jsonOut(t)
		var bad []string
		jsonKeys("", m, &bad)
		sort.Strings(bad)
		if len(bad) > 0 {
			t.Errorf("%s (exit %d): keys not in camelCase: %v\n%s", name, out.code, bad, out.stdout)
		}
		if e, ok := m["error"].(map[string]any); ok {
			for k := range e {
				if l := strings.ToLower(k); k != "message" && (strings.Contains(l, "msg") || strings.Contains(l, "message")) {
					t.Errorf("%s: the error has a second message field %q:\n%s", name, k, out.stdout)
				}
			}
		}
	}
}

// TestExitCodes: 0 ok, 1 failure, 2 usage, 3 outcome unknown; an outcome
// known after the fact (ErrNotCreated: nothing was created) is a plain
// failure. Every help says so.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, exitOK},
		{usageErr("bad"), exitUsage},
		{fmt.Errorf("x: %w", property.ErrInvalidRequest), exitUsage},
		{fmt.Errorf("x: %w", kanfang.ErrConfig), exitUsage},
		{fmt.Errorf("x: %w", property.ErrOutcomeUnknown), exitUnknown},
		{fmt.Errorf("x: %w", kanfang.ErrOutcomeUnknown), exitUnknown},
		{fmt.Errorf("x: %w", property.ErrNotCreated), exitAPI},
		{fmt.Errorf("x: %w", kanfang.ErrRejected), exitAPI},
		{errors.New("connection refused"), exitAPI},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("exitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
	wantContains(t, fang(t, nil, "--help").stdout, "3 outcome unknown")
	for name, g := range groups {
		for _, sub := range g.names() {
			wantContains(t, fang(t, nil, name, sub, "--help").stdout, exitCodesHelp)
		}
	}
}
