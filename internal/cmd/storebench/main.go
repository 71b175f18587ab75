// Command storebench runs workload W1 of docs BENCHMARKS.md through every
// goalkit store — memory, SQLite and PostgreSQL via sqlstore — side by side
// with the skilled-user SQL on the same databases and the plain-Go limit, in
// one run: I1 (ingest all facts, idempotent by key) and Q1 (all 93,245
// actuals: 1,097 units × 17 periods × 5 metrics). Each figure is measured
// -runs times; it prints the medians and the ratios store ÷ plain SQL and
// store ÷ store. Every store's 93,245 answers are checked exactly against
// the limit's.
//
//	go run ./internal/cmd/storebench                  # 1M facts, 5 runs
//	go run ./internal/cmd/storebench -facts 10000000  # the full W1
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
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/internal/w1"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/sqlstore"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

func main() {
	n := flag.Int("facts", 1_000_000, "number of facts (W1 is 10,000,000)")
	runs := flag.Int("runs", 5, "runs per figure; medians are reported")
	batch := flag.Int("batch", 10_000, "facts per AppendFacts call")
	only := flag.String("stores", "memory,sqlite,postgres", "comma-separated stores to measure")
	dsn := flag.String("dsn", os.Getenv("GOALKIT_POSTGRES_DSN"), "PostgreSQL DSN (default $GOALKIT_POSTGRES_DSN); empty skips PostgreSQL")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
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
	if err := run(*n, *runs, *batch, *only, *dsn); err != nil {
		fmt.Fprintln(os.Stderr, "storebench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
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

func run(n, runs, batch int, only, dsn string) error {
	ctx := context.Background()
	want := map[string]bool{}
	for _, s := range strings.Split(only, ",") {
		want[strings.TrimSpace(s)] = true
	}
	if dsn == "" && want["postgres"] {
		fmt.Println("PostgreSQL: skipped (set -dsn or GOALKIT_POSTGRES_DSN)")
		delete(want, "postgres")
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
				return err
			}
			if err := measure(ctx, t, "memory", s, n, batch, expect); err != nil {
				return err
			}
		}
		if want["sqlite"] {
			if err := runSQLite(ctx, t, n, batch, expect); err != nil {
				return err
			}
		}
		if want["postgres"] {
			if err := runPostgres(ctx, t, dsn, n, batch, expect); err != nil {
				return err
			}
		}
		fmt.Printf("run %d done\n", r+1)
	}
	report(t, n)
	return nil
}

// measure ingests n facts into s, answers Q1 and checks every answer.
func measure(ctx context.Context, t timings, name string, s storage.Store, n, batch int, expect []int64) error {
	if err := s.PutUnits(ctx, w1.OrgUnits()); err != nil {
		return err
	}
	start := time.Now()
	for lo := 0; lo < n; lo += batch {
		facts := make([]kpi.Fact, 0, batch)
		for i := lo; i < min(n, lo+batch); i++ {
			facts = append(facts, fact(i))
		}
		if _, err := s.AppendFacts(ctx, facts); err != nil {
			return fmt.Errorf("%s: ingest: %w", name, err)
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
	return nil
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

func runPostgres(ctx context.Context, t timings, dsn string, n, batch int, expect []int64) error {
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
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "w1"})
	if err != nil {
		return err
	}
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	if err := measure(ctx, t, "postgres", s, n, batch, expect); err != nil {
		return err
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
	for _, f := range []string{"I1", "Q1"} {
		ratio("sqlite "+f, "sqlite plain "+f)
		ratio("postgres "+f, "postgres plain "+f)
		ratio("memory "+f, "limit "+f)
		ratio("sqlite "+f, "memory "+f)
		ratio("postgres "+f, "sqlite "+f)
		ratio("postgres "+f, "memory "+f)
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
