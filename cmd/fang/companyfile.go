package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/fangsdk/fang/property"
)

// companyFile is the --file format: the wire field names. The landmark
// may be spelled nearbyLandmarks (as saveProperty takes it) or
// nearByLandmarks (as listProperty and find --json print it).
type companyFile struct {
	Name            string   `json:"name"`
	Address         string   `json:"address"`
	Tel             string   `json:"tel"`
	Corporation     string   `json:"corporation"`
	FoundingTime    string   `json:"foundingTime"`
	NearbyLandmarks string   `json:"nearbyLandmarks"`
	NearByLandmarks string   `json:"nearByLandmarks"`
	MapX            string   `json:"mapX"`
	MapY            string   `json:"mapY"`
	CommunityIDs    []string `json:"communityIds"`
	GroupIDs        []string `json:"groupIds"`
}

// companyFields are companyFile's JSON names, in order.
var companyFields = []string{"name", "address", "tel", "corporation", "foundingTime", "nearbyLandmarks", "nearByLandmarks", "mapX", "mapY", "communityIds", "groupIds"}

// readCompanyFile reads --file: a path, or "-" for standard input. Its
// errors give the line and column of a JSON mistake and name every unknown
// field, in the operator's terms (never a Go type).
func readCompanyFile(path string, stdin io.Reader) (*property.SavePropertyRequest, error) {
	name := path
	var data []byte
	var err error
	if path == "-" {
		name = "standard input"
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path) //nolint:gosec // G304: the operator names the file to read (--file)
	}
	if err != nil {
		return nil, usageErr("--file: %v", err)
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
		return nil, fail("want a JSON object with the fields %s", strings.Join(companyFields, ", "))
	}
	if dec.More() {
		return nil, fail("more than one JSON value (at %s)", position(data, dec.InputOffset()))
	}
	var unknown []string
	for k := range raw {
		if !slices.Contains(companyFields, k) {
			unknown = append(unknown, fmt.Sprintf("%q", k))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fail("unknown field(s) %s (the fields are %s)", strings.Join(unknown, ", "), strings.Join(companyFields, ", "))
	}
	var f companyFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fail("%s", jsonProblem(data, err))
	}
	_, lower := raw["nearbyLandmarks"]
	if _, upper := raw["nearByLandmarks"]; upper {
		if lower && f.NearbyLandmarks != f.NearByLandmarks {
			return nil, fail("nearbyLandmarks %q and nearByLandmarks %q differ: they are one field, give it once", f.NearbyLandmarks, f.NearByLandmarks)
		}
		f.NearbyLandmarks = f.NearByLandmarks
	}
	return &property.SavePropertyRequest{
		Name: f.Name, Address: f.Address, Tel: f.Tel, Corporation: f.Corporation,
		FoundingTime: f.FoundingTime, NearbyLandmarks: f.NearbyLandmarks, MapX: f.MapX, MapY: f.MapY,
		CommunityIDs: f.CommunityIDs, GroupIDs: f.GroupIDs,
	}, nil
}

// jsonProblem describes a decoding error with its line and column.
func jsonProblem(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("not valid JSON at %s: %s", position(data, se.Offset), se.Error())
	case errors.As(err, &te):
		want := "a string"
		if strings.HasPrefix(te.Type.String(), "[]") {
			want = "a list of strings"
		}
		if te.Field == "" {
			return fmt.Sprintf("at %s: want a JSON object, not a JSON %s", position(data, te.Offset), te.Value)
		}
		return fmt.Sprintf("at %s: %q must be %s, not a JSON %s", position(data, te.Offset), te.Field, want, te.Value)
	case errors.Is(err, io.EOF):
		return "empty: want a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Sprintf("not valid JSON: it ends early (at %s)", position(data, int64(len(data))))
	}
	return err.Error()
}

// position is "line L, column C" of a byte offset (both 1-based).
func position(data []byte, offset int64) string {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}
