package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/kanfang"
)

func kanfangUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: fang kanfang <subcommand> [flags]

Calls the 123kanfang web API.

Subcommands:
  put-anjuke-bianhao   set the Anjuke store number of a panorama data package
  token                log in with credentials and show the token's expiry
  call                 call any endpoint: call PATH [--get k=v]... [--data JSON]

Configuration (flag or environment; a flag wins):
  --base-url     FANG_KANFANG_BASE_URL    (default `+kanfang.ProductionBaseURL+`)
  --token        FANG_KANFANG_TOKEN       an access token; wins over credentials
  --auth-key     FANG_KANFANG_AUTH_KEY    credentials to log in with
  --auth-value   FANG_KANFANG_AUTH_VALUE
  --placement    FANG_KANFANG_PLACEMENT   header (default), form, cookie or query
  --sign-key     FANG_KANFANG_SIGN_KEY    "strong validation" sign key, if the account has one

Run 'fang kanfang <subcommand> --help' for its flags.
`)
}

// kanfangConfig is the configuration shared by the kanfang subcommands.
type kanfangConfig struct {
	baseURL, token, authKey, authValue, placement, signKey string
}

// define defines the configuration flags; withToken adds --token, which
// only commands that call with a token have (token logs in instead).
func (k *kanfangConfig) define(c *cmdFlags, withToken bool) {
	c.str(&k.baseURL, "base-url", "FANG_KANFANG_BASE_URL", "123kanfang base `URL` (default "+kanfang.ProductionBaseURL+")")
	if withToken {
		c.str(&k.token, "token", "FANG_KANFANG_TOKEN", "access token (wins over --auth-key/--auth-value); prefer the environment: flags show in ps")
	}
	c.str(&k.authKey, "auth-key", "FANG_KANFANG_AUTH_KEY", "login name for GetAccessToken")
	c.str(&k.authValue, "auth-value", "FANG_KANFANG_AUTH_VALUE", "login secret for GetAccessToken")
	c.str(&k.placement, "placement", "FANG_KANFANG_PLACEMENT", "`where` the token travels: header, form, cookie or query (default header)")
	c.str(&k.signKey, "sign-key", "FANG_KANFANG_SIGN_KEY", "sign key for accounts with \"strong validation\"")
}

// credentials returns an error naming what is missing when the auth key
// and value are not both set.
func (k *kanfangConfig) credentials() error {
	switch {
	case k.authKey == "" && k.authValue == "":
		return usageErr("no kanfang credentials: set --auth-key and --auth-value (FANG_KANFANG_AUTH_KEY, FANG_KANFANG_AUTH_VALUE)")
	case k.authKey == "":
		return usageErr("no kanfang auth key: set --auth-key or FANG_KANFANG_AUTH_KEY")
	case k.authValue == "":
		return usageErr("no kanfang auth value: set --auth-value or FANG_KANFANG_AUTH_VALUE")
	}
	return nil
}

// options builds the client options. needToken selects how the client
// authenticates business calls: the token, else the credentials; without
// it, the credentials are required (the token subcommand). With a capture
// (dry run), requests go to it and are never retried, and credentials are
// replaced by a placeholder token so that the business request is what
// gets captured rather than the login.
func (k *kanfangConfig) options(c *cmdFlags, needToken bool, capt *capture, d *dryRun) ([]kanfang.Option, error) {
	opts := []kanfang.Option{kanfang.WithTimeout(c.timeout), kanfang.WithLogger(c.logger())}
	if k.baseURL != "" {
		opts = append(opts, kanfang.WithBaseURL(k.baseURL))
	}
	if k.placement != "" {
		p, err := auth.ParsePlacement(k.placement)
		if err != nil {
			return nil, usageErr("bad --placement (FANG_KANFANG_PLACEMENT) %q: want header, form, cookie or query", k.placement)
		}
		opts = append(opts, kanfang.WithTokenPlacement(p))
	}
	if k.signKey != "" {
		opts = append(opts, kanfang.WithSignKey(k.signKey))
	}
	d.hide(k.token, phToken)
	d.hide(k.authValue, phAuthValue)
	d.hide(k.signKey, phSignKey)
	d.signKey = k.signKey
	switch {
	case !needToken:
		if err := k.credentials(); err != nil {
			return nil, err
		}
		opts = append(opts, kanfang.WithCredentials(k.authKey, k.authValue))
	case k.token != "":
		opts = append(opts, kanfang.WithToken(auth.StaticToken(k.token)))
	case k.authKey != "" || k.authValue != "":
		if err := k.credentials(); err != nil {
			return nil, err
		}
		if capt != nil {
			d.notes = append(d.notes, "with --auth-key/--auth-value a real run first logs in (GetAccessToken); the token is shown as the placeholder "+placeholderToken)
			opts = append(opts, kanfang.WithToken(auth.StaticToken(placeholderToken)))
		} else {
			opts = append(opts, kanfang.WithCredentials(k.authKey, k.authValue))
		}
	default:
		return nil, usageErr("no kanfang token: set --token or FANG_KANFANG_TOKEN, or --auth-key and --auth-value (FANG_KANFANG_AUTH_KEY, FANG_KANFANG_AUTH_VALUE)")
	}
	if capt != nil {
		opts = append(opts, kanfang.WithHTTPClient(capt.client()), kanfang.WithoutRetry())
	}
	return opts, nil
}

// client makes the client for call a; see options for needToken.
func (k *kanfangConfig) client(c *cmdFlags, needToken bool, a *apiCall) (*kanfang.Client, error) {
	opts, err := k.options(c, needToken, a.capt, a.d)
	if err != nil {
		return nil, err
	}
	return kanfang.NewClient(opts...)
}

func (e *env) kanfangPut(ctx context.Context, args []string) int {
	c := newCmdFlags("kanfang put-anjuke-bianhao", "--package-id ID --bianhao NO [flags]",
		"Sets the Anjuke store number of a panorama data package\n(POST /v2/houseTask/putAnjukeBianHao). Idempotent: transient failures are retried.")
	var cfg kanfangConfig
	var req kanfang.PutAnjukeBianHaoRequest
	c.str(&req.PackageID, "package-id", "", "`id` of the panorama data package (required, ≤ 128 characters)")
	c.fieldFlags = map[string]string{"PackageID": "package-id", "AnjukeBianHao": "bianhao"}
	c.str(&req.AnjukeBianHao, "bianhao", "", "the listing's `number` in the Anjuke online store (required, ≤ 128 characters)")
	cfg.define(c, true)
	c.apiFlags()
	if code, done := c.parse(e, args); done {
		return code
	}
	ctx, a, cancel := c.begin(ctx)
	defer cancel()
	client, err := cfg.client(c, true, a)
	if err != nil {
		return e.fail(c, err)
	}
	resp, err := client.PutAnjukeBianHao(ctx, &req)
	if code, done := e.end(c, a, err); done {
		return code
	}
	return e.succeed(c, resp, func(w io.Writer) {
		fmt.Fprintf(w, "package %s: anjuke bianhao set to %s\n", resp.PackageID, resp.AnjukeBianHao)
	})
}

// tokenResult is the JSON result of kanfang token and property login.
type tokenResult struct {
	Expiry               *time.Time `json:"expiry,omitempty"`
	ExpiresInSeconds     int64      `json:"expires_in_seconds,omitempty"`
	RefreshExpiry        *time.Time `json:"refresh_expiry,omitempty"`
	RefreshExpiresInSecs int64      `json:"refresh_expires_in_seconds,omitempty"`
	HasRefreshToken      *bool      `json:"has_refresh_token,omitempty"`
	Token                string     `json:"token,omitempty"`
	RefreshToken         string     `json:"refresh_token,omitempty"`
}

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

func when(t time.Time, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return fmt.Sprintf("%s (in %s)", t.Format(time.RFC3339), t.Sub(now).Round(time.Second))
}

func (e *env) kanfangToken(ctx context.Context, args []string) int {
	c := newCmdFlags("kanfang token", "[flags]",
		"Logs in with --auth-key/--auth-value (GET /v2/Authorization/GetAccessToken)\nand prints when the access token and the refresh token expire. The tokens\nthemselves are printed only with --show-secret.")
	var cfg kanfangConfig
	var showSecret bool
	cfg.define(c, false)
	c.BoolVar(&showSecret, "show-secret", false, "also print the access token and the refresh token")
	c.note("show-secret", "")
	c.apiFlags()
	if code, done := c.parse(e, args); done {
		return code
	}
	ctx, a, cancel := c.begin(ctx)
	defer cancel()
	client, err := cfg.client(c, false, a)
	if err != nil {
		return e.fail(c, err)
	}
	tok, err := client.GetAccessToken(ctx, cfg.authKey, cfg.authValue)
	if code, done := e.end(c, a, err); done {
		return code
	}
	now := time.Now()
	return e.succeed(c, newTokenResult(tok, now, showSecret, true), func(w io.Writer) {
		fmt.Fprintf(w, "logged in as %s\n", cfg.authKey)
		fmt.Fprintf(w, "access token expires:  %s\n", when(tok.Expiry, now))
		if tok.RefreshToken != "" {
			fmt.Fprintf(w, "refresh token expires: %s\n", when(tok.RefreshExpiry, now))
		} else {
			fmt.Fprintln(w, "refresh token: none issued")
		}
		if showSecret {
			fmt.Fprintf(w, "access token:  %s\n", tok.Value)
			if tok.RefreshToken != "" {
				fmt.Fprintf(w, "refresh token: %s\n", tok.RefreshToken)
			}
		} else {
			fmt.Fprintln(w, "(tokens not shown: add --show-secret)")
		}
	})
}
