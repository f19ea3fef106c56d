package wire

import (
	"context"
	"log/slog"
	"net/url"
	"strconv"
	"time"
)

// logAttempt writes one debug line per attempt. Only the URL's path is
// logged: the query may hold secrets, and headers and bodies never are.
func (e *Engine) logAttempt(ctx context.Context, c *Call, attempt int, start time.Time, resp *Response, err error) {
	if e.log == nil || !e.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("op", c.Op),
		slog.String("method", c.Method),
		slog.String("path", pathOf(c.URL)),
		slog.Int("attempt", attempt),
		slog.Duration("duration", time.Since(start)),
	}
	if c.TransactionID != "" {
		attrs = append(attrs, slog.String("transaction_id", c.TransactionID))
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.Status))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	e.log.LogAttrs(ctx, slog.LevelDebug, "fang: http attempt", attrs...)
}

// logRetry writes a warning before a retry.
func (e *Engine) logRetry(ctx context.Context, c *Call, attempt int, wait time.Duration, resp *Response, err error) {
	if e.log == nil || !e.log.Enabled(ctx, slog.LevelWarn) {
		return
	}
	reason := ""
	if err != nil {
		reason = err.Error()
	} else if resp != nil {
		reason = "HTTP " + strconv.Itoa(resp.Status)
	}
	e.log.LogAttrs(ctx, slog.LevelWarn, "fang: retrying",
		slog.String("op", c.Op),
		slog.String("path", pathOf(c.URL)),
		slog.Int("attempt", attempt),
		slog.Duration("wait", wait),
		slog.String("reason", reason),
	)
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Path
}
