// Command erp-sync is what an ERP integration job does with goalkit: it
// writes the files an ERP would export (the org, a year's revenue plan and a
// year of invoices, as CSV), loads them into an engine with progress, and
// exports the status of every unit for every month as CSV.
//
//	go run ./examples/erp-sync            # files in a temporary directory
//	go run ./examples/erp-sync -dir out   # keep them in out/
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func main() {
	dir := flag.String("dir", "", "where to write the files (default: a temporary directory, removed at the end)")
	flag.Parse()
	if *dir == "" {
		tmp, err := os.MkdirTemp("", "erp-sync")
		if err != nil {
			fmt.Fprintln(os.Stderr, "erp-sync:", err)
			os.Exit(1)
		}
		defer os.RemoveAll(tmp)
		*dir = tmp
	}
	if err := run(context.Background(), *dir, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "erp-sync:", err)
		os.Exit(1)
	}
}

var (
	revenue = goal.Metric{Key: "revenue", Name: "合同金额", Kind: goal.Amount, Currency: "CNY", Places: 2}
	org     = []goal.Unit{
		{ID: "acme", Kind: "company", Name: "Acme"},
		{ID: "north", Parent: "acme", Kind: "region", Name: "North"},
		{ID: "south", Parent: "acme", Kind: "region", Name: "South"},
		{ID: "li", Parent: "north", Kind: "rep", Name: "Li"},
		{ID: "wang", Parent: "north", Kind: "rep", Name: "Wang"},
		{ID: "zhao", Parent: "south", Kind: "rep", Name: "Zhao"},
		{ID: "chen", Parent: "south", Kind: "rep", Name: "Chen"},
	}
	reps = []string{"li", "wang", "zhao", "chen"}
	year = date.New(2026, time.January, 1)
)

func run(ctx context.Context, dir string, w io.Writer) error {
	if err := writeFiles(dir); err != nil {
		return err
	}
	store, err := memory.New(memory.Config{Tenant: "acme"})
	if err != nil {
		return err
	}
	engine, err := goalkit.New(ctx, store, &goalkit.Config{Metrics: []goal.Metric{revenue}})
	if err != nil {
		return err
	}
	// The job's clock is fixed so the output is the same on every run.
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	elapsed := func() time.Time { clock = clock.Add(time.Millisecond); return clock }
	progress := func(name string) *exchange.Options {
		return &exchange.Options{File: name, BatchSize: 500, Now: elapsed, Progress: func(p exchange.Progress) {
			fmt.Fprintf(w, "  %-10s %5d rows %5d stored\n", name, p.Rows, p.Facts)
		}}
	}
	steps := []struct {
		name string
		load func(*os.File, *exchange.Options) (exchange.Result, error)
	}{
		{"org.csv", func(f *os.File, o *exchange.Options) (exchange.Result, error) {
			return exchange.ImportUnits(ctx, engine, f, exchange.CSV, o)
		}},
		{"plan.csv", func(f *os.File, o *exchange.Options) (exchange.Result, error) {
			return exchange.ImportPlans(ctx, engine, f, exchange.CSV, o, goalkit.Change{Actor: "erp-sync", Reason: "FY2026 plan from the ERP"})
		}},
		{"facts.csv", func(f *os.File, o *exchange.Options) (exchange.Result, error) {
			return exchange.ImportFacts(ctx, engine, f, exchange.CSV, o)
		}},
	}
	fmt.Fprintln(w, "import")
	for _, s := range steps {
		f, err := os.Open(filepath.Join(dir, s.name))
		if err != nil {
			return err
		}
		_, err = s.load(f, progress(s.name))
		f.Close()
		if err != nil {
			return err
		}
	}

	// Export the status of every unit for every month, as of year end.
	out, err := os.Create(filepath.Join(dir, "status.csv"))
	if err != nil {
		return err
	}
	defer out.Close()
	statuses, err := engine.Statuses(ctx, "revenue-2026", date.New(2026, time.December, 31))
	if err != nil {
		return err
	}
	sw := exchange.NewStatusWriter(out, exchange.CSV)
	months := 0
	for _, s := range statuses {
		if s.Period.Grain != goal.Month {
			continue
		}
		if err := sw.Write(s); err != nil {
			return err
		}
		months++
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "export\n  status.csv %d unit-months\n", months)
	for _, s := range statuses {
		if s.Period.Grain == goal.Year {
			fmt.Fprintf(w, "  %-6s %s  target %14s  actual %14s  %s\n", s.Unit, s.Period.Label,
				s.Target.StringFixed(2), s.Actual.StringFixed(2), pct(s.Attainment))
		}
	}
	return nil
}

// writeFiles writes what the ERP would export: the org, the FY2026 revenue
// plan (12,000,000.00 split evenly over the reps, then over months by
// calendar days) and one invoice a rep a working day.
func writeFiles(dir string) error {
	o, err := goal.NewOrg(org)
	if err != nil {
		return err
	}
	cal, err := goal.NewCalendar(nil)
	if err != nil {
		return err
	}
	fy, err := cal.Parse("2026")
	if err != nil {
		return err
	}
	plan, err := goal.Decompose(o, cal, goal.Spec{PlanID: "revenue-2026", Metric: revenue, Unit: "acme", Period: fy,
		Target: decimal.RequireFromString("12000000.00"), Time: goal.TimeRule{Steps: []goal.Grain{goal.Month}}})
	if err != nil {
		return err
	}
	if err := writeFile(dir, "org.csv", func(f io.Writer) error {
		uw := exchange.NewUnitWriter(f, exchange.CSV)
		for _, u := range org {
			if err := uw.Write(u); err != nil {
				return err
			}
		}
		return uw.Flush()
	}); err != nil {
		return err
	}
	if err := writeFile(dir, "plan.csv", func(f io.Writer) error {
		gw := exchange.NewGoalWriter(f, exchange.CSV)
		if err := exchange.WritePlan(gw, plan); err != nil {
			return err
		}
		return gw.Flush()
	}); err != nil {
		return err
	}
	return writeFile(dir, "facts.csv", func(f io.Writer) error {
		fw := exchange.NewFactWriter(f, exchange.CSV)
		rng := rand.New(rand.NewPCG(2026, 13))
		for d := year; d < fy.End; d++ {
			if !cal.IsWorkingDay(d) {
				continue
			}
			for i, rep := range reps {
				// Reps sell about 11,000 a working day; li and zhao do better.
				cents := 900_000 + int64(i%2)*-200_000 + rng.Int64N(500_000)
				if err := fw.Write(kpi.Fact{Key: fmt.Sprintf("erp:invoice:%s:%s", d, rep), Metric: "revenue", Unit: rep,
					Date: d, Value: decimal.New(cents, -2)}); err != nil {
					return err
				}
			}
		}
		return fw.Flush()
	})
}

func writeFile(dir, name string, write func(io.Writer) error) error {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func pct(d decimal.NullDecimal) string {
	if !d.Valid {
		return "-"
	}
	return d.Decimal.Mul(decimal.NewFromInt(100)).StringFixed(1) + "%"
}
