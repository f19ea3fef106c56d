package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/fangsdk/fang/property"
)

// companyFile is the --file format: the SDK's request under its JSON
// names, and the landmark also as listProperty and find --json spell it.
type companyFile struct {
	property.SavePropertyRequest
	NearByLandmarks *string `json:"nearByLandmarks"`
}

// companyFields are the JSON names --file takes, comma-separated.
func companyFields() string {
	var names []string
	for f := range reflect.TypeFor[property.SavePropertyRequest]().Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

// readCompanyFile reads --file: a path, or "-" for standard input. Its
// errors give the line and column of a JSON mistake and name every unknown
// field, in the operator's terms (never a Go type).
func readCompanyFile(name string) (*property.SavePropertyRequest, error) {
	data, err := readFile("--file", name)
	if err != nil {
		return nil, err
	}
	if name == "-" {
		name = "standard input"
	}
	fail := func(format string, args ...any) error {
		return usageErr("--file %s: %s", name, fmt.Sprintf(format, args...))
	}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return nil, fail("%s", jsonProblem(data, err))
	}
	if raw == nil {
		return nil, fail("want a JSON object with the fields %s", companyFields())
	}
	if dec.More() {
		return nil, fail("more than one JSON value (at %s)", position(data, dec.InputOffset()))
	}
	var unknown []string
	for k := range raw {
		if k != "nearByLandmarks" && !slices.Contains(strings.Split(companyFields(), ", "), k) {
			unknown = append(unknown, fmt.Sprintf("%q", k))
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return nil, fail("unknown field(s) %s (the fields are %s)", strings.Join(unknown, ", "), companyFields())
	}
	var f companyFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fail("%s", jsonProblem(data, err))
	}
	if l := f.NearByLandmarks; l != nil {
		if _, both := raw["nearbyLandmarks"]; both && f.NearbyLandmarks != *l {
			return nil, fail("nearbyLandmarks %q and nearByLandmarks %q differ: they are one field, give it once", f.NearbyLandmarks, *l)
		}
		f.NearbyLandmarks = *l
	}
	return &f.SavePropertyRequest, nil
}

// jsonProblem describes a decoding error with its line and column.
func jsonProblem(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("not valid JSON at %s: %s", position(data, se.Offset), se.Error())
	case errors.As(err, &te) && te.Field == "":
		return fmt.Sprintf("at %s: want a JSON object, not a JSON %s", position(data, te.Offset), te.Value)
	case errors.As(err, &te):
		want := "a string"
		if te.Type.Kind() == reflect.Slice {
			want = "a list of strings"
		}
		field := te.Field[strings.LastIndexByte(te.Field, '.')+1:] // without the embedded SavePropertyRequest
		return fmt.Sprintf("at %s: %q must be %s, not a JSON %s", position(data, te.Offset), field, want, te.Value)
	case errors.Is(err, io.EOF):
		return "empty: want a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Sprintf("not valid JSON: it ends early (at %s)", position(data, int64(len(data))))
	}
	return err.Error()
}

// position is "line L, column C" of a byte offset (both 1-based).
func position(data []byte, offset int64) string {
	before := data[:min(offset, int64(len(data)))]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}
