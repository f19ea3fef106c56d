package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/fangsdk/fang/sign"
)

// errDryRun is what the capture transport answers instead of sending.
var errDryRun = errors.New("fang: dry run: request captured, not sent")

// placeholderToken stands for the token a dry run with credentials would
// have obtained by logging in first.
const placeholderToken = "<token>"

// captures counts requests captured by any capture transport, so that tests
// can tell the capture was used.
var captures atomic.Int64

// capture is an http.RoundTripper that records the first request and
// sends nothing: no dial, no DNS lookup, no byte on the network.
type capture struct {
	mu  sync.Mutex
	req *capturedRequest
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
	if c.req == nil {
		c.req = &cr
	}
	c.mu.Unlock()
	captures.Add(1)
	return nil, errDryRun
}

func (c *capture) client() *http.Client { return &http.Client{Transport: c} }

// Placeholders stand for the secrets in dry-run output. Replacing each by
// the real value gives back exactly what was (or would be) sent, and the
// signed string then hashes to the sign header.
const (
	phToken        = placeholderToken
	phAuthValue    = "<auth-value>"
	phSignKey      = "<sign-key>"
	phSecurityCode = "<security-code>"
	phPassword     = "<password>"
	phPasswordHash = "<password-hash>"
)

// secret is a value never to print, and the placeholder printed instead.
type secret struct{ value, placeholder string }

// dryRun describes how to print one captured request.
type dryRun struct {
	secrets      []secret // values never to print (tokens, passwords, codes)
	securityCode string   // HC: set when the request is HC-signed
	hc           bool     // HC request: show the MicroCommunity signed string
	signKey      string   // kanfang strong validation key, if any
	password     string   // HC login: the passwd JSON field as sent
	passwordPh   string   // its placeholder: <password> or <password-hash>
	notes        []string
}

// hide adds a secret to keep out of the output.
func (d *dryRun) hide(value, placeholder string) {
	if value != "" {
		d.secrets = append(d.secrets, secret{value, placeholder})
	}
}

// printedRequest is the JSON form of a dry run.
type printedRequest struct {
	Method       string            `json:"method"`
	URL          string            `json:"url"`
	Headers      map[string]string `json:"headers"`
	Body         string            `json:"body,omitempty"`
	SignedString string            `json:"signedString,omitempty"`
	SignCheck    string            `json:"signCheck,omitempty"`
	Notes        []string          `json:"notes,omitempty"`
}

// render turns a captured request into what is printed, every secret
// replaced by its placeholder (<token>, <security-code>, …).
func (d *dryRun) render(cr capturedRequest) printedRequest {
	p := printedRequest{Method: cr.Method, Headers: map[string]string{}, Notes: d.notes}
	u := *cr.URL
	u.RawQuery = ""
	p.URL = u.String()
	if q := hidePairs(cr.URL.RawQuery, map[string]string{"Authorization": phToken, "authValue": phAuthValue}); q != "" {
		p.URL += "?" + q
	}
	for name, vals := range cr.Header {
		v := strings.Join(vals, ", ")
		switch http.CanonicalHeaderKey(name) {
		case "Authorization":
			if strings.HasPrefix(v, "Bearer ") {
				v = "Bearer " + phToken
			} else {
				v = phToken
			}
		case "Cookie":
			v = hideCookies(v)
		}
		p.Headers[name] = v
	}
	body := string(cr.Body)
	if strings.HasPrefix(cr.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		body = hidePairs(body, map[string]string{"Authorization": phToken})
	}
	if d.password != "" {
		if enc, err := json.Marshal(d.password); err == nil {
			body = strings.ReplaceAll(body, `"passwd":`+string(enc), `"passwd":"`+d.passwordPh+`"`)
		}
	}
	p.Body = body

	switch {
	case d.hc:
		txID, reqTime, appID := cr.Header.Get("transaction-id"), cr.Header.Get("req-time"), cr.Header.Get("app-id")
		// A POST signs its body; a GET signs "?" and the decoded query.
		payload, shown := cr.Body, body
		if cr.Method == http.MethodGet {
			payload = []byte(sign.MicroCommunityQuery(cr.URL.RawQuery))
			shown = string(payload)
		}
		if d.securityCode != "" {
			p.SignedString = txID + reqTime + appID + shown + phSecurityCode
		} else {
			p.SignedString = txID + reqTime + appID + shown
			p.Notes = append(p.Notes, "no security code configured: the sign covers no secret (the server skips the check for such applications)")
		}
		if sign.MicroCommunityBytes(txID, reqTime, appID, payload, d.securityCode) == strings.ToLower(cr.Header.Get("sign")) {
			p.SignCheck = "ok: md5(signed string) equals the sign header"
		} else {
			p.SignCheck = "MISMATCH: md5(signed string) differs from the sign header"
		}
	case d.signKey != "" && cr.Header.Get("timestamp") != "":
		params := signedParams(cr)
		ts := cr.Header.Get("timestamp")
		p.SignedString = phSignKey + sortedValues(withPlaceholders(params)) + ts
		if ms, err := strconv.ParseInt(ts, 10, 64); err == nil && sign.Kanfang(d.signKey, params, ms) == cr.Header.Get("sign") {
			p.SignCheck = "ok: md5(signed string) equals the sign header"
		} else {
			p.SignCheck = "MISMATCH: md5(signed string) differs from the sign header"
		}
	}

	// Last line of defence: no secret value survives anywhere.
	scrub := func(s string) string {
		for _, sec := range d.secrets {
			if len(sec.value) >= 3 && sec.value != sec.placeholder {
				s = strings.ReplaceAll(s, sec.value, sec.placeholder)
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

// signedParams are the values a kanfang sign covers: every form value of a
// POST, every query value of a GET (a token placed there included).
func signedParams(cr capturedRequest) url.Values {
	raw := cr.URL.RawQuery
	if cr.Method == http.MethodPost {
		raw = string(cr.Body)
	}
	v, _ := url.ParseQuery(raw)
	return v
}

// withPlaceholders is params with the secret ones replaced by their
// placeholders.
func withPlaceholders(params url.Values) url.Values {
	out := url.Values{}
	maps.Copy(out, params)
	if _, ok := out["Authorization"]; ok {
		out["Authorization"] = []string{phToken}
	}
	if _, ok := out["authValue"]; ok {
		out["authValue"] = []string{phAuthValue}
	}
	return out
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

// hidePairs replaces the values of the named keys in an
// application/x-www-form-urlencoded string by their placeholders, keeping
// the order and encoding of everything else.
func hidePairs(raw string, placeholders map[string]string) string {
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
		if ph, ok := placeholders[name]; ok {
			parts[i] = k + "=" + ph
		}
	}
	return strings.Join(parts, "&")
}

// hideCookies shows the Authorization cookie as <token>.
func hideCookies(v string) string {
	parts := strings.Split(v, ";")
	for i, part := range parts {
		name, _, _ := strings.Cut(strings.TrimSpace(part), "=")
		if name == "Authorization" {
			lead := part[:len(part)-len(strings.TrimLeft(part, " "))]
			parts[i] = lead + name + "=" + phToken
		}
	}
	return strings.Join(parts, ";")
}

// finishDryRun prints the captured request after an SDK call made in a dry
// run, and returns exit code 0. err is the call's error: the capture makes
// every call fail, so only an error without a captured request
// (validation, configuration) is reported.
func (e *env) finishDryRun(c *cmdFlags, d *dryRun, capt *capture, err error) int {
	capt.mu.Lock()
	cr := capt.req
	capt.mu.Unlock()
	if cr == nil {
		if err == nil {
			err = errors.New("dry run: nothing was captured")
		}
		return e.fail(c, err)
	}
	p := d.render(*cr)
	if c.json {
		writeJSON(e.stdout, jsonOutput{OK: true, DryRun: true, Request: &p})
		return exitOK
	}
	w := e.stdout
	fmt.Fprintln(w, "dry run: this request was built and signed but NOT sent (secrets shown as placeholders such as <token>; put the real values in their place to get the request, and the signed string, exactly)")
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
