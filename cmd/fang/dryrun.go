package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	sdk "github.com/fangsdk/fang"
	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/redact"
)

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

// errDryRun is what the capture transport answers instead of sending.
var errDryRun = errors.New("fang: dry run: request captured, not sent")

// captures counts requests captured by any capture transport, so that tests
// can tell the capture was used.
var captures atomic.Int64

// capture is an http.RoundTripper that records the first request the SDK
// built and signed, and answers every request with errDryRun: no dial, no
// DNS lookup, no byte on the network.
type capture struct {
	mu   sync.Mutex
	req  *http.Request
	body []byte
}

// RoundTrip records r when it is the first, and fails.
func (c *capture) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		_ = r.Body.Close()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.req == nil {
		c.req, c.body = r, body
	}
	captures.Add(1)
	return nil, errDryRun
}

// printedRequest is the JSON form of a dry run.
type printedRequest struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body,omitempty"`
}

// printDryRun prints the request captured by capt, every secret of c
// redacted by the SDK's own redaction, and returns exit code 0. err is
// the call's error: the capture makes every call fail, so only an error
// without a captured request (validation, configuration) is reported.
func (c *cmd) printDryRun(capt *capture, err error) int {
	capt.mu.Lock()
	defer capt.mu.Unlock()
	if capt.req == nil {
		if err == nil {
			err = errors.New("dry run: nothing was captured")
		}
		return c.fail(err)
	}
	secrets := c.secrets()
	p := printedRequest{
		Method:  capt.req.Method,
		URL:     redact.String(sdk.RedactedURL(capt.req.URL).String(), secrets...),
		Headers: map[string]string{},
		Body:    redact.String(string(capt.body), secrets...),
	}
	for name, values := range capt.req.Header {
		p.Headers[name] = redact.String(strings.Join(values, ", "), secrets...)
	}
	maskFields(&p)
	if c.json {
		writeJSON(c.stdout, jsonOutput{OK: true, DryRun: true, Request: &p})
		return exitOK
	}
	fmt.Fprintf(c.stdout, "dry run: the first request, built and signed by the SDK, NOT sent (secrets shown as %s)\n\n%s %s\n", auth.Redacted, p.Method, p.URL)
	for _, name := range slices.Sorted(maps.Keys(p.Headers)) {
		fmt.Fprintf(c.stdout, "%s: %s\n", name, p.Headers[name])
	}
	if p.Body != "" {
		fmt.Fprintf(c.stdout, "\n%s\n", p.Body)
	}
	return exitOK
}

// Where the requests carry secrets, masked whatever the secret's length:
// the SDK's redaction leaves secrets shorter than 4 bytes alone (it would
// mask every "a"), but a dry run knows the fields it prints.
var (
	secretForm   = regexp.MustCompile(`(^|&)(Authorization|authValue)=[^&]*`)
	secretCookie = regexp.MustCompile(`Authorization=[^;]*`)
	secretJSON   = regexp.MustCompile(`"passwd":"(?:[^"\\]|\\.)*"`)
)

// maskFields masks the token and password fields of p, short or not: the
// Authorization header (its scheme kept) and cookie, a form's
// Authorization and authValue, and the passwd of HC's login body. The URL's
// query is fang.RedactedURL's.
func maskFields(p *printedRequest) {
	for name, v := range p.Headers {
		switch name {
		case "Authorization":
			scheme, _, found := strings.Cut(v, " ")
			if found && scheme == "Bearer" {
				p.Headers[name] = scheme + " " + auth.Redacted
			} else {
				p.Headers[name] = auth.Redacted
			}
		case "Cookie":
			p.Headers[name] = secretCookie.ReplaceAllString(v, "Authorization="+auth.Redacted)
		}
	}
	p.Body = secretForm.ReplaceAllString(p.Body, "${1}${2}="+auth.Redacted)
	p.Body = secretJSON.ReplaceAllString(p.Body, `"passwd":"`+auth.Redacted+`"`)
}
