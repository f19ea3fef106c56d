package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/fangsdk/fang/kanfang"
	"github.com/fangsdk/fang/property"
)

// usageError is a configuration or command-line problem found by fang
// itself: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErr(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitCode maps an error to the exit code: 2 for what the operator must fix
// in the command line or configuration, 3 when the request may have taken
// effect (the outcome is unknown), 1 for every other failure.
func exitCode(err error) int {
	switch kind(err) {
	case "ok":
		return exitOK
	case "usage", "config", "validation":
		return exitUsage
	case "outcome_unknown":
		return exitUnknown
	}
	return exitAPI
}

// kind is the kind of err that fang tells apart: ok (nil), usage, config,
// validation, outcome_unknown, invalid_callback, or "" for any other
// failure.
func kind(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, new(*usageError)):
		return "usage"
	case errors.Is(err, kanfang.ErrConfig), errors.Is(err, property.ErrConfig):
		return "config"
	case errors.Is(err, kanfang.ErrInvalidRequest), errors.Is(err, property.ErrInvalidRequest):
		return "validation"
	case errors.Is(err, property.ErrOutcomeUnknown), errors.Is(err, kanfang.ErrOutcomeUnknown):
		return "outcome_unknown"
	case errors.Is(err, errInvalidCallback):
		return "invalid_callback"
	}
	return ""
}

// output is what a command prints when it succeeds: value as the result
// with --json, else text.
type output struct {
	value any
	text  func(w io.Writer)
}

// jsonOutput is everything --json prints: one object per command.
type jsonOutput struct {
	OK      bool            `json:"ok"`
	DryRun  bool            `json:"dryRun,omitempty"`
	Result  any             `json:"result,omitempty"`
	Request *printedRequest `json:"request,omitempty"` // dry run
	Error   *errorInfo      `json:"error,omitempty"`
}

// errorInfo is the JSON form of an error: one message, fang's, which
// quotes the server's own.
type errorInfo struct {
	Kind          string    `json:"kind"` // usage, config, validation, api, outcome_unknown, transport, invalid_callback
	Message       string    `json:"message"`
	State         int       `json:"state,omitempty"` // 123kanfang's state
	Code          *int      `json:"code,omitempty"`  // HC's code
	HTTPStatus    int       `json:"httpStatus,omitempty"`
	TransactionID string    `json:"transactionId,omitempty"`
	Problems      []problem `json:"problems,omitempty"`
	Hint          string    `json:"hint,omitempty"`
}

// problem is one reason a request failed validation, its field named by
// its flag when one sets it.
type problem struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// describe is what fang tells of err; fieldFlags names the flag of each
// request field.
func describe(err error, fieldFlags map[string]string) errorInfo {
	info := errorInfo{Message: shown(err), Hint: hint(err)}
	if ke, ok := errors.AsType[*kanfang.Error](err); ok {
		info.State, info.HTTPStatus = ke.State, ke.HTTPStatus
	}
	if ce, ok := errors.AsType[*property.CreatePropertyError](err); ok {
		info.TransactionID = ce.TransactionID
	}
	if pe, ok := errors.AsType[*property.Error](err); ok {
		info.HTTPStatus, info.TransactionID = pe.HTTPStatus, pe.TransactionID
		if pe.Code != 0 {
			info.Code = &pe.Code
		}
	}
	if ke, ok := errors.AsType[*kanfang.InvalidRequestError](err); ok {
		for _, p := range ke.Problems {
			info.Problems = append(info.Problems, problem{flagName(p.Field, fieldFlags), p.Reason})
		}
	}
	if pe, ok := errors.AsType[*property.InvalidRequestError](err); ok {
		for _, p := range pe.Problems {
			info.Problems = append(info.Problems, problem{flagName(p.Field, fieldFlags), p.Reason})
		}
	}
	if len(info.Problems) > 0 {
		parts := make([]string, len(info.Problems))
		for i, p := range info.Problems {
			parts[i] = p.Field + " " + p.Reason
		}
		info.Message = "invalid request: " + strings.Join(parts, "; ")
	}
	if info.Kind = kind(err); info.Kind == "" && info.HTTPStatus != 0 {
		info.Kind = "api"
	} else if info.Kind == "" {
		info.Kind = "transport"
	}
	return info
}

// flagName is the flag that sets a request field ("FoundingTime" ->
// "--founding-time", "CommunityIDs[1]" -> "--community-id (value 2)"), or the
// field itself when no flag does.
func flagName(field string, fieldFlags map[string]string) string {
	base, index, indexed := strings.Cut(field, "[")
	name, ok := fieldFlags[base]
	switch {
	case !ok:
		return field
	case indexed:
		n, _ := strconv.Atoi(strings.TrimSuffix(index, "]"))
		return fmt.Sprintf("--%s (value %d)", name, n+1)
	}
	return "--" + name
}

// shown is err's text without the SDK's "property: SaveProperty: "
// prefix, which repeats what the command line already names.
func shown(err error) string {
	msg := err.Error()
	for _, pkg := range []string{"kanfang: ", "property: "} {
		if rest, ok := strings.CutPrefix(msg, pkg); ok {
			if op, after, ok := strings.Cut(rest, ": "); ok && op != "" && op[0] >= 'A' && op[0] <= 'Z' && !strings.ContainsAny(op, " .") {
				return after
			}
			return rest
		}
	}
	return msg
}

// fail reports err (JSON on stdout with --json, text on stderr otherwise)
// and returns its exit code.
func (c *cmd) fail(err error) int {
	info, code := describe(err, c.fields), exitCode(err)
	if c.json {
		writeJSON(c.stdout, jsonOutput{Error: &info})
		return code
	}
	fmt.Fprintf(c.stderr, "fang %s: %s\n", c.path, info.Message)
	if info.Hint != "" {
		fmt.Fprintf(c.stderr, "hint: %s\n", info.Hint)
	}
	if code == exitUsage {
		fmt.Fprintf(c.stderr, "Run 'fang %s --help' for usage.\n", c.path)
	}
	return code
}

// succeed prints out: {"ok":true,"result":...} with --json, its text
// otherwise.
func (c *cmd) succeed(out output) int {
	if c.json {
		writeJSON(c.stdout, jsonOutput{OK: true, Result: out.value})
	} else {
		out.text(c.stdout)
	}
	return exitOK
}

// writeJSON writes v as indented JSON, HTML characters as they are.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(w, "{\"ok\": false, \"error\": {\"kind\": \"internal\", \"message\": %q}}\n", "encoding the output: "+err.Error())
	}
}
