package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/fangsdk/fang/auth"
	"github.com/fangsdk/fang/property"
	"github.com/fangsdk/fang/sign"
)

func propertyUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: fang property <subcommand> [flags]

Calls an HC (MicroCommunity) property-management server.

Subcommands:
  create          create a property company exactly once and print its storeId
  save-property   one property.saveProperty request (NOT idempotent; create is safer)
  login           log in (login.pcUserLogin): who, their companies, the session's expiry
  find            find companies by --tel or --name (property.listProperty)
  update          change a company's fields (property.updateProperty; --store-id required)
  delete          delete a company (property.deleteProperty; NOT repeated)
  communities     list communities to bind (community.listCommunitys; no session needed)
  menu-groups     list menu groups to open (menuGroup.listMenuGroups)
  call            call any service: call SERVICE [--get k=v]... [--data JSON]

Configuration (flag or environment; a flag wins):
  --base-url        FANG_PROPERTY_BASE_URL        HC base URL, http://{ip}:{port} (required)
  --url             FANG_PROPERTY_URL             older spelling of --base-url (the new one wins)
  --app-id          FANG_PROPERTY_APP_ID          application id (required)
  --security-code   FANG_PROPERTY_SECURITY_CODE   application secret used to sign
  --token           FANG_PROPERTY_TOKEN           session token; wins over credentials
  --username        FANG_PROPERTY_USERNAME        credentials to log in with
  --password        FANG_PROPERTY_PASSWORD

Secrets (--token, --password, --security-code) are best given as a file:
--password-file PATH or FANG_PROPERTY_PASSWORD_FILE, and likewise for the
others (the file's first line). A secret in a flag shows in ps and shell
history.

Run 'fang property <subcommand> --help' for its flags.
`)
}

// propertyConfig is the configuration shared by the property subcommands.
type propertyConfig struct {
	url, appID, securityCode string
	acct                     account
	sessionOptional          bool // the command's service needs no session (community.listCommunitys)
}

// propertyAccount names the HC account settings.
var propertyAccount = account{
	api: "HC", login: "login.pcUserLogin", secretPh: phPassword,
	token: setting{flag: "token", env: "FANG_PROPERTY_TOKEN", what: "session",
		usage: "session token (wins over --username/--password); prefer --token-file or the environment: flags show in ps"},
	user:   setting{flag: "username", env: "FANG_PROPERTY_USERNAME", what: "username", usage: "login user name"},
	secret: setting{flag: "password", env: "FANG_PROPERTY_PASSWORD", what: "password", usage: "login password"},
}

// define defines the configuration flags; withToken adds --token, which
// only commands that call with a session have (login opens one).
func (p *propertyConfig) define(c *cmdFlags, withToken bool) {
	c.str(&p.url, "base-url", "FANG_PROPERTY_BASE_URL", "HC base `URL`, http://{ip}:{port} (required)")
	c.alias("url", "base-url", "FANG_PROPERTY_URL")
	c.str(&p.appID, "app-id", "FANG_PROPERTY_APP_ID", "application `id` from the developer console (required)")
	c.secret(&p.securityCode, "security-code", "FANG_PROPERTY_SECURITY_CODE", "application secret used to sign requests (omit if the application has none)")
	p.acct = propertyAccount
	p.acct.define(c, withToken)
}

// client makes the client for call a of command c; see
// kanfangConfig.client. The login command opens its session itself.
func (p *propertyConfig) client(c *cmdFlags, a *apiCall) (*property.Client, error) {
	switch {
	case p.url == "":
		return nil, usageErr("no HC base URL: set --base-url or FANG_PROPERTY_BASE_URL")
	case p.appID == "":
		return nil, usageErr("no HC app-id: set --app-id or FANG_PROPERTY_APP_ID")
	}
	opts := []property.Option{
		property.WithLogger(c.logger()),
		property.WithBaseURL(p.url),
		property.WithAppID(p.appID),
		property.WithTimeout(c.timeout),
	}
	if p.securityCode != "" {
		opts = append(opts, property.WithSecurityCode(p.securityCode))
	}
	a.d.hc, a.d.securityCode = true, p.securityCode
	if a.capt != nil {
		opts = append(opts, property.WithHTTPClient(a.capt.client()), property.WithoutRetry())
	}
	if p.sessionOptional && p.acct.token.value == "" && p.acct.user.value == "" && p.acct.secret.value == "" {
		a.d.hide(p.securityCode, phSecurityCode)
		return property.NewClient(opts...) // no account: none is needed
	}
	mode, token, err := p.acct.authenticate(a)
	if err != nil {
		return nil, err
	}
	a.d.hide(p.securityCode, phSecurityCode)
	switch mode {
	case authToken:
		opts = append(opts, property.WithToken(auth.StaticToken(token)))
	case authCredentials:
		opts = append(opts, property.WithCredentials(p.acct.user.value, p.acct.secret.value))
	case authLoginCommand: // OpenSession logs in
	}
	return property.NewClient(opts...)
}

// doer is client for fang property call.
func (p *propertyConfig) doer(c *cmdFlags, a *apiCall) (doer, error) { return p.client(c, a) }

// saveResult is the JSON result of save-property.
type saveResult struct {
	Code          int    `json:"code"`
	Message       string `json:"message"` // HC's msg
	TransactionID string `json:"transactionId"`
}

// propertySave is save-property: one saveProperty request.
func (e *env) propertySave(ctx context.Context, args []string) int {
	return e.saveOrCreate(ctx, args, false)
}

// propertyCreate is create: CreateProperty, which also finds the new
// company's storeId.
func (e *env) propertyCreate(ctx context.Context, args []string) int {
	return e.saveOrCreate(ctx, args, true)
}

// saveOrCreate runs save-property, or create when create is set: the same
// flags, a different call.
func (e *env) saveOrCreate(ctx context.Context, args []string, create bool) int {
	path, about := "property save-property", `Creates a property company (POST /app/property.saveProperty), with an admin
account whose username and initial password are --tel, and binds the given
communities to it. NOT idempotent: fang never repeats it by itself. When the
outcome is unknown (exit 3, kind outcome_unknown) check the server by the
printed transaction-id before trying again; "fang property create" does
that for you.
`
	if create {
		path, about = "property create", `Creates a property company exactly once and prints its storeId
(CreateProperty): lists the companies with --tel, saves once
(property.saveProperty), and finds the company that was not there before.
When the save's outcome is unknown it keeps looking for a settle window
instead of guessing; it never sends the save twice.
`
	}
	c := newCmdFlags(path,
		"(--name … --address … --tel … --corporation … --founding-time YYYY-MM-DD | --file company.json) [flags]",
		about+`
--file reads a JSON object with the wire field names: name, address, tel,
corporation, foundingTime, nearbyLandmarks (or nearByLandmarks, as find
--json prints it), mapX, mapY, communityIds, groupIds ("--file -" reads
standard input). Flags given on the command line override the file's fields.`)
	var (
		cfg                   propertyConfig
		file                  string
		req                   property.SavePropertyRequest
		communities, groupIDs stringList
	)
	c.field(&req.Name, "name", "Name", "company `name` (≤ 50 characters)")
	c.field(&req.Address, "address", "Address", "company address (≤ 200 characters)")
	c.field(&req.Tel, "tel", "Tel", "administrator's mobile number (≤ 11 characters): the admin account and its initial password")
	c.field(&req.Corporation, "corporation", "Corporation", "legal representative (≤ 50 characters)")
	c.field(&req.FoundingTime, "founding-time", "FoundingTime", "founding `date`, YYYY-MM-DD")
	c.field(&req.NearbyLandmarks, "nearby-landmarks", "NearbyLandmarks", "nearby landmark (optional, ≤ 200 characters)")
	c.field(&req.MapX, "map-x", "MapX", "map coordinate x (optional, ≤ 20 characters)")
	c.field(&req.MapY, "map-y", "MapY", "map coordinate y (optional, ≤ 20 characters)")
	stringFields := slices.Clone(c.order) // the flags above: on the command line, they override --file
	c.Var(&communities, "community-id", "community `id` to bind to the company (repeatable)")
	c.note("community-id", "")
	c.Var(&groupIDs, "group-id", "menu group `id` to open for the communities (repeatable; required with --community-id)")
	c.note("group-id", "")
	c.setsField("community-id", "CommunityIDs")
	c.setsField("group-id", "GroupIDs")
	c.str(&file, "file", "", "read the company from this JSON `file`, - for standard input (flags override its fields)")
	if code, done := c.parseAPI(e, args, &cfg, true); done {
		return code
	}

	if file != "" {
		fromFile, err := readCompanyFile(file, e.stdin)
		if err != nil {
			return e.fail(c, err)
		}
		given := map[string]string{}
		c.Visit(func(f *flag.Flag) { given[f.Name] = f.Value.String() })
		req = *fromFile
		for _, name := range stringFields {
			if v, ok := given[name]; ok {
				_ = c.Set(name, v) // a string flag: Set cannot fail
			}
		}
	}
	if len(communities) > 0 {
		req.CommunityIDs = communities
	}
	if len(groupIDs) > 0 {
		req.GroupIDs = groupIDs
	}

	return callAPI(ctx, e, c, cfg.client, func(ctx context.Context, client *property.Client, _ *apiCall) (output, error) {
		if create {
			p, err := client.CreateProperty(ctx, &req)
			if err != nil {
				return output{}, err
			}
			return output{p, func(w io.Writer) {
				fmt.Fprintf(w, "company %q created: storeId %s\n", p.Name, p.StoreID)
				fmt.Fprintf(w, "admin account: %s (initial password: the same number)\n", p.Tel)
			}}, nil
		}
		resp, err := client.SaveProperty(ctx, &req)
		if err != nil {
			return output{}, err
		}
		return output{saveResult{Code: resp.Code, Message: resp.Msg, TransactionID: resp.TransactionID}, func(w io.Writer) {
			fmt.Fprintf(w, "company %q created (code %d %s, transaction-id %s)\n", req.Name, resp.Code, resp.Msg, resp.TransactionID)
			fmt.Fprintf(w, "admin account: %s (initial password: the same number)\n", req.Tel)
		}}, nil
	})
}

// loginResult is the JSON result of property login.
type loginResult struct {
	tokenResult
	UserID         string       `json:"userId"`
	UserName       string       `json:"userName"`
	Tel            string       `json:"tel,omitempty"`
	Companies      []membership `json:"companies"`
	PasswordHashed bool         `json:"passwordHashed"`
}

// membership is a company of loginResult, under the login answer's names.
type membership struct {
	StoreName   string `json:"storeName"`
	StoreTypeCd string `json:"storeTypeCd"`
}

func (e *env) propertyLogin(ctx context.Context, args []string) int {
	c := newCmdFlags("property login", "[flags]",
		`Logs in with --username/--password (POST /app/login.pcUserLogin) and prints
who logged in (user id, name), the companies the account works for, and when
the session expires (computed locally: HC sessions last two hours). The
password is sent as HC compares it: md5hex(md5hex(password + "hc@java110")),
except with the app-id 992020022270580001, whose server hashes it itself.
The token is printed only with --show-secret.`)
	var cfg propertyConfig
	var showSecret bool
	c.BoolVar(&showSecret, "show-secret", false, "also print the session token")
	c.note("show-secret", "")
	if code, done := c.parseAPI(e, args, &cfg, false); done {
		return code
	}
	return callAPI(ctx, e, c, cfg.client, func(ctx context.Context, client *property.Client, a *apiCall) (output, error) {
		if a.capt != nil {
			sent, ph, how := cfg.acct.secret.value, phPassword, "the password as typed (this app-id's server hashes it itself)"
			if cfg.appID != property.PropertyAppID { // PasswordAuto: the CLI sets no WithPasswordMode
				sent, ph, how = sign.HCPassword(cfg.acct.secret.value), phPasswordHash, `md5hex(md5hex(password + "hc@java110")), the hash HC compares`
			}
			a.d.password, a.d.passwordPh = sent, ph
			a.d.hide(sent, ph)
			a.d.notes = append(a.d.notes, "passwd is shown as "+ph+": the real body carries "+how+", and so does the signed string")
		}
		s, err := client.OpenSession(ctx, cfg.acct.user.value, cfg.acct.secret.value)
		if err != nil {
			return output{}, err
		}
		now := time.Now()
		res := loginResult{
			tokenResult: newTokenResult(s.Token, now, showSecret, false),
			UserID:      s.UserID, UserName: s.UserName, Tel: s.Tel,
			Companies:      []membership{},
			PasswordHashed: cfg.appID != property.PropertyAppID,
		}
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
	return runCall(ctx, e, args, &propertyConfig{}, callCommand{
		path: "property call", synopsis: "SERVICE [--get name=value]... [--data JSON|@file] [flags]",
		about: `Calls any HC service through fang's pipeline (session, signing,
transaction-id): GET /app/SERVICE with the --get values as the query (signed
over "?" and the decoded query), or, with --data, POST /app/SERVICE with the
JSON body. Prints the whole JSON answer. A POST is never repeated once it may
have reached the server.

Example: fang property call community.listCommunitys --get page=1 --get row=10`,
		target: "SERVICE", example: "community.listCommunitys",
		dataUsage: "the JSON body, inline or @file (@- for standard input): sends a POST",
		input:     func(raw json.RawMessage) (any, error) { return raw, nil }, // the body as it is
	})
}

func (e *env) propertyFind(ctx context.Context, args []string) int {
	c := newCmdFlags("property find", "(--tel NO | --name TEXT | --store-id ID) [flags]",
		`Lists property companies (GET /app/property.listProperty): by --tel
exactly, by --name as a substring, or by --store-id. This is how to check
whether a save whose outcome was unknown created the company before trying
again. The server shows the platform operator every company, any other
account only its own.`)
	var cfg propertyConfig
	var req property.ListPropertiesRequest
	c.field(&req.Tel, "tel", "Tel", "the administrator's mobile number, exactly")
	c.field(&req.Name, "name", "Name", "part of the company's name")
	c.field(&req.StoreID, "store-id", "StoreID", "the company's store `id`")
	pageFlags(c, &req.Page, &req.Row)
	if code, done := c.parseAPI(e, args, &cfg, true); done {
		return code
	}
	return callAPI(ctx, e, c, cfg.client, func(ctx context.Context, client *property.Client, _ *apiCall) (output, error) {
		resp, err := client.ListProperties(ctx, &req)
		if err != nil {
			return output{}, err
		}
		res := struct {
			Total      int                 `json:"total"`
			Properties []property.Property `json:"properties"`
		}{resp.Total, append([]property.Property{}, resp.Properties...)}
		return output{res, func(w io.Writer) {
			fmt.Fprintf(w, "%s (page %d)\n", plural(resp.Total, "company matches", "companies match"), req.Page)
			for _, p := range resp.Properties {
				fmt.Fprintf(w, "%s  %s  tel %s  %s\n", p.StoreID, p.Name, p.Tel, p.Address)
			}
		}}, nil
	})
}
