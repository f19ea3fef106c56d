package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
)

// doer is a client with a Do method for the endpoints fang does not wrap.
type doer interface {
	Do(ctx context.Context, method, target string, in, out any) error
}

// callArgs are the arguments of a call command: its target (a path or a
// service), the --get values and --data.
type callArgs struct {
	target string
	get    url.Values
	data   string
}

// callArgs defines --get and --data on c and takes the target from args:
// the first, unless it is a flag (flags may follow the target). It
// returns the flags that follow.
func (c *cmd) callArgs(args []string, dataUsage string) (*callArgs, []string) {
	a := &callArgs{get: url.Values{}}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		a.target, args = args[0], args[1:]
	}
	c.Func("get", "a query `name=value` (repeatable)", func(v string) error {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return fmt.Errorf("want name=value, not %q", v)
		}
		a.get.Add(name, value)
		return nil
	})
	c.StringVar(&a.data, "data", "", dataUsage)
	return a, args
}

// send calls the target with client: GET with the --get values as the
// query or, with --data, POST input's form of it. The output is the
// answer's JSON. missing names the target for the error when it is
// missing.
func (a *callArgs) send(ctx context.Context, client doer, missing string, input func(raw json.RawMessage) (any, error)) (output, error) {
	if a.target == "" {
		return output{}, usageErr("missing %s", missing)
	}
	method, in := http.MethodGet, any(a.get)
	if a.data != "" {
		raw, err := readData(a.data)
		if err == nil {
			in, err = input(raw)
		}
		if err != nil {
			return output{}, err
		}
		method = http.MethodPost
	}
	var out json.RawMessage
	err := client.Do(ctx, method, a.target, in, &out)
	return output{out, func(w io.Writer) { printJSON(w, out) }}, err
}

// readData reads --data: JSON given inline, or @file (@- for standard
// input). It must be valid JSON.
func readData(data string) (json.RawMessage, error) {
	raw := []byte(data)
	if name, ok := strings.CutPrefix(data, "@"); ok {
		var err error
		if raw, err = readFile("--data", name); err != nil {
			return nil, err
		}
	}
	if !json.Valid(raw) {
		var v any
		return nil, usageErr("--data: not valid JSON: %s", jsonProblem(raw, json.Unmarshal(raw, &v)))
	}
	return raw, nil
}

// readFile reads the file named by the flag, "-" for standard input.
func readFile(flag, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	b, err := os.ReadFile(name) //nolint:gosec // G304: the operator names the file to read
	if err != nil {
		return nil, usageErr("%s: %v", flag, err)
	}
	return b, nil
}

// printJSON writes raw indented, or as it is when it is not JSON.
func printJSON(w io.Writer, raw json.RawMessage) {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		fmt.Fprintln(w, string(raw))
		return
	}
	writeJSON(w, v)
}
