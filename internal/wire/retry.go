package wire

import (
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy bounds and paces retries. Which calls may be retried at all is
// decided by the Call (Idempotent) and by whether the request may have been
// sent; the policy only says how often and how long to wait.
type RetryPolicy struct {
	// MaxAttempts counts the first attempt: 1 disables retries. Zero means
	// DefaultMaxAttempts.
	MaxAttempts int
	// BaseBackoff and MaxBackoff bound the exponential backoff with full
	// jitter: before retry n the wait is uniform in
	// [0, min(MaxBackoff, BaseBackoff*2^(n-1))).
	BaseBackoff time.Duration
	MaxBackoff  time.Duration
	// MaxRetryAfter is the longest Retry-After honoured; a server asking
	// for longer is not retried. Zero means MaxBackoff*10.
	MaxRetryAfter time.Duration
}

// Retry defaults.
const (
	DefaultMaxAttempts = 3
	DefaultBaseBackoff = 100 * time.Millisecond
	DefaultMaxBackoff  = 2 * time.Second
)

// NoRetry is a policy of one attempt.
var NoRetry = RetryPolicy{MaxAttempts: 1}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.BaseBackoff <= 0 {
		p.BaseBackoff = DefaultBaseBackoff
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = DefaultMaxBackoff
	}
	if p.MaxBackoff < p.BaseBackoff {
		p.MaxBackoff = p.BaseBackoff
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 10 * p.MaxBackoff
	}
	return p
}

// backoff returns the full-jitter wait before retry number n (n >= 1).
func (p RetryPolicy) backoff(n int) time.Duration {
	ceiling := p.BaseBackoff
	for i := 1; i < n && ceiling < p.MaxBackoff; i++ {
		ceiling *= 2
	}
	if ceiling > p.MaxBackoff {
		ceiling = p.MaxBackoff
	}
	return rand.N(ceiling) // uniform in [0, ceiling)
}

// retryableStatus reports whether an idempotent call answered with status
// may be repeated: rate limiting and the gateway errors that mean the
// backend was not reached or did not answer in time.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// maxRetryAfterSecs caps a Retry-After delay (a day, in seconds) before it
// is turned into a time.Duration, which a larger number would overflow.
const maxRetryAfterSecs = 24 * 60 * 60

// retryAfter parses a Retry-After header (delay in seconds, or an HTTP
// date) relative to now. ok is false when the header is absent or invalid.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxRetryAfterSecs) {
			secs = maxRetryAfterSecs // longer than any policy honours; no overflow
		}
		return time.Duration(secs) * time.Second, true
	} else if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(v, "-") {
		return maxRetryAfterSecs * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}
