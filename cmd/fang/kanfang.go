package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/kanfang"
)

// kanfangConfig is the configuration shared by the kanfang subcommands.
type kanfangConfig struct {
	baseURL, placement, signKey string
	acct                        account
}

// define defines the configuration flags.
func (k *kanfangConfig) define(c *cmdFlags) {
	c.str(&k.baseURL, "base-url", "FANG_KANFANG_BASE_URL", "123kanfang base `URL` (default "+kanfang.ProductionBaseURL+")")
	k.acct = account{api: "kanfang", loginCommand: k.acct.loginCommand,
		token: setting{flag: "token", env: "FANG_KANFANG_TOKEN", what: "token",
			usage: "access token (wins over --auth-key/--auth-value); prefer --token-file or the environment: flags show in ps"},
		user:   setting{flag: "auth-key", env: "FANG_KANFANG_AUTH_KEY", what: "auth key", usage: "login name for GetAccessToken"},
		secret: setting{flag: "auth-value", env: "FANG_KANFANG_AUTH_VALUE", what: "auth value", usage: "login secret for GetAccessToken"},
	}
	k.acct.define(c)
	c.str(&k.placement, "placement", "FANG_KANFANG_PLACEMENT", "`where` the token travels: header, form, cookie or query (default header)")
	c.secret(&k.signKey, "sign-key", "FANG_KANFANG_SIGN_KEY", "sign key for accounts with \"strong validation\"")
}

// run parses args (see cmdFlags.parseAPI), then calls do with the
// client (see env.call).
func (k *kanfangConfig) run(ctx context.Context, e *env, c *cmdFlags, args []string, do func(context.Context, *kanfang.Client) (output, error)) int {
	if code, done := c.parseAPI(e, args, k.define); done {
		return code
	}
	return e.call(ctx, c, func(ctx context.Context, hc *http.Client) (output, error) {
		client, err := k.client(c, hc)
		if err != nil {
			return output{}, err
		}
		return do(ctx, client)
	})
}

// client makes the client of command c; hc is the http.Client it sends
// through (nil: the SDK's default).
func (k *kanfangConfig) client(c *cmdFlags, hc *http.Client) (*kanfang.Client, error) {
	opts := []kanfang.Option{kanfang.WithTimeout(c.timeout), kanfang.WithLogger(c.logger()), kanfang.WithSignKey(k.signKey), kanfang.WithHTTPClient(hc)}
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
	switch token, login, err := k.acct.auth(); {
	case err != nil:
		return nil, err
	case token != "":
		opts = append(opts, kanfang.WithToken(auth.StaticToken(token)))
	case login:
		opts = append(opts, kanfang.WithCredentials(k.acct.user.value, k.acct.secret.value))
	}
	if hc != nil {
		opts = append(opts, kanfang.WithoutRetry()) // a dry run captures one request
	}
	return kanfang.NewClient(opts...)
}

func (e *env) kanfangPut(ctx context.Context, args []string) int {
	c := newCmdFlags("kanfang put-anjuke-bianhao", `--package-id ID --bianhao NO [flags]

Sets the Anjuke store number of a panorama data package
(POST /v2/houseTask/putAnjukeBianHao). Idempotent: transient failures are retried.`)
	var cfg kanfangConfig
	var req kanfang.PutAnjukeBianHaoRequest
	c.field(&req.PackageID, "package-id", "PackageID", "`id` of the panorama data package (required, ≤ 128 characters)")
	c.field(&req.AnjukeBianHao, "bianhao", "AnjukeBianHao", "the listing's `number` in the Anjuke online store (required, ≤ 128 characters)")
	return cfg.run(ctx, e, c, args, func(ctx context.Context, client *kanfang.Client) (output, error) {
		resp, err := client.PutAnjukeBianHao(ctx, &req)
		return output{resp, func(w io.Writer) {
			fmt.Fprintf(w, "package %s: anjuke bianhao set to %s\n", resp.PackageID, resp.AnjukeBianHao)
		}}, err
	})
}

func (e *env) kanfangPush(ctx context.Context, args []string) int {
	c := newCmdFlags("kanfang push", `--package-id ID --notify-config-id ID [--force-push] [--payload JSON] [flags]

Pushes a panorama data package to a receiver configured on 123kanfang
(POST /v2/houseTask/AddNewNotifyTaskByPackageID). A package already pushed
to the configuration is not pushed again: the answer is the task that pushed
it, and transient failures are retried. --force-push pushes it again and is
never repeated once it may have reached the server (123kanfang bans
accounts that force-push needlessly).`)
	var cfg kanfangConfig
	var req kanfang.AddNotifyTaskRequest
	c.field(&req.PackageID, "package-id", "PackageID", "`id` of the panorama data package (required, ≤ 128 characters)")
	c.field(&req.NotifyConfigID, "notify-config-id", "NotifyConfigID", "push configuration `id` given by 123kanfang (required, ≤ 32 characters)")
	c.BoolVar(&req.ForcePush, "force-push", false, "push again a package already pushed to this configuration")
	c.field(&req.Payload, "payload", "Payload", "extra `data` for the receiver, usually JSON (≤ 255 characters)")
	return cfg.run(ctx, e, c, args, func(ctx context.Context, client *kanfang.Client) (output, error) {
		task, err := client.AddNotifyTask(ctx, &req)
		return output{task, func(w io.Writer) {
			fmt.Fprintf(w, "package %s: notify task %s (house task %s, config %s), notify result: %s\n",
				req.PackageID, task.ID, task.HouseTaskID, task.NotifyConfigID, task.NotifyResult)
		}}, err
	})
}

func (e *env) kanfangToken(ctx context.Context, args []string) int {
	c := newCmdFlags("kanfang token", `[flags]

Logs in with --auth-key/--auth-value (GET /v2/Authorization/GetAccessToken)
and prints when the access token and the refresh token expire. The tokens
themselves are printed only with --show-secret.`)
	cfg := kanfangConfig{acct: account{loginCommand: true}}
	var showSecret bool
	c.BoolVar(&showSecret, "show-secret", false, "also print the access token and the refresh token")
	return cfg.run(ctx, e, c, args, func(ctx context.Context, client *kanfang.Client) (output, error) {
		tok, err := client.GetAccessToken(ctx, cfg.acct.user.value, cfg.acct.secret.value)
		if err != nil {
			return output{}, err
		}
		now := time.Now()
		return output{newTokenResult(tok, now, showSecret, true), func(w io.Writer) {
			fmt.Fprintf(w, "logged in as %s\naccess token expires:  %s\n", cfg.acct.user.value, when(tok.Expiry, now))
			if tok.RefreshToken != "" {
				fmt.Fprintf(w, "refresh token expires: %s\n", when(tok.RefreshExpiry, now))
			} else {
				fmt.Fprintln(w, "refresh token: none issued")
			}
			switch {
			case !showSecret:
				fmt.Fprintln(w, "(tokens not shown: add --show-secret)")
			case tok.RefreshToken != "":
				fmt.Fprintf(w, "access token:  %s\nrefresh token: %s\n", tok.Value, tok.RefreshToken)
			default:
				fmt.Fprintf(w, "access token:  %s\n", tok.Value)
			}
		}}, nil
	})
}

func (e *env) kanfangCall(ctx context.Context, args []string) int {
	var cfg kanfangConfig
	return e.runCall(ctx, args, callCommand{
		path: "kanfang call", about: `PATH [--get name=value]... [--data JSON|@file] [flags]

Calls any 123kanfang endpoint through fang's pipeline (token, strong
validation, retries): GET PATH with the --get values as the query, or, with
--data (a JSON object of string values), POST PATH with them as the form.
Prints the payload of a state-200 answer. A POST is never repeated once it
may have reached the server.

Example: fang kanfang call /v2/houseTask/putAnjukeBianHao --data '{"packageId":"p1","anjukeBianHao":"1"}'`,
		target: "PATH", example: "/v2/houseTask/putAnjukeBianHao",
		dataUsage: "the form as a JSON object of strings, inline or @file (@- for standard input): sends a POST",
		define:    cfg.define,
		input: func(raw json.RawMessage) (any, error) {
			var form map[string]string
			if err := json.Unmarshal(raw, &form); err != nil {
				return nil, usageErr("--data: want a JSON object of string values")
			}
			in := url.Values{}
			for k, v := range form {
				in.Set(k, v)
			}
			return in, nil
		},
		doer: func(c *cmdFlags, hc *http.Client) (doer, error) { return cfg.client(c, hc) },
	})
}
