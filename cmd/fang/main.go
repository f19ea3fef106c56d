package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	sdk "github.com/fangsdk/fang"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK      = 0 // success, or a dry run
	exitAPI     = 1 // the server answered a failure, or the transport failed
	exitUsage   = 2 // bad flags, missing configuration, invalid request
	exitUnknown = 3 // the outcome is unknown: the request may have taken effect
)

// stdin is what "--file -" and "--data @-" read; tests replace it.
var stdin io.Reader = os.Stdin

// env is what every command writes to and reads configuration from.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// commandNames are fang's top-level commands.
var commandNames = []string{"kanfang", "property", "mock", "version", "help", "completion"}

// run is the whole program: it parses args, reads configuration from the
// flags and getenv, writes results to stdout and diagnostics to stderr, and
// returns the exit code. ctx ends long-running commands (mock) and bounds
// API calls.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	e := &env{stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 {
		topUsage(stderr)
		return exitUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "-h", "-help", "--help":
		topUsage(stdout)
		return exitOK
	case "help":
		if len(rest) == 0 {
			topUsage(stdout)
			return exitOK
		}
		return run(ctx, append(append([]string(nil), rest...), "--help"), stdout, stderr, getenv)
	case "kanfang", "property":
		return e.dispatch(ctx, cmd, rest)
	case "mock":
		return e.mock(ctx, rest)
	case "completion":
		return e.completion(rest)
	case "version", "--version":
		return e.version(rest)
	default:
		fmt.Fprintf(stderr, "fang: unknown command %q%s\nRun 'fang --help' for usage.\n", cmd, didYouMean(cmd, commandNames))
		return exitUsage
	}
}

// group is an API command: its subcommands and the configuration they
// share.
type group struct {
	about  string
	config func(c *cmd, n need) // defines the configuration flags
	cmds   []subcommand
}

// subcommand is one subcommand of a group.
type subcommand struct {
	name, summary string
	run           func(e *env, ctx context.Context, args []string) int
}

// groups are the API commands.
var groups = map[string]group{
	"kanfang": {"Calls the 123kanfang web API.", kanfangFlags, []subcommand{
		{"put-anjuke-bianhao", "set the Anjuke store number of a panorama data package", (*env).kanfangPut},
		{"push", "push a package to a configured receiver (a notify task)", (*env).kanfangPush},
		{"token", "log in with credentials and show the token's expiry", (*env).kanfangToken},
		{"call", "call any endpoint: call PATH [--get k=v]... [--data JSON]", (*env).kanfangCall},
		{"verify-callback", "check the sign of a captured callback: --file FILE", (*env).kanfangVerifyCallback},
	}},
	"property": {"Calls an HC (MicroCommunity) property-management server.", propertyFlags, []subcommand{
		{"create", "create a property company exactly once and print its storeId", (*env).propertyCreate},
		{"save-property", "one property.saveProperty request (NOT idempotent; create is safer)", (*env).propertySave},
		{"login", "log in (login.pcUserLogin): who, their companies, the session's expiry", (*env).propertyLogin},
		{"find", "find companies by --tel or --name (property.listProperty)", (*env).propertyFind},
		{"update", "change a company's fields (property.updateProperty; --store-id required)", (*env).propertyUpdate},
		{"delete", "delete a company (property.deleteProperty; NOT repeated)", (*env).propertyDelete},
		{"communities", "list communities to bind (community.listCommunitys; no session needed)", (*env).propertyCommunities},
		{"menu-groups", "list menu groups to open (menuGroup.listMenuGroups)", (*env).propertyMenuGroups},
		{"call", "call any service: call SERVICE [--get k=v]... [--data JSON]", (*env).propertyCall},
	}},
}

// names are the group's subcommand names.
func (g group) names() []string {
	names := make([]string, len(g.cmds))
	for i, s := range g.cmds {
		names[i] = s.name
	}
	return names
}

// usage prints the group's help: its subcommands and its configuration.
func (g group) usage(e *env, w io.Writer, name string) {
	fmt.Fprintf(w, "Usage: fang %s <subcommand> [flags]\n\n%s\n\nSubcommands:\n", name, g.about)
	for _, s := range g.cmds {
		fmt.Fprintf(w, "  %-20s %s\n", s.name, s.summary)
	}
	fmt.Fprintln(w, "\nConfiguration (a flag wins over its environment variable; a secret is best\ngiven as a file, with --…-file or …_FILE, as flags show in ps):")
	c := newCmd(e, name, "")
	g.config(c, session)
	c.printFlags(w)
	fmt.Fprintf(w, "\nRun 'fang %s <subcommand> --help' for its flags.\n", name)
}

// dispatch runs the subcommand of group named by args[0].
func (e *env) dispatch(ctx context.Context, name string, args []string) int {
	g := groups[name]
	if len(args) == 0 {
		fmt.Fprintf(e.stderr, "fang %s: missing subcommand\n\n", name)
		g.usage(e, e.stderr, name)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		g.usage(e, e.stdout, name)
		return exitOK
	}
	for _, s := range g.cmds {
		if s.name == args[0] {
			return s.run(e, ctx, args[1:])
		}
	}
	fmt.Fprintf(e.stderr, "fang %s: unknown subcommand %q%s\nRun 'fang %s --help' for usage.\n",
		name, args[0], didYouMean(args[0], g.names()), name)
	return exitUsage
}

// topUsage prints fang's help: every command and subcommand.
func topUsage(w io.Writer) {
	fmt.Fprint(w, "fang — operator tool for the 123kanfang and HC (MicroCommunity) APIs\n\nUsage:\n")
	for _, name := range []string{"kanfang", "property"} {
		for _, s := range groups[name].cmds {
			fmt.Fprintf(w, "  %-32s %s\n", "fang "+name+" "+s.name, s.summary)
		}
	}
	fmt.Fprint(w, `  fang mock [--addr 127.0.0.1:8080]
  fang version [--json]
  fang completion bash|zsh|fish
  fang help [command [subcommand]]

Every command takes --help. API commands take --json (machine-readable
output), --dry-run (print the signed request, send nothing), --timeout and
--debug (-v: log every attempt, retry and login to stderr).
Configuration comes from flags or FANG_* environment variables; flags win.
Try it without any server: run "fang mock" and paste the export lines it prints.

`+exitCodesHelp+"\n")
}

// version prints "fang VERSION (module PATH VERSION, GO)", or with --json
// an object.
func (e *env) version(args []string) int {
	v := struct {
		Version   string `json:"version"`
		Module    string `json:"module,omitempty"`
		ModuleVer string `json:"moduleVersion,omitempty"`
		GoVersion string `json:"goVersion,omitempty"`
	}{Version: sdk.Version}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v.Module, v.ModuleVer, v.GoVersion = bi.Main.Path, bi.Main.Version, bi.GoVersion
	}
	switch {
	case len(args) == 0:
		fmt.Fprintf(e.stdout, "fang %s (module %s %s, %s)\n", v.Version, v.Module, v.ModuleVer, v.GoVersion)
	case len(args) == 1 && args[0] == "--json":
		writeJSON(e.stdout, v)
	default:
		fmt.Fprintf(e.stderr, "fang version: unexpected %q (only --json)\n", args[0])
		return exitUsage
	}
	return exitOK
}
