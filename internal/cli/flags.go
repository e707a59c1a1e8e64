package cli

import (
	"flag"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// newFlags returns a flag set for a command that reports errors to us, not
// to the terminal.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses args into fs, allowing flags and positional arguments in any
// order ("conn revoke 12 --reason lost"), and checks the positional count.
func parse(fs *flag.FlagSet, args []string, minPos, maxPos int, what string) ([]string, error) {
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, err
			}
			return nil, usageErr("%s. Run `koppel %s --help` for its usage.", flagMessage(err), fs.Name())
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	switch {
	case len(pos) < minPos:
		return nil, usageErr("`koppel %s` needs %s.", fs.Name(), what)
	case len(pos) > maxPos:
		return nil, usageErr("`koppel %s` takes %s; %q is one too many.", fs.Name(), takes(maxPos, what), shorten(pos[maxPos]))
	}
	return pos, nil
}

func takes(n int, what string) string {
	if n == 0 {
		return "no further arguments"
	}
	return what
}

// flagMessage rewrites the flag package's errors as sentences.
func flagMessage(err error) string {
	s := err.Error()
	switch {
	case strings.HasPrefix(s, "flag provided but not defined: "):
		return "Unknown option " + longForm(strings.TrimPrefix(s, "flag provided but not defined: "))
	case strings.HasPrefix(s, "flag needs an argument: "):
		return "The option " + longForm(strings.TrimPrefix(s, "flag needs an argument: ")) + " needs a value"
	}
	if v, ok := strings.CutPrefix(s, "invalid boolean value "); ok {
		if value, rest, ok := strings.Cut(v, " for "); ok {
			name, _, _ := strings.Cut(rest, ":")
			return "The option " + longForm(name) + " does not take the value " + printable(shorten(value)) + "; it takes none, or =true or =false"
		}
	}
	if v, ok := strings.CutPrefix(s, "invalid value "); ok {
		if value, rest, ok := strings.Cut(v, " for flag "); ok {
			name, _, _ := strings.Cut(rest, ":")
			return "The option " + longForm(name) + " does not take the value " + printable(shorten(value))
		}
	}
	return "Wrong option: " + printable(shorten(s))
}

// list is a repeatable string flag.
type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

// required checks that each named flag value is present.
func required(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return usageErr("The option --%s is required.", pairs[i])
		}
	}
	return nil
}

func shorten(s string) string {
	if len(s) > 40 {
		return strings.ToValidUTF8(s[:40], "") + "…"
	}
	return s
}

// longForm writes an option as --name, however it was typed.
func longForm(opt string) string { return printable("--" + strings.TrimLeft(opt, "-")) }

// printable returns s as it is when every character shows as itself, else
// quoted with Go escapes, so input cannot break a message's line or send a
// terminal escape.
func printable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) }) < 0 {
		return s
	}
	return strconv.Quote(s)
}
