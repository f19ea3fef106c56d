package auth

import (
	"fmt"
	"log/slog"
	"time"
)

// Token is an access token as issued by a remote API, with an optional
// refresh token. The zero Expiry means the token never expires.
//
// Value and RefreshToken are secrets: String, GoString and LogValue never
// show them, so a Token can be printed or logged safely.
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

// Redacted is what String and LogValue show in place of a secret.
const Redacted = "[REDACTED]"

func redacted(secret string) string {
	if secret == "" {
		return `""`
	}
	return Redacted
}
