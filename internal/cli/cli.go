// Package cli is Koppel's command line: each command parses its flags,
// calls one service method and prints the result, for people or (--json)
// for programs.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"unicode"
	"unicode/utf8"

	"koppel/internal/backend"
	"koppel/internal/koppel"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitNotFound = 3
	exitRefused  = 4
)

// maxArg bounds one command-line argument; nothing Koppel takes is longer.
const maxArg = 64 << 10

// env is what a running command has: its streams, its flags and, once
// opened, the backend.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	json   bool
	open   func(context.Context) (*backend.Backend, error)
	b      *backend.Backend
}

// command is one leaf of the command tree.
type command struct {
	usage string // the line shown in help, after "koppel "
	run   func(e *env, args []string) error
}

// commands maps "group verb" (or a lone word) to its command.
var commands = map[string]command{}

func register(name, usage string, run func(e *env, args []string) error) {
	commands[name] = command{usage: usage, run: run}
}

// Main runs the command line with args (without the program name) and
// returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return run(ctx, args, stdin, stdout, stderr, openFromEnv)
}

func openFromEnv(ctx context.Context) (*backend.Backend, error) {
	cfg, err := backend.ConfigFromEnv("cli")
	if err != nil {
		return nil, err
	}
	return backend.Open(ctx, cfg)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer,
	open func(context.Context) (*backend.Backend, error)) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, open: open}
	args, e.json = extractJSON(args)
	if err := checkArgs(args); err != nil {
		return e.fail(err)
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprint(stdout, helpText())
		return exitOK
	}
	name, rest := lookup(args)
	cmd, ok := commands[name]
	if !ok {
		return e.fail(usageErr("%q is not a Koppel command. Run `koppel help` to see them.", strings.Join(args[:min(2, len(args))], " ")))
	}
	defer e.close()
	if err := cmd.run(e, rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: koppel %s\n", cmd.usage)
			return exitOK
		}
		return e.fail(err)
	}
	return exitOK
}

// lookup finds the longest registered command name at the start of args.
func lookup(args []string) (string, []string) {
	if len(args) >= 2 {
		if _, ok := commands[args[0]+" "+args[1]]; ok {
			return args[0] + " " + args[1], args[2:]
		}
	}
	return args[0], args[1:]
}

// extractJSON removes --json wherever it stands.
func extractJSON(args []string) ([]string, bool) {
	out := make([]string, 0, len(args))
	found := false
	for _, a := range args {
		if a == "--json" || a == "-json" {
			found = true
			continue
		}
		out = append(out, a)
	}
	return out, found
}

// checkArgs refuses arguments no command could want, before anything runs.
func checkArgs(args []string) error {
	for i, a := range args {
		if len(a) > maxArg {
			return usageErr("Argument %d is too long (%d bytes); Koppel takes at most %d KiB per argument.", i+1, len(a), maxArg>>10)
		}
		if !utf8.ValidString(a) {
			return usageErr("Argument %d is not valid text (it is not UTF-8).", i+1)
		}
		if strings.ContainsRune(a, 0) {
			return usageErr("Argument %d contains a NUL character.", i+1)
		}
	}
	return nil
}

// start parses a command's arguments (see parse) and then opens the data
// folder: nothing is opened for a command called wrongly.
func (e *env) start(fs *flag.FlagSet, args []string, minPos, maxPos int, what string) ([]string, *backend.Backend, error) {
	pos, err := parse(fs, args, minPos, maxPos, what)
	if err != nil {
		return nil, nil, err
	}
	b, err := e.backend()
	return pos, b, err
}

// backend opens the data folder on first use.
func (e *env) backend() (*backend.Backend, error) {
	if e.b == nil {
		b, err := e.open(e.ctx)
		if err != nil {
			return nil, err
		}
		e.b = b
	}
	return e.b, nil
}

func (e *env) close() {
	if e.b != nil {
		e.b.Close()
	}
}

// usageError is a mistake in how a command was called.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usageErr(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// fail prints err for people (or as JSON) and returns its exit code. Only
// internal errors are logged, with their detail, to the data folder's log.
func (e *env) fail(err error) int {
	code, msg, exit := classify(err)
	msg = oneLine(msg)
	if code == koppel.EInternal && e.b != nil && e.b.Log != nil {
		e.b.Log.WithError(err).Error("command failed")
	}
	if e.json {
		_ = json.NewEncoder(e.stderr).Encode(map[string]any{"error": map[string]string{"code": code, "message": msg}})
	} else {
		fmt.Fprintln(e.stderr, "koppel: "+msg)
	}
	return exit
}

func classify(err error) (code, msg string, exit int) {
	var u *usageError
	if errors.As(err, &u) {
		return "usage", u.msg, exitUsage
	}
	code, msg = koppel.ErrorCode(err), koppel.ErrorMessage(err)
	switch code {
	case koppel.EInvalid:
		return code, msg, exitUsage
	case koppel.ENotFound:
		return code, msg, exitNotFound
	case koppel.EConflict, koppel.EForbidden:
		return code, msg, exitRefused
	}
	var ke *koppel.Error
	if errors.As(err, &ke) && ke.Message != "" {
		return koppel.EInternal, ke.Message, exitFailure
	}
	return koppel.EInternal, msg, exitFailure
}

// printJSON writes v as indented JSON.
func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// oneLine escapes control characters, so that no input echoed in a message
// can break it over lines or send a terminal escape.
func oneLine(msg string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, msg)
}
