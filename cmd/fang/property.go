package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/property"
)

// propertyConfig is the configuration shared by the property subcommands.
type propertyConfig struct {
	url, appID, securityCode string
	acct                     account
}

// define defines the configuration flags.
func (p *propertyConfig) define(c *cmdFlags) {
	c.str(&p.url, "base-url", "FANG_PROPERTY_BASE_URL", "HC base `URL`, http://{ip}:{port} (required)")
	c.alias("url", "base-url", "FANG_PROPERTY_URL")
	c.str(&p.appID, "app-id", "FANG_PROPERTY_APP_ID", "application `id` from the developer console (required)")
	c.secret(&p.securityCode, "security-code", "FANG_PROPERTY_SECURITY_CODE", "application secret used to sign requests (omit if the application has none)")
	p.acct = account{api: "HC", loginCommand: p.acct.loginCommand, optional: p.acct.optional,
		token: setting{flag: "token", env: "FANG_PROPERTY_TOKEN", what: "session",
			usage: "session token (wins over --username/--password); prefer --token-file or the environment: flags show in ps"},
		user:   setting{flag: "username", env: "FANG_PROPERTY_USERNAME", what: "username", usage: "login user name"},
		secret: setting{flag: "password", env: "FANG_PROPERTY_PASSWORD", what: "password", usage: "login password"},
	}
	p.acct.define(c)
}

// run parses args (see cmdFlags.parseAPI), then calls do with the
// client (see env.call).
func (p *propertyConfig) run(ctx context.Context, e *env, c *cmdFlags, args []string, do func(context.Context, *property.Client) (output, error)) int {
	if code, done := c.parseAPI(e, args, p.define); done {
		return code
	}
	return e.call(ctx, c, func(ctx context.Context, hc *http.Client) (output, error) {
		client, err := p.client(c, hc)
		if err != nil {
			return output{}, err
		}
		return do(ctx, client)
	})
}

// client makes the client of command c; hc is the http.Client it sends
// through (nil: the SDK's default).
func (p *propertyConfig) client(c *cmdFlags, hc *http.Client) (*property.Client, error) {
	switch {
	case p.url == "":
		return nil, usageErr("no HC base URL: set --base-url or FANG_PROPERTY_BASE_URL")
	case p.appID == "":
		return nil, usageErr("no HC app-id: set --app-id or FANG_PROPERTY_APP_ID")
	}
	opts := []property.Option{property.WithLogger(c.logger()), property.WithBaseURL(p.url), property.WithAppID(p.appID),
		property.WithTimeout(c.timeout), property.WithSecurityCode(p.securityCode), property.WithHTTPClient(hc)}
	switch token, login, err := p.acct.auth(); {
	case err != nil:
		return nil, err
	case token != "":
		opts = append(opts, property.WithToken(auth.StaticToken(token)))
	case login:
		opts = append(opts, property.WithCredentials(p.acct.user.value, p.acct.secret.value))
	}
	if hc != nil {
		opts = append(opts, property.WithoutRetry()) // a dry run captures one request
	}
	return property.NewClient(opts...)
}

// propertySave is save-property: one saveProperty request.
func (e *env) propertySave(ctx context.Context, args []string) int {
	return e.saveOrCreate(ctx, args, "property save-property", `Creates a property company (POST /app/property.saveProperty), with an admin
account whose username and initial password are --tel, and binds the given
communities to it. NOT idempotent: fang never repeats it by itself. When the
outcome is unknown (exit 3, kind outcome_unknown) check the server by the
printed transaction-id before trying again; "fang property create" does
that for you.`)
}

// propertyCreate is create: CreateProperty, which also finds the new
// company's storeId.
func (e *env) propertyCreate(ctx context.Context, args []string) int {
	return e.saveOrCreate(ctx, args, "property create", `Creates a property company exactly once and prints its storeId
(CreateProperty): lists the companies with --tel, saves once
(property.saveProperty), and finds the company that was not there before.
When the save's outcome is unknown it keeps looking for a settle window
instead of guessing; it never sends the save twice.`)
}

// saveOrCreate runs save-property, or create: the same flags, a different
// call.
func (e *env) saveOrCreate(ctx context.Context, args []string, path, about string) int {
	c := newCmdFlags(path, `(--name … --address … --tel … --corporation … --founding-time YYYY-MM-DD | --file company.json) [flags]

`+about+`

--file reads a JSON object with the wire field names: `+companyFields()+`
("--file -" reads standard input; the landmark may also be spelled
nearByLandmarks, as find --json prints it). Flags given on the command line
override the file's fields.`)
	var (
		cfg  propertyConfig
		file string
		req  property.SavePropertyRequest
	)
	c.field(&req.Name, "name", "Name", "company `name` (≤ 50 characters)")
	c.field(&req.Address, "address", "Address", "company address (≤ 200 characters)")
	c.field(&req.Tel, "tel", "Tel", "administrator's mobile number (≤ 11 characters): the admin account and its initial password")
	c.field(&req.Corporation, "corporation", "Corporation", "legal representative (≤ 50 characters)")
	c.field(&req.FoundingTime, "founding-time", "FoundingTime", "founding `date`, YYYY-MM-DD")
	c.field(&req.NearbyLandmarks, "nearby-landmarks", "NearbyLandmarks", "nearby landmark (optional, ≤ 200 characters)")
	c.field(&req.MapX, "map-x", "MapX", "map coordinate x (optional, ≤ 20 characters)")
	c.field(&req.MapY, "map-y", "MapY", "map coordinate y (optional, ≤ 20 characters)")
	var communities, groupIDs []string
	c.Func("community-id", "community `id` to bind to the company (repeatable)", appendTo(&communities))
	c.Func("group-id", "menu group `id` to open for the communities (repeatable; required with --community-id)", appendTo(&groupIDs))
	c.fieldFlags["CommunityIDs"], c.fieldFlags["GroupIDs"] = "community-id", "group-id"
	c.str(&file, "file", "", "read the company from this JSON `file`, - for standard input (flags override its fields)")
	return cfg.run(ctx, e, c, args, func(ctx context.Context, client *property.Client) (output, error) {
		if file != "" {
			fromFile, err := e.readCompanyFile(file)
			if err != nil {
				return output{}, err
			}
			// The flags on the command line override the file's fields:
			// parsing them again sets them on the file's request.
			req, communities, groupIDs = *fromFile, nil, nil
			_ = c.Parse(args)
		}
		if len(communities) > 0 {
			req.CommunityIDs = communities
		}
		if len(groupIDs) > 0 {
			req.GroupIDs = groupIDs
		}
		if path == "property create" {
			p, err := client.CreateProperty(ctx, &req)
			return output{p, func(w io.Writer) {
				fmt.Fprintf(w, "company %q created: storeId %s\nadmin account: %s (initial password: the same number)\n", p.Name, p.StoreID, p.Tel)
			}}, err
		}
		resp, err := client.SaveProperty(ctx, &req)
		if err != nil {
			return output{}, err
		}
		res := struct {
			Code          int    `json:"code"`
			Message       string `json:"message"` // HC's msg
			TransactionID string `json:"transactionId"`
		}{resp.Code, resp.Msg, resp.TransactionID}
		return output{res, func(w io.Writer) {
			fmt.Fprintf(w, "company %q created (code %d %s, transaction-id %s)\n", req.Name, resp.Code, resp.Msg, resp.TransactionID)
			fmt.Fprintf(w, "admin account: %s (initial password: the same number)\n", req.Tel)
		}}, nil
	})
}

func (e *env) propertyLogin(ctx context.Context, args []string) int {
	c := newCmdFlags("property login", `[flags]

Logs in with --username/--password (POST /app/login.pcUserLogin) and prints
who logged in (user id, name), the companies the account works for, and when
the session expires (computed locally: HC sessions last two hours). The
password is sent as HC compares it: md5hex(md5hex(password + "hc@java110")),
except with the app-id 992020022270580001, whose server hashes it itself.
The token is printed only with --show-secret.`)
	cfg := propertyConfig{acct: account{loginCommand: true}}
	var showSecret bool
	c.BoolVar(&showSecret, "show-secret", false, "also print the session token")
	return cfg.run(ctx, e, c, args, func(ctx context.Context, client *property.Client) (output, error) {
		s, err := client.OpenSession(ctx, cfg.acct.user.value, cfg.acct.secret.value)
		if err != nil {
			return output{}, err
		}
		type membership struct {
			StoreName   string `json:"storeName"`
			StoreTypeCd string `json:"storeTypeCd"`
		}
		now := time.Now()
		res := struct {
			tokenResult
			UserID         string       `json:"userId"`
			UserName       string       `json:"userName"`
			Tel            string       `json:"tel,omitempty"`
			Companies      []membership `json:"companies"`
			PasswordHashed bool         `json:"passwordHashed"`
		}{newTokenResult(s.Token, now, showSecret, false), s.UserID, s.UserName, s.Tel, []membership{}, cfg.appID != property.PropertyAppID}
		for _, m := range s.Companies {
			res.Companies = append(res.Companies, membership{m.StoreName, m.StoreTypeCd})
		}
		return output{res, func(w io.Writer) {
			name := s.UserName
			if name == "" {
				name = cfg.acct.user.value
			}
			fmt.Fprintf(w, "logged in as %s (user id %s)\n", name, s.UserID)
			if len(s.Companies) == 0 {
				fmt.Fprintln(w, "companies: none listed (an older server answers without them)")
			}
			for _, m := range s.Companies {
				fmt.Fprintf(w, "company: %s (type %s)\n", m.StoreName, m.StoreTypeCd)
			}
			fmt.Fprintf(w, "session expires: %s\n", when(s.Token.Expiry, now))
			if showSecret {
				fmt.Fprintf(w, "token: %s\n", s.Token.Value)
			} else {
				fmt.Fprintln(w, "(token not shown: add --show-secret)")
			}
		}}, nil
	})
}

func (e *env) propertyCall(ctx context.Context, args []string) int {
	var cfg propertyConfig
	return e.runCall(ctx, args, callCommand{
		path: "property call", about: `SERVICE [--get name=value]... [--data JSON|@file] [flags]

Calls any HC service through fang's pipeline (session, signing,
transaction-id): GET /app/SERVICE with the --get values as the query (signed
over "?" and the decoded query), or, with --data, POST /app/SERVICE with the
JSON body. Prints the whole JSON answer. A POST is never repeated once it may
have reached the server.

Example: fang property call community.listCommunitys --get page=1 --get row=10`,
		target: "SERVICE", example: "community.listCommunitys",
		dataUsage: "the JSON body, inline or @file (@- for standard input): sends a POST",
		define:    cfg.define,
		input:     func(raw json.RawMessage) (any, error) { return raw, nil }, // the body as it is
		doer:      func(c *cmdFlags, hc *http.Client) (doer, error) { return cfg.client(c, hc) },
	})
}

// appendTo is the function of a repeatable flag: each value is added to
// *list.
func appendTo(list *[]string) func(string) error {
	return func(v string) error {
		*list = append(*list, v)
		return nil
	}
}
