package kanfang

import (
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/google/go-querystring/query"
)

// field is one request parameter.
type field struct{ name, value string }

// encodeFields returns fields, sorted by name, as url.Values.Encode would
// encode them: name=value pairs, query-escaped, joined by "&". The result
// is never nil.
func encodeFields(fields []field) []byte {
	n := 0
	for _, f := range fields {
		n += len(f.name) + len(f.value) + 2
	}
	body := make([]byte, 0, n)
	for i, f := range fields {
		if i > 0 {
			body = append(body, '&')
		}
		body = append(body, url.QueryEscape(f.name)...)
		body = append(body, '=')
		body = append(body, url.QueryEscape(f.value)...)
	}
	return body
}

// formOf returns the parameters that go-querystring makes of the request
// struct v (a non-nil pointer), sorted by name as url.Values.Encode sorts
// them.
//
// go-querystring decides the names, and which fields an empty value
// leaves out. It reflects over the struct and builds a map on every call;
// for a struct of plain string fields, what it makes of each field is
// learnt once per type, by asking query.Values about probe values, and each
// call then reads the fields directly. Other structs go through
// query.Values on every call.
func formOf(v any) ([]field, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fieldsOf(query.Values(v))
	}
	plan := planFor(rv.Elem().Type())
	if plan == nil {
		return fieldsOf(query.Values(v))
	}
	sv := rv.Elem()
	fields := make([]field, 0, len(plan))
	for _, p := range plan {
		value := sv.Field(p.index).String()
		if value == "" && p.omitEmpty {
			continue
		}
		fields = append(fields, field{p.name, value})
	}
	return fields, nil
}

// fieldsOf flattens values, sorted by name.
func fieldsOf(values url.Values, err error) ([]field, error) {
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	slices.Sort(names)
	var fields []field
	for _, name := range names {
		for _, value := range values[name] {
			fields = append(fields, field{name, value})
		}
	}
	return fields, nil
}

// planField is what go-querystring makes of one struct field.
type planField struct {
	index     int
	name      string
	omitEmpty bool
}

var plans sync.Map // reflect.Type -> []planField, nil when the type is not plain

func planFor(t reflect.Type) []planField {
	if p, ok := plans.Load(t); ok {
		return p.([]planField)
	}
	p := learnPlan(t)
	plans.Store(t, p)
	return p
}

// learnPlan asks go-querystring what it makes of each field of the struct
// type t. It returns nil, meaning "call query.Values every time", unless
// every field is a plain string (no methods, not embedded) that
// go-querystring either ignores or encodes as exactly one name=value pair
// of its own, the value unchanged.
func learnPlan(t reflect.Type) []planField {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous || f.Type.Kind() != reflect.String || f.Type.NumMethod() > 0 || reflect.PointerTo(f.Type).NumMethod() > 0 {
			return nil
		}
	}
	zero, err := query.Values(reflect.New(t).Interface())
	if err != nil {
		return nil
	}
	var plan []planField
	names := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		if !t.Field(i).IsExported() {
			continue
		}
		probe := reflect.New(t)
		marker := "fang-probe-" + strconv.Itoa(i) + " =&%"
		probe.Elem().Field(i).SetString(marker)
		got, err := query.Values(probe.Interface())
		if err != nil {
			return nil
		}
		name, found := "", 0
		for k, vs := range got {
			if len(vs) == 1 && vs[0] == marker {
				name, found = k, found+1
			}
		}
		switch {
		case found == 0 && reflect.DeepEqual(got, zero):
			continue // ignored (url:"-")
		case found != 1 || names[name]:
			return nil
		}
		// Apart from this field's pair, the probe encodes as the zero
		// value does.
		rest := make(url.Values, len(got))
		for k, vs := range got {
			if k != name {
				rest[k] = vs
			}
		}
		if zv, ok := zero[name]; ok {
			if len(zv) != 1 || zv[0] != "" {
				return nil
			}
			rest[name] = zv
		}
		if !reflect.DeepEqual(rest, zero) {
			return nil
		}
		_, kept := zero[name]
		names[name] = true
		plan = append(plan, planField{index: i, name: name, omitEmpty: !kept})
	}
	if len(zero) != len(plan)-countOmitted(plan) {
		return nil
	}
	slices.SortFunc(plan, func(a, b planField) int { return strings.Compare(a.name, b.name) })
	return plan
}

func countOmitted(plan []planField) int {
	n := 0
	for _, p := range plan {
		if p.omitEmpty {
			n++
		}
	}
	return n
}
