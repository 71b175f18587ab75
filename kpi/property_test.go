package kpi

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// randomFacts returns n valid facts over the test org and metrics, with
// split facts, negative amounts and dimensions mixed in, dated in 2026.
func randomFacts(rng *rand.Rand, n int, prefix string) []Fact {
	start := d(2026, 1, 1)
	out := make([]Fact, n)
	for i := range out {
		f := Fact{Key: fmt.Sprintf("%s%d", prefix, i), Date: start + date.Date(rng.IntN(365))}
		switch rng.IntN(3) {
		case 0:
			f.Metric, f.Value = "revenue", decimal.New(rng.Int64N(2_000_000)-200_000, -2)
		case 1:
			f.Metric, f.Value = "calls", decimal.NewFromInt(rng.Int64N(5))
		default:
			f.Metric, f.Value = "hours", decimal.New(rng.Int64N(100), -1)
		}
		if rng.IntN(5) == 0 {
			// Split over 2–4 distinct units with shares in millionths.
			perm := rng.Perm(len(testUnits))[:2+rng.IntN(3)]
			left := int64(shareScale)
			for j, u := range perm {
				s := left
				if j < len(perm)-1 {
					s = 1 + rng.Int64N(left-int64(len(perm)-1-j))
				}
				left -= s
				f.Credits = append(f.Credits, Credit{Unit: testUnits[u].ID, Share: decimal.New(s, -SharePlaces)})
			}
		} else {
			f.Unit = testUnits[rng.IntN(len(testUnits))].ID
		}
		if rng.IntN(4) == 0 {
			f.Dims = map[string]string{"product": fmt.Sprint("p", rng.IntN(3))}
		}
		out[i] = f
	}
	return out
}

// snapshot reads every figure of the ledger the tests compare: for every
// metric, unit and scope, each month, the year and some fixed odd ranges.
func snapshot(l *Ledger) []node {
	ranges := [][2]int{{0, 365}, {0, 1}, {364, 365}, {17, 200}, {59, 60}, {100, 101}}
	for m := 0; m < 12; m++ {
		a := int(date.New(2026, time.Month(m+1), 1) - l.start)
		b := int(date.New(2026, time.Month(m+2), 1) - l.start)
		ranges = append(ranges, [2]int{a, b})
	}
	var out []node
	for m := range l.metrics {
		for u := 0; u < l.nu; u++ {
			for _, sc := range []Scope{Subtree, Own} {
				for _, r := range ranges {
					out = append(out, l.rangeSum(m, u, r[0], r[1], sc))
				}
			}
		}
	}
	return out
}

func ingestAll(t testing.TB, l *Ledger, facts []Fact) {
	t.Helper()
	for _, f := range facts {
		_, err := l.Ingest(f)
		require.NoError(t, err)
	}
}

func TestPropertyOrderDoesNotMatter(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		rng := rand.New(rand.NewPCG(seed, 42))
		facts := randomFacts(rng, 400, "k")
		a := newTestLedger(t)
		ingestAll(t, a, facts)
		// Shuffled, with every fifth fact delivered twice.
		shuffled := slices.Clone(facts)
		for i := 0; i < len(facts); i += 5 {
			shuffled = append(shuffled, facts[i])
		}
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		b := newTestLedger(t)
		res, err := b.IngestBatch(shuffled, AllOrNothing)
		require.NoError(t, err)
		require.Equal(t, len(facts), res.Added)
		require.Equal(t, snapshot(a), snapshot(b), "seed %d", seed)
	}
}

func TestPropertyBatchTwiceChangesNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	facts := randomFacts(rng, 500, "k")
	l := newTestLedger(t)
	_, err := l.IngestBatch(facts, AllOrNothing)
	require.NoError(t, err)
	before := snapshot(l)
	res, err := l.IngestBatch(facts, AllOrNothing)
	require.NoError(t, err)
	require.Zero(t, res.Added)
	require.Equal(t, len(facts), res.Duplicates)
	require.Equal(t, before, snapshot(l))
	require.Equal(t, len(facts), l.Len())
}

func TestPropertyParentIsOwnPlusChildren(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	l := newTestLedger(t)
	ingestAll(t, l, randomFacts(rng, 1000, "k"))
	org := l.org
	for m := range l.metrics {
		for trial := 0; trial < 200; trial++ {
			a := rng.IntN(365)
			b := a + 1 + rng.IntN(365-a)
			for u := 0; u < org.Len(); u++ {
				want := l.rangeSum(m, u, a, b, Own)
				for c := 0; c < org.Len(); c++ {
					if org.ParentIndex(c) == u {
						s := l.rangeSum(m, c, a, b, Subtree)
						want.sum += s.sum
						want.cnt += s.cnt
					}
				}
				require.Equal(t, want, l.rangeSum(m, u, a, b, Subtree), "metric %d unit %s [%d,%d)", m, org.At(u).ID, a, b)
			}
		}
	}
}

func TestPropertyTotalsMatchPlainSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 5))
	facts := randomFacts(rng, 1000, "k")
	l := newTestLedger(t)
	ingestAll(t, l, facts)
	cal := testCal(t)
	for _, metric := range []string{"revenue", "calls", "hours"} {
		for m := 1; m <= 12; m++ {
			p, err := cal.PeriodOf(goal.Month, d(2026, time.Month(m), 1))
			require.NoError(t, err)
			want, n := decimal.Zero, 0
			for _, f := range facts {
				if f.Metric == metric && p.Contains(f.Date) {
					want = want.Add(f.Value)
					n++
				}
			}
			requireDec(t, want.String(), actual(t, l, metric, "co", p.Label, Subtree), metric, p.Label)
			cnt, err := l.Count(metric, "co", p, Subtree)
			require.NoError(t, err)
			requireDec(t, fmt.Sprint(n), cnt)
		}
	}
}

func TestPropertyRetractionRestores(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	l := newTestLedger(t)
	ingestAll(t, l, randomFacts(rng, 300, "base"))
	before := snapshot(l)
	extra := randomFacts(rng, 300, "extra")
	ingestAll(t, l, extra)
	require.NotEqual(t, before, snapshot(l))
	// Replace some of them with other content first, then retract all.
	other := randomFacts(rng, 300, "extra")
	for i := 0; i < len(extra); i += 3 {
		require.NoError(t, l.Replace(other[i]))
	}
	for _, i := range rng.Perm(len(extra)) {
		require.NoError(t, l.Retract(extra[i].Key))
	}
	require.Equal(t, before, snapshot(l))
	require.Equal(t, 300, l.Len())
}

func TestPropertyRejectedBatchRestores(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 1))
	l := newTestLedger(t)
	ingestAll(t, l, randomFacts(rng, 300, "base"))
	before, keys, splits := snapshot(l), l.keys.n, len(l.splits)
	batch := randomFacts(rng, 5000, "new") // enough to grow the key table
	batch[4321].Date = d(2030, 1, 1)
	_, err := l.IngestBatch(batch, AllOrNothing)
	require.ErrorIs(t, err, ErrInvalid)
	require.Equal(t, before, snapshot(l))
	require.Equal(t, keys, l.keys.n)
	require.Len(t, l.splits, splits)
	// Every base key is still found and every new key is free.
	batch[4321].Date = d(2026, 1, 1)
	res, err := l.IngestBatch(batch, AllOrNothing)
	require.NoError(t, err)
	require.Equal(t, len(batch), res.Added)
	for i := 0; i < 300; i++ {
		_, _, found := l.keys.find(fmt.Sprint("base", i), l.keys.hash(fmt.Sprint("base", i)))
		require.True(t, found)
	}
}

func TestPropertySplitIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	for _, f := range randomFacts(rng, 3000, "k") {
		if len(f.Credits) == 0 {
			continue
		}
		l := newTestLedger(t)
		ingestAll(t, l, []Fact{f})
		m := l.metricIdx[f.Metric]
		places := l.metrics[m].Places
		total := decimal.Zero
		for _, c := range f.Credits {
			u, _ := l.org.Index(c.Unit)
			got := fromMinor(l.rangeSum(m, u, 0, 365, Own).sum, places)
			exact := f.Value.Mul(c.Share)
			// Each unit gets its exact share give or take one minor unit.
			require.True(t, exact.Sub(got).Abs().LessThan(decimal.New(1, -places)), "%s: %s of %s is %s", c.Unit, c.Share, f.Value, got)
			total = total.Add(got)
		}
		require.True(t, total.Equal(f.Value), "parts sum to %s, not %s", total, f.Value)
		co := fromMinor(l.rangeSum(m, 0, 0, 365, Subtree).sum, places)
		require.True(t, co.Equal(f.Value))
		require.Equal(t, int64(shareScale), l.rangeSum(m, 0, 0, 365, Subtree).cnt)
	}
}
