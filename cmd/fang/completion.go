package main

import (
	"fmt"
	"strings"
)

// completion prints the completion script of a shell: bash, zsh or fish.
// Commands and subcommands are listed in the script; a subcommand's flags
// are read from its --help when completing, so they never drift.
func (e *env) completion(args []string) int {
	usage := "Usage: fang completion bash|zsh|fish\n\n" + completionHelp
	scripts := map[string]string{"bash": bashCompletion, "zsh": zshCompletion, "fish": fishCompletion}
	switch {
	case len(args) != 1:
		fmt.Fprint(e.stderr, usage)
		return exitUsage
	case args[0] == "-h" || args[0] == "--help" || args[0] == "help":
		fmt.Fprint(e.stdout, usage)
	case scripts[args[0]] != "":
		fmt.Fprint(e.stdout, completionScript(scripts[args[0]]))
	default:
		fmt.Fprintf(e.stderr, "fang completion: unknown shell %q%s: want bash, zsh or fish\n", args[0], didYouMean(args[0], []string{"bash", "zsh", "fish"}))
		return exitUsage
	}
	return exitOK
}

const completionHelp = `Prints a shell completion script for fang's commands, subcommands and flags.

  bash:  source <(fang completion bash)            (add it to ~/.bashrc)
  zsh:   source <(fang completion zsh)             (add it to ~/.zshrc, after compinit)
  fish:  fang completion fish > ~/.config/fish/completions/fang.fish
`

// completionScript fills a script's placeholders: @COMMANDS@,
// @KANFANG@ and @PROPERTY@ (space-separated names).
func completionScript(tmpl string) string {
	return strings.NewReplacer(
		"@COMMANDS@", strings.Join(commandNames, " "),
		"@KANFANG@", strings.Join(groups["kanfang"].names(), " "),
		"@PROPERTY@", strings.Join(groups["property"].names(), " "),
	).Replace(tmpl)
}

// flagsOf is the shell pipeline that lists a subcommand's flags from its
// --help: the lines "  --name ...".
const flagsOf = `sed -n 's/^  \(--[a-z-]*\).*/\1/p'`

const bashCompletion = `# bash completion for fang
_fang() {
  local cur=${COMP_WORDS[COMP_CWORD]} words=""
  case $COMP_CWORD in
    1) words="@COMMANDS@" ;;
    2) case ${COMP_WORDS[1]} in
         kanfang) words="@KANFANG@" ;;
         property) words="@PROPERTY@" ;;
         completion) words="bash zsh fish" ;;
         help) words="kanfang property mock" ;;
         mock) words=$(fang mock --help 2>&1 | ` + flagsOf + `) ;;
         version) words="--json" ;;
       esac ;;
    *) case ${COMP_WORDS[1]} in
         kanfang|property) words=$(fang "${COMP_WORDS[1]}" "${COMP_WORDS[2]}" --help 2>/dev/null | ` + flagsOf + `) ;;
       esac ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _fang fang
`

// zshCompletion is the bash completion, through zsh's bashcompinit.
const zshCompletion = "# zsh completion for fang\nautoload -U +X bashcompinit && bashcompinit\n" + bashCompletion

const fishCompletion = `# fish completion for fang
complete -c fang -f
complete -c fang -n '__fish_use_subcommand' -a '@COMMANDS@'
complete -c fang -n '__fish_seen_subcommand_from kanfang; and not __fish_seen_subcommand_from @KANFANG@' -a '@KANFANG@'
complete -c fang -n '__fish_seen_subcommand_from property; and not __fish_seen_subcommand_from @PROPERTY@' -a '@PROPERTY@'
complete -c fang -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'
complete -c fang -n '__fish_seen_subcommand_from version' -a '--json'
complete -c fang -n '__fish_seen_subcommand_from @KANFANG@ @PROPERTY@' -a '(set -l w (commandline -opc); fang $w[2] $w[3] --help 2>/dev/null | ` + flagsOf + `)'
`
