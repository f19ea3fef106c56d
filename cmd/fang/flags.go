package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"
)

// cmdFlags is the flag set of one subcommand, with the environment variable
// each flag falls back to.
type cmdFlags struct {
	*flag.FlagSet
	path     string            // "kanfang token"
	synopsis string            // the usage line after "fang <path>"
	about    string            // what the command does
	envOf    map[string]string // flag name -> environment variable
	order    []string          // flag names in definition order
	secrets  []secretFlag      // flags that hold a secret, each with its --…-file twin
	aliases  []aliasFlag       // older spellings of flags

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

// logger is the clients' logger: debug lines on stderr with --debug, else
// none.
func (c *cmdFlags) logger() *slog.Logger {
	if !c.debug || c.stderr == nil {
		return nil
	}
	return slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func newCmdFlags(path, synopsis, about string) *cmdFlags {
	fs := flag.NewFlagSet("fang "+path, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &cmdFlags{FlagSet: fs, path: path, synopsis: synopsis, about: about, envOf: map[string]string{}}
}

// str defines a string flag falling back to the environment variable
// envName ("" for none).
func (c *cmdFlags) str(p *string, name, envName, usage string) {
	c.StringVar(p, name, "", usage)
	c.note(name, envName)
}

// field defines a string flag without a variable that sets the request
// field named field, so that validation errors name the flag.
func (c *cmdFlags) field(p *string, name, field, usage string) {
	c.str(p, name, "", usage)
	c.setsField(name, field)
}

// setsField notes that the flag name sets the request field named field.
func (c *cmdFlags) setsField(name, field string) {
	if c.fieldFlags == nil {
		c.fieldFlags = map[string]string{}
	}
	c.fieldFlags[field] = name
}

// configFlags is an API's configuration flags (kanfangConfig,
// propertyConfig); withToken adds --token.
type configFlags interface {
	define(c *cmdFlags, withToken bool)
}

// parseAPI defines cfg's flags and the API flags after the command's own,
// then parses args as parse does.
func (c *cmdFlags) parseAPI(e *env, args []string, cfg configFlags, withToken bool) (code int, done bool) {
	cfg.define(c, withToken)
	c.apiFlags()
	return c.parse(e, args)
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

// readSecrets fills each secret flag left unset from its file: given as
// --name-file or envName_FILE. A flag or variable holding the secret
// itself wins.
func (c *cmdFlags) readSecrets() error {
	for _, s := range c.secrets {
		if *s.value != "" || *s.file == "" {
			continue
		}
		b, err := readSecretFile(*s.file)
		if err != nil {
			return fmt.Errorf("--%s-file (%s_FILE): %w", s.name, s.envName, err)
		}
		*s.value = b
	}
	return nil
}

// readSecretFile returns the first line of the file at path, without its
// line ending. The error names the file, never its content.
func readSecretFile(path string) (string, error) {
	b, err := os.ReadFile(path) //nolint:gosec // G304: the operator names the file
	if err != nil {
		if pe, ok := errors.AsType[*os.PathError](err); ok {
			return "", fmt.Errorf("cannot read %s: %w", path, pe.Err)
		}
		return "", err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
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

func (c *cmdFlags) note(name, envName string) {
	c.order = append(c.order, name)
	if envName != "" {
		c.envOf[name] = envName
	}
}

// apiFlags defines --json, --dry-run and --timeout.
func (c *cmdFlags) apiFlags() {
	c.BoolVar(&c.json, "json", false, "print a machine-readable JSON object instead of text")
	c.note("json", "")
	c.BoolVar(&c.dryRun, "dry-run", false, "build and sign the request, print it with secrets redacted, send nothing")
	c.note("dry-run", "")
	c.DurationVar(&c.timeout, "timeout", 30*time.Second, "give up after this long (the whole command, login included), a `duration` such as 30s or 2m")
	c.note("timeout", "")
	c.BoolVar(&c.debug, "debug", false, "log every attempt, retry and login to stderr, secrets redacted (also -v)")
	c.BoolVar(&c.debug, "v", false, "short for --debug")
	c.note("debug", "")
}

// parse parses args and fills unset flags from the environment. It returns
// done when the command must stop with code (help or a usage error).
func (c *cmdFlags) parse(e *env, args []string) (code int, done bool) {
	c.stderr = e.stderr
	err := c.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.usage(e.stdout)
		return exitOK, true
	case err != nil && strings.HasPrefix(err.Error(), "flag provided but not defined: "):
		name := strings.TrimLeft(strings.TrimPrefix(err.Error(), "flag provided but not defined: "), "-")
		var names []string
		c.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		mean := ""
		if s := suggest(name, names); s != "" {
			mean = " (did you mean --" + s + "?)"
		}
		return c.usageError(e, "unknown flag --"+name+mean)
	case err != nil:
		return c.usageError(e, flagError(err))
	case c.NArg() > 0:
		return c.usageError(e, fmt.Sprintf("unexpected argument %q (flags only)", c.Arg(0)))
	}
	set := map[string]bool{}
	c.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, name := range c.order {
		envName := c.envOf[name]
		if envName == "" || set[name] {
			continue
		}
		if v := e.getenv(envName); v != "" {
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
	if err := c.readSecrets(); err != nil {
		return c.usageError(e, err.Error())
	}
	if c.Lookup("timeout") != nil && c.timeout <= 0 {
		return c.usageError(e, fmt.Sprintf("--timeout must be positive, not %s", c.timeout))
	}
	return 0, false
}

// flagError rewrites the flag package's messages for an operator: flags
// spelled with "--", and what a duration looks like.
func flagError(err error) string {
	msg := err.Error()
	// invalid value "5" for flag -timeout: parse error
	if v, rest, ok := strings.Cut(strings.TrimPrefix(msg, "invalid value "), " for flag -"); ok && strings.HasPrefix(msg, "invalid value ") {
		name, _, _ := strings.Cut(rest, ":")
		if name == "timeout" {
			return fmt.Sprintf("invalid --timeout %s: use a duration such as 5s, 1m or 1m30s", v)
		}
		return fmt.Sprintf("invalid --%s %s%s", name, v, strings.TrimPrefix(rest, name))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "flag --" + name + " needs a value"
	}
	return msg
}

// usageError reports a bad command line: as JSON with --json, else as text
// on stderr.
func (c *cmdFlags) usageError(e *env, msg string) (int, bool) {
	if c.json || wantsJSON(c.FlagSet) {
		writeJSON(e.stdout, errorObject(usageErr("fang %s: %s", c.path, msg), nil))
		return exitUsage, true
	}
	fmt.Fprintf(e.stderr, "fang %s: %s\nRun 'fang %s --help' for usage.\n", c.path, msg, c.path)
	return exitUsage, true
}

// wantsJSON reports whether --json was parsed before a parse error.
func wantsJSON(fs *flag.FlagSet) bool {
	f := fs.Lookup("json")
	return f != nil && f.Value.String() == "true"
}

// usage prints the command's help: synopsis, flags with their environment
// variables, and the environment variables together.
func (c *cmdFlags) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: fang %s %s\n\n%s\n\nFlags:\n", c.path, c.synopsis, strings.TrimSpace(c.about))
	for _, name := range c.order {
		f := c.Lookup(name)
		arg, text := flag.UnquoteUsage(f)
		line := "  --" + name
		if arg != "" {
			line += " " + arg
		}
		fmt.Fprintln(w, line)
		extra := ""
		if ev := c.envOf[name]; ev != "" {
			extra = " (env " + ev + ")"
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" {
			extra += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "        %s%s\n", text, extra)
	}
	fmt.Fprintln(w, "  -h, --help\n        show this help")
	if len(c.envOf) > 0 {
		fmt.Fprintln(w, "\nEnvironment (a flag, when given, wins):")
		var names []string
		for _, ev := range c.envOf {
			names = append(names, ev)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintln(w, "  "+n)
		}
	}
	fmt.Fprintln(w, "\n"+exitCodesHelp)
}

// exitCodesHelp ends every command's help.
const exitCodesHelp = "Exit codes: 0 ok, 1 failure, 2 usage/config/validation error (nothing sent), 3 outcome unknown (may have taken effect)."

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error {
	if v == "" {
		return errors.New("empty value")
	}
	*l = append(*l, v)
	return nil
}
