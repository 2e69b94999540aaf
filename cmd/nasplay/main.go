// Command nasplay is the native command-line face of the nasplay engine:
// benchmark queries, indicator computation, searches, the paper's
// experiments and a static file server for the browser tool.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
)

// A command is one subcommand. Run gets the arguments after its name and
// writes results to stdout; an error it returns is printed to stderr and
// makes the process exit non-zero.
type command struct {
	summary string
	run     func(args []string, stdout io.Writer) error
}

// commands is filled by init functions, one file per command group.
var commands = map[string]command{}

func register(name, summary string, run func([]string, io.Writer) error) {
	if _, dup := commands[name]; dup {
		panic("nasplay: command registered twice: " + name)
	}
	commands[name] = command{summary, run}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: nasplay <command> [flags]   (nasplay <command> --help for its flags)")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-22s %s\n", n, commands[n].summary)
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a command; two-word commands ("assets build") are looked
// up before one-word ones.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 1 && args[0] == "help" { // "help search" is "search --help"
		return run(append(slices.Clone(args[1:]), "--help"), stdout, stderr)
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	name, rest := args[0], args[1:]
	if len(args) > 1 {
		if _, ok := commands[args[0]+" "+args[1]]; ok {
			name, rest = args[0]+" "+args[1], args[2:]
		}
	}
	cmd, ok := commands[name]
	if !ok {
		if subs := subcommands(args[0]); len(subs) > 0 {
			switch {
			case len(args) > 1 && (args[1] == "-h" || args[1] == "--help" || args[1] == "-help"):
				fmt.Fprintf(stdout, "usage: nasplay %s <subcommand> [flags]\n\nsubcommands:\n", args[0])
				for _, sub := range subs {
					fmt.Fprintf(stdout, "  %-12s %s\n", sub, commands[args[0]+" "+sub].summary)
				}
				return 0
			case len(args) == 1:
				fmt.Fprintf(stderr, "nasplay %s: which one? %s\n", args[0], strings.Join(subs, ", "))
			default:
				fmt.Fprintf(stderr, "nasplay %s: unknown subcommand %q; one of: %s\n", args[0], args[1], strings.Join(subs, ", "))
			}
			return 2
		}
		fmt.Fprintf(stderr, "nasplay: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	out := &errWriter{w: stdout}
	err := cmd.run(rest, out)
	if (err == nil || errors.Is(err, flag.ErrHelp)) && out.err != nil { // help text lost too
		err = fmt.Errorf("writing the output: %w", out.err)
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "nasplay %s: %v\n", name, err)
		return 1
	}
	return 0
}

// errWriter passes writes on to w and keeps the first error, so that a
// command's printed text, whose many Fprintf calls go unchecked, still
// fails the command when it is lost (a full disk, a closed pipe).
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, err
}

// subcommands lists, sorted, the second words of the two-word commands
// whose first word is group ("assets" → "build").
func subcommands(group string) []string {
	var subs []string
	for n := range commands {
		if g, sub, ok := strings.Cut(n, " "); ok && g == group {
			subs = append(subs, sub)
		}
	}
	sort.Strings(subs)
	return subs
}

// newFlags returns a flag set for a command whose parse errors are returned,
// not printed-and-exited, and whose --help prints the usage to stdout.
func newFlags(name, synopsis string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fs.SetOutput(stdout)
		fmt.Fprintf(stdout, "usage: nasplay %s %s\n\nflags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// countedValue is a flag.Value that reports each Set.
type countedValue struct {
	flag.Value
	set func()
}

func (v *countedValue) Set(s string) error { v.set(); return v.Value.Set(s) }

// IsBoolFlag keeps boolean flags valueless, as the flag package reads it.
func (v *countedValue) IsBoolFlag() bool {
	b, ok := v.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// parseFlags parses args, printing the usage only for --help, and rejects
// positional leftovers.
func parseFlags(fs *flag.FlagSet, args []string) error {
	help := fs.Usage
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	// A flag given twice would silently keep its last value: count them.
	seen := map[string]int{}
	fs.VisitAll(func(f *flag.Flag) { f.Value = &countedValue{f.Value, func() { seen[f.Name]++ }} })
	err := fs.Parse(args)
	fs.VisitAll(func(f *flag.Flag) { f.Value = f.Value.(*countedValue).Value })
	if err == nil {
		for _, a := range args {
			name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if a == "--" || a == "-" || !strings.HasPrefix(a, "-") {
				continue
			}
			if seen[name] > 1 {
				return fmt.Errorf("--%s given %d times: give it once", name, seen[name])
			}
		}
	}
	if errors.Is(err, flag.ErrHelp) {
		help()
		return err
	}
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}
