package memory

import (
	"context"
	"strconv"
	"testing"

	"github.com/goalkit/goalkit/internal/w1"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
)

// BenchmarkQ1W1 answers W1's Q1 (every unit × FY, quarters, months × metric
// as one SumMany) over 200k W1 facts: "first" as the first query after a
// write (every series' running totals rebuilt), "again" with them built,
// "fresh" as the first query on a store just loaded (the running totals
// made for the first time; loading is not timed).
func BenchmarkQ1W1(b *testing.B) {
	const n, batch = 200_000, 4096
	ctx := context.Background()
	units := w1.OrgUnits()
	facts := make([]kpi.Fact, n)
	g := w1.NewGen()
	for i := range facts {
		rep, day, m, v := w1.Draw(g.Next())
		facts[i] = kpi.Fact{Key: strconv.Itoa(i), Metric: w1.MetricKeys[m], Unit: w1.RepID(rep), Date: w1.Date(day), Value: w1.Decimal(m, v)}
	}
	load := func() *Store {
		s, err := New(Config{Tenant: "w1"})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.PutUnits(ctx, units); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < n; i += batch {
			if _, err := s.AppendFacts(ctx, facts[i:min(i+batch, n)]); err != nil {
				b.Fatal(err)
			}
		}
		return s
	}
	s := load()
	var qs []storage.Query
	for _, u := range units {
		for _, p := range w1.Periods() {
			for _, m := range w1.MetricKeys {
				qs = append(qs, storage.Query{Metric: m, Unit: u.ID, Subtree: true, Start: p.Start, End: p.End})
			}
		}
	}
	dirty := func() {
		for _, t := range [][][]series{s.b.tenants["w1"].totals.own, s.b.tenants["w1"].totals.tree} {
			for _, ss := range t {
				for i := range ss {
					ss[i].dirty = true
				}
			}
		}
	}
	b.Run("fresh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			s := load()
			b.StartTimer()
			if _, err := s.SumMany(ctx, qs); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, first := range []bool{true, false} {
		name := map[bool]string{true: "first", false: "again"}[first]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if first {
					dirty()
				}
				if _, err := s.SumMany(ctx, qs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
