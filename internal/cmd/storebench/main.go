// Command storebench runs the SQL figures of workload W1 (docs
// BENCHMARKS.md) through every goalkit store — memory, SQLite and
// PostgreSQL via sqlstore — side by side with the skilled-user SQL on the
// same databases (PostgreSQL: COPY into a plain table plus its primary key;
// SQLite: prepared multi-row INSERTs in one transaction per batch) and the
// plain-Go limit, in one run: I1 (all facts through Engine.Ingest,
// idempotent by key), Q1 (all 93,245 actuals through the store's SumMany:
// 1,097 units × 17 periods × 5 metrics) and E1 (Engine.Evaluate over E1's
// 93,245 goals as of 2026-09-15, after saving them untimed; it judges the
// 16,455 open that day), E1all (E1 over all 93,245 goals: package
// internal/cmd/e1/sweep) and U1 (-u1 times: append one fact through
// Engine.Ingest, then Engine.StatusesOf the 12 goals it touches; p50 and
// p99). PostgreSQL is measured as a pgx host runs it, loading facts with
// COPY (pgxcopy), and, with -stores pgarrays, without a Copier. Each figure is
// measured -runs times; it prints the medians and the ratios store ÷ plain
// SQL and store ÷ store, and, for several sizes, how each figure grows.
// Every store's 93,245 answers are checked exactly against the limit's.
//
//	go run ./internal/cmd/storebench                            # 1M facts, 5 runs
//	go run ./internal/cmd/storebench -facts 1000000,3000000,10000000 -runs 1
//	go run ./internal/cmd/storebench -stores postgres -e1=false
//
// Beside the plain peers it measures the floors (floor.go): the store's own
// fact rows loaded plainly into copies of its facts table, with its
// primary key only ("keys") and with all its indexes ("floor"), which say
// how much of I1 is the fact row itself. With -stores multi it measures
// I1 through -instances engines at once on one database (multi.go).
//
// PostgreSQL is measured when -dsn or GOALKIT_POSTGRES_DSN is set; each run
// uses a fresh schema, dropped afterwards.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/cmd/e1/sweep"
	"github.com/goalkit/goalkit/internal/cmd/e1/world"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/internal/w1"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/goalkit/goalkit/storage/sqlstore/pgxcopy"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// withE1 says whether to measure E1 (saving 93,245 goals and evaluating).
var withE1 = flag.Bool("e1", true, "also measure E1: save the 93,245 goals and run Engine.Evaluate (and U1)")

// analyze says whether I1 ends with the SQL store's Analyze, as the plain
// PostgreSQL peer's ends with ANALYZE.
var analyze = flag.Bool("analyze", true, "end the SQL stores' I1 with Store.Analyze (as the plain PostgreSQL peer ends with ANALYZE)")

// u1Samples is how many facts U1 appends one at a time.
var u1Samples = flag.Int("u1", 200, "U1 samples (with -e1): facts appended one at a time, each followed by the statuses of the 12 goals it touches; 0 skips U1")

func main() {
	sizes := flag.String("facts", "1000000", "comma-separated numbers of facts, each measured in turn (W1 is 10000000), e.g. 1000000,3000000,10000000")
	runs := flag.Int("runs", 5, "runs per figure; medians are reported")
	batch := flag.Int("batch", 10_000, "facts per Engine.Ingest call")
	only := flag.String("stores", "memory,sqlite,postgres", "comma-separated stores to measure: memory, sqlite, postgres (with pgxcopy's COPY), pgarrays (PostgreSQL without a Copier), multi (-instances PostgreSQL engines at once)")
	dsn := flag.String("dsn", os.Getenv("GOALKIT_POSTGRES_DSN"), "PostgreSQL DSN (default $GOALKIT_POSTGRES_DSN); empty skips PostgreSQL")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	var ns []int
	for _, f := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			fmt.Fprintf(os.Stderr, "storebench: -facts %q: want positive numbers separated by commas\n", *sizes)
			os.Exit(2)
		}
		ns = append(ns, n)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "storebench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	var all []timings
	for _, n := range ns {
		t, err := run(n, *runs, *batch, *only, *dsn)
		if err != nil {
			fmt.Fprintln(os.Stderr, "storebench:", err)
			pprof.StopCPUProfile()
			os.Exit(1)
		}
		all = append(all, t)
	}
	if len(ns) > 1 {
		growth(ns, all)
	}
}

// timings collects durations per figure name.
type timings map[string][]time.Duration

// add records one measurement and prints it, so a long run shows progress.
func (t timings) add(name string, d time.Duration) {
	t[name] = append(t[name], d)
	fmt.Printf("  %-20s %12s\n", name, d.Round(time.Millisecond))
}

func (t timings) median(name string) time.Duration {
	d := slices.Clone(t[name])
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[len(d)/2]
}

func run(n, runs, batch int, only, dsn string) (timings, error) {
	ctx := context.Background()
	want := map[string]bool{}
	for _, s := range strings.Split(only, ",") {
		want[strings.TrimSpace(s)] = true
	}
	if dsn == "" && (want["postgres"] || want["pgarrays"] || want["multi"]) {
		fmt.Println("PostgreSQL: skipped (set -dsn or GOALKIT_POSTGRES_DSN)")
		delete(want, "postgres")
		delete(want, "pgarrays")
		delete(want, "multi")
	}
	fmt.Printf("W1: %d facts, %d runs, batches of %d, GOMAXPROCS %d\n\n", n, runs, batch, runtime.GOMAXPROCS(0))
	arr, _ := limitIngest(n)
	expect, _ := limitQ1(arr)
	t := timings{}
	for r := 0; r < runs; r++ {
		_, d := limitIngest(n)
		t.add("limit I1", d)
		_, d = limitQ1(arr)
		t.add("limit Q1", d)
		if want["memory"] {
			s, err := memory.New(memory.Config{Tenant: "w1"})
			if err != nil {
				return nil, err
			}
			if err := measure(ctx, t, "memory", s, n, batch, expect); err != nil {
				return nil, err
			}
		}
		if want["sqlite"] {
			if err := runSQLite(ctx, t, n, batch, expect); err != nil {
				return nil, err
			}
		}
		if want["postgres"] || want["pgarrays"] || want["multi"] {
			if err := runPostgres(ctx, t, dsn, n, batch, expect, want); err != nil {
				return nil, err
			}
		}
		fmt.Printf("run %d done\n", r+1)
	}
	report(t, n)
	return t, nil
}

// measure ingests n facts into s through Engine.Ingest (I1), answers Q1
// through the store's SumMany and checks every answer, then saves E1's
// plans (not timed) and runs Engine.Evaluate as of E1's day (E1).
func measure(ctx context.Context, t timings, name string, s storage.Store, n, batch int, expect []int64) error {
	e, w, err := newEngine(ctx, s, true)
	if err != nil {
		return err
	}
	start := time.Now()
	err = w.Batches(n, batch, func(facts []kpi.Fact) error {
		_, err := e.Ingest(ctx, facts, kpi.AllOrNothing)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: ingest: %w", name, err)
	}
	if a, ok := s.(interface{ Analyze(context.Context) error }); ok && *analyze {
		if err := a.Analyze(ctx); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	t.add(name+" I1", time.Since(start))
	qs := queries()
	start = time.Now()
	tots, err := s.SumMany(ctx, qs)
	if err != nil {
		return fmt.Errorf("%s: Q1: %w", name, err)
	}
	t.add(name+" Q1", time.Since(start))
	for i, tot := range tots {
		m := i % w1.NumMetrics
		if w := w1.Decimal(m, expect[i]); !w.Equal(tot.Value) {
			return fmt.Errorf("%s: Q1 figure %d (%s %s [%s,%s)) is %s, want %s", name, i, qs[i].Unit, qs[i].Metric, qs[i].Start, qs[i].End, tot.Value, w)
		}
	}
	if n == w1.CheckFacts && w1.Decimal(0, expect[0]).StringFixed(2) != w1.CheckRevenue {
		return fmt.Errorf("FY2026 revenue is %s, want %s", w1.Decimal(0, expect[0]).StringFixed(2), w1.CheckRevenue)
	}
	if !*withE1 {
		return nil
	}
	plans, err := w.Plans(n)
	if err != nil {
		return err
	}
	for _, p := range plans {
		if _, err := e.SavePlan(ctx, p, goalkit.Change{Actor: "storebench", Reason: "benchmark E1", Unbalanced: true}); err != nil {
			return fmt.Errorf("%s: save plan %s: %w", name, p.ID, err)
		}
	}
	start = time.Now()
	if _, err := e.Evaluate(ctx, world.AsOf); err != nil {
		return fmt.Errorf("%s: E1: %w", name, err)
	}
	t.add(name+" E1", time.Since(start))
	if err := e1All(ctx, t, name, e, w, plans); err != nil {
		return err
	}
	return u1(ctx, t, name, e, w, n)
}

// u1 measures U1: append one more fact through Engine.Ingest, then read
// through Engine.StatusesOf the refreshed status of every goal it touches
// (its rep, team, region and company, each for the month, quarter and year
// of its day: 12 goals), -u1 times; it records the median ("U1p50") and the
// 99th percentile ("U1p99") of the wall time of each.
func u1(ctx context.Context, t timings, name string, e *goalkit.Engine, w *world.World, n int) error {
	if *u1Samples <= 0 {
		return nil
	}
	g := world.NewGen()
	for range n {
		g.Next()
	}
	lat := make([]time.Duration, 0, *u1Samples)
	var f kpi.Fact
	for k := range *u1Samples {
		w.Fact(&f, n+k, g.Next())
		start := time.Now()
		if _, err := e.Ingest(ctx, []kpi.Fact{f}, kpi.AllOrNothing); err != nil {
			return fmt.Errorf("%s: U1: %w", name, err)
		}
		var ids []string
		u, _ := w.Org.Index(f.Unit)
		for ; u >= 0; u = w.Org.ParentIndex(u) {
			for _, p := range w.Periods {
				if p.Contains(f.Date) {
					ids = append(ids, goal.GoalID(f.Metric, w.Org.At(u).ID, p))
				}
			}
		}
		if _, err := e.StatusesOf(ctx, "e1-"+f.Metric, ids, world.AsOf); err != nil {
			return fmt.Errorf("%s: U1: %w", name, err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	t.add(name+" U1p50", lat[len(lat)/2])
	t.add(name+" U1p99", lat[len(lat)*99/100])
	return nil
}

// e1All measures E1 over all 93,245 goals (package sweep: every plan's
// statuses, both rules over each): "E1all".
func e1All(ctx context.Context, t timings, name string, e *goalkit.Engine, w *world.World, plans []*goal.Plan) error {
	pace, miss, err := w.Rules()
	if err != nil {
		return err
	}
	start := time.Now()
	r, err := sweep.Run(ctx, e, plans, world.AsOf, pace, miss)
	if err != nil {
		return fmt.Errorf("%s: E1 all goals: %w", name, err)
	}
	t.add(name+" E1all", time.Since(start))
	if r.Goals != len(plans)*len(plans[0].Goals) || r.Started == 0 {
		return fmt.Errorf("%s: E1 all goals swept %d goals (%d started)", name, r.Goals, r.Started)
	}
	return nil
}

// newEngine returns E1's engine over s on the W1 world, and the world;
// with setOrg it also stores W1's org.
func newEngine(ctx context.Context, s storage.Store, setOrg bool) (*goalkit.Engine, *world.World, error) {
	w, err := world.New()
	if err != nil {
		return nil, nil, err
	}
	cfg, err := engineConfig(w)
	if err != nil {
		return nil, nil, err
	}
	e, err := goalkit.New(ctx, s, cfg)
	if err == nil && setOrg {
		err = e.SetOrg(ctx, w.Units)
	}
	return e, w, err
}

// engineConfig is E1's engine configuration on the W1 world.
func engineConfig(w *world.World) (*goalkit.Config, error) {
	pace, miss, err := w.Rules()
	if err != nil {
		return nil, err
	}
	return &goalkit.Config{
		Metrics:  w.Metrics,
		Calendar: w.Cal,
		Now:      func() time.Time { return world.AsOf.MidnightUTC().Add(12 * time.Hour) },
		Rules:    goalkit.Rules{Pace: pace, ProjectedMiss: miss},
	}, nil
}

func runSQLite(ctx context.Context, t timings, n, batch int, expect []int64) error {
	dir, err := os.MkdirTemp("", "storebench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "goalkit.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "w1"})
	if err != nil {
		return err
	}
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	if err := measure(ctx, t, "sqlite", s, n, batch, expect); err != nil {
		return err
	}
	fl, err := floorSQLite(ctx, db, "goalkit_facts", n, batch)
	if err != nil {
		return fmt.Errorf("SQLite floor: %w", err)
	}
	t.add("sqlite floor I1", fl)
	plain, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "plain.db"))
	if err != nil {
		return err
	}
	defer plain.Close()
	i1, q1, rows, err := plainSQLite(ctx, plain, n, batch)
	if err != nil {
		return fmt.Errorf("plain SQLite: %w", err)
	}
	if rows != nonEmpty(expect) {
		return fmt.Errorf("plain SQLite Q1 returned %d rows, want %d", rows, nonEmpty(expect))
	}
	t.add("sqlite plain I1", i1)
	t.add("sqlite plain Q1", q1)
	return nil
}

func runPostgres(ctx context.Context, t timings, dsn string, n, batch int, expect []int64, want map[string]bool) error {
	sdsn, drop, err := sqltest.Schema(ctx, dsn, "storebench_")
	if err != nil {
		return err
	}
	defer drop() //nolint:errcheck
	db, err := sql.Open("pgx", sdsn)
	if err != nil {
		return err
	}
	defer db.Close()
	// postgres: the store as a pgx host runs it, loading facts with COPY;
	// pgarrays: without a Copier, as with any other driver.
	for _, v := range []struct {
		name, prefix string
		copier       sqlstore.Copier
	}{{"postgres", "goalkit_", pgxcopy.Copier{}}, {"pgarrays", "arrays_", nil}} {
		if !want[v.name] {
			continue
		}
		s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "w1", TablePrefix: v.prefix, Copier: v.copier})
		if err != nil {
			return err
		}
		if _, err := s.Migrate(ctx); err != nil {
			return err
		}
		if err := measure(ctx, t, v.name, s, n, batch, expect); err != nil {
			return err
		}
	}
	if want["postgres"] {
		for _, f := range []struct {
			name string
			all  bool
		}{{"postgres keys I1", false}, {"postgres floor I1", true}} {
			d, err := floorPostgres(ctx, sdsn, "goalkit_facts", n, batch, f.all)
			if err != nil {
				return fmt.Errorf("%s: %w", f.name, err)
			}
			t.add(f.name, d)
		}
	}
	if want["multi"] {
		if err := multi(ctx, t, sdsn, n, batch, *instances, expect); err != nil {
			return err
		}
	}
	i1, q1, rows, err := plainPostgres(ctx, sdsn, n)
	if err != nil {
		return fmt.Errorf("plain PostgreSQL: %w", err)
	}
	if rows != nonEmpty(expect) {
		return fmt.Errorf("plain PostgreSQL Q1 returned %d rows, want %d", rows, nonEmpty(expect))
	}
	t.add("postgres plain I1", i1)
	t.add("postgres plain Q1", q1)
	return nil
}

func report(t timings, n int) {
	fmt.Printf("\nmedians (%d facts)\n", n)
	fmt.Printf("%-20s %12s %14s\n", "figure", "median", "facts/s")
	var names []string
	for k := range t {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		m := t.median(k)
		rate := ""
		if strings.HasSuffix(k, "I1") {
			rate = fmt.Sprintf("%.0f", float64(n)/m.Seconds())
		}
		fmt.Printf("%-20s %12s %14s\n", k, m.Round(time.Microsecond), rate)
	}
	ratio := func(a, b string) {
		if t.median(a) > 0 && t.median(b) > 0 {
			fmt.Printf("%-40s %8.2f\n", a+" ÷ "+b, t.median(a).Seconds()/t.median(b).Seconds())
		}
	}
	fmt.Println("\nratios")
	for _, f := range []string{"I1", "Q1", "E1", "E1all", "U1p50", "U1p99"} {
		ratio("sqlite "+f, "sqlite plain "+f)
		ratio("sqlite "+f, "sqlite floor "+f)
		ratio("sqlite floor "+f, "sqlite plain "+f)
		ratio("postgres "+f, "postgres plain "+f)
		ratio("postgres "+f, "postgres floor "+f)
		ratio("postgres floor "+f, "postgres plain "+f)
		ratio("postgres keys "+f, "postgres plain "+f)
		ratio("multi1 "+f, "postgres "+f)
		ratio("multiN "+f, "postgres "+f)
		ratio("pgarrays "+f, "postgres plain "+f)
		ratio("memory "+f, "limit "+f)
		ratio("sqlite "+f, "memory "+f)
		ratio("postgres "+f, "sqlite "+f)
		ratio("postgres "+f, "memory "+f)
	}
}

// growth prints how each figure's median grows with the number of facts:
// its time, and for ingest the time per fact, at each size, and the ratio
// of the last size's cost per fact to the first's (1 is linear).
func growth(ns []int, all []timings) {
	fmt.Printf("\ngrowth with facts (medians)\n%-20s", "figure")
	for _, n := range ns {
		fmt.Printf(" %22d", n)
	}
	fmt.Printf(" %12s\n", "last÷first/fact")
	var names []string
	for k := range all[0] {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		fmt.Printf("%-20s", k)
		for i, n := range ns {
			m := all[i].median(k)
			fmt.Printf(" %10s %8.2fµs/f", m.Round(time.Millisecond), float64(m.Microseconds())/float64(n))
		}
		first := all[0].median(k).Seconds() / float64(ns[0])
		last := all[len(ns)-1].median(k).Seconds() / float64(ns[len(ns)-1])
		fmt.Printf(" %12.2f\n", last/first)
	}
}

// nonEmpty counts the figures with at least one fact: the rows a GROUP BY
// returns (every value is positive, so a zero figure has no fact).
func nonEmpty(expect []int64) int {
	n := 0
	for _, v := range expect {
		if v != 0 {
			n++
		}
	}
	return n
}
