package property

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/envelope"
	"github.com/fangsdk/fang/sign"
)

// Secrets of the scrubbing tests: each has characters that URL and JSON
// encodings change.
const (
	echoToken    = "eyJ0eXAi.sess/ion+tok=en<x>"
	echoPassword = "pa55/word+é"
	echoCode     = "sec/code+=xyz"
)

// echoPage is a WAF or proxy page echoing secrets raw, URL-encoded and
// JSON-escaped (as Java writes it: "/" as "\/", non-ASCII as \uXXXX).
func echoPage(secrets ...string) string {
	var b strings.Builder
	b.WriteString("<html><body><h1>Request blocked</h1><pre>")
	for _, s := range secrets {
		j, _ := json.Marshal(s)
		java := strings.ReplaceAll(string(j[1:len(j)-1]), "/", `\/`)
		java = strings.ReplaceAll(java, "é", `\u00e9`)
		fmt.Fprintf(&b, "Authorization: Bearer %s\nquery: token=%s path=%s\njson: {\"token\":%s} java: %s\n",
			s, url.QueryEscape(s), url.PathEscape(s), j, java)
	}
	b.WriteString("</pre></body></html>")
	return b.String()
}

// leaks lists the secrets, or their encoded forms or beginnings, that
// text shows.
func leaks(text string, secrets ...string) []string {
	var out []string
	for _, s := range secrets {
		j, _ := json.Marshal(s)
		for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s), string(j[1 : len(j)-1]), s[:8]} {
			if strings.Contains(text, form) {
				out = append(out, form)
			}
		}
	}
	return out
}

// TestNonEnvelopeAnswerScrubbed: a 2xx answer to SaveProperty that is not
// an HC envelope (a proxy or WAF page echoing the request) is quoted in
// the error only with every secret scrubbed, in every encoding: the
// session token, the security code, the password and its hash.
func TestNonEnvelopeAnswerScrubbed(t *testing.T) {
	hash := sign.HCPassword(echoPassword)
	page := echoPage(echoToken, echoCode, echoPassword, hash)
	rec := newRecorder(t,
		reply{200, staffAnswer(loginEntry{UserID: "u1", UserName: "admin", Token: echoToken})},
		reply{200, page})
	c, err := NewClient(WithBaseURL(rec.URL), WithAppID(testAppID), WithSecurityCode(echoCode), WithCredentials("admin", echoPassword))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.SaveProperty(context.Background(), company(1))
	var perr *Error
	if !errors.As(err, &perr) || !errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(perr.Msg, "Request blocked") {
		t.Fatalf("err = %v: the page is not quoted", err)
	}
	if got := leaks(fmt.Sprintf("%v %+v %#v", err, err, perr.Msg), echoToken, echoCode, echoPassword, hash); len(got) > 0 {
		t.Errorf("the error shows %q: %v", got, err)
	}
	if got := rec.requests()[1].Header.Get("Authorization"); got != "Bearer "+echoToken {
		t.Fatalf("the save was sent with %q", got)
	}

	// With a static token.
	rec = newRecorder(t, reply{200, page})
	c = newTestClient(t, rec.URL, WithToken(auth.StaticToken(echoToken)), WithSecurityCode(echoCode))
	_, err = c.SaveProperty(context.Background(), company(1))
	if got := leaks(fmt.Sprintf("%v %+v", err, err), echoToken, echoCode); err == nil || len(got) > 0 {
		t.Errorf("static token: the error shows %q: %v", got, err)
	}
}

// TestSecretAcrossTheExcerptCutScrubbed: a body is scrubbed before it is
// cut to its excerpt, so a token straddling the cut does not leak its
// first bytes — for every kind of answer quoted: HTTP 401, a 2xx without
// an envelope, a gateway's error page, a code-404 message.
func TestSecretAcrossTheExcerptCutScrubbed(t *testing.T) {
	const token = "SECRETsessionTokenValue0123456789"
	straddle := func(prefix string) string {
		// The token starts 8 bytes before the cut.
		return prefix + strings.Repeat("x", envelope.MaxExcerpt-8-len(prefix)) + token + " and more text after it"
	}
	msg404, _ := json.Marshal(map[string]any{"code": 404, "msg": straddle("鉴权失败：")})
	tests := []struct {
		name string
		rep  reply
	}{
		{"401", reply{401, straddle("")}},
		{"2xx without envelope", reply{200, straddle("<html>")}},
		{"502 page", reply{502, straddle("<html>")}},
		{"code 404", reply{200, string(msg404)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, tt.rep)
			c := newTestClient(t, rec.URL, WithToken(auth.StaticToken(token)))
			_, err := c.SaveProperty(context.Background(), company(1))
			var perr *Error
			if !errors.As(err, &perr) || !strings.Contains(perr.Msg, "xxxx") {
				t.Fatalf("err = %v", err)
			}
			if text := fmt.Sprintf("%v %+v", err, err); strings.Contains(text, token[:6]) {
				t.Errorf("the beginning of the token leaks across the cut: …%s", text[max(0, len(text)-120):])
			}
			if len(perr.Msg) > envelope.MaxExcerpt+len("…") {
				t.Errorf("message of %d bytes, not cut", len(perr.Msg))
			}
		})
	}
}
