package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/fangsdk/fang/sign"
)

// cmdFlags is the flag set of one subcommand, with the environment variable
// each flag falls back to.
type cmdFlags struct {
	*flag.FlagSet
	path    string            // "kanfang token"
	about   string            // the usage line after "fang <path>", then what the command does
	envOf   map[string]string // flag name -> environment variable
	secrets []secretFlag      // flags that hold a secret, each with its --…-file twin
	aliases []aliasFlag       // older spellings of flags

	// Common output flags of API commands.
	json    bool
	dryRun  bool
	debug   bool
	timeout time.Duration

	// fieldFlags names the flag of each request field, so that validation
	// errors speak of --founding-time, not FoundingTime.
	fieldFlags map[string]string

	stderr io.Writer // where --debug logs go; set by parse
}

func newCmdFlags(path, about string) *cmdFlags {
	fs := flag.NewFlagSet("fang "+path, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &cmdFlags{FlagSet: fs, path: path, about: about, envOf: map[string]string{}, fieldFlags: map[string]string{}}
}

// logger is the clients' logger: debug lines on stderr with --debug, else
// none.
func (c *cmdFlags) logger() *slog.Logger {
	if !c.debug || c.stderr == nil {
		return nil
	}
	return slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// str defines a string flag falling back to the environment variable
// envName ("" for none).
func (c *cmdFlags) str(p *string, name, envName, usage string) {
	c.StringVar(p, name, "", usage)
	if envName != "" {
		c.envOf[name] = envName
	}
}

// field defines a string flag without a variable that sets the request
// field named field, so that validation errors name the flag.
func (c *cmdFlags) field(p *string, name, field, usage string) {
	c.str(p, name, "", usage)
	c.fieldFlags[field] = name
}

// secretFlag is a flag holding a secret and its file twin: --token and
// --token-file (FANG_KANFANG_TOKEN and FANG_KANFANG_TOKEN_FILE).
type secretFlag struct {
	name, envName string
	value, file   *string
}

// secret defines a flag holding a secret, falling back to the environment
// variable envName, and its twin --name-file (env envName_FILE) naming a
// file that holds the secret, so that the secret need not sit in shell
// history or the process list.
func (c *cmdFlags) secret(p *string, name, envName, usage string) {
	c.str(p, name, envName, usage)
	file := new(string)
	c.str(file, name+"-file", envName+"_FILE", "read --"+name+" from this `file` (its first line; keeps the secret out of ps and shell history)")
	c.secrets = append(c.secrets, secretFlag{name: name, envName: envName, value: p, file: file})
}

// secretValues are the secrets given, for redaction: each as it was given
// and, for the HC password, as the hash the login sends.
func (c *cmdFlags) secretValues() []string {
	var out []string
	for _, s := range c.secrets {
		out = append(out, *s.value)
		if s.name == "password" && *s.value != "" {
			out = append(out, sign.HCPassword(*s.value))
		}
	}
	return out
}

// readSecretFile returns the first line of the file at path, without its
// line ending. The error names the file, never its content.
func readSecretFile(path string) (string, error) {
	b, err := os.ReadFile(path) //nolint:gosec // G304: the operator names the file
	if pe, ok := errors.AsType[*os.PathError](err); ok {
		return "", fmt.Errorf("cannot read %s: %w", path, pe.Err)
	} else if err != nil {
		return "", err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	if line = strings.TrimSuffix(line, "\r"); line == "" {
		return "", fmt.Errorf("%s is empty", path)
	}
	return line, nil
}

// aliasFlag is an older spelling of a flag and of its variable: --url
// and FANG_PROPERTY_URL for --base-url and FANG_PROPERTY_BASE_URL.
type aliasFlag struct {
	old, name string
	value     *string // what --old or its variable gave
}

// alias defines --old, with the variable envName, as an older spelling of
// the flag name. A flag wins over any variable; of two flags, or of two
// variables, the new spelling wins.
func (c *cmdFlags) alias(old, name, envName string) {
	a := aliasFlag{old: old, name: name, value: new(string)}
	c.str(a.value, old, envName, "older spelling of --"+name+", the same `value` (--"+name+" wins when both are given)")
	c.aliases = append(c.aliases, a)
}

// apiFlags defines --json, --dry-run, --timeout and --debug.
func (c *cmdFlags) apiFlags() {
	c.BoolVar(&c.json, "json", false, "print a machine-readable JSON object instead of text")
	c.BoolVar(&c.dryRun, "dry-run", false, "build and sign the request, print it with secrets redacted, send nothing")
	c.DurationVar(&c.timeout, "timeout", 30*time.Second, "give up after this long (the whole command, login included), a `duration` such as 30s or 2m")
	c.BoolVar(&c.debug, "debug", false, "log every attempt, retry and login to stderr, secrets redacted")
	c.BoolVar(&c.debug, "v", false, "short for --debug")
}

// parseAPI defines the configuration flags with define and the API flags
// after the command's own, then parses args (see parse).
func (c *cmdFlags) parseAPI(e *env, args []string, define func(*cmdFlags)) (code int, done bool) {
	define(c)
	c.apiFlags()
	return c.parse(e, args)
}

// parse parses args and fills unset flags from the environment, then
// secrets from their files. It returns done when the command must stop
// with code (help or a usage error).
func (c *cmdFlags) parse(e *env, args []string) (code int, done bool) {
	c.stderr = e.stderr
	err := c.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.usage(e.stdout)
		return exitOK, true
	case err != nil:
		return c.usageError(e, c.flagError(err))
	case c.NArg() > 0:
		return c.usageError(e, fmt.Sprintf("unexpected argument %q (flags only)", c.Arg(0)))
	}
	set := map[string]bool{}
	c.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for name, envName := range c.envOf {
		if v := e.getenv(envName); v != "" && !set[name] {
			if err := c.Set(name, v); err != nil {
				return c.usageError(e, fmt.Sprintf("invalid %s: %v", envName, err))
			}
		}
	}
	for _, a := range c.aliases {
		if *a.value != "" && !set[a.name] && (set[a.old] || e.getenv(c.envOf[a.name]) == "") {
			_ = c.Set(a.name, *a.value)
		}
	}
	for _, s := range c.secrets {
		if *s.value == "" && *s.file != "" {
			if *s.value, err = readSecretFile(*s.file); err != nil {
				return c.usageError(e, fmt.Sprintf("--%s-file (%s_FILE): %v", s.name, s.envName, err))
			}
		}
	}
	if c.Lookup("timeout") != nil && c.timeout <= 0 {
		return c.usageError(e, fmt.Sprintf("--timeout must be positive, not %s", c.timeout))
	}
	return 0, false
}

// flagError rewrites the flag package's messages for an operator: flags
// spelled with "--", a near miss named, and what a duration looks like.
func (c *cmdFlags) flagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var names []string
		c.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		if s := suggest(name, names); s != "" {
			return "unknown flag --" + name + " (did you mean --" + s + "?)"
		}
		return "unknown flag --" + name
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "flag --" + name + " needs a value"
	}
	// invalid value "5" for flag -timeout: parse error
	v, rest, ok := strings.Cut(strings.TrimPrefix(msg, "invalid value "), " for flag -")
	if !ok {
		return msg
	}
	name, _, _ := strings.Cut(rest, ":")
	if name == "timeout" {
		return fmt.Sprintf("invalid --timeout %s: use a duration such as 5s, 1m or 1m30s", v)
	}
	return fmt.Sprintf("invalid --%s %s%s", name, v, strings.TrimPrefix(rest, name))
}

// usageError reports a bad command line: as JSON with --json (even when
// parsing stopped before a later flag), else as text on stderr.
func (c *cmdFlags) usageError(e *env, msg string) (int, bool) {
	if f := c.Lookup("json"); f != nil && f.Value.String() == "true" {
		writeJSON(e.stdout, jsonOutput{Error: &errorInfo{Kind: "usage", Message: "fang " + c.path + ": " + msg}})
		return exitUsage, true
	}
	fmt.Fprintf(e.stderr, "fang %s: %s\nRun 'fang %s --help' for usage.\n", c.path, msg, c.path)
	return exitUsage, true
}

// usage prints the command's help: synopsis and description, then the
// flags with their environment variables.
func (c *cmdFlags) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: fang %s %s\n\nFlags:\n", c.path, strings.TrimSpace(c.about))
	c.printFlags(w)
	fmt.Fprintln(w, "  -h, --help\n        show this help\n\nA flag, when given, wins over its environment variable.\n"+exitCodesHelp)
}

// printFlags lists the flags, each with its environment variable and
// default.
func (c *cmdFlags) printFlags(w io.Writer) {
	c.VisitAll(func(f *flag.Flag) {
		arg, text := flag.UnquoteUsage(f)
		if ev := c.envOf[f.Name]; ev != "" {
			text += " (env " + ev + ")"
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" {
			text += " (default " + f.DefValue + ")"
		}
		dashes := "--"
		if len(f.Name) == 1 {
			dashes = "-" // -v
		}
		fmt.Fprintf(w, "  %s%s\n        %s\n", dashes, strings.TrimSpace(f.Name+" "+arg), text)
	})
}

// exitCodesHelp ends every command's help.
const exitCodesHelp = "Exit codes: 0 ok, 1 failure, 2 usage/config/validation error (nothing sent), 3 outcome unknown (may have taken effect)."
