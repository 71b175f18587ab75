package rollup_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"

	"github.com/goalkit/goalkit/internal/orgtest"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/rollup"
)

// Rolling each own series up on its own (RollUpSeries, in any order, as a
// store does while its rows arrive) answers every query as RollUp does
// once all series are in, and both give the sum along
// orgtest.Ancestors, over random orgs with dated moves.
func TestRollUpSeriesIsRollUp(t *testing.T) {
	start := date.New(2026, time.January, 1)
	const days = 40
	r := rand.New(rand.NewPCG(7, 11))
	for range 30 {
		units := orgtest.Moved(r, 1+r.IntN(15), start, start+days)
		org, err := rollup.NewOrg(units, nil)
		require.NoError(t, err)
		var qs []storage.Query
		subtrees := map[string]bool{}
		for range 40 {
			u := units[r.IntN(len(units))].ID
			lo := start + date.Date(r.IntN(days))
			q := storage.Query{Metric: "rev", Unit: u, Subtree: r.IntN(4) > 0, Start: lo, End: lo + 1 + date.Date(r.IntN(days))}
			subtrees[u] = subtrees[u] || q.Subtree
			qs = append(qs, q)
		}
		bounds := rollup.CutAtMoves(rollup.Bounds(qs), units)
		all, each := rollup.NewSegments(bounds), rollup.NewSegments(bounds)
		var series []rollup.Series
		own := map[string][]int64{}
		for _, u := range units {
			own[u.ID] = make([]int64, len(bounds)-1)
			s := rollup.Series{Scope: rollup.Self, Metric: "rev", Unit: u.ID}
			series = append(series, s)
			for i := range len(bounds) - 1 {
				if r.IntN(3) > 0 {
					own[u.ID][i] = r.Int64N(2000) - 1000
					v, n := rollup.SumOf(own[u.ID][i], 0), rollup.SumOf(1, 0)
					all.Add(s, i, v, n)
					each.Add(s, i, v, n)
				}
			}
		}
		all.RollUp(org, subtrees)
		r.Shuffle(len(series), func(i, j int) { series[i], series[j] = series[j], series[i] })
		for _, s := range series {
			each.RollUpSeries(org, subtrees, s)
		}
		want, got := all.Answer(qs), each.Answer(qs)
		for k, q := range qs {
			var sum int64
			for _, u := range units {
				for i := range len(bounds) - 1 {
					if bounds[i] < q.Start || bounds[i] >= q.End {
						continue
					}
					if u.ID == q.Unit || q.Subtree && slices.Contains(orgtest.Ancestors(units, u.ID, bounds[i]), q.Unit) {
						sum += own[u.ID][i]
					}
				}
			}
			require.Equal(t, sum, want[k].Value.IntPart(), "%+v", q)
			require.True(t, want[k].Value.Equal(got[k].Value), "%+v: %s, want %s", qs[k], got[k].Value, want[k].Value)
			require.True(t, want[k].Count.Equal(got[k].Count), "%+v", qs[k])
		}
	}
}
