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

// callCommand is what differs between fang kanfang call and fang property
// call; runCall does the rest.
type callCommand struct {
	path, about string // as for newCmdFlags
	target      string // what the positional argument is: "PATH", "SERVICE"
	example     string // a target for the message when it is missing
	dataUsage   string // the help of --data
	// define defines the API's configuration flags.
	define func(c *cmdFlags)
	// input turns the JSON of --data into what the client's Do sends.
	input func(raw json.RawMessage) (any, error)
	// doer makes the API's client.
	doer func(c *cmdFlags, hc *http.Client) (doer, error)
}

// doer is a client with a Do method for the endpoints fang does not wrap.
type doer interface {
	Do(ctx context.Context, method, target string, in, out any) error
}

// runCall runs the call command cmd with args: GET the target with
// the --get values as the query or, with --data, POST cmd.input's form of
// it; it prints the answer's JSON.
func (e *env) runCall(ctx context.Context, args []string, cmd callCommand) int {
	target := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") { // flags may follow the target
		target, args = args[0], args[1:]
	}
	c := newCmdFlags(cmd.path, cmd.about)
	get := url.Values{}
	var data string
	c.Func("get", "a query `name=value` (repeatable)", func(v string) error {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return fmt.Errorf("want name=value, not %q", v)
		}
		get.Add(name, value)
		return nil
	})
	c.str(&data, "data", "", cmd.dataUsage)
	if code, done := c.parseAPI(e, args, cmd.define); done {
		return code
	}
	if target == "" {
		return e.fail(c, usageErr("missing %s, such as %s", cmd.target, cmd.example))
	}
	method, in := http.MethodGet, any(get)
	if data != "" {
		raw, err := e.readData(data)
		if err == nil {
			in, err = cmd.input(raw)
		}
		if err != nil {
			return e.fail(c, err)
		}
		method = http.MethodPost
	}
	return e.call(ctx, c, func(ctx context.Context, hc *http.Client) (output, error) {
		client, err := cmd.doer(c, hc)
		if err != nil {
			return output{}, err
		}
		var out json.RawMessage
		err = client.Do(ctx, method, target, in, &out)
		return output{out, func(w io.Writer) { printJSON(w, out) }}, err
	})
}

// readData reads --data: JSON given inline, or @file (@- for standard
// input). It must be valid JSON.
func (e *env) readData(data string) (json.RawMessage, error) {
	raw := []byte(data)
	if name, ok := strings.CutPrefix(data, "@"); ok {
		var err error
		if raw, err = e.readFile("--data", name); err != nil {
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
func (e *env) readFile(flag, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(e.stdin)
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
