package storagetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Bench runs the shared store benchmarks against stores from open, which
// returns an empty store for the tenant on fresh data: ingest of new and of
// redelivered facts, one subtree Sum, and SumMany of months × units and of
// weeks × units.
func Bench(b *testing.B, open func(b *testing.B, tenant string) storage.Store) {
	ctx := context.Background()
	units := []string{"a", "b", "c", "d"}
	batch := func(from, n int) []kpi.Fact {
		fs := make([]kpi.Fact, n)
		for i := range fs {
			k := from + i
			fs[i] = kpi.Fact{Key: fmt.Sprintf("f%09d", k), Metric: "revenue", Unit: units[k%4],
				Date: day("2026-01-01") + date.Date(k%365), Value: decimal.New(int64(k%100000), -2)}
		}
		return fs
	}
	b.Run("AppendFacts1000", func(b *testing.B) {
		s := open(b, "acme")
		if err := s.PutUnits(ctx, org()); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		next := 0
		for b.Loop() {
			if _, err := s.AppendFacts(ctx, batch(next, 1000)); err != nil {
				b.Fatal(err)
			}
			next += 1000
		}
		b.ReportMetric(float64(next)/b.Elapsed().Seconds(), "facts/s")
	})
	b.Run("AppendFacts1000Redelivered", func(b *testing.B) {
		s := open(b, "acme")
		fs := batch(0, 1000)
		if _, err := s.AppendFacts(ctx, fs); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.AppendFacts(ctx, fs); err != nil {
				b.Fatal(err)
			}
		}
	})
	loaded := func(b *testing.B) storage.Store {
		s := open(b, "acme")
		if err := s.PutUnits(ctx, org()); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < 20; i++ {
			if _, err := s.AppendFacts(ctx, batch(i*1000, 1000)); err != nil {
				b.Fatal(err)
			}
		}
		return s
	}
	b.Run("SumSubtreeYear", func(b *testing.B) {
		s := loaded(b)
		qry := q("revenue", "co", true, "2026-01-01", "2027-01-01")
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Sum(ctx, qry); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("SumManyMonthsUnits", func(b *testing.B) {
		s := loaded(b)
		qs := queries()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.SumMany(ctx, qs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(qs)), "queries/op")
	})
	b.Run("SumManyWeeksUnits", func(b *testing.B) {
		// Ranges that are not whole months: SQL stores read daily rows.
		s := loaded(b)
		var qs []storage.Query
		for _, u := range []string{"co", "r1", "t1", "a", "b"} {
			for w := day("2025-12-29"); w < day("2027-01-04"); w += 7 {
				qs = append(qs, storage.Query{Metric: "revenue", Unit: u, Subtree: true, Start: w, End: w + 7})
			}
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.SumMany(ctx, qs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(qs)), "queries/op")
	})
}
