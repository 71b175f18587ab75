package kpi

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// randomMinorFacts mixes good facts with every kind of bad one, keys that
// repeat (duplicates and conflicts) and values at the int64 edges.
func randomMinorFacts(rng *rand.Rand, n int) []MinorFact {
	start := d(2026, 1, 1)
	values := []int64{0, 1, -1, 150, -250, math.MaxInt64, math.MinInt64, math.MinInt64 + 1, 1e18, -1e18, math.MaxInt64 / 2}
	metrics := []string{"revenue", "calls", "cost", "hours", "nope", ""}
	out := make([]MinorFact, n)
	for i := range out {
		f := MinorFact{
			Key:    fmt.Sprint("k", rng.IntN(n*2/3)),
			Metric: metrics[rng.IntN(len(metrics))],
			Unit:   testUnits[rng.IntN(len(testUnits))].ID,
			Date:   start + date.Date(rng.IntN(367)-1),
			Minor:  rng.Int64N(100_000) - 20_000,
		}
		switch rng.IntN(12) {
		case 0:
			f.Key = ""
		case 1:
			f.Key = string(make([]byte, MaxKeyLen+1+rng.IntN(2)-1))
		case 2:
			f.Unit = "nobody"
		case 3:
			f.Minor = values[rng.IntN(len(values))]
		}
		out[i] = f
	}
	return out
}

func TestIngestMinorIsIngestBatchOfTheFacts(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, 5))
		facts := randomMinorFacts(rng, 300)
		a, b := newTestLedger(t), newTestLedger(t)
		var equiv []Fact
		for _, f := range facts {
			var places int32
			if m, ok := a.Metric(f.Metric); ok {
				places = m.Places
			}
			equiv = append(equiv, f.Fact(places))
		}
		for _, mode := range []BatchMode{AllOrNothing, KeepGood} {
			// In halves, so that the second half meets keys of the first.
			for _, r := range [][2]int{{0, 150}, {150, 300}} {
				ra, ea := a.IngestMinor(facts[r[0]:r[1]], mode)
				rb, eb := b.IngestBatch(equiv[r[0]:r[1]], mode)
				require.Equal(t, fmt.Sprint(eb), fmt.Sprint(ea), "seed %d", seed)
				require.Equal(t, fmt.Sprint(rb), fmt.Sprint(ra), "seed %d", seed)
			}
			require.Equal(t, snapshot(b), snapshot(a), "seed %d", seed)
			require.Equal(t, b.Len(), a.Len())
		}
	}
}

func TestIngestMinorMeetsFacts(t *testing.T) {
	l := newTestLedger(t)
	day := d(2026, 3, 2)
	_, err := l.Ingest(rev("x", "a", day, "12.34"))
	require.NoError(t, err)
	res, err := l.IngestMinor([]MinorFact{{Key: "x", Metric: "revenue", Unit: "a", Date: day, Minor: 1234}}, AllOrNothing)
	require.NoError(t, err)
	require.Equal(t, BatchResult{Duplicates: 1}, res)
	_, err = l.IngestMinor([]MinorFact{{Key: "x", Metric: "revenue", Unit: "a", Date: day, Minor: 1235}}, AllOrNothing)
	require.ErrorIs(t, err, ErrConflict)
	res, err = l.IngestMinor([]MinorFact{{Key: "y", Metric: "calls", Unit: "b", Date: day, Minor: 3}}, AllOrNothing)
	require.NoError(t, err)
	require.Equal(t, 1, res.Added)
	added, err := l.Ingest(Fact{Key: "y", Metric: "calls", Unit: "b", Date: day, Value: dec("3")})
	require.NoError(t, err)
	require.False(t, added)
	requireDec(t, "12.34", actual(t, l, "revenue", "co", "2026", Subtree))
	requireDec(t, "3", actual(t, l, "calls", "e1", "2026-03", Subtree))
	require.NoError(t, l.Retract("y"))
	requireDec(t, "0", actual(t, l, "calls", "co", "2026", Subtree))
}
