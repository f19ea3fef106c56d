package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCompletionScripts: each shell's script names every command and
// subcommand; an unknown shell is a usage error.
func TestCompletionScripts(t *testing.T) {
	t.Parallel()
	for _, shell := range []string{"bash", "zsh", "fish"} {
		r := fang(t, nil, "completion", shell).wantCode(t, exitOK)
		wantContains(t, r.stdout, "fang", "put-anjuke-bianhao", "save-property", "kanfang property mock version help completion")
		if strings.Contains(r.stdout, "@") {
			t.Errorf("%s: a placeholder was left:\n%s", shell, r.stdout)
		}
	}
	fang(t, nil, "completion").wantCode(t, exitUsage)
	wantContains(t, fang(t, nil, "completion", "--help").wantCode(t, exitOK).stdout, "source <(fang completion bash)")
}

// TestBashCompletion runs the bash script in a real bash against the
// built binary: commands, subcommands and a subcommand's flags (read from
// its --help) complete.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "fang"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	script := filepath.Join(dir, "fang.bash")
	if err := os.WriteFile(script, []byte(completionScript(bashCompletion)), 0o600); err != nil {
		t.Fatal(err)
	}
	complete := func(words ...string) string {
		t.Helper()
		line := "source " + script + "; COMP_WORDS=(" + strings.Join(quoteAll(words), " ") + "); COMP_CWORD=" +
			strconv.Itoa(len(words)-1) + "; _fang; printf '%s\\n' \"${COMPREPLY[@]}\""
		cmd := exec.Command(bash, "--norc", "-c", line)
		cmd.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		return string(out)
	}
	if got := complete("fang", "pro"); got != "property\n" {
		t.Errorf("fang pro<TAB> = %q", got)
	}
	if got := complete("fang", "kanfang", "t"); got != "token\n" {
		t.Errorf("fang kanfang t<TAB> = %q", got)
	}
	got := complete("fang", "property", "save-property", "--fo")
	if got != "--founding-time\n" {
		t.Errorf("fang property save-property --fo<TAB> = %q", got)
	}
	if got := complete("fang", "property", "login", "--pass"); got != "--password\n--password-file\n" {
		t.Errorf("fang property login --pass<TAB> = %q", got)
	}
}

func quoteAll(words []string) []string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = "'" + w + "'"
	}
	return q
}
