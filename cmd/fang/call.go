package main

import (
	"context"
	"io"
)

// apiCall is what one run of an API subcommand needs beside its flags and
// its context: with --dry-run, the capture that stands in for the network
// and what its printout must redact.
type apiCall struct {
	capt *capture // nil unless --dry-run
	d    *dryRun
}

// output is what a command prints when it succeeds: value as the result
// with --json, else text.
type output struct {
	value any
	text  func(w io.Writer)
}

// callAPI runs the API call of command c, whose flags are parsed. Within
// --timeout it makes the client with newClient (with --dry-run, one that
// sends into a capture instead of the network), calls do with it and
// reports how the call ended: with --dry-run the captured request, else
// the error or do's output.
func callAPI[C any](ctx context.Context, e *env, c *cmdFlags,
	newClient func(*cmdFlags, *apiCall) (C, error),
	do func(ctx context.Context, client C, a *apiCall) (output, error),
) int {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	a := &apiCall{d: &dryRun{}}
	if c.dryRun {
		a.capt = &capture{}
	}
	client, err := newClient(c, a)
	if err != nil {
		return e.fail(c, err)
	}
	out, err := do(ctx, client, a)
	switch {
	case a.capt != nil:
		return e.finishDryRun(c, a.d, a.capt, err)
	case err != nil:
		return e.fail(c, err)
	}
	return e.succeed(c, out)
}
