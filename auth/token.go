package auth

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"
)

// Token is an access token as issued by a remote API, with an optional
// refresh token. The zero Expiry means the token never expires.
//
// Value and RefreshToken are secrets: String, GoString, LogValue and
// MarshalJSON never show them, so a Token can be printed or logged safely,
// also inside a struct that a JSON logger encodes. To store a token, copy
// its fields: json.Marshal of a Token gives the redacted form.
type Token struct {
	Value         string
	Expiry        time.Time // zero: never expires
	RefreshToken  string
	RefreshExpiry time.Time
}

// Expired reports whether the token is unusable at now, counting a token as
// expired margin before its Expiry. A nil token, a token with an empty
// Value, and a token whose Expiry is at or before now+margin are expired; a
// zero Expiry never is.
func (t *Token) Expired(now time.Time, margin time.Duration) bool {
	if t == nil || t.Value == "" {
		return true
	}
	return !t.Expiry.IsZero() && !now.Add(margin).Before(t.Expiry)
}

// CanRefresh reports whether the token carries a refresh token that is
// still usable at now.
func (t *Token) CanRefresh(now time.Time) bool {
	return t != nil && t.RefreshToken != "" && (t.RefreshExpiry.IsZero() || now.Before(t.RefreshExpiry))
}

// String describes the token without revealing it. Its receiver is a
// value so that a Token printed by value is redacted too; a nil *Token
// prints as <nil>.
func (t Token) String() string {
	expiry := "never"
	if !t.Expiry.IsZero() {
		expiry = t.Expiry.Format(time.RFC3339)
	}
	return fmt.Sprintf("auth.Token{Value:%s, Expiry:%s, RefreshToken:%s}", redacted(t.Value), expiry, redacted(t.RefreshToken))
}

// GoString is String, so that %#v does not reveal the token either.
func (t Token) GoString() string { return t.String() }

// LogValue implements slog.LogValuer: the token is logged as its expiry
// times only, whether logged by value or by pointer.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("value", redacted(t.Value)),
		slog.Time("expiry", t.Expiry),
		slog.String("refresh_token", redacted(t.RefreshToken)),
		slog.Time("refresh_expiry", t.RefreshExpiry),
	)
}

// MarshalJSON implements json.Marshaler with the redacted form LogValue
// logs: {"value":"[REDACTED]","expiry":...,"refresh_token":"[REDACTED]",
// "refresh_expiry":...}, a secret that is empty being "" and an expiry a
// time (the zero time for none). Its receiver is a value so that a Token
// inside a struct is redacted whether held by value or by pointer.
func (t Token) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Value         string    `json:"value"`
		Expiry        time.Time `json:"expiry"`
		RefreshToken  string    `json:"refresh_token"`
		RefreshExpiry time.Time `json:"refresh_expiry"`
	}{jsonRedacted(t.Value), t.Expiry, jsonRedacted(t.RefreshToken), t.RefreshExpiry})
}

// jsonRedacted is Redacted for a secret, "" for none.
func jsonRedacted(secret string) string {
	if secret == "" {
		return ""
	}
	return Redacted
}

// Redacted is what String and LogValue show in place of a secret.
const Redacted = "[REDACTED]"

func redacted(secret string) string {
	if secret == "" {
		return `""`
	}
	return Redacted
}
