package rollup_test

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/orgtest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/rollup"
)

// Over random orgs with effective-dated moves and random facts (some split
// between two units), kpi.Ledger, the memory store and rollup.Org all roll a
// fact up the ancestors its unit had on the fact's day: every unit's own and
// subtree total of every day, of every week and of the whole span is the
// one summed along orgtest.Ancestors, one ParentAt at a time.
func TestLedgerAndStoresRollUpAlike(t *testing.T) {
	ctx := context.Background()
	start := date.New(2026, time.January, 1)
	const days = 42
	end := start + days
	span, err := goal.NewRange(start, end)
	require.NoError(t, err)
	metric := goal.Metric{Key: "rev", Kind: goal.Quantity}
	r := rand.New(rand.NewPCG(10, 2))
	for range 40 {
		units := orgtest.Moved(r, 1+r.IntN(20), start, end)
		org, err := goal.NewOrg(units)
		require.NoError(t, err)
		rorg, err := rollup.NewOrg(units, nil)
		require.NoError(t, err)
		ledger, err := kpi.NewLedger(kpi.LedgerConfig{Org: org, Metrics: []goal.Metric{metric}, Span: span})
		require.NoError(t, err)
		store, err := memory.New(memory.Config{Tenant: "t"})
		require.NoError(t, err)
		require.NoError(t, store.PutUnits(ctx, units))

		// want[scope][unit][day], summed the obvious way.
		own, sub := map[string][]int64{}, map[string][]int64{}
		for _, u := range units {
			own[u.ID], sub[u.ID] = make([]int64, days), make([]int64, days)
		}
		credit := func(unit string, d date.Date, v int64) {
			anc := orgtest.Ancestors(units, unit, d)
			require.Equal(t, anc, rorg.AncestorsAt(unit, d), "%s on %s", unit, d)
			own[unit][d-start] += v
			sub[unit][d-start] += v
			for _, a := range anc {
				sub[a][d-start] += v
			}
		}
		var facts []kpi.Fact
		for k := range 150 {
			f := kpi.Fact{Key: strconv.Itoa(k), Metric: "rev", Date: start + date.Date(r.IntN(days)), Value: decimal.NewFromInt(int64(1 + r.IntN(1000)))}
			a, b := units[r.IntN(len(units))].ID, units[r.IntN(len(units))].ID
			if a == b || r.IntN(3) > 0 {
				f.Unit = a
				credit(a, f.Date, f.Value.IntPart())
			} else {
				half := decimal.RequireFromString("0.5")
				f.Credits = []kpi.Credit{{Unit: a, Share: half}, {Unit: b, Share: half}}
				parts, err := kpi.SplitMinor(f.Value.IntPart(), []uint64{1, 1}, nil)
				require.NoError(t, err)
				credit(a, f.Date, parts[0])
				credit(b, f.Date, parts[1])
			}
			facts = append(facts, f)
		}
		_, err = ledger.IngestBatch(facts, kpi.AllOrNothing)
		require.NoError(t, err)
		_, err = store.AppendFacts(ctx, facts)
		require.NoError(t, err)

		var qs []storage.Query
		var want []int64
		ranges := [][2]int{{0, days}}
		for d := 0; d < days; d++ {
			ranges = append(ranges, [2]int{d, d + 1})
		}
		for d := 0; d < days; d += 7 {
			ranges = append(ranges, [2]int{d, d + 7})
		}
		for _, u := range units {
			for _, subtree := range []bool{false, true} {
				for _, rg := range ranges {
					qs = append(qs, storage.Query{Metric: "rev", Unit: u.ID, Subtree: subtree, Start: start + date.Date(rg[0]), End: start + date.Date(rg[1])})
					series := own[u.ID]
					if subtree {
						series = sub[u.ID]
					}
					var w int64
					for _, v := range series[rg[0]:rg[1]] {
						w += v
					}
					want = append(want, w)
				}
			}
		}
		got, err := store.SumMany(ctx, qs)
		require.NoError(t, err)
		for i, q := range qs {
			scope := kpi.Own
			if q.Subtree {
				scope = kpi.Subtree
			}
			p, err := goal.NewRange(q.Start, q.End)
			require.NoError(t, err)
			fromLedger, err := ledger.Actual("rev", q.Unit, p, scope)
			require.NoError(t, err)
			require.Equal(t, want[i], fromLedger.IntPart(), "ledger: %+v", q)
			require.Equal(t, want[i], got[i].Value.IntPart(), "memory store: %+v", q)
		}
	}
}
