package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/fangsdk/fang/sign"
)

// cmd is one subcommand: its flag set, where it writes, and what its
// messages need to name flags and variables.
type cmd struct {
	*flag.FlagSet
	*env
	path   string             // "kanfang token"
	about  string             // the usage line after "fang <path>", then what the command does
	prefix string             // of its variables: "FANG_KANFANG_"
	envOf  map[string]string  // flag name -> the variable it falls back to
	files  map[string]*string // flag holding a secret -> the file its --…-file twin names

	// fields names the flag of each request field, so that validation
	// errors speak of --founding-time, not FoundingTime.
	fields map[string]string

	// The output flags of the API commands.
	json, dryRun, debug bool
	timeout             time.Duration
}

func newCmd(e *env, path, about string) *cmd {
	fs := flag.NewFlagSet("fang "+path, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &cmd{FlagSet: fs, env: e, path: path, about: about, envOf: map[string]string{},
		files: map[string]*string{}, fields: map[string]string{}}
}

// setting defines a string flag that falls back to its variable: the
// prefix and the flag's name in capitals, "--auth-key" is
// FANG_KANFANG_AUTH_KEY. The variable is read once, as the default.
func (c *cmd) setting(p *string, name, usage string) {
	v := c.prefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
	c.envOf[name] = v
	c.StringVar(p, name, c.getenv(v), usage)
}

// secretSetting defines a setting holding a secret and its twin
// --name-file naming a file that holds it, so that the secret need not
// sit in shell history or the process list.
func (c *cmd) secretSetting(p *string, name, usage string) {
	c.setting(p, name, usage)
	c.files[name] = new(string)
	c.setting(c.files[name], name+"-file", "read --"+name+" from this `file` (its first line; keeps the secret out of ps and shell history)")
}

// secrets are the secrets given, for redaction; the HC password also as
// the hash the login sends.
func (c *cmd) secrets() []string {
	var out []string
	for name := range c.files {
		v := c.Lookup(name).Value.String()
		out = append(out, v)
		if name == "password" && v != "" {
			out = append(out, sign.HCPassword(v))
		}
	}
	return out
}

// field defines a string flag that sets the request field named field,
// so that validation errors name the flag.
func (c *cmd) field(p *string, name, field, usage string) {
	c.StringVar(p, name, "", usage)
	c.fields[field] = name
}

// apiFlags defines --json, --dry-run, --timeout and --debug.
func (c *cmd) apiFlags() {
	c.BoolVar(&c.json, "json", false, "print a machine-readable JSON object instead of text")
	c.BoolVar(&c.dryRun, "dry-run", false, "build and sign the request, print it with secrets redacted, send nothing")
	c.DurationVar(&c.timeout, "timeout", 30*time.Second, "give up after this long (the whole command, login included), a `duration` such as 30s or 2m")
	c.BoolVar(&c.debug, "debug", false, "log every attempt, retry and login to stderr, secrets redacted")
	c.BoolVar(&c.debug, "v", false, "short for --debug")
}

// logger is the clients' logger: debug lines on stderr with --debug, else
// none.
func (c *cmd) logger() *slog.Logger {
	if !c.debug {
		return nil
	}
	return slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// parse parses args, then reads the secrets given as files. It returns
// done when the command must stop with code (help, or a usage error it
// reported as c.fail does: as JSON when args ask for --json anywhere, even
// after the flag that stopped parsing).
func (c *cmd) parse(args []string) (code int, done bool) {
	err := c.Parse(args)
	if (err != nil || c.NArg() > 0) && c.Lookup("json") != nil {
		c.json = c.json || asksJSON(args)
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.usage(c.stdout)
		return exitOK, true
	case err != nil:
		return c.fail(usageErr("%s", c.flagError(err))), true
	case c.NArg() > 0:
		return c.fail(usageErr("unexpected argument %q (flags only)", c.Arg(0))), true
	}
	for name, file := range c.files {
		if p := c.Lookup(name).Value; p.String() == "" && *file != "" {
			secret, err := readSecretFile(*file)
			if err != nil {
				return c.fail(usageErr("--%s-file (%s_FILE): %v", name, c.envOf[name], err)), true
			}
			_ = p.Set(secret)
		}
	}
	if c.Lookup("timeout") != nil && c.timeout <= 0 {
		return c.fail(usageErr("--timeout must be positive, not %s", c.timeout)), true
	}
	return 0, false
}

// asksJSON reports whether args, up to a "--", hold --json (or -json,
// --json=true): the flag package stops at the first bad flag or argument
// and does not see the ones after it.
func asksJSON(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == "json" {
			if on, err := strconv.ParseBool(val); !hasVal || err == nil && on {
				return true
			}
		}
	}
	return false
}

// readSecretFile returns the first line of the file at path, without its
// line ending. The error names the file, never its content.
func readSecretFile(path string) (string, error) {
	b, err := os.ReadFile(path) //nolint:gosec // G304: the operator names the file
	if err != nil {
		return "", err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	if line = strings.TrimSuffix(line, "\r"); line == "" {
		return "", fmt.Errorf("%s is empty", path)
	}
	return line, nil
}

// flagError rewrites the flag package's messages for an operator: flags
// spelled with "--", a near miss named, and what a duration looks like.
func (c *cmd) flagError(err error) string {
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

// usage prints the command's help: synopsis and description, then the
// flags with their environment variables.
func (c *cmd) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: fang %s %s\n\nFlags:\n", c.path, strings.TrimSpace(c.about))
	c.printFlags(w)
	fmt.Fprintln(w, "  -h, --help\n        show this help\n\nA flag, when given, wins over its environment variable.\n"+exitCodesHelp)
}

// printFlags lists the flags, each with its environment variable or its
// default.
func (c *cmd) printFlags(w io.Writer) {
	c.VisitAll(func(f *flag.Flag) {
		arg, text := flag.UnquoteUsage(f)
		if ev := c.envOf[f.Name]; ev != "" {
			text += " (env " + ev + ")" // not its default: the variable's value, maybe a secret
		} else if f.DefValue != "" && f.DefValue != "false" {
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

// value is the value of the flag name, "" when c has no such flag.
func (c *cmd) value(name string) string {
	if f := c.Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}
