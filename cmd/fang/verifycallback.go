package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/fangsdk/fang/kanfang"
)

// errInvalidCallback is the error of a capture that is not a valid
// callback (kind invalid_callback, exit 1).
var errInvalidCallback = errors.New("not a valid callback")

// kanfangVerifyCallback checks a captured callback request.
func (e *env) kanfangVerifyCallback(_ context.Context, args []string) int {
	c := newCmd(e, "kanfang verify-callback", fmt.Sprintf(`--file FILE [--at TIME] [flags]

Checks a captured 123kanfang callback (the raw HTTP request: request line,
headers, blank line, form body) as kanfang.CallbackHandler would: the sign
over every form value with the account's sign key, and the timestamp within
%.0f minutes of now (or of --at, for an old capture). Prints the kind and
fields of a valid callback (exit 0), or why it is invalid (exit 1).`, kanfang.CallbackWindow.Minutes()))
	var file, at, signKey string
	c.StringVar(&file, "file", "", "the captured request, a `file` (- for standard input)")
	c.StringVar(&at, "at", "", "check the timestamp against this `time` (RFC 3339) instead of now")
	c.prefix = "FANG_KANFANG_"
	c.secretSetting(&signKey, "sign-key", "the account's \"strong validation\" sign key")
	c.BoolVar(&c.json, "json", false, "print a machine-readable JSON object instead of text")
	if code, done := c.parse(args); done {
		return code
	}
	now, err := time.Now(), error(nil)
	switch {
	case file == "":
		err = usageErr("--file is required")
	case signKey == "":
		err = usageErr("no sign key: give --sign-key-file, FANG_KANFANG_SIGN_KEY_FILE or FANG_KANFANG_SIGN_KEY")
	case at != "":
		if now, err = time.Parse(time.RFC3339, at); err != nil {
			err = usageErr("--at %q: want RFC 3339, such as 2026-01-02T15:04:05Z", at)
		}
	}
	var data []byte
	if err == nil {
		data, err = readFile("--file", file)
	}
	if err != nil {
		return c.fail(err)
	}
	br := bufio.NewReader(bytes.NewReader(data))
	r, err := http.ReadRequest(br)
	if err == nil && r.ContentLength == 0 && r.Header.Get("Content-Length") == "" && len(r.TransferEncoding) == 0 {
		// A capture edited by hand, or saved without Content-Length:
		// the body is the rest of the file.
		rest, _ := io.ReadAll(br)
		r.Body = io.NopCloser(bytes.NewReader(bytes.TrimRight(rest, "\r\n")))
	}
	var cb kanfang.Callback
	if err == nil {
		form, verr := kanfang.VerifyCallback(r, signKey, now)
		if err = verr; err == nil {
			cb, err = kanfang.ParseCallback(form)
		}
	}
	if err != nil {
		return c.fail(fmt.Errorf("%w: %s", errInvalidCallback, shown(err)))
	}
	result := struct {
		Kind      string            `json:"kind"`
		Timestamp string            `json:"timestamp"`
		Fields    map[string]string `json:"fields"`
	}{cb.Kind(), r.Header.Get("timestamp"), map[string]string{}}
	for name := range cb.Values() {
		result.Fields[name] = cb.Values().Get(name)
	}
	return c.succeed(output{result, func(w io.Writer) {
		fmt.Fprintf(w, "valid %s callback (timestamp %s)\n", result.Kind, result.Timestamp)
		for _, name := range slices.Sorted(maps.Keys(result.Fields)) {
			v := result.Fields[name]
			if t, ok := cb.(*kanfang.TaskStateChange); ok && name == "state" {
				v += " (" + t.State.String() + ")"
			}
			fmt.Fprintf(w, "  %-16s %s\n", name, v)
		}
	}})
}
