// Command e1 runs benchmark E1 of docs BENCHMARKS.md through the Engine on
// the in-memory store: W1's facts ingested (through Engine.Ingest in
// batches, and directly into a store for comparison), one plan per metric
// with a goal for every (unit, period) — 93,245 goals — stored with
// Engine.SavePlan, and Engine.Evaluate as of 2026-09-15 with the pace and
// projected-miss rules. Evaluate counts the goals whose period holds the day
// (FY2026, 2026-Q3 and 2026-09 of every unit and metric: 16,455 of the
// 93,245); the sweep figure reads the status of every goal started by then
// and runs both rules over it.
//
// The all-goals figure is E1 over every one of the 93,245 goals (package
// sweep): every plan handed to Engine.Statuses whole (the 71,305 goals
// started by the day get a status; the 21,940 of Q4 and its months have not
// started and are skipped) and both rules over each status, judged, then
// worded only when active, as Evaluate does on a first evaluation.
//
// Each Evaluate's phases are timed from outside the engine: the store calls
// of each kind, and the engine's own work as the rest. -trace writes a
// runtime/trace of the Evaluate runs whose regions (goalkit: computing
// statuses, rules, lifecycle, ...) split the engine's work further: go tool
// trace, then "User-defined tasks" or "User-defined regions".
//
// Each Evaluate run but the last is rolled back (the store's transaction
// fails on purpose after Evaluate's work is done), so every run is a first
// evaluation with the same work; the last one commits. Figures are medians.
//
//	go run ./internal/cmd/e1                 # 10M facts
//	go run ./internal/cmd/e1 -quick          # 200k facts
//	go run ./internal/cmd/e1 -store postgres -facts 1000000 -direct=false
//
// With -store postgres (or sqlite) the engine's store is sqlstore on a fresh
// PostgreSQL schema at -dsn (default $GOALKIT_POSTGRES_DSN), dropped
// afterwards, or on a SQLite file in a temporary directory; the direct
// ingest for comparison stays on the memory store.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/internal/cmd/e1/sweep"
	"github.com/goalkit/goalkit/internal/cmd/e1/world"
	"github.com/goalkit/goalkit/internal/procstat"
	"github.com/goalkit/goalkit/internal/w1"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func main() {
	var o options
	flag.IntVar(&o.facts, "facts", 10_000_000, "number of W1 facts to generate and ingest")
	quick := flag.Bool("quick", false, "a quick run: 200,000 facts")
	flag.IntVar(&o.batch, "batch", 4096, "facts per Ingest / AppendFacts call")
	flag.IntVar(&o.runs, "runs", 5, "runs of each Evaluate figure")
	flag.IntVar(&o.ingestRuns, "ingest-runs", 1, "runs of each ingest figure")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the Evaluate runs to this file")
	flag.StringVar(&o.sweepProfile, "sweep-cpuprofile", "", "write a CPU profile of the all-goals sweep runs to this file")
	flag.StringVar(&o.trace, "trace", "", "write a runtime/trace of the Evaluate runs to this file (go tool trace)")
	flag.BoolVar(&o.direct, "direct", true, "also ingest directly into a store, for comparison")
	flag.StringVar(&o.store, "store", "memory", "the engine's store: memory, sqlite or postgres")
	flag.StringVar(&o.dsn, "dsn", os.Getenv("GOALKIT_POSTGRES_DSN"), "PostgreSQL DSN for -store postgres (default $GOALKIT_POSTGRES_DSN)")
	flag.Parse()
	if *quick {
		o.facts = 200_000
	}
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "e1:", err)
		os.Exit(1)
	}
}

type options struct {
	facts, batch, runs, ingestRuns int
	cpuprofile, trace, store, dsn  string
	sweepProfile                   string
	direct                         bool
}

// errRollback fails a transaction on purpose once Evaluate's work is done.
var errRollback = errors.New("e1: roll back")

func run(ctx context.Context, o options) error {
	w, err := world.New()
	if err != nil {
		return err
	}
	plans, err := w.Plans(o.facts)
	if err != nil {
		return err
	}
	goals := 0
	for _, p := range plans {
		goals += len(p.Goals)
	}
	pace, miss, err := w.Rules()
	if err != nil {
		return err
	}
	fmt.Printf("E1: %d units, %d facts, %d plans of %d goals, as of %s, GOMAXPROCS %d, %s\n",
		w.Org.Len(), o.facts, len(plans), goals, world.AsOf, runtime.GOMAXPROCS(0), runtime.Version())
	fmt.Printf("rules: pace (revenue dispersion %.0f, counts 1), projected miss (tolerance %s)\n",
		pace["revenue"].Dispersion, miss.Tolerance)
	cfg := &goalkit.Config{
		Metrics:  w.Metrics,
		Calendar: w.Cal,
		Now:      func() time.Time { return world.AsOf.MidnightUTC().Add(12 * time.Hour) },
		Rules:    goalkit.Rules{Pace: pace, ProjectedMiss: miss},
	}

	// Making the facts alone: the host's share of ingest.
	genOnly := measure(o.ingestRuns, func() error {
		return w.Batches(o.facts, o.batch, func([]kpi.Fact) error { return nil })
	})

	// Ingest directly into the store.
	direct := measure(o.ingestRuns*b2i(o.direct), func() error {
		store, err := memory.New(memory.Config{Tenant: "e1"})
		if err != nil {
			return err
		}
		if err := store.PutUnits(ctx, w.Units); err != nil {
			return err
		}
		return w.Batches(o.facts, o.batch, func(facts []kpi.Fact) error {
			_, err := store.AppendFacts(ctx, facts)
			return err
		})
	})

	// Ingest through the engine; the last store is kept.
	var (
		store  storage.Store
		engine *goalkit.Engine
	)
	var closers []func() error
	defer func() {
		for _, c := range closers {
			_ = c()
		}
	}()
	viaEngine := measure(o.ingestRuns, func() error {
		store, engine = nil, nil
		runtime.GC()
		s, closer, err := openStore(ctx, o.store, o.dsn)
		if err != nil {
			return err
		}
		closers = append(closers, closer)
		e, err := goalkit.New(ctx, s, cfg)
		if err != nil {
			return err
		}
		if err := e.SetOrg(ctx, w.Units); err != nil {
			return err
		}
		err = w.Batches(o.facts, o.batch, func(facts []kpi.Fact) error {
			_, err := e.Ingest(ctx, facts, kpi.AllOrNothing)
			return err
		})
		if err != nil {
			return err
		}
		store, engine = s, e
		return nil
	})
	if store == nil {
		return errors.New("no store")
	}
	total, err := store.Sum(ctx, storage.Query{Metric: "revenue", Unit: "company", Subtree: true, Start: w.Year.Start, End: w.Year.End})
	if err != nil {
		return err
	}
	check := "n/a (the check figure is for 10,000,000 facts)"
	if o.facts == w1.CheckFacts {
		check = "FAIL, want " + w1.CheckRevenue
		if total.Value.Equal(decimal.RequireFromString(w1.CheckRevenue)) {
			check = "ok"
		}
	}

	saveStart := time.Now()
	for _, p := range plans {
		if _, err := engine.SavePlan(ctx, p, goalkit.Change{Actor: "e1", Reason: "benchmark E1", Unbalanced: true}); err != nil {
			return err
		}
	}
	save := time.Since(saveStart)

	timed := phases{}
	dry, err := goalkit.New(ctx, &timedStore{Store: store, dry: true, phases: timed}, cfg)
	if err != nil {
		return err
	}
	live, err := goalkit.New(ctx, &timedStore{Store: store, phases: timed}, cfg)
	if err != nil {
		return err
	}
	// The first evaluation after ingest reads every series cold.
	cold, coldPhases, _, err := evaluate(ctx, 1, dry, nil, timed, world.AsOf)
	if err != nil {
		return err
	}

	// The sweep: every goal handed in, a status for each started one and
	// both rules over it.
	var swept sweep.Result
	stopSweepProfile, err := startCPUProfile(o.sweepProfile)
	if err != nil {
		return err
	}
	all, allCPU := measureCPU(o.runs, func() error {
		swept, err = sweep.Run(ctx, engine, plans, world.AsOf, pace, miss)
		return err
	})

	stopSweepProfile()

	statusesOnly, statusesCPU := measureCPU(o.runs, func() error {
		for _, p := range plans {
			if _, err := engine.Statuses(ctx, p.ID, world.AsOf); err != nil {
				return err
			}
		}
		return nil
	})

	for _, rec := range []struct {
		file  string
		start func(io.Writer) error
	}{{o.cpuprofile, pprof.StartCPUProfile}, {o.trace, trace.Start}} {
		if rec.file == "" {
			continue
		}
		f, err := os.Create(rec.file)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := rec.start(f); err != nil {
			return err
		}
	}
	first, firstPhases, ev, err := evaluate(ctx, o.runs, dry, live, timed, world.AsOf)
	if err != nil {
		return err
	}
	next, nextPhases, evNext, err := evaluate(ctx, o.runs, dry, live, timed, world.AsOf+1)
	if err != nil {
		return err
	}
	trace.Stop()
	pprof.StopCPUProfile()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)

	fmt.Printf("check FY2026 company revenue = %s: %s\n", total.Value.StringFixed(2), check)
	fmt.Printf("figures are medians of %d runs (ingest: %d); wall time; process CPU (user+sys) of the whole run %s\n", o.runs, o.ingestRuns, procstat.CPUTime().Round(time.Millisecond))
	fmt.Printf("ingest through Engine.Ingest   %9s  %10.0f facts/s  (batches of %d)\n", viaEngine, rate(o.facts, viaEngine), o.batch)
	if o.direct {
		fmt.Printf("ingest directly (AppendFacts)  %9s  %10.0f facts/s\n", direct, rate(o.facts, direct))
		fmt.Printf("   making the facts alone      %9s  (host side, included in both)\n", genOnly)
		fmt.Printf("   engine ÷ direct: %.2f×\n", viaEngine.Seconds()/direct.Seconds())
	}
	fmt.Printf("saving %d plans (SavePlan)      %9s\n", len(plans), save)
	fmt.Printf("E1 all %d goals: Statuses of every plan + both rules over every status  %s (CPU %s)  (%d started goals get a status, %d active samples; %d not started are skipped)\n",
		swept.Goals, all, allCPU, swept.Started, swept.Active, swept.Goals-swept.Started)
	fmt.Printf("   Statuses alone              %9s (CPU %s)\n", statusesOnly, statusesCPU)
	report := func(name string, d time.Duration, phases map[string]time.Duration, ev goalkit.Evaluation) {
		firing := 0
		for _, in := range ev.States {
			if in.State == alert.StateFiring {
				firing++
			}
		}
		fmt.Printf("%s  %9s (CPU %s)  goals evaluated %d, alert states %d (firing %d), transitions %d, notifications %d\n",
			name, d, phases["cpu"], ev.Goals, len(ev.States), firing, len(ev.StateChanges), len(ev.Notifications))
		for _, ph := range phaseOrder {
			fmt.Printf("   %-38s %9s\n", ph, phases[ph].Round(time.Microsecond))
		}
	}
	report(fmt.Sprintf("E1 Evaluate as of %s, first after ingest (1 run)", world.AsOf), cold, coldPhases, ev)
	report(fmt.Sprintf("E1 Evaluate as of %s", world.AsOf), first, firstPhases, ev)
	report(fmt.Sprintf("   next day %s (alerts live)", world.AsOf+1), next, nextPhases, evNext)
	fmt.Printf("memory: heap in use %d MiB, Go sys %d MiB, VmHWM %s\n", ms.HeapInuse>>20, ms.Sys>>20, procstat.PeakRSS())
	return nil
}

// evaluate runs dry (rolled back) runs-1 times and engine once (committed)
// as of asOf, and returns the median time and phase times (timed: the
// phases both engines' stores record) and the committed evaluation.
func evaluate(ctx context.Context, runs int, dry, engine *goalkit.Engine, timed phases, asOf date.Date) (time.Duration, map[string]time.Duration, goalkit.Evaluation, error) {
	var (
		times  []time.Duration
		phases = map[string][]time.Duration{}
		out    goalkit.Evaluation
	)
	for i := range max(runs, 1) {
		e := dry
		if i == max(runs, 1)-1 && engine != nil {
			e = engine
		}
		clear(timed)
		runtime.GC()
		t0, c0 := time.Now(), procstat.CPUTime()
		ev, err := e.Evaluate(ctx, asOf)
		d, c := time.Since(t0), procstat.CPUTime()-c0
		if err != nil && !errors.Is(err, errRollback) {
			return 0, nil, out, err
		}
		out = ev
		times = append(times, d)
		phases["cpu"] = append(phases["cpu"], c)
		store := time.Duration(0)
		for _, ph := range phaseOrder[:len(phaseOrder)-1] {
			phases[ph] = append(phases[ph], timed[ph])
			store += timed[ph]
		}
		phases[phaseEngine] = append(phases[phaseEngine], d-store)
	}
	med := map[string]time.Duration{}
	for ph, ds := range phases {
		med[ph] = median(ds)
	}
	return median(times), med, out, nil
}

// startCPUProfile starts a CPU profile written to file, and returns the
// function that stops it; with no file it does nothing.
func startCPUProfile(file string) (stop func(), err error) {
	if file == "" {
		return func() {}, nil
	}
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// measure runs fn n times and returns the median wall time (0 for n = 0).
func measure(n int, fn func() error) time.Duration {
	wall, _ := measureCPU(n, fn)
	return wall
}

// measureCPU is measure that also returns the median process CPU time
// (user+sys) of the runs: on a shared machine, what the work itself cost.
func measureCPU(n int, fn func() error) (wall, cpu time.Duration) {
	var ds, cs []time.Duration
	for range n {
		runtime.GC()
		t0, c0 := time.Now(), procstat.CPUTime()
		if err := fn(); err != nil {
			fmt.Fprintln(os.Stderr, "e1:", err)
			os.Exit(1)
		}
		ds, cs = append(ds, time.Since(t0)), append(cs, procstat.CPUTime()-c0)
	}
	return median(ds), median(cs)
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2].Round(time.Millisecond)
}

func rate(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }
