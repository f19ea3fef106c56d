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

// kanfangAccount names the flags 123kanfang authenticates with.
var kanfangAccount = account{api: "kanfang", session: "token", user: "auth-key", secret: "auth-value"}

// kanfangFlags defines the 123kanfang configuration flags on c.
func kanfangFlags(c *cmd, n need) {
	c.prefix = "FANG_KANFANG_"
	c.setting(new(string), "base-url", "123kanfang base `URL` (default "+kanfang.ProductionBaseURL+")")
	kanfangAccount.define(c, n, "access token (wins over --auth-key/--auth-value); prefer --token-file or the environment: flags show in ps",
		"login name for GetAccessToken", "login secret for GetAccessToken")
	c.setting(new(string), "placement", "`where` the token travels: header, form, cookie or query (default header)")
	c.secretSetting(new(string), "sign-key", "sign key for accounts with \"strong validation\"")
}

// runKanfang defines the configuration and the API flags on c, parses
// args, then calls do with the client (see cmd.call).
func (c *cmd) runKanfang(ctx context.Context, args []string, n need, do func(context.Context, *kanfang.Client) (output, error)) int {
	kanfangFlags(c, n)
	c.apiFlags()
	if code, done := c.parse(args); done {
		return code
	}
	return c.call(ctx, func(ctx context.Context, hc *http.Client) (output, error) {
		client, err := kanfangClient(c, n, hc)
		if err != nil {
			return output{}, err
		}
		return do(ctx, client)
	})
}

// kanfangClient makes the client of command c; hc is the http.Client it
// sends through (nil: the SDK's default).
func kanfangClient(c *cmd, n need, hc *http.Client) (*kanfang.Client, error) {
	opts := []kanfang.Option{kanfang.WithTimeout(c.timeout), kanfang.WithLogger(c.logger()), kanfang.WithSignKey(c.value("sign-key")), kanfang.WithHTTPClient(hc)}
	if u := c.value("base-url"); u != "" {
		opts = append(opts, kanfang.WithBaseURL(u))
	}
	if v := c.value("placement"); v != "" {
		p, err := auth.ParsePlacement(v)
		if err != nil {
			return nil, usageErr("bad --placement (FANG_KANFANG_PLACEMENT) %q: want header, form, cookie or query", v)
		}
		opts = append(opts, kanfang.WithTokenPlacement(p))
	}
	switch token, login, err := kanfangAccount.auth(c, n); {
	case err != nil:
		return nil, err
	case token != "":
		opts = append(opts, kanfang.WithToken(auth.StaticToken(token)))
	case login:
		opts = append(opts, kanfang.WithCredentials(c.value("auth-key"), c.value("auth-value")))
	}
	if hc != nil {
		opts = append(opts, kanfang.WithoutRetry()) // a dry run captures one request
	}
	return kanfang.NewClient(opts...)
}

func (e *env) kanfangPut(ctx context.Context, args []string) int {
	c := newCmd(e, "kanfang put-anjuke-bianhao", `--package-id ID --bianhao NO [flags]

Sets the Anjuke store number of a panorama data package
(POST /v2/houseTask/putAnjukeBianHao). Idempotent: transient failures are retried.`)
	var req kanfang.PutAnjukeBianHaoRequest
	c.field(&req.PackageID, "package-id", "PackageID", "`id` of the panorama data package (required, ≤ 128 characters)")
	c.field(&req.AnjukeBianHao, "bianhao", "AnjukeBianHao", "the listing's `number` in the Anjuke online store (required, ≤ 128 characters)")
	return c.runKanfang(ctx, args, session, func(ctx context.Context, client *kanfang.Client) (output, error) {
		resp, err := client.PutAnjukeBianHao(ctx, &req)
		return output{resp, func(w io.Writer) {
			fmt.Fprintf(w, "package %s: anjuke bianhao set to %s\n", resp.PackageID, resp.AnjukeBianHao)
		}}, err
	})
}

func (e *env) kanfangPush(ctx context.Context, args []string) int {
	c := newCmd(e, "kanfang push", `--package-id ID --notify-config-id ID [--force-push] [--payload JSON] [flags]

Pushes a panorama data package to a receiver configured on 123kanfang
(POST /v2/houseTask/AddNewNotifyTaskByPackageID). A package already pushed
to the configuration is not pushed again: the answer is the task that pushed
it, and transient failures are retried. --force-push pushes it again and is
never repeated once it may have reached the server (123kanfang bans
accounts that force-push needlessly).`)
	var req kanfang.AddNotifyTaskRequest
	c.field(&req.PackageID, "package-id", "PackageID", "`id` of the panorama data package (required, ≤ 128 characters)")
	c.field(&req.NotifyConfigID, "notify-config-id", "NotifyConfigID", "push configuration `id` given by 123kanfang (required, ≤ 32 characters)")
	c.BoolVar(&req.ForcePush, "force-push", false, "push again a package already pushed to this configuration")
	c.field(&req.Payload, "payload", "Payload", "extra `data` for the receiver, usually JSON (≤ 255 characters)")
	return c.runKanfang(ctx, args, session, func(ctx context.Context, client *kanfang.Client) (output, error) {
		task, err := client.AddNotifyTask(ctx, &req)
		return output{task, func(w io.Writer) {
			fmt.Fprintf(w, "package %s: notify task %s (house task %s, config %s), notify result: %s\n",
				req.PackageID, task.ID, task.HouseTaskID, task.NotifyConfigID, task.NotifyResult)
			if task.NotifyResult == kanfang.NotNotified {
				fmt.Fprintln(w, "123kanfang pushes after answering; a failed push comes back as a NotifyFailed callback")
			}
		}}, err
	})
}

func (e *env) kanfangToken(ctx context.Context, args []string) int {
	c := newCmd(e, "kanfang token", `[flags]

Logs in with --auth-key/--auth-value (GET /v2/Authorization/GetAccessToken)
and prints when the access token and the refresh token expire. The tokens
themselves are printed only with --show-secret.`)
	var showSecret bool
	c.BoolVar(&showSecret, "show-secret", false, "also print the access token and the refresh token")
	return c.runKanfang(ctx, args, credentials, func(ctx context.Context, client *kanfang.Client) (output, error) {
		tok, err := client.GetAccessToken(ctx, c.value("auth-key"), c.value("auth-value"))
		if err != nil {
			return output{}, err
		}
		now := time.Now()
		return output{newTokenResult(tok, now, showSecret, true), func(w io.Writer) {
			fmt.Fprintf(w, "logged in as %s\naccess token expires:  %s\n", c.value("auth-key"), when(tok.Expiry, now))
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
	c := newCmd(e, "kanfang call", `PATH [--get name=value]... [--data JSON|@file] [flags]

Calls any 123kanfang endpoint through fang's pipeline (token, strong
validation, retries): GET PATH with the --get values as the query, or, with
--data (a JSON object of string values), POST PATH with them as the form.
Prints the payload of a state-200 answer. A POST is never repeated once it
may have reached the server.

Example: fang kanfang call /v2/houseTask/putAnjukeBianHao --data '{"packageId":"p1","anjukeBianHao":"1"}'`)
	call, args := c.callArgs(args, "the form as a JSON object of strings, inline or @file (@- for standard input): sends a POST")
	return c.runKanfang(ctx, args, session, func(ctx context.Context, client *kanfang.Client) (output, error) {
		return call.send(ctx, client, "PATH, such as /v2/houseTask/putAnjukeBianHao", func(raw json.RawMessage) (any, error) {
			var form map[string]string
			if err := json.Unmarshal(raw, &form); err != nil {
				return nil, usageErr("--data: want a JSON object of string values")
			}
			in := url.Values{}
			for k, v := range form {
				in.Set(k, v)
			}
			return in, nil
		})
	})
}
