package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/property"
)

// propertyAccount names the flags HC authenticates with.
var propertyAccount = account{api: "HC", session: "session", user: "username", secret: "password"}

// propertyFlags defines the HC configuration flags on c.
func propertyFlags(c *cmd, n need) {
	c.prefix = "FANG_PROPERTY_"
	c.setting(new(string), "base-url", "HC base `URL`, http://{ip}:{port} (required)")
	c.setting(new(string), "url", "older spelling of --base-url, the same `value` (--base-url wins when both are given)")
	c.setting(new(string), "app-id", "application `id` from the developer console (required)")
	c.secretSetting(new(string), "security-code", "application secret used to sign requests (omit if the application has none)")
	propertyAccount.define(c, n, "session token (wins over --username/--password); prefer --token-file or the environment: flags show in ps",
		"login user name", "login password")
}

// runProperty defines the configuration and the API flags on c, parses
// args, then calls do with the client (see cmd.call).
func (c *cmd) runProperty(ctx context.Context, args []string, n need, do func(context.Context, *property.Client) (output, error)) int {
	propertyFlags(c, n)
	c.apiFlags()
	if code, done := c.parse(args); done {
		return code
	}
	return c.call(ctx, func(ctx context.Context, hc *http.Client) (output, error) {
		client, err := propertyClient(c, n, hc)
		if err != nil {
			return output{}, err
		}
		return do(ctx, client)
	})
}

// propertyClient makes the client of command c; hc is the http.Client it
// sends through (nil: the SDK's default).
func propertyClient(c *cmd, n need, hc *http.Client) (*property.Client, error) {
	// A flag wins over any variable; of two flags, or of two variables,
	// --base-url and FANG_PROPERTY_BASE_URL win over --url and
	// FANG_PROPERTY_URL.
	base, set := c.value("base-url"), map[string]bool{}
	c.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["base-url"] && (set["url"] || base == "") {
		base = c.value("url")
	}
	switch {
	case base == "":
		return nil, usageErr("no HC base URL: set --base-url or FANG_PROPERTY_BASE_URL")
	case c.value("app-id") == "":
		return nil, usageErr("no HC app-id: set --app-id or FANG_PROPERTY_APP_ID")
	}
	opts := []property.Option{property.WithLogger(c.logger()), property.WithBaseURL(base), property.WithAppID(c.value("app-id")),
		property.WithTimeout(c.timeout), property.WithSecurityCode(c.value("security-code")), property.WithHTTPClient(hc)}
	switch token, login, err := propertyAccount.auth(c, n); {
	case err != nil:
		return nil, err
	case token != "":
		opts = append(opts, property.WithToken(auth.StaticToken(token)))
	case login:
		opts = append(opts, property.WithCredentials(c.value("username"), c.value("password")))
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
	c := newCmd(e, path, `(--name … --address … --tel … --corporation … --founding-time YYYY-MM-DD | --file company.json) [flags]

`+about+`

--file reads a JSON object with the wire field names: `+companyFields()+`
("--file -" reads standard input; the landmark may also be spelled
nearByLandmarks, as find --json prints it). Flags given on the command line
override the file's fields.`)
	var (
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
	c.fields["CommunityIDs"], c.fields["GroupIDs"] = "community-id", "group-id"
	c.StringVar(&file, "file", "", "read the company from this JSON `file`, - for standard input (flags override its fields)")
	return c.runProperty(ctx, args, session, func(ctx context.Context, client *property.Client) (output, error) {
		if file != "" {
			fromFile, err := readCompanyFile(file)
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
	c := newCmd(e, "property login", `[flags]

Logs in with --username/--password (POST /app/login.pcUserLogin) and prints
who logged in (user id, name), the companies the account works for, and when
the session expires (computed locally: HC sessions last two hours). The
password is sent as HC compares it: md5hex(md5hex(password + "hc@java110")),
except with the app-id 992020022270580001, whose server hashes it itself.
The token is printed only with --show-secret.`)
	var showSecret bool
	c.BoolVar(&showSecret, "show-secret", false, "also print the session token")
	return c.runProperty(ctx, args, credentials, func(ctx context.Context, client *property.Client) (output, error) {
		s, err := client.OpenSession(ctx, c.value("username"), c.value("password"))
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
		}{newTokenResult(s.Token, now, showSecret, false), s.UserID, s.UserName, s.Tel, []membership{}, c.value("app-id") != property.PropertyAppID}
		for _, m := range s.Companies {
			res.Companies = append(res.Companies, membership{m.StoreName, m.StoreTypeCd})
		}
		return output{res, func(w io.Writer) {
			name := s.UserName
			if name == "" {
				name = c.value("username")
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
	c := newCmd(e, "property call", `SERVICE [--get name=value]... [--data JSON|@file] [flags]

Calls any HC service through fang's pipeline (session, signing,
transaction-id): GET /app/SERVICE with the --get values as the query (signed
over "?" and the decoded query), or, with --data, POST /app/SERVICE with the
JSON body. Prints the whole JSON answer. A POST is never repeated once it may
have reached the server.

Example: fang property call community.listCommunitys --get page=1 --get row=10`)
	call, args := c.callArgs(args, "the JSON body, inline or @file (@- for standard input): sends a POST")
	return c.runProperty(ctx, args, session, func(ctx context.Context, client *property.Client) (output, error) {
		return call.send(ctx, client, "SERVICE, such as community.listCommunitys", func(raw json.RawMessage) (any, error) { return raw, nil })
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
