package kanfangtest

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fangsdk/fang/sign"
)

// CallbackForm is a callback to send: kanfang.TaskStateChange,
// kanfang.PackageDownload and kanfang.NotifyFailed are CallbackForms.
type CallbackForm interface {
	Values() url.Values
}

// CallbackSender sends signed callbacks, as 123kanfang does, to a URL a
// test gives: point it at a kanfang.CallbackHandler (or any receiver) to
// test it hermetically. The zero value is not usable: SignKey must be
// set. It is safe for concurrent use if its fields are not changed.
type CallbackSender struct {
	// SignKey signs the callbacks (the account's "strong validation" key).
	SignKey string
	// Client sends them (nil: http.DefaultClient). The sender never
	// follows a redirect.
	Client *http.Client
	// Now is the clock the timestamp header is read from (nil: time.Now):
	// a clock set hours back sends a stale callback.
	Now func() time.Time
	// Seconds sends the timestamp in Unix seconds instead of milliseconds.
	Seconds bool
	// Method is "POST" (the default: a url-encoded form) or "GET" (the
	// values in the query).
	Method string
}

// CallbackSender returns a sender of callbacks signed with the key given
// to WithSignKey (empty without it) and timestamped by the server's clock
// (WithClock, Advance).
func (s *Server) CallbackSender() *CallbackSender {
	return &CallbackSender{SignKey: s.cfg.signKey, Now: s.Now}
}

// CallbackAnswer is a receiver's answer to a callback.
type CallbackAnswer struct {
	HTTPStatus int
	// State is the envelope's state (0 when the body is not an envelope).
	State int
	// Payload is the envelope's payload: its text when it is a string,
	// else its JSON.
	Payload string
	// Body is the body as received, up to 64 KiB.
	Body string
}

// OK reports whether the receiver acknowledged the callback: HTTP 200 and
// state 200.
func (a *CallbackAnswer) OK() bool { return a.HTTPStatus == http.StatusOK && a.State == http.StatusOK }

// Send sends cb's form, signed, to target and returns the answer. The
// error is for a callback that got no answer, never for a failing one.
func (c *CallbackSender) Send(ctx context.Context, target string, cb CallbackForm) (*CallbackAnswer, error) {
	return c.SendValues(ctx, target, cb.Values())
}

// SendValues sends the given parameters, signed, to target (a POST form,
// or a GET query with Method "GET") with the headers timestamp and sign
// = sign.KanfangTimestamp(SignKey, values, timestamp).
func (c *CallbackSender) SendValues(ctx context.Context, target string, values url.Values) (*CallbackAnswer, error) {
	if c.SignKey == "" {
		return nil, errors.New("kanfangtest: CallbackSender needs a SignKey")
	}
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	if c.Seconds {
		ts = strconv.FormatInt(now.Unix(), 10)
	}
	method := cmp.Or(strings.ToUpper(c.Method), http.MethodPost)
	if method != http.MethodPost && method != http.MethodGet {
		return nil, fmt.Errorf("kanfangtest: CallbackSender.Method %q: want POST or GET", c.Method)
	}
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(values.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, fmt.Errorf("kanfangtest: callback request: %w", err)
	}
	if method == http.MethodGet {
		req.URL.RawQuery = values.Encode()
	} else {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("timestamp", ts)
	req.Header.Set("sign", sign.KanfangTimestamp(c.SignKey, values, ts))

	client := *http.DefaultClient
	if c.Client != nil {
		client = *c.Client
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("kanfangtest: sending the callback: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("kanfangtest: reading the callback's answer: %w", err)
	}
	a := &CallbackAnswer{HTTPStatus: resp.StatusCode, Body: string(b)}
	var env struct {
		State   int             `json:"state"`
		Payload json.RawMessage `json:"payload"`
	}
	if json.Unmarshal(b, &env) == nil {
		a.State = env.State
		if json.Unmarshal(env.Payload, &a.Payload) != nil { // a string payload as its text
			a.Payload = string(env.Payload)
		}
	}
	return a, nil
}
