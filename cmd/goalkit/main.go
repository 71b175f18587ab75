// Command goalkit is a thin command over the goalkit SDK for integrators and
// operators who do not write Go: it migrates a database, imports and exports
// the org, plans, facts and deals (CSV, JSON, Excel), and prints statuses,
// alert evaluations and HTML reports.
//
//	goalkit migrate                                   # create or update goalkit.db
//	goalkit import units org.csv
//	goalkit import plans plan.csv
//	goalkit import facts facts.csv --progress
//	goalkit export workbook --plan revenue-2026 -o plan.xlsx
//	goalkit import workbook plan.xlsx --plan revenue-2026 --dry-run
//	goalkit status --plan revenue-2026 --as-of 2026-06-30
//	goalkit evaluate --as-of 2026-06-30
//	goalkit report --plan revenue-2026 -o report.html
//
// The data lives in a SQLite file (--db, default goalkit.db) or in
// PostgreSQL (--dsn, or $GOALKIT_DSN). The metrics, funnels and alert rules
// come from a JSON file (--config, default goalkit.json; see configFile).
// Every subcommand has --help.
//
// Exit codes: 0 done; 1 failed (the message says why and what to do);
// 2 the command line is wrong; 3 the input has bad rows or cells and
// nothing was imported; 4 the plan changed since the workbook was
// exported (export it again).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/storage"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitInvalid  = 3
	exitConflict = 4
)

// command is a subcommand: its one-line summary and its body.
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

var commands = map[string]command{
	"migrate":  {"create or update the database schema", runMigrate},
	"import":   {"import units, plans, facts, deals (CSV/JSON) or an edited workbook (.xlsx)", runImport},
	"export":   {"export the org or a plan (CSV/JSON, the wide sheet, or a workbook)", runExport},
	"status":   {"print the status of every goal of a plan on a day", runStatus},
	"evaluate": {"run the alert rules on a day and write the notifications to the outbox", runEvaluate},
	"report":   {"write a plan's progress as one HTML page", runReport},
}

// order is the order commands are listed in the usage.
var order = []string{"migrate", "import", "export", "status", "evaluate", "report"}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what a subcommand writes to.
type env struct {
	stdout, stderr io.Writer
}

// run runs the command line args and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "goalkit: unknown command %q; run goalkit --help for the list\n", args[0])
		return exitUsage
	}
	err := c.run(ctx, e, args[1:])
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errHelp) {
		return exitOK
	}
	fmt.Fprintln(stderr, "goalkit "+args[0]+": "+err.Error())
	var ue usageError
	switch {
	case errors.As(err, &ue):
		return exitUsage
	case errors.Is(err, exchange.ErrInvalid):
		return exitInvalid
	case errors.Is(err, storage.ErrConflict):
		return exitConflict
	}
	return exitFailed
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "goalkit: sales goals from the command line (the goalkit SDK)")
	fmt.Fprintln(w, "\nusage: goalkit <command> [flags] [arguments]\n\ncommands:")
	for _, name := range order {
		fmt.Fprintf(w, "  %-9s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "\nRun goalkit <command> --help for a command's flags. The data is in a SQLite file")
	fmt.Fprintln(w, "(--db goalkit.db) or PostgreSQL (--dsn or $GOALKIT_DSN); metrics, funnels and rules")
	fmt.Fprintln(w, "come from --config goalkit.json.")
	fmt.Fprintln(w, "\nexit codes: 0 done, 1 failed, 2 bad command line, 3 bad input rows (nothing imported),")
	fmt.Fprintln(w, "4 the plan changed since it was exported")
}
