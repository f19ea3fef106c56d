package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestCompanyFileErrors: JSON mistakes are located by line and column,
// every unknown field is named, and no Go type name shows.
func TestCompanyFileErrors(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t)
	dir := t.TempDir()
	for name, tc := range map[string]struct{ content, want string }{
		"syntax":        {"{\n  \"name\": \"A\",\n  \"tel\" \"1\"\n}", "line 3, column"},
		"unknown":       {`{"name":"A","titel":"B","telephone":"1"}`, `unknown field(s) "telephone", "titel"`},
		"wrong type":    {"{\n\"name\": \"A\",\n\"communityIds\": \"c1\"\n}", `at line 3, column 21: "communityIds" must be a list of strings, not a JSON string`},
		"number":        {`{"tel": 13800000000}`, `"tel" must be a string, not a JSON number`},
		"not an object": {`["a"]`, "want a JSON object, not a JSON array"},
		"two values":    {`{"name":"A"} {"name":"B"}`, "more than one JSON value"},
		"empty":         {``, "empty: want a JSON object"},
		"cut short":     {`{"name":"A",`, "ends early"},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".json")
		if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
			t.Fatal(err)
		}
		r := fang(t, propertyEnv(srv), "property", "save-property", "--file", path).wantCode(t, exitUsage)
		wantContains(t, r.stderr, tc.want)
		wantNotContains(t, r.stderr, "main.", "companyFile", "[]string")
	}
	if n := srv.Requests(""); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestCompanyFileFromStdin: --file - reads standard input.
func TestCompanyFileFromStdin(t *testing.T) {
	old := stdin
	defer func() { stdin = old }()
	stdin = strings.NewReader(`{"name":"标准输入物业","address":"a","tel":"13800000077","corporation":"c","foundingTime":"2022-09-01","mapX":"116.4"}`)
	srv := propertyServer(t)
	fang(t, propertyEnv(srv), "property", "save-property", "--file", "-").wantCode(t, exitOK)
	cs := srv.Companies()
	if len(cs) != 1 || cs[0].Name != "标准输入物业" || cs[0].MapX != "116.4" {
		t.Fatalf("companies %+v", cs)
	}
}

// TestCompanyFields: the field list that --file's errors give is
// companyFile's JSON names, in order.
func TestCompanyFields(t *testing.T) {
	t.Parallel()
	typ := reflect.TypeFor[companyFile]()
	var names []string
	for field := range typ.Fields() {
		names = append(names, field.Tag.Get("json"))
	}
	if !reflect.DeepEqual(names, companyFields) {
		t.Errorf("companyFile's JSON names %q, companyFields %q", names, companyFields)
	}
}
