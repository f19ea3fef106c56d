package main

import (
	"context"
	"io"
	"net/http"
)

// output is what a command prints when it succeeds: value as the result
// with --json, else text.
type output struct {
	value any
	text  func(w io.Writer)
}

// call runs the API call of command c, whose flags are parsed: within
// --timeout it calls do with the http.Client the SDK client must be given
// (nil, the default, for a real run; with --dry-run one that captures the
// request and sends nothing) and reports how the call ended: with
// --dry-run the captured request, else the error or do's output.
func (c *cmd) call(ctx context.Context, do func(ctx context.Context, hc *http.Client) (output, error)) int {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if c.dryRun {
		capt := &capture{}
		_, err := do(ctx, &http.Client{Transport: capt})
		return c.printDryRun(capt, err)
	}
	out, err := do(ctx, nil)
	if err != nil {
		return c.fail(err)
	}
	return c.succeed(out)
}
