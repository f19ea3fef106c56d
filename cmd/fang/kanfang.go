package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/kanfang"
)

func kanfangUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: fang kanfang <subcommand> [flags]

Calls the 123kanfang web API.

Subcommands:
  put-anjuke-bianhao   set the Anjuke store number of a panorama data package
  push                 push a package to a configured receiver (a notify task)
  token                log in with credentials and show the token's expiry
  call                 call any endpoint: call PATH [--get k=v]... [--data JSON]
  verify-callback      check the sign of a captured callback: --file FILE

Configuration (flag or environment; a flag wins):
  --base-url     FANG_KANFANG_BASE_URL    (default `+kanfang.ProductionBaseURL+`)
  --token        FANG_KANFANG_TOKEN       an access token; wins over credentials
  --auth-key     FANG_KANFANG_AUTH_KEY    credentials to log in with
  --auth-value   FANG_KANFANG_AUTH_VALUE
  --placement    FANG_KANFANG_PLACEMENT   header (default), form, cookie or query
  --sign-key     FANG_KANFANG_SIGN_KEY    "strong validation" sign key, if the account has one

Secrets (--token, --auth-value, --sign-key) are best given as a file:
--token-file PATH or FANG_KANFANG_TOKEN_FILE, and likewise for the others
(the file's first line). A secret in a flag shows in ps and shell history.

Run 'fang kanfang <subcommand> --help' for its flags.
`)
}

// kanfangConfig is the configuration shared by the kanfang subcommands.
type kanfangConfig struct {
	baseURL, placement, signKey string
	acct                        account
}

// kanfangAccount names the 123kanfang account settings.
var kanfangAccount = account{
	api: "kanfang", login: "GetAccessToken", secretPh: phAuthValue,
	token: setting{flag: "token", env: "FANG_KANFANG_TOKEN", what: "token",
		usage: "access token (wins over --auth-key/--auth-value); prefer --token-file or the environment: flags show in ps"},
	user:   setting{flag: "auth-key", env: "FANG_KANFANG_AUTH_KEY", what: "auth key", usage: "login name for GetAccessToken"},
	secret: setting{flag: "auth-value", env: "FANG_KANFANG_AUTH_VALUE", what: "auth value", usage: "login secret for GetAccessToken"},
}

// define defines the configuration flags; withToken adds --token, which
// only commands that call with a token have (token logs in instead).
func (k *kanfangConfig) define(c *cmdFlags, withToken bool) {
	c.str(&k.baseURL, "base-url", "FANG_KANFANG_BASE_URL", "123kanfang base `URL` (default "+kanfang.ProductionBaseURL+")")
	k.acct = kanfangAccount
	k.acct.define(c, withToken)
	c.str(&k.placement, "placement", "FANG_KANFANG_PLACEMENT", "`where` the token travels: header, form, cookie or query (default header)")
	c.secret(&k.signKey, "sign-key", "FANG_KANFANG_SIGN_KEY", "sign key for accounts with \"strong validation\"")
}

// client makes the client for call a of command c. It authenticates as
// the account decides (see account.authenticate); with a capture (dry
// run), requests go to it and are never retried.
func (k *kanfangConfig) client(c *cmdFlags, a *apiCall) (*kanfang.Client, error) {
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
	mode, token, err := k.acct.authenticate(a)
	if err != nil {
		return nil, err
	}
	a.d.hide(k.signKey, phSignKey)
	a.d.signKey = k.signKey
	switch mode {
	case authToken:
		opts = append(opts, kanfang.WithToken(auth.StaticToken(token)))
	case authCredentials, authLoginCommand:
		opts = append(opts, kanfang.WithCredentials(k.acct.user.value, k.acct.secret.value))
	}
	if a.capt != nil {
		opts = append(opts, kanfang.WithHTTPClient(a.capt.client()), kanfang.WithoutRetry())
	}
	return kanfang.NewClient(opts...)
}

// doer is client for fang kanfang call.
func (k *kanfangConfig) doer(c *cmdFlags, a *apiCall) (doer, error) { return k.client(c, a) }

func (e *env) kanfangPut(ctx context.Context, args []string) int {
	c := newCmdFlags("kanfang put-anjuke-bianhao", "--package-id ID --bianhao NO [flags]",
		"Sets the Anjuke store number of a panorama data package\n(POST /v2/houseTask/putAnjukeBianHao). Idempotent: transient failures are retried.")
	var cfg kanfangConfig
	var req kanfang.PutAnjukeBianHaoRequest
	c.field(&req.PackageID, "package-id", "PackageID", "`id` of the panorama data package (required, ≤ 128 characters)")
	c.field(&req.AnjukeBianHao, "bianhao", "AnjukeBianHao", "the listing's `number` in the Anjuke online store (required, ≤ 128 characters)")
	if code, done := c.parseAPI(e, args, &cfg, true); done {
		return code
	}
	return callAPI(ctx, e, c, cfg.client, func(ctx context.Context, client *kanfang.Client, _ *apiCall) (output, error) {
		resp, err := client.PutAnjukeBianHao(ctx, &req)
		if err != nil {
			return output{}, err
		}
		return output{resp, func(w io.Writer) {
			fmt.Fprintf(w, "package %s: anjuke bianhao set to %s\n", resp.PackageID, resp.AnjukeBianHao)
		}}, nil
	})
}

func (e *env) kanfangToken(ctx context.Context, args []string) int {
	c := newCmdFlags("kanfang token", "[flags]",
		"Logs in with --auth-key/--auth-value (GET /v2/Authorization/GetAccessToken)\nand prints when the access token and the refresh token expire. The tokens\nthemselves are printed only with --show-secret.")
	var cfg kanfangConfig
	var showSecret bool
	c.BoolVar(&showSecret, "show-secret", false, "also print the access token and the refresh token")
	c.note("show-secret", "")
	if code, done := c.parseAPI(e, args, &cfg, false); done {
		return code
	}
	return callAPI(ctx, e, c, cfg.client, func(ctx context.Context, client *kanfang.Client, _ *apiCall) (output, error) {
		tok, err := client.GetAccessToken(ctx, cfg.acct.user.value, cfg.acct.secret.value)
		if err != nil {
			return output{}, err
		}
		now := time.Now()
		return output{newTokenResult(tok, now, showSecret, true), func(w io.Writer) {
			fmt.Fprintf(w, "logged in as %s\n", cfg.acct.user.value)
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
		}}, nil
	})
}

func (e *env) kanfangCall(ctx context.Context, args []string) int {
	return runCall(ctx, e, args, &kanfangConfig{}, callCommand{
		path: "kanfang call", synopsis: "PATH [--get name=value]... [--data JSON|@file] [flags]",
		about: `Calls any 123kanfang endpoint through fang's pipeline (token, strong
validation, retries): GET PATH with the --get values as the query, or, with
--data (a JSON object of string values), POST PATH with them as the form.
Prints the payload of a state-200 answer. A POST is never repeated once it
may have reached the server.

Example: fang kanfang call /v2/houseTask/putAnjukeBianHao --data '{"packageId":"p1","anjukeBianHao":"1"}'`,
		target: "PATH", example: "/v2/houseTask/putAnjukeBianHao",
		dataUsage: "the form as a JSON object of strings, inline or @file (@- for standard input): sends a POST",
		input:     kanfangForm,
	})
}

// kanfangForm is the form kanfang call --data sends: raw must be a JSON
// object of string values.
func kanfangForm(raw json.RawMessage) (any, error) {
	var form map[string]string
	if err := json.Unmarshal(raw, &form); err != nil {
		return nil, usageErr("--data: want a JSON object of string values")
	}
	in := url.Values{}
	for k, v := range form {
		in.Set(k, v)
	}
	return in, nil
}
