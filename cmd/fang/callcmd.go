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
	path, synopsis, about string // as for newCmdFlags
	target                string // what the positional argument is: "PATH", "SERVICE"
	example               string // a target for the message when it is missing
	dataUsage             string // the help of --data
	// input turns the JSON of --data into what the client's Do sends.
	input func(raw json.RawMessage) (any, error)
}

// doer is a client with a Do method for the endpoints fang does not wrap.
type doer interface {
	Do(ctx context.Context, method, target string, in, out any) error
}

// doerConfig is one API's configuration flags and the client they make.
type doerConfig interface {
	configFlags
	doer(c *cmdFlags, a *apiCall) (doer, error)
}

// runCall runs the call command cmd with args: GET the target with the
// --get values as the query or, with --data, POST cmd.input's form of
// it; it prints the answer's JSON.
func runCall(ctx context.Context, e *env, args []string, cfg doerConfig, cmd callCommand) int {
	target, args := splitTarget(args)
	c := newCmdFlags(cmd.path, cmd.synopsis, cmd.about)
	get := keyValues{}
	var data string
	c.Var(get, "get", "a query `name=value` (repeatable)")
	c.note("get", "")
	c.str(&data, "data", "", cmd.dataUsage)
	if code, done := c.parseAPI(e, args, cfg, true); done {
		return code
	}
	if target == "" {
		return e.fail(c, usageErr("missing %s, such as %s", cmd.target, cmd.example))
	}
	method, in := http.MethodGet, any(url.Values(get))
	if data != "" {
		raw, err := readData(data, e.stdin)
		if err != nil {
			return e.fail(c, err)
		}
		if in, err = cmd.input(raw); err != nil {
			return e.fail(c, err)
		}
		method = http.MethodPost
	}
	return callAPI(ctx, e, c, cfg.doer, func(ctx context.Context, client doer, _ *apiCall) (output, error) {
		var out json.RawMessage
		if err := client.Do(ctx, method, target, in, &out); err != nil {
			return output{}, err
		}
		return output{out, func(w io.Writer) { printJSON(w, out) }}, nil
	})
}

// keyValues is a repeatable name=value flag (--get).
type keyValues url.Values

func (kv keyValues) String() string { return url.Values(kv).Encode() }
func (kv keyValues) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("want name=value, not %q", v)
	}
	url.Values(kv).Add(name, value)
	return nil
}

// splitTarget takes the positional PATH or SERVICE off the front of args,
// so that flags may follow it.
func splitTarget(args []string) (target string, rest []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// readData reads --data: JSON given inline, or @file (@- for standard
// input). It must be valid JSON.
func readData(data string, stdin io.Reader) (json.RawMessage, error) {
	raw := []byte(data)
	if name, ok := strings.CutPrefix(data, "@"); ok {
		var err error
		if name == "-" {
			raw, err = io.ReadAll(stdin)
		} else {
			raw, err = os.ReadFile(name) //nolint:gosec // G304: the operator names the file to read (--data @file)
		}
		if err != nil {
			return nil, usageErr("--data: %v", err)
		}
	}
	if !json.Valid(raw) {
		var v any
		return nil, usageErr("--data: not valid JSON: %s", jsonProblem(raw, json.Unmarshal(raw, &v)))
	}
	return raw, nil
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
