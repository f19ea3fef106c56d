package wire

import (
	"context"
	"errors"
	"time"

	"github.com/fangsdk/fang/observe"
)

// reportAttempt gives the Observer one attempt: the URL's path only, never
// its query, headers or body.
func (e *Engine) reportAttempt(ctx context.Context, c *Call, n int, start time.Time, resp *Response, sent bool, err error) {
	a := observe.Attempt{
		API: e.api, Op: c.Op, Method: c.Method, Path: pathOf(c.URL),
		N: n, Start: start, Duration: time.Since(start),
		TransactionID: c.TransactionID, Sent: sent, Status: StatusOf(resp, err),
	}
	if err != nil {
		a.ErrorKind = ErrorKind(err)
	}
	e.obs.Attempt(ctx, a)
}

// reportRetry gives the Observer a retry about to be waited for.
func (e *Engine) reportRetry(ctx context.Context, c *Call, after int, wait time.Duration, resp *Response, err error) {
	r := observe.Retry{
		API: e.api, Op: c.Op, Method: c.Method, Path: pathOf(c.URL),
		After: after, Wait: wait, Status: StatusOf(resp, err),
	}
	if err != nil {
		r.ErrorKind = ErrorKind(err)
	}
	e.obs.Retry(ctx, r)
}

// StatusOf is the HTTP status of an attempt's answer: resp's, or the one
// a redirect or an unreadable body carries; 0 when there was no answer.
func StatusOf(resp *Response, err error) int {
	if resp != nil {
		return resp.Status
	}
	if re, ok := errors.AsType[*RedirectError](err); ok {
		return re.Status
	}
	if be, ok := errors.AsType[*BodyError](err); ok {
		return be.Status
	}
	return 0
}

// ErrorKind classifies an error of the engine (or of a call that wraps
// one); nil is "".
func ErrorKind(err error) observe.ErrorKind {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.DeadlineExceeded):
		return observe.KindTimeout
	case errors.Is(err, context.Canceled):
		return observe.KindCanceled
	case errors.Is(err, ErrRedirected):
		return observe.KindRedirect
	case errors.Is(err, ErrBodyTooLarge):
		return observe.KindResponseTooLarge
	case errors.Is(err, ErrNoResponse):
		return observe.KindNoResponse
	}
	if _, ok := errors.AsType[*BodyError](err); ok {
		return observe.KindNoResponse // the answer broke off while being read
	}
	return observe.KindOther
}
