package memory

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"
	"unsafe"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// randomValues are values across the exact int64 path and its decimal
// fallbacks: mixed exponents, negative values, values past 18 digits and
// running totals past an int64.
func randomValues(r *rand.Rand) []func() decimal.Decimal {
	return []func() decimal.Decimal{
		func() decimal.Decimal { return decimal.New(r.Int64N(1_000_000), -2) },
		func() decimal.Decimal { return decimal.New(r.Int64N(2_000_000)-1_000_000, -int32(r.IntN(13))) },
		func() decimal.Decimal { return decimal.New(r.Int64N(9e17)-4e17, int32(r.IntN(3))) },
		func() decimal.Decimal { return decimal.New(r.Int64N(1e17)+1, 3).Add(decimal.New(1, -12)) },
		func() decimal.Decimal {
			return decimal.RequireFromString("123456789012345678901.5").Mul(decimal.New(r.Int64N(3)-1, 0))
		},
	}
}

// TestCellsAdd checks a day's cell against decimal.Add after every step.
func TestCellsAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	values := randomValues(r)
	for round := 0; round < 2000; round++ {
		first := values[r.IntN(len(values))]()
		c := newCells(2, first.Exponent(), 0)
		wantV, wantN := decimal.Zero, decimal.Zero
		for step := range 1 + r.IntN(40) {
			v := values[r.IntN(len(values))]()
			n := decimal.New(r.Int64N(10)+1, -int32(r.IntN(3)))
			if r.IntN(2) == 0 {
				v, n = v.Neg(), n.Neg()
			}
			c.add(1, rollup.Term(v), rollup.Term(n))
			wantV, wantN = wantV.Add(v), wantN.Add(n)
			gotV, gotN := c.day(1)
			if !gotV.Equal(wantV) || !gotN.Equal(wantN) {
				t.Fatalf("round %d step %d: got %s, %s; want %s, %s", round, step, gotV, gotN, wantV, wantN)
			}
			if v0, n0 := c.day(0); !v0.IsZero() || !n0.IsZero() {
				t.Fatalf("round %d step %d: the other day holds %s, %s", round, step, v0, n0)
			}
		}
	}
}

// TestSeriesSums checks range sums against a plain pass over the days,
// across the exact path, its decimal fallbacks and days far outside the
// window.
func TestSeriesSums(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	values := randomValues(r)
	base := date.New(2026, time.January, 1)
	for vi, value := range values {
		for round := 0; round < 20; round++ {
			var s series
			type day struct{ v, n decimal.Decimal }
			want := map[date.Date]day{}
			for range r.IntN(60) {
				d := base + date.Date(r.IntN(800)-200)
				if r.IntN(20) == 0 {
					d = base + date.Date(r.IntN(2_000_000)-1_000_000) // far away
				}
				v, n := value(), decimal.New(r.Int64N(10)+1, -int32(r.IntN(3)))
				s.add(d, rollup.Term(v), rollup.Term(n))
				w := want[d]
				if w.v.Exponent() == 0 && w.v.IsZero() {
					w = day{decimal.Zero, decimal.Zero}
				}
				want[d] = day{w.v.Add(v), w.n.Add(n)}
				// Sum between writes too: the prefix sums are rebuilt.
				if r.IntN(4) == 0 {
					s.sum(base, base+100)
				}
			}
			for range 50 {
				a := base + date.Date(r.IntN(1000)-300)
				b := a + date.Date(r.IntN(1000))
				if r.IntN(10) == 0 {
					a, b = base-1_000_000, base+1_000_000
				}
				wantV, wantN := decimal.Zero, decimal.Zero
				for d, x := range want {
					if d >= a && d < b {
						wantV, wantN = wantV.Add(x.v), wantN.Add(x.n)
					}
				}
				v, n := s.sum(a, b)
				if !v.Equal(wantV) || !n.Equal(wantN) {
					t.Fatalf("values %d: sum over [%s, %s) = %s, %s; want %s, %s", vi, a, b, v, n, wantV, wantN)
				}
			}
		}
	}
}

// movedAt is an org where unit has the ancestors chain from day on.
type movedAt struct {
	*orgIndex
	unit  int32
	day   date.Date
	chain []int32
}

func (m movedAt) Ancestors(u int32, d date.Date) []int32 {
	if u == m.unit && d >= m.day {
		return m.chain
	}
	return m.orgIndex.Ancestors(u, d)
}

// TestMoveSubtree moves team t1 (reps a and b) from region r1 to region r2
// from 1 March on: facts before stay with r1, facts from that day on count
// for r2, the company keeps everything, and counts and split parts move
// with the values.
func TestMoveSubtree(t *testing.T) {
	ctx := context.Background()
	s, err := New(Config{Tenant: "t"})
	require.NoError(t, err)
	require.NoError(t, s.PutUnits(ctx, []goal.Unit{
		{ID: "co"}, {ID: "r1", Parent: "co"}, {ID: "r2", Parent: "co"},
		{ID: "t1", Parent: "r1"}, {ID: "t2", Parent: "r2"},
		{ID: "a", Parent: "t1"}, {ID: "b", Parent: "t1"}, {ID: "c", Parent: "t2"},
	}))
	day := func(m time.Month, d int) date.Date { return date.New(2026, m, d) }
	dec := decimal.RequireFromString
	_, err = s.AppendFacts(ctx, []kpi.Fact{
		{Key: "1", Metric: "revenue", Unit: "a", Date: day(time.February, 10), Value: dec("10.00")},
		{Key: "2", Metric: "revenue", Unit: "b", Date: day(time.March, 1), Value: dec("20.00")},
		{Key: "3", Metric: "revenue", Unit: "t1", Date: day(time.April, 1), Value: dec("40.00")},
		{Key: "4", Metric: "revenue", Date: day(time.May, 1), Value: dec("1.01"),
			Credits: []kpi.Credit{{Unit: "a", Share: dec("0.5")}, {Unit: "c", Share: dec("0.5")}}},
		{Key: "5", Metric: "calls", Unit: "c", Date: day(time.March, 5), Value: dec("1")},
		{Key: "6", Metric: "calls", Unit: "a", Date: day(time.June, 5), Value: dec("1")},
	})
	require.NoError(t, err)

	require.NoError(t, s.InTx(ctx, func(storage.Tx) error {
		d := s.data()
		idx := func(id string) int32 { i, ok := d.names.units.index(id); require.True(t, ok); return i }
		moved := movedAt{d.org, idx("t1"), day(time.March, 1), []int32{idx("r2"), idx("co")}}
		d.totals.moveSubtree(idx("t1"), true, d.org, moved, 1)
		return nil
	}))

	year := func(m time.Month) storage.Query {
		return storage.Query{Metric: "revenue", Subtree: true, Start: day(m, 1), End: day(time.January, 1) + 365}
	}
	cases := []struct {
		unit, metric string
		from         time.Month
		value, count string
	}{
		{"r1", "revenue", time.January, "10", "1"},      // fact 1, before the move
		{"r2", "revenue", time.January, "61.01", "3"},   // 2, 3 and 4: a's part (0.51: the tie goes to a, listed first) and c's 0.50
		{"r2", "revenue", time.March, "61.01", "3"},     // all of it from March on
		{"co", "revenue", time.January, "71.01", "4"},   // unchanged
		{"t1", "revenue", time.January, "70.51", "3.5"}, // the team's own subtree is unchanged
		{"r1", "calls", time.January, "0", "0"},         // fact 6 moved
		{"r2", "calls", time.January, "2", "2"},         // 5 and 6
		{"co", "calls", time.January, "2", "2"},
	}
	for _, c := range cases {
		q := year(c.from)
		q.Unit, q.Metric = c.unit, c.metric
		got, err := s.Sum(ctx, q)
		require.NoError(t, err)
		require.Truef(t, got.Value.Equal(dec(c.value)) && got.Count.Equal(dec(c.count)),
			"%s %s from %s: got %s (%s), want %s (%s)", c.unit, c.metric, c.from, got.Value, got.Count, c.value, c.count)
	}
}

// TestSeriesSumsBound checks the running totals where the magnitudes added
// pass an int64 (so prefix and total check every add) while the totals do
// or do not, against decimal sums over every range.
func TestSeriesSumsBound(t *testing.T) {
	base := date.New(2026, time.January, 1)
	big := int64(9e18)
	for _, vs := range [][]int64{
		{big, -big, big, -big, 5, big / 2},  // magnitudes past int64, totals within
		{big, big / 2, 7, -3, big / 3, big}, // totals past int64 from the second day
		{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},     // small: the unchecked path
	} {
		var s series
		for i, v := range vs {
			s.add(base+date.Date(3*i), rollup.SumOf(v, -2), rollup.SumOf(1, 0))
		}
		for a := 0; a <= 3*len(vs); a++ {
			for b := a; b <= 3*len(vs); b++ {
				wantV, wantN := decimal.Zero, decimal.Zero
				for i, v := range vs {
					if 3*i >= a && 3*i < b {
						wantV, wantN = wantV.Add(decimal.New(v, -2)), wantN.Add(decimal.New(1, 0))
					}
				}
				v, n := s.sum(base+date.Date(a), base+date.Date(b))
				require.True(t, v.Equal(wantV) && n.Equal(wantN), "%v [%d,%d): %s, %s; want %s, %s", vs, a, b, v, n, wantV, wantN)
			}
		}
	}
}

// TestSeriesLayout pins what the series' doc promises: a write's fields in
// its first 64 bytes, 128 bytes a series.
func TestSeriesLayout(t *testing.T) {
	var s series
	require.Equal(t, uintptr(128), unsafe.Sizeof(s))
	require.LessOrEqual(t, unsafe.Offsetof(s.days)+unsafe.Offsetof(s.days.ints)+unsafe.Sizeof(s.days.ints), uintptr(64))
}
