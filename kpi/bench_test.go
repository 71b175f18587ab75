package kpi

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/w1"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// W1 of BENCHMARKS.md (package internal/w1) at a smaller scale: the 10M-fact
// run is the command internal/cmd/w1.

const w1Facts = 1_000_000

type w1World struct {
	l       *Ledger
	cal     *goal.Calendar
	periods []goal.Period
	i       int // the next fact
}

func newW1(b testing.TB, facts int) *w1World {
	w := &w1World{cal: testCal(b), periods: w1.Periods()}
	var err error
	w.l, err = NewLedger(LedgerConfig{Org: w1.Org(), Metrics: w1.Metrics(), Span: w1.Span(), Capacity: facts})
	require.NoError(b, err)
	buf := make([]Fact, 4096)
	for w.i < facts {
		k := min(len(buf), facts-w.i)
		for j := range k {
			w.fact(&buf[j])
		}
		_, err := w.l.IngestBatch(buf[:k], AllOrNothing)
		require.NoError(b, err)
	}
	return w
}

// fact fills f with the next fact of the workload.
func (w *w1World) fact(f *Fact) {
	rep, day, m, v := w1.Fact(w.i)
	*f = Fact{Key: strconv.Itoa(w.i), Metric: w1.MetricKeys[m], Unit: w1.RepID(rep), Date: w1.Date(day), Value: w1.Decimal(m, v)}
	w.i++
}

// BenchmarkW1Ingest is I1 per fact, including making the Fact (a key string
// and a decimal: see BenchmarkW1Generate for that share).
func BenchmarkW1Ingest(b *testing.B) {
	w := newW1(b, 0)
	var f Fact
	b.ReportAllocs()
	for b.Loop() {
		w.fact(&f)
		if _, err := w.l.Ingest(f); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "facts/s")
}

// BenchmarkW1IngestBatch is I1 at 1M facts: one op is a fresh ledger
// presized for 1M facts loaded in batches of 4,096 (the facts are made
// beforehand: see BenchmarkW1Generate for that share).
func BenchmarkW1IngestBatch(b *testing.B) {
	benchW1Load(b, false)
}

// BenchmarkW1IngestMinor is BenchmarkW1IngestBatch through IngestMinor.
func BenchmarkW1IngestMinor(b *testing.B) {
	benchW1Load(b, true)
}

// BenchmarkW1IngestMoved is BenchmarkW1IngestBatch on W1's org where every
// other team moved to another region on July 1: half the facts roll up a
// chain chosen by their day (goal.Chains's eras).
func BenchmarkW1IngestMoved(b *testing.B) {
	units := w1.OrgUnits()
	n := 0
	for i, u := range units {
		if u.Kind == "team" && n%2 == 1 {
			units[i].Earlier = []goal.Tenure{{Parent: u.Parent, Until: d(2026, 7, 1)}}
			units[i].Parent = units[1+(n*w1.Regions/w1.Teams+1)%w1.Regions].ID
		}
		if u.Kind == "team" {
			n++
		}
	}
	org, err := goal.NewOrg(units)
	require.NoError(b, err)
	benchW1LoadOn(b, false, org)
}

func benchW1Load(b *testing.B, minor bool) { benchW1LoadOn(b, minor, w1.Org()) }

func benchW1LoadOn(b *testing.B, minor bool, org *goal.Org) {
	const batch = 4096
	w := newW1(b, 0)
	var facts []Fact
	var mfacts []MinorFact
	for range w1Facts {
		if minor {
			rep, day, m, v := w1.Fact(w.i)
			mfacts = append(mfacts, MinorFact{Key: strconv.Itoa(w.i), Metric: w1.MetricKeys[m], Unit: w1.RepID(rep), Date: w1.Date(day), Minor: v})
			w.i++
		} else {
			facts = append(facts, Fact{})
			w.fact(&facts[len(facts)-1])
		}
	}
	cfg := LedgerConfig{Org: org, Metrics: w.l.metrics, Span: w.l.Span(), Capacity: w1Facts}
	b.ReportAllocs()
	for b.Loop() {
		l, err := NewLedger(cfg)
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < w1Facts; i += batch {
			if minor {
				_, err = l.IngestMinor(mfacts[i:min(i+batch, w1Facts)], AllOrNothing)
			} else {
				_, err = l.IngestBatch(facts[i:min(i+batch, w1Facts)], AllOrNothing)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N)*w1Facts/b.Elapsed().Seconds(), "facts/s")
}

// BenchmarkW1Generate is the host's share of BenchmarkW1Ingest: making the
// facts alone.
func BenchmarkW1Generate(b *testing.B) {
	w := newW1(b, 0)
	var f Fact
	b.ReportAllocs()
	for b.Loop() {
		w.fact(&f)
	}
}

// BenchmarkW1Limit is the plain loop: the same values summed by (rep, day,
// metric) into a flat int64 array.
func BenchmarkW1Limit(b *testing.B) {
	flat := make([]int64, w1.Cells)
	g := w1.NewGen()
	b.ReportAllocs()
	for b.Loop() {
		rep, day, m, v := w1.Draw(g.Next())
		flat[w1.Cell(rep, day, m)] += v
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "facts/s")
}

// BenchmarkW1Q1 reads all 93,245 actuals (1,097 units × 17 periods × 5
// metrics) of a ledger holding 1M facts.
func BenchmarkW1Q1(b *testing.B) {
	w := newW1(b, w1Facts)
	units := w.l.Org().Units()
	b.ReportAllocs()
	for b.Loop() {
		for _, u := range units {
			for _, p := range w.periods {
				for _, m := range w1.MetricKeys {
					if _, err := w.l.Actual(m, u.ID, p, Subtree); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	}
}

// BenchmarkW1U1 appends one fact to a ledger of 1M facts and reads the
// status of the 16 goals it touches (rep, team, region, company × day,
// month, quarter, year); it reports the p50 and p99 latency.
func BenchmarkW1U1(b *testing.B) {
	w := newW1(b, w1Facts)
	org := w.l.Org()
	target := decimal.NewFromInt(1_000_000)
	asOf := d(2026, 9, 15)
	var f Fact
	var lat []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		w.fact(&f)
		t0 := time.Now()
		if _, err := w.l.Ingest(f); err != nil {
			b.Fatal(err)
		}
		rep, _ := org.Index(f.Unit)
		for u := rep; u >= 0; u = org.ParentIndex(u) {
			for _, gr := range []goal.Grain{goal.Day, goal.Month, goal.Quarter, goal.Year} {
				p, _ := w.cal.PeriodOf(gr, f.Date)
				g := goal.Goal{ID: "g", Metric: f.Metric, Unit: org.At(u).ID, Period: p, Target: target}
				if _, err := w.l.Status(g, asOf, Pace{}); err != nil {
					b.Fatal(err)
				}
			}
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

func TestW1Check(t *testing.T) {
	// The workload's first 20,000 facts: the ledger agrees with a plain sum.
	w := newW1(t, 20_000)
	var cents int64
	for i := range 20_000 {
		if _, _, m, v := w1.Fact(i); m == 0 {
			cents += v
		}
	}
	requireDec(t, decimal.New(cents, -2).String(), actual(t, w.l, "revenue", "company", "2026", Subtree))
	require.Equal(t, 20_000, w.l.Len())
}
