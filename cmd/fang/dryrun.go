package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/sign"
)

// errDryRun is what the capture transport answers instead of sending.
var errDryRun = errors.New("fang: dry run: request captured, not sent")

// placeholderToken stands for the token a dry run with credentials would
// have obtained by logging in first.
const placeholderToken = "<token>"

// redacted replaces secrets in dry-run output.
const redacted = auth.Redacted

// captures counts requests captured by any capture transport, so that tests
// can tell the capture was used.
var captures atomic.Int64

// capture is an http.RoundTripper that records requests and sends nothing:
// no dial, no DNS lookup, no byte on the network.
type capture struct {
	mu   sync.Mutex
	reqs []capturedRequest
}

type capturedRequest struct {
	Method string
	URL    *url.URL
	Header http.Header
	Body   []byte
}

func (c *capture) RoundTrip(r *http.Request) (*http.Response, error) {
	cr := capturedRequest{Method: r.Method, Header: r.Header.Clone()}
	u := *r.URL
	cr.URL = &u
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("%w (reading the body: %w)", errDryRun, err)
		}
		cr.Body = b
	}
	c.mu.Lock()
	c.reqs = append(c.reqs, cr)
	c.mu.Unlock()
	captures.Add(1)
	return nil, errDryRun
}

// first returns the first captured request, if any.
func (c *capture) first() (capturedRequest, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.reqs) == 0 {
		return capturedRequest{}, false
	}
	return c.reqs[0], true
}

func (c *capture) client() *http.Client { return &http.Client{Transport: c} }

// dryRun describes how to print one captured request.
type dryRun struct {
	secrets      []string // values never to print (tokens, passwords, codes)
	securityCode string   // HC: set when the request is HC-signed
	hc           bool     // HC request: show the MicroCommunity signed string
	signKey      string   // kanfang strong validation key, if any
	password     string   // HC login: the passwd JSON field to hide
	notes        []string
}

// printedRequest is the JSON form of a dry run.
type printedRequest struct {
	Method       string            `json:"method"`
	URL          string            `json:"url"`
	Headers      map[string]string `json:"headers"`
	Body         string            `json:"body,omitempty"`
	SignedString string            `json:"signed_string,omitempty"`
	SignCheck    string            `json:"sign_check,omitempty"`
	Notes        []string          `json:"notes,omitempty"`
}

// render turns a captured request into what is printed, every secret
// replaced by [REDACTED].
func (d *dryRun) render(cr capturedRequest) printedRequest {
	p := printedRequest{Method: cr.Method, Headers: map[string]string{}, Notes: d.notes}
	u := *cr.URL
	u.RawQuery = ""
	p.URL = u.String()
	if q := redactPairs(cr.URL.RawQuery, "Authorization", "authValue"); q != "" {
		p.URL += "?" + q
	}
	for name, vals := range cr.Header {
		v := strings.Join(vals, ", ")
		switch http.CanonicalHeaderKey(name) {
		case "Authorization":
			if strings.HasPrefix(v, "Bearer ") {
				v = "Bearer " + redacted
			} else {
				v = redacted
			}
		case "Cookie":
			v = redactCookies(v)
		}
		p.Headers[name] = v
	}
	body := string(cr.Body)
	if strings.HasPrefix(cr.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		body = redactPairs(body, "Authorization")
	}
	if d.password != "" {
		if enc, err := json.Marshal(d.password); err == nil {
			body = strings.ReplaceAll(body, `"passwd":`+string(enc), `"passwd":"`+redacted+`"`)
		}
	}
	p.Body = body

	switch {
	case d.hc:
		txID, reqTime, appID := cr.Header.Get("transaction-id"), cr.Header.Get("req-time"), cr.Header.Get("app-id")
		if d.securityCode != "" {
			p.SignedString = txID + reqTime + appID + body + "<security-code>"
		} else {
			p.SignedString = txID + reqTime + appID + body
			p.Notes = append(p.Notes, "no security code configured: the sign covers no secret (the server skips the check for such applications)")
		}
		if sign.MicroCommunityBytes(txID, reqTime, appID, cr.Body, d.securityCode) == strings.ToLower(cr.Header.Get("sign")) {
			p.SignCheck = "ok: md5(signed string) equals the sign header"
		} else {
			p.SignCheck = "MISMATCH: md5(signed string) differs from the sign header"
		}
	case d.signKey != "" && cr.Header.Get("timestamp") != "":
		params := businessParams(cr)
		ts := cr.Header.Get("timestamp")
		p.SignedString = "<sign-key>" + sortedValues(params) + ts
		if ms, err := strconv.ParseInt(ts, 10, 64); err == nil && sign.Kanfang(d.signKey, params, ms) == cr.Header.Get("sign") {
			p.SignCheck = "ok: md5(signed string) equals the sign header"
		} else {
			p.SignCheck = "MISMATCH: md5(signed string) differs from the sign header"
		}
	}

	// Last line of defence: no secret value survives anywhere.
	scrub := func(s string) string {
		for _, sec := range d.secrets {
			if len(sec) >= 3 && sec != placeholderToken {
				s = strings.ReplaceAll(s, sec, redacted)
			}
		}
		return s
	}
	p.URL, p.Body, p.SignedString = scrub(p.URL), scrub(p.Body), scrub(p.SignedString)
	for k, v := range p.Headers {
		p.Headers[k] = scrub(v)
	}
	return p
}

// businessParams are the form (POST) or query (GET) values a kanfang sign
// covers: everything but the token.
func businessParams(cr capturedRequest) url.Values {
	raw := cr.URL.RawQuery
	if cr.Method == http.MethodPost {
		raw = string(cr.Body)
	}
	v, _ := url.ParseQuery(raw)
	v.Del("Authorization")
	return v
}

func sortedValues(v url.Values) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, x := range v[k] {
			b.WriteString(x)
		}
	}
	return b.String()
}

// redactPairs replaces the values of the named keys in an
// application/x-www-form-urlencoded string, keeping the order and encoding
// of everything else.
func redactPairs(raw string, keys ...string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, part := range parts {
		k, _, _ := strings.Cut(part, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		for _, s := range keys {
			if name == s {
				parts[i] = k + "=" + redacted
			}
		}
	}
	return strings.Join(parts, "&")
}

// redactCookies hides the Authorization cookie.
func redactCookies(v string) string {
	parts := strings.Split(v, ";")
	for i, part := range parts {
		name, _, _ := strings.Cut(strings.TrimSpace(part), "=")
		if name == "Authorization" {
			lead := part[:len(part)-len(strings.TrimLeft(part, " "))]
			parts[i] = lead + name + "=" + redacted
		}
	}
	return strings.Join(parts, ";")
}

// printDryRun writes the captured request and returns exit code 0.
func (e *env) printDryRun(c *cmdFlags, d *dryRun, cr capturedRequest) int {
	p := d.render(cr)
	if c.json {
		writeJSON(e.stdout, jsonOutput{OK: true, DryRun: true, Request: &p})
		return exitOK
	}
	w := e.stdout
	fmt.Fprintln(w, "dry run: this request was built and signed but NOT sent (secrets shown as "+redacted+")")
	for _, n := range p.Notes {
		fmt.Fprintln(w, "note: "+n)
	}
	fmt.Fprintf(w, "\n%s %s\n", p.Method, p.URL)
	names := make([]string, 0, len(p.Headers))
	for k := range p.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(w, "%s: %s\n", k, p.Headers[k])
	}
	if p.Body != "" {
		fmt.Fprintf(w, "\n%s\n", p.Body)
	}
	if p.SignedString != "" {
		if d.hc {
			fmt.Fprintln(w, "\nsigned string (sign = md5 of transaction-id + req-time + app-id + body + security code):")
		} else {
			fmt.Fprintln(w, "\nsigned string (sign = md5 of sign key + parameter values by name + timestamp):")
		}
		fmt.Fprintln(w, p.SignedString)
		fmt.Fprintln(w, "sign check: "+p.SignCheck)
	}
	return exitOK
}

// finishDryRun prints the captured request after an SDK call made in a dry
// run. err is the call's error: the capture makes every call fail, so only
// an error without a captured request (validation, configuration) is
// reported.
func (e *env) finishDryRun(c *cmdFlags, d *dryRun, capt *capture, err error) int {
	cr, ok := capt.first()
	if !ok {
		if err == nil {
			err = errors.New("dry run: nothing was captured")
		}
		return e.fail(c, err)
	}
	return e.printDryRun(c, d, cr)
}
