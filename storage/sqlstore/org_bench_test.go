package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// wideOrg is a company with teams of 1,000 reps: n units in all.
func wideOrg(n int) []goal.Unit {
	units := []goal.Unit{{ID: "co"}}
	for i := 1; len(units) < n; i++ {
		team := fmt.Sprintf("t%d", i)
		units = append(units, goal.Unit{ID: team, Parent: "co"})
		for r := 0; r < 1000 && len(units) < n; r++ {
			units = append(units, goal.Unit{ID: fmt.Sprintf("%s-r%d", team, r), Parent: team})
		}
	}
	return units
}

// BenchmarkSumOrgSize shows Sum independent of the org's size: the same
// subtree query on an org of 10k and of 1M units reads the same rows
// (GOALKIT_BENCH_BIG=1 adds the 1M case: its PutUnits takes a while).
func BenchmarkSumOrgSize(b *testing.B) {
	sizes := []int{10_000}
	if testing.Short() {
		sizes = nil
	} else if big := benchBig(); big {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("units=%d", n), func(b *testing.B) {
			ctx := context.Background()
			s := newStore(b, openSQLite(b), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"})
			require.NoError(b, s.PutUnits(ctx, wideOrg(n)))
			var facts []kpi.Fact
			for d := range 365 {
				facts = append(facts, kpi.Fact{Key: fmt.Sprint(d), Metric: "revenue", Unit: "t1-r1", Date: date.New(2026, 1, 1) + date.Date(d), Value: decimal.NewFromInt(int64(d))})
			}
			_, err := s.AppendFacts(ctx, facts)
			require.NoError(b, err)
			q := storage.Query{Metric: "revenue", Unit: "t1", Subtree: true, Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1)}
			b.ReportAllocs()
			for b.Loop() {
				tot, err := s.Sum(ctx, q)
				if err != nil || !tot.Value.Equal(decimal.NewFromInt(364*365/2)) {
					b.Fatal(tot, err)
				}
			}
		})
	}
}

func benchBig() bool { return os.Getenv("GOALKIT_BENCH_BIG") != "" }

// deepOrg is n units in chains of 65 (the deepest goal.MaxDepth allows)
// under one root.
func deepOrg(n int) []goal.Unit {
	units := []goal.Unit{{ID: "co"}}
	for i := 1; len(units) < n; i++ {
		parent := "co"
		for d := 0; d < goal.MaxDepth && len(units) < n; d++ {
			id := fmt.Sprintf("c%d-%d", i, d)
			units = append(units, goal.Unit{ID: id, Parent: parent})
			parent = id
		}
	}
	return units
}

// BenchmarkPutUnitsDeep stores an org as deep as allowed: its cost grows
// with units × depth, not with the square of the depth's chains (the
// ancestor closure it replaced held every (unit, ancestor) pair).
func BenchmarkPutUnitsDeep(b *testing.B) {
	for _, n := range []int{6_500, 65_000} {
		b.Run(fmt.Sprintf("units=%d", n), func(b *testing.B) {
			ctx := context.Background()
			s := newStore(b, openSQLite(b), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"})
			units := deepOrg(n)
			b.ReportAllocs()
			for b.Loop() {
				require.NoError(b, s.PutUnits(ctx, units))
			}
		})
	}
}
