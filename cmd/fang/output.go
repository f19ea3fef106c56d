package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
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
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue),
		errors.Is(err, kanfang.ErrInvalidRequest), errors.Is(err, kanfang.ErrConfig),
		errors.Is(err, property.ErrInvalidRequest), errors.Is(err, property.ErrConfig):
		return exitUsage
	case errors.Is(err, property.ErrOutcomeUnknown):
		return exitUnknown
	}
	return exitAPI
}

// errorInfo is the JSON form of an error: one message, fang's, which
// quotes the server's own.
type errorInfo struct {
	Kind          string    `json:"kind"` // usage, config, validation, api, outcome_unknown, transport
	Message       string    `json:"message"`
	State         int       `json:"state,omitempty"` // 123kanfang's state
	Code          *int      `json:"code,omitempty"`  // HC's code
	HTTPStatus    int       `json:"httpStatus,omitempty"`
	TransactionID string    `json:"transactionId,omitempty"`
	Problems      []problem `json:"problems,omitempty"`
	Hint          string    `json:"hint,omitempty"`
}

// describe is the JSON form of err; fieldFlags names the flag of each
// request field (nil: keep the field names).
func describe(err error, fieldFlags map[string]string) errorInfo {
	info := errorInfo{Kind: "transport", Message: shown(err), Hint: hint(err)}
	if msg, ok := validationText(err, fieldFlags); ok {
		info.Message = msg
	}
	var (
		ue *usageError
		ke *kanfang.Error
		pe *property.Error
		ce *property.CreatePropertyError
	)
	if errors.As(err, &ke) {
		info.State, info.HTTPStatus = ke.State, ke.HTTPStatus
	}
	if errors.As(err, &ce) {
		info.TransactionID = ce.TransactionID
	}
	if errors.As(err, &pe) {
		info.HTTPStatus, info.TransactionID = pe.HTTPStatus, pe.TransactionID
		if pe.Code != 0 {
			code := pe.Code
			info.Code = &code
		}
	}
	problems, invalid := requestProblems(err, fieldFlags)
	switch {
	case errors.As(err, &ue):
		info.Kind = "usage"
	case errors.Is(err, kanfang.ErrConfig), errors.Is(err, property.ErrConfig):
		info.Kind = "config"
	case invalid:
		info.Kind, info.Problems = "validation", problems
	case errors.Is(err, kanfang.ErrInvalidRequest), errors.Is(err, property.ErrInvalidRequest):
		info.Kind = "validation"
	case errors.Is(err, property.ErrOutcomeUnknown):
		info.Kind = "outcome_unknown"
	case info.HTTPStatus != 0:
		info.Kind = "api"
	}
	return info
}

// hint says what a well-known failure means and what to do about it: the
// server's Chinese message in English, then the action.
func hint(err error) string {
	var parts []string
	if m := serverMessage(err); m != "" {
		for _, k := range knownMessages {
			if strings.Contains(m, k.zh) && (k.also == "" || strings.Contains(m, k.also)) {
				parts = append(parts, k.en)
				break
			}
		}
	}
	if a := action(err); a != "" {
		parts = append(parts, a)
	}
	return strings.Join(parts, "; ")
}

// serverMessage is the server's message carried by err, or "".
func serverMessage(err error) string {
	var ke *kanfang.Error
	var pe *property.Error
	switch {
	case errors.As(err, &pe):
		return pe.Msg
	case errors.As(err, &ke):
		return ke.Message
	}
	return ""
}

// knownMessages are the server messages fang knows, in English: HC's
// gateway and commands (see docs/PROTOCOL.md). The first match wins, so
// the more specific come first; also, when set, must appear too.
var knownMessages = []struct{ zh, also, en string }{
	{"签名失败", "", "HC says the signature did not match (签名失败)"},
	{"requestTime 格式不对", "", "HC says req-time is malformed (want yyyyMMddHHmmss in China time)"},
	{"初始化失败", "", "HC does not know this app-id (初始化失败)"},
	{"鉴权失败", "", "HC's gateway refused the request's app or headers: the app may not be allowed this service (鉴权失败)"},
	{"请求中未包含page信息", "", "HC requires a page number: add page=1 (请求中未包含page信息)"},
	{"请求中未包含row信息", "", "HC requires a page size: add row=10 (请求中未包含row信息)"},
	{"请求报文中未包含", "", "HC says a required field is missing (请求报文中未包含…)"},
	{"用户或密码错误", "", "HC says the username or password is wrong (用户或密码错误)"},
	{"当前商户限制登录", "", "HC says this company is barred from logging in: ask the HC administrator (当前商户限制登录)"},
	{"登陆错误次数过多", "", "HC locked the account after too many failed logins: wait 5 minutes, and fix the password first (登陆错误次数过多)"},
	{"用户不存在", "", "HC has no such user, or the user has no active company (用户不存在)"},
	{"您还没有登录", "", "HC says there is no session or it expired (您还没有登录)"},
	{"保存数据失败", "", "HC failed to write the data (保存数据失败)"},
	{"注册失败", "", "HC failed to register the company (注册失败)"},
	{"小区已经入驻", "", "HC says a community already has a property company (小区已经入驻)"},
	{"小区已入驻", "", "HC says a community already has a property company (小区已入驻)"},
	{"未配置物业默认权限", "", "HC has no default property privilege configured: an HC administrator's setting (未配置物业默认权限)"},
	{"小区不存在", "", "HC does not know a community id that was given (小区不存在)"},
	{"未包含小区开通功能", "", "communities were given without menu groups: add --group-id (未包含小区开通功能)"},
	{"没有分配任何功能", "", "HC knows none of the menu group ids given (没有分配任何功能)"},
	{"调用方式不对", "", "wrong HTTP method for this service: GET instead of POST or the reverse (调用方式不对)"},
	{"非法操作", "", "HC refused the operation for this session, e.g. an unknown store id (非法操作)"},
	{"更新数据失败", "", "HC failed to update the data (更新数据失败)"},
	{"删除数据失败", "", "HC failed to delete the data (删除数据失败)"},
	{"此功能演示环境不开放", "", "this HC server is a demo: the function is disabled there"},
	{"内部异常", "Read timed out", "HC's gateway timed out waiting for its command service: the command may still have run (内部异常)"},
	{"内部异常", "", "HC's gateway failed internally (内部异常)"},
	{"请求发生异常", "", "HC's gateway refused the request (privilege check) or failed (请求发生异常)"},
}

// action says what to do about well-known failures.
func action(err error) string {
	var ke *kanfang.Error
	var pe *property.Error
	switch {
	case errors.As(err, &ke) && ke.HTTPStatus == http.StatusNotFound:
		return "the server has no such path: check --base-url (FANG_KANFANG_BASE_URL)"
	case errors.As(err, &pe) && pe.HTTPStatus == http.StatusNotFound:
		return "the server has no such path: check --base-url (FANG_PROPERTY_BASE_URL); it is the HC gateway's http://{ip}:{port}"
	case errors.Is(err, property.ErrOutcomeUnknown):
		return "the request may have taken effect: check the server (by transaction-id) before trying again"
	case errors.Is(err, property.ErrCommunityAlreadySettled):
		return "a community given with --community-id already has a property company"
	case errors.Is(err, property.ErrSignatureRejected):
		return "check --app-id (FANG_PROPERTY_APP_ID) and --security-code (FANG_PROPERTY_SECURITY_CODE)"
	case errors.As(err, &pe) && strings.Contains(pe.Msg, "初始化失败"):
		return "check --app-id (FANG_PROPERTY_APP_ID)"
	case errors.Is(err, property.ErrUnauthorized):
		return "check --token (FANG_PROPERTY_TOKEN) or --username/--password"
	case errors.Is(err, kanfang.ErrUnauthorized):
		return "check --token (FANG_KANFANG_TOKEN) or --auth-key/--auth-value"
	case errors.Is(err, context.DeadlineExceeded):
		return "raise --timeout, or check that the server is reachable"
	}
	return ""
}

// shown is err's text without the SDK's "property: SaveProperty: "
// prefix, which repeats what the command line already names.
func shown(err error) string {
	msg := err.Error()
	for _, pkg := range []string{"kanfang: ", "property: "} {
		rest, ok := strings.CutPrefix(msg, pkg)
		if !ok {
			continue
		}
		if op, after, ok := strings.Cut(rest, ": "); ok && isGoName(op) {
			return after
		}
		return rest
	}
	return msg
}

// isGoName reports whether s is an exported Go method name such as
// SaveProperty.
func isGoName(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// jsonOutput is everything --json prints: one object per command.
type jsonOutput struct {
	OK      bool            `json:"ok"`
	DryRun  bool            `json:"dryRun,omitempty"`
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
		fmt.Fprintf(e.stderr, "fang %s: %s\n", c.path, shown(err))
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
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(w, "{\"ok\": false, \"error\": {\"kind\": \"internal\", \"message\": %q}}\n", "encoding the output: "+err.Error())
	}
}

// plural is "1 company matches" or "2 companies match".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
