package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/exchange/xlsx"
	"github.com/goalkit/goalkit/kpi"
)

// maxListed caps the bad rows or changes a command prints.
const maxListed = 50

type importFlags struct {
	dbFlags
	format, plan, actor, reason string
	dryRun, keepGood, progress  bool
	keepUnbalanced              bool
	batch                       int
}

func runImport(ctx context.Context, e *env, args []string) error {
	var f importFlags
	fs := newFlags(e, "import", "KIND FILE [flags]", `Import FILE into the database. KIND is one of:
  units     the org (replaces it)            plans     plans in the long form (new plans)
  facts     actuals, streamed in batches     deals     deals with their stage transitions
  workbook  an edited .xlsx of a stored plan (see goalkit export workbook): previews the
            changed targets and the parents out of balance, then saves the edit
CSV and JSON columns are those of package exchange (see its documentation). By default a file
with a bad row imports nothing and every bad row is listed (exit code 3); --keep-good imports
the good rows instead.`)
	f.register(fs)
	f.importFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("import needs KIND and FILE, e.g. goalkit import facts facts.csv; got %q", pos)
	}
	kind, path := pos[0], pos[1]
	if kind == "workbook" && f.plan == "" {
		return usagef("import workbook needs --plan, the ID of the plan the workbook was exported from")
	}
	format, err := formatOf(f.format, path)
	if err != nil {
		return err
	}
	load, ok := importers[kind]
	if !ok && kind != "workbook" {
		return usagef("unknown KIND %q; use units, plans, facts, deals or workbook", kind)
	}
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%w; check the path", err)
	}
	defer file.Close()
	eng, db, err := f.openEngine(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if kind == "workbook" {
		return f.importWorkbook(ctx, e, eng, file, path)
	}
	if err := f.importFile(ctx, e, eng, file, path, format, load); err != nil || kind != "facts" || f.dryRun {
		return err
	}
	// Statistics for the planner of the tables a load fills, as after any
	// bulk load (sqlstore.Store.Analyze).
	if a, ok := eng.Store().(interface{ Analyze(context.Context) error }); ok {
		if err := a.Analyze(ctx); err != nil {
			return fmt.Errorf("the facts are imported, but refreshing the database's statistics failed (reads may be slow until autovacuum or an ANALYZE of the facts tables does it): %w", err)
		}
	}
	return nil
}

func (f *importFlags) importFlags(fs *flag.FlagSet) {
	fs.StringVar(&f.format, "format", "", "csv or json (default: from the file's extension)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "read and check everything, save nothing")
	fs.BoolVar(&f.keepGood, "keep-good", false, "import the good rows and list the bad ones, instead of importing nothing")
	fs.IntVar(&f.batch, "batch", 0, "facts or deals a transaction (default 10,000)")
	fs.BoolVar(&f.progress, "progress", false, "draw a progress bar on stderr even when it is not a terminal")
	fs.StringVar(&f.plan, "plan", "", "workbook: the ID of the plan the workbook holds")
	fs.BoolVar(&f.keepUnbalanced, "keep-unbalanced", false, "workbook: save an edit that leaves parents whose children no longer sum to them")
	fs.StringVar(&f.actor, "actor", "goalkit", "who made the change, for the plan's audit")
	fs.StringVar(&f.reason, "reason", "", "why, for the plan's audit")
}

// importers import one kind of file.
var importers = map[string]func(ctx context.Context, e *goalkit.Engine, r io.Reader, f exchange.Format, o *exchange.Options, ch goalkit.Change) (exchange.Result, error){
	"units": func(ctx context.Context, e *goalkit.Engine, r io.Reader, f exchange.Format, o *exchange.Options, _ goalkit.Change) (exchange.Result, error) {
		return exchange.ImportUnits(ctx, e, r, f, o)
	},
	"plans": exchange.ImportPlans,
	"facts": func(ctx context.Context, e *goalkit.Engine, r io.Reader, f exchange.Format, o *exchange.Options, _ goalkit.Change) (exchange.Result, error) {
		return exchange.ImportFacts(ctx, e, r, f, o)
	},
	"deals": func(ctx context.Context, e *goalkit.Engine, r io.Reader, f exchange.Format, o *exchange.Options, _ goalkit.Change) (exchange.Result, error) {
		return exchange.ImportDeals(ctx, e, r, f, o)
	},
}

func formatOf(flagValue, path string) (exchange.Format, error) {
	switch strings.ToLower(flagValue) {
	case "csv":
		return exchange.CSV, nil
	case "json":
		return exchange.JSON, nil
	case "":
		switch strings.ToLower(filepath.Ext(path)) {
		case ".json", ".jsonl", ".ndjson":
			return exchange.JSON, nil
		}
		return exchange.CSV, nil
	}
	return 0, usagef("--format %q is unknown; use csv or json", flagValue)
}

func (f *importFlags) importFile(ctx context.Context, e *env, eng *goalkit.Engine, file *os.File, path string, format exchange.Format,
	load func(context.Context, *goalkit.Engine, io.Reader, exchange.Format, *exchange.Options, goalkit.Change) (exchange.Result, error)) error {
	cf := &countingFile{File: file}
	o := &exchange.Options{File: path, DryRun: f.dryRun, BatchSize: f.batch}
	if f.keepGood {
		o.Mode = kpi.KeepGood
	}
	if f.progress || isTerminal(e.stderr) {
		size := int64(0)
		if st, err := file.Stat(); err == nil {
			size = st.Size()
		}
		b := &bar{w: e.stderr, name: filepath.Base(path), file: cf, size: size}
		o.Progress = b.update
		defer b.finish()
	}
	start := time.Now()
	res, err := load(ctx, eng, cf, format, o, goalkit.Change{Actor: f.actor, Reason: f.reason})
	if ie, ok := errors.AsType[*exchange.ImportError](err); ok {
		listRows(e.stderr, ie.Rows, ie.Bad)
		return fmt.Errorf("%d bad row(s) in %s, nothing imported; fix them (or use --keep-good) and import again: %w", ie.Bad, path, exchange.ErrInvalid)
	}
	if err != nil {
		return err
	}
	listRows(e.stderr, res.Rejected, len(res.Rejected))
	verb := "imported"
	if f.dryRun {
		verb = "would import (dry run)"
	}
	fmt.Fprintf(e.stdout, "%s: %s rows, %s %s, %s unchanged, %s rejected in %s\n", path, thousands(int64(res.Rows)), verb,
		thousands(int64(res.Imported)), thousands(int64(res.Unchanged)), thousands(int64(len(res.Rejected))), elapsed(time.Since(start)))
	return nil
}

// listRows prints the first bad rows, one a line.
func listRows(w io.Writer, rows []exchange.RowError, bad int) {
	for i, r := range rows {
		if i == maxListed {
			fmt.Fprintf(w, "... and %d more bad rows\n", bad-maxListed)
			return
		}
		fmt.Fprintln(w, r.Error())
	}
}

func (f *importFlags) importWorkbook(ctx context.Context, e *env, eng *goalkit.Engine, file *os.File, path string) error {
	ed, err := xlsx.Import(ctx, eng, file, f.plan, &xlsx.Options{File: path, DryRun: f.dryRun, KeepUnbalanced: f.keepUnbalanced,
		Change: goalkit.Change{Actor: f.actor, Reason: f.reason}})
	if we, ok := errors.AsType[*xlsx.WorkbookError](err); ok {
		for i, c := range we.Cells {
			if i == maxListed {
				fmt.Fprintf(e.stderr, "... and %d more bad cells\n", we.Bad-maxListed)
				break
			}
			fmt.Fprintln(e.stderr, c.Error())
		}
		return fmt.Errorf("%d bad cell(s) in %s, nothing saved; fix them and import again: %w", we.Bad, path, exchange.ErrInvalid)
	}
	if ed.Plan == nil {
		return err
	}
	places := ed.Plan.Metric.Places
	fmt.Fprintf(e.stdout, "%d changed target(s)\n", len(ed.Changes))
	for i, c := range ed.Changes {
		if i == maxListed {
			fmt.Fprintf(e.stdout, "  ... and %d more\n", len(ed.Changes)-maxListed)
			break
		}
		fmt.Fprintf(e.stdout, "  %-30s %16s → %16s  (%s)\n", c.Goal, c.Before.StringFixed(places), c.After.StringFixed(places), signed(c.Delta.StringFixed(places)))
	}
	fmt.Fprintf(e.stdout, "%d parent(s) out of balance\n", len(ed.Unbalanced))
	for i, d := range ed.Unbalanced {
		if i == maxListed {
			fmt.Fprintf(e.stdout, "  ... and %d more\n", len(ed.Unbalanced)-maxListed)
			break
		}
		fmt.Fprintf(e.stdout, "  %-30s target %s, children sum to %s (unallocated %s)\n", d.Goal, d.Target.StringFixed(places), d.ChildrenSum.StringFixed(places), d.Unallocated.StringFixed(places))
	}
	switch {
	case err != nil:
		if errors.As(err, new(*xlsx.UnbalancedError)) {
			return fmt.Errorf("nothing saved: the edit leaves parents out of balance; make the children sum to their parents, or pass --keep-unbalanced: %w", exchange.ErrInvalid)
		}
		return err
	case f.dryRun:
		fmt.Fprintln(e.stdout, "dry run: nothing saved")
	case len(ed.Changes) == 0:
		fmt.Fprintln(e.stdout, "nothing to save")
	default:
		fmt.Fprintf(e.stdout, "saved plan %s as version %d\n", ed.Plan.ID, ed.Plan.Version)
	}
	return nil
}

func signed(s string) string {
	if strings.HasPrefix(s, "-") {
		return s
	}
	return "+" + s
}
