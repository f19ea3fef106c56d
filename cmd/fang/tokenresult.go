package main

import (
	"fmt"
	"time"

	"github.com/fangsdk/fang/auth"
)

// tokenResult is the JSON result of kanfang token and property login.
type tokenResult struct {
	Expiry               *time.Time `json:"expiry,omitempty"`
	ExpiresInSeconds     int64      `json:"expiresInSeconds,omitempty"`
	RefreshExpiry        *time.Time `json:"refreshExpiry,omitempty"`
	RefreshExpiresInSecs int64      `json:"refreshExpiresInSeconds,omitempty"`
	HasRefreshToken      *bool      `json:"hasRefreshToken,omitempty"`
	Token                string     `json:"token,omitempty"`
	RefreshToken         string     `json:"refreshToken,omitempty"`
}

// newTokenResult is the JSON result for token t at time now: expiries,
// the refresh token's only with refresh, and the token values only with
// showSecret.
func newTokenResult(t *auth.Token, now time.Time, showSecret, refresh bool) tokenResult {
	var r tokenResult
	r.Expiry, r.ExpiresInSeconds = expiry(t.Expiry, now)
	if refresh {
		has := t.RefreshToken != ""
		r.HasRefreshToken = &has
		r.RefreshExpiry, r.RefreshExpiresInSecs = expiry(t.RefreshExpiry, now)
	}
	if showSecret {
		r.Token, r.RefreshToken = t.Value, t.RefreshToken
	}
	return r
}

// expiry is t and the seconds from now until then, or nothing for the
// zero time (no expiry).
func expiry(t, now time.Time) (*time.Time, int64) {
	if t.IsZero() {
		return nil, 0
	}
	return &t, int64(t.Sub(now).Round(time.Second) / time.Second)
}

// when is an expiry as printed: "never", or the time and how long until
// then.
func when(t time.Time, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return fmt.Sprintf("%s (in %s)", t.Format(time.RFC3339), t.Sub(now).Round(time.Minute))
}
