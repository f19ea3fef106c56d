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

// run is the whole program: it parses args, reads configuration from the
// flags and getenv, writes results to stdout and diagnostics to stderr, and
// returns the exit code. ctx ends long-running commands (mock) and bounds
// API calls.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
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

// commandNames are fang's top-level commands.
var commandNames = []string{"kanfang", "property", "mock", "version", "help", "completion"}

// subcommands are the subcommands of each API command.
var subcommands = map[string][]string{
	"kanfang":  {"put-anjuke-bianhao", "push", "token", "call", "verify-callback"},
	"property": {"create", "save-property", "login", "find", "update", "delete", "communities", "menu-groups", "call"},
}

// leaves returns what runs each subcommand of group.
func (e *env) leaves(group string) map[string]leaf {
	if group == "kanfang" {
		return map[string]leaf{"put-anjuke-bianhao": e.kanfangPut, "push": e.kanfangPush, "token": e.kanfangToken, "call": e.kanfangCall,
			"verify-callback": e.kanfangVerifyCallback}
	}
	return map[string]leaf{"create": e.propertyCreate, "save-property": e.propertySave, "login": e.propertyLogin, "find": e.propertyFind, "call": e.propertyCall,
		"update": e.propertyUpdate, "delete": e.propertyDelete, "communities": e.propertyCommunities, "menu-groups": e.propertyMenuGroups}
}

// version prints the version line, or with --json an object.
func (e *env) version(args []string) int {
	switch {
	case len(args) == 0:
		fmt.Fprintln(e.stdout, versionLine())
	case len(args) == 1 && args[0] == "--json":
		v := struct {
			Version   string `json:"version"`
			Module    string `json:"module,omitempty"`
			ModuleVer string `json:"moduleVersion,omitempty"`
			GoVersion string `json:"goVersion,omitempty"`
		}{Version: sdk.Version}
		if bi, ok := debug.ReadBuildInfo(); ok {
			v.Module, v.ModuleVer, v.GoVersion = bi.Main.Path, bi.Main.Version, bi.GoVersion
		}
		writeJSON(e.stdout, v)
	default:
		fmt.Fprintf(e.stderr, "fang version: unexpected %q (only --json)\n", args[0])
		return exitUsage
	}
	return exitOK
}

// stdin is what "--file -" reads; tests replace it.
var stdin io.Reader = os.Stdin

// env is what every command writes to and reads configuration from.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// leaf runs one subcommand with its arguments.
type leaf func(ctx context.Context, args []string) int

// dispatch runs the subcommand of group named by args[0].
func (e *env) dispatch(ctx context.Context, group string, args []string) int {
	usage := kanfangUsage
	if group == "property" {
		usage = propertyUsage
	}
	if len(args) == 0 {
		fmt.Fprintf(e.stderr, "fang %s: missing subcommand\n\n", group)
		usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(e.stdout)
		return exitOK
	}
	cmd, ok := e.leaves(group)[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "fang %s: unknown subcommand %q%s\nRun 'fang %s --help' for usage.\n",
			group, args[0], didYouMean(args[0], subcommands[group]), group)
		return exitUsage
	}
	return cmd(ctx, args[1:])
}

func topUsage(w io.Writer) {
	fmt.Fprint(w, `fang — operator tool for the 123kanfang and HC (MicroCommunity) APIs

Usage:
  fang kanfang put-anjuke-bianhao --package-id ID --bianhao NO
  fang kanfang push --package-id ID --notify-config-id ID [--force-push] [--payload JSON]
  fang kanfang token
  fang kanfang call PATH [--get name=value]... [--data JSON|@file]
  fang property save-property --name … --address … --tel … --corporation … --founding-time YYYY-MM-DD
  fang property login
  fang property find --tel NO | --name TEXT
  fang property update --store-id ID [--name …] [--address …] …
  fang property delete --store-id ID
  fang property communities [--name TEXT]
  fang property menu-groups [--store-type CODE]
  fang property call SERVICE [--get name=value]... [--data JSON|@file]
  fang mock [--addr 127.0.0.1:8080]
  fang version [--json]
  fang completion bash|zsh|fish
  fang help [command [subcommand]]

Every command takes --help. API commands take --json (machine-readable
output), --dry-run (print the signed request, send nothing), --timeout and
--debug (-v: log every attempt, retry and login to stderr).
Configuration comes from flags or FANG_* environment variables; flags win.
Try it without any server: run "fang mock" and paste the export lines it prints.

Exit codes: 0 ok (and dry runs); 1 failure (the server refused, or the
transport failed); 2 usage, configuration or validation error (nothing was
sent); 3 outcome unknown (the request may have taken effect: check the
server before trying again).
`)
}

// versionLine is what fang version prints: the SDK's version, and the
// module version and Go release the binary was built with.
func versionLine() string {
	line := "fang " + sdk.Version
	if bi, ok := debug.ReadBuildInfo(); ok {
		line += fmt.Sprintf(" (module %s %s, %s)", bi.Main.Path, bi.Main.Version, bi.GoVersion)
	}
	return line
}
