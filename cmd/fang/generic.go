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

	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/property"
)

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

func (e *env) kanfangCall(ctx context.Context, args []string) int {
	path, args := splitTarget(args)
	c := newCmdFlags("kanfang call", "PATH [--get name=value]... [--data JSON|@file] [flags]",
		`Calls any 123kanfang endpoint through fang's pipeline (token, strong
validation, retries): GET PATH with the --get values as the query, or, with
--data (a JSON object of string values), POST PATH with them as the form.
Prints the payload of a state-200 answer. A POST is never repeated once it
may have reached the server.

Example: fang kanfang call /v2/houseTask/putAnjukeBianHao --data '{"packageId":"p1","anjukeBianHao":"1"}'`)
	var cfg kanfangConfig
	get := keyValues{}
	var data string
	c.Var(get, "get", "a query `name=value` (repeatable)")
	c.note("get", "")
	c.str(&data, "data", "", "the form as a JSON object of strings, inline or @file (@- for standard input): sends a POST")
	cfg.define(c, true)
	c.apiFlags()
	if code, done := c.parse(e, args); done {
		return code
	}
	if path == "" {
		return e.fail(c, usageErr("missing PATH, such as /v2/houseTask/putAnjukeBianHao"))
	}
	method, in := http.MethodGet, url.Values(get)
	if data != "" {
		raw, err := readData(data, e.stdin)
		if err != nil {
			return e.fail(c, err)
		}
		var form map[string]string
		if err := json.Unmarshal(raw, &form); err != nil {
			return e.fail(c, usageErr("--data: want a JSON object of string values"))
		}
		method, in = http.MethodPost, url.Values{}
		for k, v := range form {
			in.Set(k, v)
		}
	}
	return callAPI(ctx, e, c, cfg.client, func(ctx context.Context, client *kanfang.Client, _ *apiCall) (output, error) {
		var out json.RawMessage
		if err := client.Do(ctx, method, path, in, &out); err != nil {
			return output{}, err
		}
		return output{out, func(w io.Writer) { printJSON(w, out) }}, nil
	})
}

func (e *env) propertyCall(ctx context.Context, args []string) int {
	service, args := splitTarget(args)
	c := newCmdFlags("property call", "SERVICE [--get name=value]... [--data JSON|@file] [flags]",
		`Calls any HC service through fang's pipeline (session, signing,
transaction-id): GET /app/SERVICE with the --get values as the query (signed
over "?" and the decoded query), or, with --data, POST /app/SERVICE with the
JSON body. Prints the whole JSON answer. A POST is never repeated once it may
have reached the server.

Example: fang property call community.listCommunitys --get page=1 --get row=10`)
	var cfg propertyConfig
	get := keyValues{}
	var data string
	c.Var(get, "get", "a query `name=value` (repeatable)")
	c.note("get", "")
	c.str(&data, "data", "", "the JSON body, inline or @file (@- for standard input): sends a POST")
	cfg.define(c, true)
	c.apiFlags()
	if code, done := c.parse(e, args); done {
		return code
	}
	if service == "" {
		return e.fail(c, usageErr("missing SERVICE, such as community.listCommunitys"))
	}
	method, in := http.MethodGet, any(url.Values(get))
	if data != "" {
		raw, err := readData(data, e.stdin)
		if err != nil {
			return e.fail(c, err)
		}
		method, in = http.MethodPost, raw
	}
	return callAPI(ctx, e, c, cfg.client, func(ctx context.Context, client *property.Client, _ *apiCall) (output, error) {
		var out json.RawMessage
		if err := client.Do(ctx, method, service, in, &out); err != nil {
			return output{}, err
		}
		return output{out, func(w io.Writer) { printJSON(w, out) }}, nil
	})
}

func (e *env) propertyFind(ctx context.Context, args []string) int {
	c := newCmdFlags("property find", "(--tel NO | --name TEXT | --store-id ID) [flags]",
		`Lists property companies (GET /app/property.listProperty): by --tel
exactly, by --name as a substring, or by --store-id. This is how to check
whether a save whose outcome was unknown created the company before trying
again. The server shows the platform operator every company, any other
account only its own.`)
	var cfg propertyConfig
	var req property.ListPropertiesRequest
	c.str(&req.Tel, "tel", "", "the administrator's mobile number, exactly")
	c.str(&req.Name, "name", "", "part of the company's name")
	c.str(&req.StoreID, "store-id", "", "the company's store `id`")
	c.IntVar(&req.Page, "page", 1, "page, from 1")
	c.note("page", "")
	c.IntVar(&req.Row, "row", 10, "companies per page")
	c.note("row", "")
	c.fieldFlags = map[string]string{"Tel": "tel", "Name": "name", "StoreID": "store-id", "Page": "page", "Row": "row"}
	cfg.define(c, true)
	c.apiFlags()
	if code, done := c.parse(e, args); done {
		return code
	}
	return callAPI(ctx, e, c, cfg.client, func(ctx context.Context, client *property.Client, _ *apiCall) (output, error) {
		resp, err := client.ListProperties(ctx, &req)
		if err != nil {
			return output{}, err
		}
		return output{resp, func(w io.Writer) {
			fmt.Fprintf(w, "%d companies match (page %d)\n", resp.Total, req.Page)
			for _, p := range resp.Properties {
				fmt.Fprintf(w, "%s  %s  tel %s  %s\n", p.StoreID, p.Name, p.Tel, p.Address)
			}
		}}, nil
	})
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
