package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/exchange/xlsx"
	"github.com/goalkit/goalkit/goal"
)

func runExport(ctx context.Context, e *env, args []string) error {
	var d dbFlags
	var out, format, planID string
	fs := newFlags(e, "export", "KIND [flags]", `Export from the database. KIND is one of:
  units     the org                          plan      a plan in the long form (a goal a row)
  wide      a plan as the sheet a manager edits (units down, periods across)
  workbook  a plan as an Excel workbook, a sheet an org level (import it back with
            goalkit import workbook)`)
	d.register(fs)
	fs.StringVar(&out, "o", "", "the file to write (default: standard output); written whole or not at all")
	fs.StringVar(&format, "format", "csv", "units and plan: csv or json")
	fs.StringVar(&planID, "plan", "", "plan, wide and workbook: the plan's ID")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("export needs one KIND (units, plan, wide or workbook); got %q", pos)
	}
	kind := pos[0]
	f, err := formatOf(format, "")
	if err != nil {
		return err
	}
	var write func(*goalkit.Engine, *goal.Plan, io.Writer) error
	switch kind {
	case "units":
		write = func(eng *goalkit.Engine, _ *goal.Plan, w io.Writer) error { return writeUnits(eng, w, f) }
	case "plan":
		write = func(_ *goalkit.Engine, p *goal.Plan, w io.Writer) error {
			gw := exchange.NewGoalWriter(w, f)
			if err := exchange.WritePlan(gw, p); err != nil {
				return err
			}
			return gw.Flush()
		}
	case "wide":
		write = func(eng *goalkit.Engine, p *goal.Plan, w io.Writer) error {
			return exchange.WriteWide(w, p, unitNames(eng.Org()))
		}
	case "workbook":
		write = func(eng *goalkit.Engine, p *goal.Plan, w io.Writer) error { return xlsx.Write(w, p, eng.Org()) }
	default:
		return usagef("unknown KIND %q; use units, plan, wide or workbook", kind)
	}
	if kind != "units" && planID == "" {
		return usagef("export %s needs --plan, the plan's ID", kind)
	}
	eng, db, err := d.openEngine(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	var p *goal.Plan
	if planID != "" {
		if p, err = eng.Plan(ctx, planID); err != nil {
			return fmt.Errorf("%w; check --plan", err)
		}
	}
	return writeOut(out, e.stdout, func(w io.Writer) error { return write(eng, p, w) })
}

func writeUnits(eng *goalkit.Engine, w io.Writer, f exchange.Format) error {
	org := eng.Org()
	if org == nil || org.Len() == 0 {
		return fmt.Errorf("the database has no org yet; import one with goalkit import units org.csv")
	}
	uw := exchange.NewUnitWriter(w, f)
	for _, u := range org.Units() {
		if err := uw.Write(u); err != nil {
			return err
		}
	}
	return uw.Flush()
}

func unitNames(org *goal.Org) func(string) string {
	return func(id string) string {
		if org != nil {
			if u, err := org.Unit(id); err == nil && u.Name != "" {
				return u.Name
			}
		}
		return id
	}
}

// writeOut writes to path through a temporary file renamed into place, so
// the file is whole or untouched; an empty path writes to stdout.
func writeOut(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("%w; check that the directory exists and is writable", err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
