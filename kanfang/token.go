package kanfang

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/internal/call"
	"github.com/fangsdk/fang/internal/check"
)

// TokenPayload is the payload of a successful GetAccessToken or
// RefreshToken answer, {"state":200,"payload":{...}}, as the platform sends
// it; a test that mocks the token endpoints answers with it:
//
//	{"state":200,"payload":{"token":"…","tokenExpireIn":172800,"refreshToken":"…","refreshTokenExpireIn":2592000}}
//
// Lifetimes are whole seconds (48 hours and 30 days in the platform's
// examples), counted by fang from when the request was sent and capped at
// MaxTokenLifetime.
type TokenPayload struct {
	Token                string `json:"token"`                // the access token; required
	TokenExpireIn        int64  `json:"tokenExpireIn"`        // seconds; 0 or absent: no known expiry
	RefreshToken         string `json:"refreshToken"`         // may be absent
	RefreshTokenExpireIn int64  `json:"refreshTokenExpireIn"` // seconds
}

// MaxTokenLifetime caps the lifetimes a token endpoint announces: a larger
// number (1e10 seconds, say) would overflow a time.Duration and make every
// call renew. No real token lives this long.
const MaxTokenLifetime = 10 * 365 * 24 * time.Hour

// token is the auth.Token of the payload of ans.
func (p *TokenPayload) token(issued time.Time, ans *call.Answer) (*auth.Token, error) {
	if err := ans.Into(p); err != nil {
		return nil, err
	}
	if p.Token == "" {
		return nil, ans.Fail("success without a token in the payload")
	}
	t := &auth.Token{Value: p.Token, RefreshToken: p.RefreshToken}
	if p.TokenExpireIn > 0 {
		t.Expiry = issued.Add(lifetime(p.TokenExpireIn))
	}
	if p.RefreshToken != "" && p.RefreshTokenExpireIn > 0 {
		t.RefreshExpiry = issued.Add(lifetime(p.RefreshTokenExpireIn))
	}
	return t, nil
}

// lifetime is a positive number of seconds as a Duration, at most
// MaxTokenLifetime.
func lifetime(secs int64) time.Duration {
	if secs > int64(MaxTokenLifetime/time.Second) {
		return MaxTokenLifetime
	}
	return time.Duration(secs) * time.Second
}

// The token endpoints. Logging in twice is harmless. A refresh rotates
// the refresh token, which travels as the request's token: repeating one
// that reached the server would fail with 4011.
var (
	loginSpec   = call.Spec{Op: "GetAccessToken", Method: http.MethodGet, Path: PathGetAccessToken, Idempotent: true, Auth: call.NoToken}
	refreshSpec = call.Spec{Op: "RefreshToken", Method: http.MethodGet, Path: PathRefreshToken, Auth: call.GivenToken}
)

// GetAccessToken logs in (GET /v2/Authorization/GetAccessToken) and returns
// the access token with its refresh token and expiry times, counted from
// when the request was sent. It needs no token. Wrong credentials (state
// 401) give an *Error matching ErrUnauthorized and auth.ErrLoginRefused.
// Neither authValue nor the returned
// tokens appear in any error or log line.
//
// Most users do not call this: WithCredentials does it when needed.
func (c *Client) GetAccessToken(ctx context.Context, authKey, authValue string) (*auth.Token, error) {
	chk := check.New(loginSpec.Op)
	chk.Context(ctx)
	chk.Required("authKey", authKey)
	chk.Required("authValue", authValue)
	if err := c.caller.Invalid(chk); err != nil {
		return nil, err
	}
	return c.issueToken(ctx, &call.Request{
		Spec:    &loginSpec,
		Params:  url.Values{"authKey": {authKey}, "authValue": {authValue}, "clientEdtion": {ClientEdition}},
		Secrets: []string{authValue},
	})
}

// RefreshToken exchanges a refresh token for a new access token (GET
// /v2/Authorization/RefreshToken, the refresh token in the client's token
// placement; a form placement travels in the query, as this is a GET). A
// refresh token that is no longer usable gives an *Error matching
// ErrRefreshFailed (state 4011): log in again.
func (c *Client) RefreshToken(ctx context.Context, refreshToken string) (*auth.Token, error) {
	chk := check.New(refreshSpec.Op)
	chk.Context(ctx)
	chk.Required("refreshToken", refreshToken)
	if err := c.caller.Invalid(chk); err != nil {
		return nil, err
	}
	return c.issueToken(ctx, &call.Request{
		Spec:   &refreshSpec,
		Params: url.Values{"clientEdtion": {ClientEdition}},
		Token:  refreshToken,
	})
}

// issueToken sends a token request and reads the token it issues, its
// lifetimes counted from when the request was sent.
func (c *Client) issueToken(ctx context.Context, req *call.Request) (*auth.Token, error) {
	issued := c.proto.now()
	ans, err := c.caller.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	return new(TokenPayload).token(issued, ans)
}

// credentialSource is the token source behind WithCredentials: log in
// lazily, refresh before expiry, log in again when the refresh fails —
// whatever the failure (4011, 401, a state 500, no answer at all), unless
// the caller's context has ended.
func (c *Client) credentialSource(cfg config) auth.TokenSource {
	authKey, authValue := cfg.User, cfg.Secret
	key := "fang:kanfang:" + c.proto.base + ":" + authKey
	now := func() time.Time { return c.proto.now() }
	return cfg.RenewingSource(key, now, func(ctx context.Context, last *auth.Token) (*auth.Token, error) {
		if last.CanRefresh(now()) {
			tok, err := c.RefreshToken(ctx, last.RefreshToken)
			if err == nil {
				return tok, nil
			}
			if ctx.Err() != nil {
				return nil, err
			}
		}
		return c.GetAccessToken(ctx, authKey, authValue)
	})
}
