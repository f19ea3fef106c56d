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
	if !t.Expiry.IsZero() {
		exp := t.Expiry
		r.Expiry, r.ExpiresInSeconds = &exp, int64(t.Expiry.Sub(now).Round(time.Second)/time.Second)
	}
	if refresh {
		has := t.RefreshToken != ""
		r.HasRefreshToken = &has
		if !t.RefreshExpiry.IsZero() {
			exp := t.RefreshExpiry
			r.RefreshExpiry, r.RefreshExpiresInSecs = &exp, int64(t.RefreshExpiry.Sub(now).Round(time.Second)/time.Second)
		}
	}
	if showSecret {
		r.Token, r.RefreshToken = t.Value, t.RefreshToken
	}
	return r
}

// when is an expiry as printed: "never", or the time and how long until
// then.
func when(t time.Time, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return fmt.Sprintf("%s (in %s)", t.Format(time.RFC3339), t.Sub(now).Round(time.Second))
}
