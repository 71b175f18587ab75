// Command w1 runs benchmark workload W1 of docs BENCHMARKS.md against the
// kpi ledger: ingest N generated facts (I1), read all 93,245 actuals (Q1),
// append one fact and read the refreshed status of every goal it touches
// (U1), and the limit — a plain Go loop summing the same values into a flat
// array — measured in the same run, with the ratios goalkit ÷ limit. I1
// times making each batch of facts (the host's work) and ingesting it
// apart; -minor ingests through IngestMinor, as a host holding cents would.
// With -engine (the default) it first measures the host's path on the same
// facts — Engine.Ingest into the memory store and Q1 as one SumMany — and
// prints it beside the ledger with the ratios engine ÷ ledger.
//
//	go run ./internal/cmd/w1 -facts 10000000
package main

import (
	"flag"
	"fmt"
	"github.com/goalkit/goalkit/internal/procstat"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/w1"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

type world struct {
	org     *goal.Org
	cal     *goal.Calendar
	year    goal.Period
	periods []goal.Period // FY, Q1–Q4, M1–M12
}

func newWorld() (*world, error) {
	w := &world{org: w1.Org(), periods: w1.Periods()}
	var err error
	if w.cal, err = goal.NewCalendar(nil); err != nil {
		return nil, err
	}
	w.year = w.periods[0]
	return w, nil
}

func (w *world) ledger(capacity int) (*kpi.Ledger, error) {
	return kpi.NewLedger(kpi.LedgerConfig{Org: w.org, Metrics: w1.Metrics(), Span: w.year, Capacity: capacity})
}

// fact fills f with fact i of the workload.
func fact(f *kpi.Fact, i int) {
	rep, day, m, v := w1.Fact(i)
	*f = kpi.Fact{Key: strconv.Itoa(i), Metric: w1.MetricKeys[m], Unit: w1.RepID(rep), Date: w1.Date(day), Value: w1.Decimal(m, v)}
}

func main() {
	n := flag.Int("facts", 10_000_000, "number of facts to generate and ingest")
	batch := flag.Int("batch", 4096, "facts per IngestBatch call")
	updates := flag.Int("updates", 2000, "U1 samples: facts appended one at a time")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the ingest phase to this file")
	minor := flag.Bool("minor", false, "I1 through IngestMinor, for a host that holds cents (no decimal per fact)")
	engine := flag.Bool("engine", true, "also measure the host's path (Engine.Ingest into the memory store, Q1 through SumMany), first")
	engineProfile := flag.String("engine-cpuprofile", "", "write a CPU profile of the host's path's ingest to this file")
	flag.Parse()
	if err := run(*n, *batch, *updates, *cpuprofile, *engineProfile, *minor, *engine); err != nil {
		fmt.Fprintln(os.Stderr, "w1:", err)
		os.Exit(1)
	}
}

func run(n, batchSize, updates int, cpuprofile, engineProfile string, minor, engine bool) error {
	w, err := newWorld()
	if err != nil {
		return err
	}
	fmt.Printf("W1: %d units, %d facts, %d metrics, %d periods, GOMAXPROCS %d, %s\n",
		w.org.Len(), n, w1.NumMetrics, len(w.periods), runtime.GOMAXPROCS(0), runtime.Version())

	// The limit: a plain loop summing the same values by (rep, day, metric).
	limitStart := now()
	flat := make([]int64, w1.Cells)
	g := w1.NewGen()
	for i := 0; i < n; i++ {
		rep, day, m, v := w1.Draw(g.Next())
		flat[w1.Cell(rep, day, m)] += v
	}
	limitIngest := since(limitStart)

	var host *enginePath
	if engine {
		if host, err = runEngine(w, n, batchSize, engineProfile); err != nil {
			return err
		}
	}

	// I1: ingest, in batches; making each batch's facts (the host's share:
	// key strings and decimals) and ingesting it are timed apart.
	runtime.GC()
	buf := make([]kpi.Fact, batchSize)
	l, err := w.ledger(n)
	if err != nil {
		return err
	}
	if cpuprofile != "" {
		pf, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
	}
	var making, ingest span
	var mbuf []kpi.MinorFact
	if minor {
		mbuf = make([]kpi.MinorFact, batchSize)
	}
	for i := 0; i < n; i += batchSize {
		k := min(batchSize, n-i)
		t0 := now()
		if minor {
			for j := range k {
				rep, day, m, v := w1.Fact(i + j)
				mbuf[j] = kpi.MinorFact{Key: strconv.Itoa(i + j), Metric: w1.MetricKeys[m], Unit: w1.RepID(rep), Date: w1.Date(day), Minor: v}
			}
		} else {
			for j := range k {
				fact(&buf[j], i+j)
			}
		}
		t1 := now()
		var err error
		if minor {
			_, err = l.IngestMinor(mbuf[:k], kpi.AllOrNothing)
		} else {
			_, err = l.IngestBatch(buf[:k], kpi.AllOrNothing)
		}
		if err != nil {
			return err
		}
		t2 := now()
		making, ingest = making.add(t1.sub(t0)), ingest.add(t2.sub(t1))
	}
	pprof.StopCPUProfile()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)

	total, err := l.Actual("revenue", "company", w.year, kpi.Subtree)
	if err != nil {
		return err
	}
	check := "n/a (the check figure is for 10,000,000 facts)"
	if n == w1.CheckFacts {
		check = "FAIL, want " + w1.CheckRevenue
		if total.Equal(decimal.RequireFromString(w1.CheckRevenue)) {
			check = "ok"
		}
	}
	var flatRevenue int64
	for i := 0; i < len(flat); i += w1.NumMetrics {
		flatRevenue += flat[i]
	}
	if !total.Equal(decimal.New(flatRevenue, -2)) {
		return fmt.Errorf("ledger revenue %s differs from the plain loop's %s", total, decimal.New(flatRevenue, -2))
	}
	// Idempotency: the first batch again adds nothing.
	for j := range min(batchSize, n) {
		fact(&buf[j], j)
	}
	if res, err := l.IngestBatch(buf[:min(batchSize, n)], kpi.AllOrNothing); err != nil || res.Added != 0 {
		return fmt.Errorf("re-ingest added %d facts (err %v)", res.Added, err)
	}

	// Q1: every (unit, period, metric) actual; the first pass after ingest
	// also builds the ledger's prefix sums, a second pass reads them.
	q1All := func() (int, error) {
		var figures int
		for u := 0; u < w.org.Len(); u++ {
			id := w.org.At(u).ID
			for _, p := range w.periods {
				for _, m := range w1.MetricKeys {
					if _, err := l.Actual(m, id, p, kpi.Subtree); err != nil {
						return 0, err
					}
					figures++
				}
			}
		}
		return figures, nil
	}
	runtime.GC() // as before the host's path's Q1
	q1Start := now()
	figures, err := q1All()
	if err != nil {
		return err
	}
	q1 := since(q1Start)
	q1Start = now()
	if _, err := q1All(); err != nil {
		return err
	}
	q1Again := since(q1Start)
	// The same figures from the flat array by plain loops.
	limitQ1Start := now()
	limitFigures := limitQ1(w, flat)
	limitQ1 := since(limitQ1Start)
	if limitFigures != figures {
		return fmt.Errorf("limit Q1 produced %d figures, goalkit %d", limitFigures, figures)
	}
	// Spot-check Q1 against the flat array: every rep's revenue per month.
	for r := 0; r < w1.Reps; r += 97 {
		for _, p := range w.periods[5:] {
			var want int64
			for d := int(p.Start - w1.Start); d < int(p.End-w1.Start); d++ {
				want += flat[w1.Cell(r, d, 0)]
			}
			got, _ := l.Actual("revenue", w1.RepID(r), p, kpi.Subtree)
			if !got.Equal(decimal.New(want, -2)) {
				return fmt.Errorf("rep %d %s: ledger %s, plain loop %s", r, p.Label, got, decimal.New(want, -2))
			}
		}
	}

	// U1: append one fact, then read the status of the 16 goals it touches.
	lat := make([]time.Duration, 0, updates)
	target := decimal.RequireFromString("1000000.00")
	asOf := date.New(2026, time.September, 15)
	var f kpi.Fact
	for k := 0; k < updates; k++ {
		fact(&f, n+k)
		t0 := time.Now()
		if _, err := l.Ingest(f); err != nil {
			return err
		}
		rep, _ := w.org.Index(f.Unit)
		for u := rep; u >= 0; u = w.org.ParentIndex(u) {
			for _, gr := range []goal.Grain{goal.Day, goal.Month, goal.Quarter, goal.Year} {
				p, _ := w.cal.PeriodOf(gr, f.Date)
				gl := goal.Goal{ID: "g", Metric: f.Metric, Unit: w.org.At(u).ID, Period: p, Target: target}
				if f.Metric != "revenue" {
					gl.Target = decimal.NewFromInt(1000)
				}
				if _, err := l.Status(gl, asOf, kpi.Pace{}); err != nil {
					return err
				}
			}
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
	hwm := procstat.PeakRSS()

	fmt.Printf("check FY2026 company revenue = %s: %s\n", total.StringFixed(2), check)
	fmt.Println("times are wall / CPU (user+sys of the process, which the machine's other load does not inflate)")
	total1 := making.add(ingest)
	api, made := "IngestBatch", "key strings, decimals"
	if minor {
		api, made = "IngestMinor", "key strings"
	}
	fmt.Printf("I1 ingest      %s  %s facts/s  (%s calls only)\n", ingest, ingest.rate(n), api)
	fmt.Printf("   making the facts (host side: %s) %s\n", made, making)
	fmt.Printf("   both        %s  %s facts/s\n", total1, total1.rate(n))
	fmt.Printf("   limit       %s  %s facts/s  (plain loop into a flat int64 array)\n", limitIngest, limitIngest.rate(n))
	fmt.Printf("   ratio goalkit ÷ limit: ingest %s; with making the facts %s\n", ingest.ratio(limitIngest), total1.ratio(limitIngest))
	fmt.Printf("Q1 actuals     %s  for %d figures, the first pass after ingest\n", q1, figures)
	fmt.Printf("   again       %s\n", q1Again)
	fmt.Printf("   limit       %s  (plain loops over the flat array, rolled up)\n", limitQ1)
	fmt.Printf("   ratio goalkit ÷ limit: first %s; again %s\n", q1.ratio(limitQ1), q1Again.ratio(limitQ1))
	fmt.Printf("U1 update      p50 %v  p99 %v  (wall; append 1 fact + 16 goal statuses, %d samples)\n", p50, p99, len(lat))
	fmt.Printf("memory         heap in use %d MiB, Go sys %d MiB, VmHWM %s; flat limit array %d MiB\n",
		ms.HeapInuse>>20, ms.Sys>>20, hwm, len(flat)*8>>20)
	if host != nil {
		host.report(n, ingest, q1, q1Again)
	}
	return nil
}

// limitQ1 computes the 93,245 figures from the flat (rep, day, metric)
// array: rep × period sums, then teams, regions and the company by adding
// up children.
func limitQ1(w *world, flat []int64) int {
	np := len(w.periods)
	const reps, metrics = w1.Reps, w1.NumMetrics
	repSums := make([]int64, reps*np*metrics)
	for r := 0; r < reps; r++ {
		for pi, p := range w.periods {
			a, b := int(p.Start-w1.Start), int(p.End-w1.Start)
			out := repSums[(r*np+pi)*metrics : (r*np+pi+1)*metrics]
			for d := a; d < b; d++ {
				cell := flat[w1.Cell(r, d, 0):w1.Cell(r, d+1, 0)]
				for m := range out {
					out[m] += cell[m]
				}
			}
		}
	}
	teams := make([]int64, 64*np*metrics)
	for r := 0; r < reps; r++ {
		for i := 0; i < np*metrics; i++ {
			teams[(r/16)*np*metrics+i] += repSums[r*np*metrics+i]
		}
	}
	regions := make([]int64, 8*np*metrics)
	for t := 0; t < 64; t++ {
		for i := 0; i < np*metrics; i++ {
			regions[(t/8)*np*metrics+i] += teams[t*np*metrics+i]
		}
	}
	company := make([]int64, np*metrics)
	for r := 0; r < 8; r++ {
		for i := range company {
			company[i] += regions[r*np*metrics+i]
		}
	}
	return len(repSums) + len(teams) + len(regions) + len(company)
}

// span is a wall-clock and a CPU-time duration.
type span struct{ wall, cpu time.Duration }

func now() span { return span{wall: time.Duration(time.Now().UnixNano()), cpu: procstat.CPUTime()} }

func since(s span) span {
	n := now()
	return span{wall: n.wall - s.wall, cpu: n.cpu - s.cpu}
}

func (s span) String() string {
	return fmt.Sprintf("%8.3f s / %8.3f s", s.wall.Seconds(), s.cpu.Seconds())
}

func (s span) sub(t span) span { return span{s.wall - t.wall, s.cpu - t.cpu} }

func (s span) add(t span) span { return span{s.wall + t.wall, s.cpu + t.cpu} }

func (s span) rate(n int) string {
	return fmt.Sprintf("%10.0f / %10.0f", float64(n)/s.wall.Seconds(), float64(n)/s.cpu.Seconds())
}

func (s span) ratio(t span) string {
	return fmt.Sprintf("%.1f× wall, %.1f× CPU", s.wall.Seconds()/t.wall.Seconds(), s.cpu.Seconds()/t.cpu.Seconds())
}
