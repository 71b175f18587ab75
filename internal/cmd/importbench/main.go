// Command importbench measures importing facts from CSV through the goalkit
// command (cmd/goalkit, built and run as a process: read, parse, check,
// ingest) against the engine's own Engine.Ingest of the same facts (made in
// memory a batch at a time, no file), on SQLite and PostgreSQL, and prints the medians and the
// ratio command ÷ Engine.Ingest. The facts are W1's (docs BENCHMARKS.md):
// the first -facts of them, over W1's 1,097-unit org.
//
// The command is measured twice: as run by default (all-or-nothing: a
// first pass checks every row, a second ingests) and with --keep-good (one
// pass). Every run uses a fresh database (a SQLite file, or a fresh
// PostgreSQL schema dropped afterwards) and times the import alone; the
// schema and the org are set up untimed.
//
//	go run ./internal/cmd/importbench                    # 1M facts, 3 runs
//	go run ./internal/cmd/importbench -facts 100000 -stores sqlite
//
// PostgreSQL is measured when -dsn or GOALKIT_POSTGRES_DSN is set.
package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/internal/w1"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/goalkit/goalkit/storage/sqlstore/pgxcopy"
	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	_ "modernc.org/sqlite"
)

// variants are what is measured, the engine first: the ratios are to it.
var variants = []string{"Engine.Ingest", "goalkit import", "goalkit import --keep-good"}

func main() {
	n := flag.Int("facts", 1_000_000, "facts to import")
	runs := flag.Int("runs", 3, "runs per figure; medians are reported")
	batch := flag.Int("batch", 10_000, "facts per transaction, for both")
	only := flag.String("stores", "sqlite,postgres", "comma-separated stores to measure")
	dsn := flag.String("dsn", os.Getenv("GOALKIT_POSTGRES_DSN"), "PostgreSQL DSN (default $GOALKIT_POSTGRES_DSN); empty skips PostgreSQL")
	flag.Parse()
	if err := run(context.Background(), *n, *runs, *batch, strings.Split(*only, ","), *dsn); err != nil {
		fmt.Fprintln(os.Stderr, "importbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, n, runs, batch int, stores []string, dsn string) error {
	dir, err := os.MkdirTemp("", "importbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := writeInputs(dir, n); err != nil {
		return err
	}
	bin := filepath.Join(dir, "goalkit")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/goalkit/goalkit/cmd/goalkit").CombinedOutput(); err != nil {
		return fmt.Errorf("build the command: %v\n%s", err, out)
	}
	fmt.Printf("importing %d W1 facts from CSV, batches of %d, %d run(s) a figure, a fresh database each\n", n, batch, runs)
	for _, store := range stores {
		if store == "postgres" && dsn == "" {
			fmt.Println("postgres: skipped (set -dsn or GOALKIT_POSTGRES_DSN)")
			continue
		}
		if store != "sqlite" && store != "postgres" {
			return fmt.Errorf("unknown store %q; use sqlite or postgres", store)
		}
		times := make([][]time.Duration, len(variants))
		for r := range runs {
			for v := range variants {
				d, err := measure(ctx, dir, bin, store, dsn, variants[v], n, batch, r)
				if err != nil {
					return fmt.Errorf("%s %s: %w", store, variants[v], err)
				}
				times[v] = append(times[v], d)
				fmt.Printf("  %s run %d %-27s %8.2fs\n", store, r+1, variants[v], d.Seconds())
			}
		}
		for v := range variants {
			var ratios []float64
			for r := range times[v] {
				ratios = append(ratios, times[v][r].Seconds()/times[0][r].Seconds())
			}
			med := median(times[v])
			fmt.Printf("%-8s %-27s median %7.2fs  %9.0f facts/s  ratio to Engine.Ingest %.2f (median of runs %s)\n",
				store, variants[v], med.Seconds(), float64(n)/med.Seconds(), medianF(ratios), fmtRatios(ratios))
		}
	}
	return nil
}

// fact sets f to W1's fact i.
func fact(f *kpi.Fact, i int) {
	rep, day, m, v := w1.Fact(i)
	*f = kpi.Fact{Key: strconv.Itoa(i), Metric: w1.MetricKeys[m], Unit: w1.RepID(rep), Date: w1.Date(day), Value: w1.Decimal(m, v)}
}

// writeInputs writes the command's config, the org and the first n facts.
func writeInputs(dir string, n int) error {
	cfg, err := json.Marshal(map[string]any{"tenant": "bench", "metrics": w1.Metrics()})
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "goalkit.json"), cfg, 0o644); err != nil {
		return err
	}
	units := w1.OrgUnits()
	if err := writeCSV(filepath.Join(dir, "org.csv"), len(units), func(u *goal.Unit, i int) { *u = units[i] }, exchange.NewUnitWriter); err != nil {
		return err
	}
	return writeCSV(filepath.Join(dir, "facts.csv"), n, fact, exchange.NewFactWriter)
}

// writeCSV writes n records, the i-th made by build.
func writeCSV[T any](path string, n int, build func(*T, int), newWriter func(w io.Writer, f exchange.Format) *exchange.Writer[T]) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := newWriter(bw, exchange.CSV)
	var v T
	for i := range n {
		build(&v, i)
		if err := w.Write(v); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// measure times one import into a fresh database.
func measure(ctx context.Context, dir, bin, store, dsn, variant string, n, batch, r int) (time.Duration, error) {
	flags := []string{"--db", filepath.Join(dir, fmt.Sprintf("run%d.db", r))}
	defer os.Remove(flags[1])
	defer os.Remove(flags[1] + "-wal")
	defer os.Remove(flags[1] + "-shm")
	if store == "postgres" {
		sdsn, drop, err := sqltest.Schema(ctx, dsn, "importbench_")
		if err != nil {
			return 0, err
		}
		defer drop()
		flags = []string{"--dsn", sdsn}
	}
	if variant == variants[0] {
		return ingest(ctx, store, flags[1], n, batch)
	}
	goalkit := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, bin, append(args, flags...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("goalkit %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out), nil
	}
	if _, err := goalkit("migrate"); err != nil {
		return 0, err
	}
	if _, err := goalkit("import", "units", "org.csv"); err != nil {
		return 0, err
	}
	args := []string{"import", "facts", "facts.csv", "--batch", strconv.Itoa(batch)}
	if strings.HasSuffix(variant, "--keep-good") {
		args = append(args, "--keep-good")
	}
	start := time.Now()
	out, err := goalkit(args...)
	d := time.Since(start)
	if err != nil {
		return 0, err
	}
	if want := message.NewPrinter(language.English).Sprintf("imported %d,", n); !strings.Contains(out, want) {
		return 0, fmt.Errorf("the command did not import every fact: %s", out)
	}
	return d, nil
}

// ingest times Engine.Ingest of the first n facts, a batch a call, on a
// fresh store. Each batch is made just before its call into one reused
// buffer (as the command holds one batch at a time), so the baseline does
// not carry a million live facts through every garbage collection.
func ingest(ctx context.Context, store, where string, n, batch int) (time.Duration, error) {
	cfg := sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "bench"}
	driver, dsn := "sqlite", "file:"+where
	if store == "postgres" {
		cfg.Dialect, cfg.Copier, driver, dsn = sqlstore.PostgreSQL, pgxcopy.Copier{}, "pgx", where
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	s, err := sqlstore.New(db, cfg)
	if err != nil {
		return 0, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		return 0, err
	}
	e, err := goalkit.New(ctx, s, &goalkit.Config{Metrics: w1.Metrics()})
	if err != nil {
		return 0, err
	}
	if err := e.SetOrg(ctx, w1.OrgUnits()); err != nil {
		return 0, err
	}
	buf := make([]kpi.Fact, batch)
	start := time.Now()
	inserted := 0
	for i := 0; i < n; i += batch {
		facts := buf[:min(batch, n-i)]
		for j := range facts {
			fact(&facts[j], i+j)
		}
		res, err := e.Ingest(ctx, facts, kpi.AllOrNothing)
		if err != nil {
			return 0, err
		}
		inserted += res.Inserted
	}
	d := time.Since(start)
	if inserted != n {
		return 0, fmt.Errorf("ingested %d facts of %d", inserted, n)
	}
	return d, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func medianF(fs []float64) float64 {
	s := slices.Clone(fs)
	slices.Sort(s)
	return s[len(s)/2]
}

func fmtRatios(fs []float64) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, strconv.FormatFloat(f, 'f', 2, 64))
	}
	return strings.Join(parts, ", ")
}
