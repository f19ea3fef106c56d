package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

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
// in the command line or configuration, 1 for everything else.
func exitCode(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue),
		errors.Is(err, kanfang.ErrInvalidRequest), errors.Is(err, kanfang.ErrConfig),
		errors.Is(err, property.ErrInvalidRequest), errors.Is(err, property.ErrConfig):
		return exitUsage
	}
	return exitAPI
}

// errorInfo is the JSON form of an error.
type errorInfo struct {
	Kind          string    `json:"kind"` // usage, config, validation, api, outcome_unknown, transport
	Message       string    `json:"message"`
	State         int       `json:"state,omitempty"` // kanfang envelope state
	Code          *int      `json:"code,omitempty"`  // HC envelope code
	Msg           string    `json:"msg,omitempty"`   // server's message
	HTTPStatus    int       `json:"http_status,omitempty"`
	TransactionID string    `json:"transaction_id,omitempty"`
	Problems      []problem `json:"problems,omitempty"`
	Hint          string    `json:"hint,omitempty"`
}

// describe is the JSON form of err; fieldFlags names the flag of each
// request field (nil: keep the field names).
func describe(err error, fieldFlags map[string]string) errorInfo {
	info := errorInfo{Kind: "transport", Message: err.Error(), Hint: hint(err)}
	if msg, ok := validationText(err, fieldFlags); ok {
		info.Message = msg
	}
	problems, invalid := requestProblems(err, fieldFlags)
	var (
		ue *usageError
		ke *kanfang.Error
		pe *property.Error
	)
	switch {
	case errors.As(err, &ue):
		info.Kind = "usage"
	case errors.Is(err, kanfang.ErrConfig), errors.Is(err, property.ErrConfig):
		info.Kind = "config"
	case invalid:
		info.Kind, info.Problems = "validation", problems
	case errors.Is(err, kanfang.ErrInvalidRequest), errors.Is(err, property.ErrInvalidRequest):
		info.Kind = "validation"
	case errors.As(err, &ke) && ke.HTTPStatus != 0:
		info.Kind = "api"
		info.State, info.Msg, info.HTTPStatus = ke.State, ke.Message, ke.HTTPStatus
	case errors.As(err, &ke): // no answer: a transport failure
	case errors.As(err, &pe):
		info.Msg, info.HTTPStatus, info.TransactionID = pe.Msg, pe.HTTPStatus, pe.TransactionID
		if pe.Code != 0 {
			code := pe.Code
			info.Code = &code
		}
		switch {
		case errors.Is(err, property.ErrOutcomeUnknown):
			info.Kind = "outcome_unknown"
		case pe.HTTPStatus != 0:
			info.Kind = "api"
		}
	}
	return info
}

// hint says what to do about well-known failures.
func hint(err error) string {
	var ke *kanfang.Error
	var pe *property.Error
	switch {
	case errors.As(err, &ke) && ke.HTTPStatus == http.StatusNotFound:
		return "the server has no such path: check --base-url (FANG_KANFANG_BASE_URL)"
	case errors.As(err, &pe) && pe.HTTPStatus == http.StatusNotFound:
		return "the server has no such path: check --url (FANG_PROPERTY_URL); it is the HC gateway's http://{ip}:{port}"
	case errors.Is(err, property.ErrOutcomeUnknown):
		return "the request may have taken effect: check the server (by transaction-id) before trying again"
	case errors.Is(err, property.ErrCommunityAlreadySettled):
		return "a community given with --community-id already has a property company"
	case errors.Is(err, property.ErrSignatureRejected):
		return "check --app-id (FANG_PROPERTY_APP_ID) and --security-code (FANG_PROPERTY_SECURITY_CODE)"
	case errors.Is(err, property.ErrUnauthorized):
		return "check --token (FANG_PROPERTY_TOKEN) or --username/--password"
	case errors.Is(err, kanfang.ErrUnauthorized):
		return "check --token (FANG_KANFANG_TOKEN) or --auth-key/--auth-value"
	case errors.Is(err, context.DeadlineExceeded):
		return "raise --timeout, or check that the server is reachable"
	}
	return ""
}

// jsonOutput is everything --json prints: one object per command.
type jsonOutput struct {
	OK      bool            `json:"ok"`
	DryRun  bool            `json:"dry_run,omitempty"`
	Result  any             `json:"result,omitempty"`
	Request *printedRequest `json:"request,omitempty"` // dry run
	Error   *errorInfo      `json:"error,omitempty"`
}

func errorObject(err error, fieldFlags map[string]string) jsonOutput {
	info := describe(err, fieldFlags)
	return jsonOutput{Error: &info}
}

// fail reports err (JSON on stdout with --json, text on stderr otherwise)
// and returns its exit code.
func (e *env) fail(c *cmdFlags, err error) int {
	if c.json {
		writeJSON(e.stdout, errorObject(err, c.fieldFlags))
		return exitCode(err)
	}
	if msg, ok := validationText(err, c.fieldFlags); ok {
		fmt.Fprintf(e.stderr, "fang %s: %s\n", c.path, msg)
	} else {
		fmt.Fprintf(e.stderr, "fang %s: %v\n", c.path, err)
	}
	if h := hint(err); h != "" {
		fmt.Fprintf(e.stderr, "hint: %s\n", h)
	}
	if exitCode(err) == exitUsage {
		fmt.Fprintf(e.stderr, "Run 'fang %s --help' for usage.\n", c.path)
	}
	return exitCode(err)
}

// succeed prints out: {"ok":true,"result":...} with --json, its text
// otherwise.
func (e *env) succeed(c *cmdFlags, out output) int {
	if c.json {
		writeJSON(e.stdout, jsonOutput{OK: true, Result: out.value})
	} else {
		out.text(e.stdout)
	}
	return exitOK
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
