package main

import "context"

// apiCall is what one run of an API subcommand needs beside its flags and
// its context: with --dry-run, the capture that stands in for the network
// and what its printout must redact.
type apiCall struct {
	capt *capture // nil unless --dry-run
	d    *dryRun
}

// begin starts an API call of command c.
// The context it returns is ctx bounded by --timeout.
func (c *cmdFlags) begin(ctx context.Context) (context.Context, *apiCall, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	a := &apiCall{d: &dryRun{}}
	if c.dryRun {
		a.capt = &capture{}
	}
	return ctx, a, cancel
}

// end reports how the call ended, unless it succeeded for real: with
// --dry-run it prints the captured request, and an error is reported.
// done is false when the command has a result to print.
func (e *env) end(c *cmdFlags, a *apiCall, err error) (code int, done bool) {
	if a.capt != nil {
		return e.finishDryRun(c, a.d, a.capt, err), true
	}
	if err != nil {
		return e.fail(c, err), true
	}
	return 0, false
}
