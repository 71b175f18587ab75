package goal

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// w2 is the BENCHMARKS.md W2 workload: 1 company → 8 regions → 64 teams →
// 1,024 reps; FY2026 revenue 30,000,000.00 split by last year's share, then
// each rep's year over months by a seasonal profile and over days by working
// days (Mon–Fri, 10 public holidays).
type w2 struct {
	org  *Org
	cal  *Calendar
	spec Spec
}

func newW2(tb testing.TB, regions int) w2 {
	tb.Helper()
	units := []Unit{{ID: "co", Kind: "company"}}
	history := map[string]decimal.Decimal{}
	rng := rand.New(rand.NewPCG(2026, 2))
	for r := range regions {
		rid := fmt.Sprintf("r%d", r)
		units = append(units, Unit{ID: rid, Parent: "co", Kind: "region"})
		for t := range 8 {
			tid := fmt.Sprintf("%s-t%d", rid, t)
			units = append(units, Unit{ID: tid, Parent: rid, Kind: "team"})
			for p := range 16 {
				pid := fmt.Sprintf("%s-p%02d", tid, p)
				units = append(units, Unit{ID: pid, Parent: tid, Kind: "rep"})
				// Last year's actual: 5,000.00 .. 60,000.00, in cents.
				history[pid] = decimal.New(500_000+rng.Int64N(5_500_001), -2)
			}
		}
	}
	org, err := NewOrg(units)
	if err != nil {
		tb.Fatal(err)
	}
	holidays := []date.Date{
		date.New(2026, time.January, 1), date.New(2026, time.January, 19), date.New(2026, time.February, 16),
		date.New(2026, time.May, 25), date.New(2026, time.June, 19), date.New(2026, time.July, 3),
		date.New(2026, time.September, 7), date.New(2026, time.November, 26), date.New(2026, time.November, 27),
		date.New(2026, time.December, 25),
	}
	cal, err := NewCalendar(&CalendarConfig{Holidays: holidays})
	if err != nil {
		tb.Fatal(err)
	}
	year, err := cal.PeriodOf(Year, date.New(2026, time.January, 1))
	if err != nil {
		tb.Fatal(err)
	}
	profile := Profile{}
	for m, w := range []int64{70, 75, 95, 85, 90, 110, 80, 85, 105, 95, 100, 130} {
		profile[m] = decimal.NewFromInt(w)
	}
	return w2{org: org, cal: cal, spec: Spec{
		PlanID: "FY2026", Metric: Metric{Key: "revenue", Kind: Amount, Currency: "USD", Places: 2},
		Unit: "co", Period: year, Target: decimal.RequireFromString("30000000.00"),
		Units: []UnitRule{{By: HistorySplit, Values: history}},
		Time:  TimeRule{Steps: []Grain{Month, Day}, Basis: ByWorkingDays, Seasonal: &profile},
	}}
}

func TestW2Small(t *testing.T) {
	w := newW2(t, 1)
	p, err := Decompose(w.org, w.cal, w.spec)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(p.Goals), 1+1+8+128+128*(12+365); got != want {
		t.Fatalf("%d goals, want %d", got, want)
	}
	if ds := p.Check(); len(ds) != 0 {
		t.Fatalf("discrepancies: %v", ds[:1])
	}
}

func BenchmarkW2(b *testing.B) {
	w := newW2(b, 8)
	var cells int
	b.ReportAllocs()
	for b.Loop() {
		p, err := Decompose(w.org, w.cal, w.spec)
		if err != nil {
			b.Fatal(err)
		}
		if ds := p.Check(); len(ds) != 0 {
			b.Fatalf("discrepancies: %v", ds[:1])
		}
		cells = 0
		for _, g := range p.Goals {
			if g.Period.Grain == Day {
				cells++
			}
		}
	}
	if cells != 373_760 {
		b.Fatalf("%d rep-day cells, want 373,760", cells)
	}
	b.ReportMetric(float64(cells), "cells")
}

func BenchmarkAllocate365(b *testing.B) {
	shares := make([]Share, 365)
	for i := range shares {
		shares[i] = Share{Weight: decimal.NewFromInt(int64(1 + i%7))}
	}
	a := Allocation{Total: decimal.RequireFromString("29296.88"), Places: 2, Shares: shares}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Allocate(a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAllocateTable fits a 50 × 20 history table to both margins;
// "one-margin" is its peer, each row split by its own history with
// Allocate, which meets the row totals only.
func BenchmarkAllocateTable(b *testing.B) {
	r := rand.New(rand.NewPCG(12, 5))
	n, m := 50, 20
	tb := Table{Places: 2, Rows: make([]decimal.Decimal, n), Cols: make([]decimal.Decimal, m), Seed: make([][]decimal.Decimal, n)}
	rows, cols := make([]int64, n), make([]int64, m)
	for i := range n {
		tb.Seed[i] = make([]decimal.Decimal, m)
		for j := range m {
			tb.Seed[i][j] = decimal.New(1+r.Int64N(1_000_000), -2)
			v := 1 + r.Int64N(10_000_000)
			rows[i] += v
			cols[j] += v
		}
	}
	for i, v := range rows {
		tb.Rows[i] = decimal.New(v, -2)
	}
	for j, v := range cols {
		tb.Cols[j] = decimal.New(v, -2)
	}
	b.Run("two-margins", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := AllocateTable(tb); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("one-margin", func(b *testing.B) {
		shares := make([]Share, m)
		b.ReportAllocs()
		for b.Loop() {
			for i := range n {
				for j := range shares {
					shares[j].Weight = tb.Seed[i][j]
				}
				if _, err := Allocate(Allocation{Total: tb.Rows[i], Places: 2, Shares: shares}); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkTargetOf asks the W2 plan of one region (48,385 goals) for the
// region's March, which no goal stores; "scan" is its peer, a host summing
// the stored rep months itself in one pass over the goals.
func BenchmarkTargetOf(b *testing.B) {
	w := newW2(b, 1)
	p, err := Decompose(w.org, w.cal, w.spec)
	if err != nil {
		b.Fatal(err)
	}
	march, err := w.cal.PeriodOf(Month, date.New(2026, time.March, 1))
	if err != nil {
		b.Fatal(err)
	}
	want, err := p.TargetOf("r0", march, DaySplit{Calendar: w.cal})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("target-of", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.TargetOf("r0", march, DaySplit{Calendar: w.cal}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("scan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sum := decimal.Zero
			for _, g := range p.Goals {
				if g.Period == march {
					sum = sum.Add(g.Target)
				}
			}
			if !sum.Equal(want) {
				b.Fatalf("scan %s, TargetOf %s", sum, want)
			}
		}
	})
}
