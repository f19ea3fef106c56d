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

// TestCompanyFields: the fields --file's errors and help name are the
// JSON names of the SDK's request, in order.
func TestCompanyFields(t *testing.T) {
	t.Parallel()
	want := "name, address, tel, corporation, foundingTime, nearbyLandmarks, mapX, mapY, communityIds, groupIds"
	if got := companyFields(); got != want {
		t.Errorf("companyFields() = %q, want %q", got, want)
	}
	wantContains(t, fang(t, nil, "property", "save-property", "--help").stdout, want)
}

// TestCompanyFileLandmarkSpellings: --file takes the landmark as
// saveProperty spells it (nearbyLandmarks) and as find --json prints it
// (nearByLandmarks); both with different values is refused.
func TestCompanyFileLandmarkSpellings(t *testing.T) {
	t.Parallel()
	srv := propertyServer(t)
	dir := t.TempDir()
	save := func(tel, landmarks string) result {
		path := filepath.Join(dir, tel+".json")
		content := `{"name":"地标物业` + tel + `","address":"a","tel":"` + tel + `","corporation":"c","foundingTime":"2022-09-01",` + landmarks + `}`
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return fang(t, propertyEnv(srv), "property", "save-property", "--file", path)
	}
	save("13800000001", `"nearByLandmarks":"国投广场"`).wantCode(t, exitOK)
	save("13800000002", `"nearbyLandmarks":"西单"`).wantCode(t, exitOK)
	save("13800000003", `"nearbyLandmarks":"王府井","nearByLandmarks":"王府井"`).wantCode(t, exitOK)
	r := save("13800000004", `"nearbyLandmarks":"王府井","nearByLandmarks":"西单"`).wantCode(t, exitUsage)
	wantContains(t, r.stderr, `nearbyLandmarks "王府井" and nearByLandmarks "西单" differ`)
	got := map[string]string{}
	for _, c := range srv.Companies() {
		got[c.Tel] = c.NearbyLandmarks
	}
	want := map[string]string{"13800000001": "国投广场", "13800000002": "西单", "13800000003": "王府井"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("landmarks saved %v, want %v", got, want)
	}

	// What find --json prints goes back in: its landmark key is accepted.
	m := fang(t, propertyEnv(srv), "property", "find", "--tel", "13800000001", "--json").wantCode(t, exitOK).jsonOut(t)
	p := m["result"].(map[string]any)["properties"].([]any)[0].(map[string]any)
	if p["nearByLandmarks"] != "国投广场" {
		t.Errorf("find --json prints %v", p)
	}
}
