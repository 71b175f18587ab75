package storage_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func credits(shares ...string) []kpi.Credit {
	out := make([]kpi.Credit, len(shares))
	for i, s := range shares {
		out[i] = kpi.Credit{Unit: fmt.Sprintf("u%d", i), Share: d(s)}
	}
	return out
}

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		name   string
		value  string
		shares []string
		places int32 // 0: storage.Split
		want   []string
	}{
		{"unsplit", "12.34", nil, 0, []string{"12.34"}},
		{"in the value's own places", "100.01", []string{"0.5", "0.5"}, 0, []string{"50.01", "50.00"}},
		{"trailing zeros count", "100.10", []string{"0.5", "0.5"}, 0, []string{"50.05", "50.05"}},
		{"fewer places, coarser steps", "100.1", []string{"0.5", "0.5"}, 0, []string{"50.1", "50.0"}},
		{"whole units", "101", []string{"0.5", "0.5"}, 0, []string{"51", "50"}},
		{"positive exponent", "1e3", []string{"0.333333", "0.333333", "0.333334"}, 0, []string{"333", "333", "334"}},
		{"ties to the earlier credit", "0.01", []string{"0.5", "0.5"}, 0, []string{"0.01", "0.00"}},
		{"in the metric's places", "100.1", []string{"0.5", "0.5"}, 2, []string{"50.05", "50.05"}},
		{"thirds in cents", "100.00", []string{"0.333333", "0.333333", "0.333334"}, 2, []string{"33.33", "33.33", "33.34"}},
		{"largest remainder", "0.10", []string{"0.333333", "0.333333", "0.333334"}, 2, []string{"0.03", "0.03", "0.04"}},
		{"negative", "-100.00", []string{"0.333333", "0.333333", "0.333334"}, 2, []string{"-33.33", "-33.33", "-33.34"}},
		{"ties to the first", "0.01", []string{"0.5", "0.5"}, 2, []string{"0.01", "0.00"}},
		{"12 places", "1.000000000000", []string{"0.333333333333", "0.333333333333", "0.333333333334"}, 0,
			[]string{"0.333333333333", "0.333333333333", "0.333333333334"}},
		{"capped at 12 places", "1.00000000000000", []string{"0.333333333333", "0.333333333333", "0.333333333334"}, 0,
			[]string{"0.333333333333", "0.333333333333", "0.333333333334"}},
		{"more places than the metric's", "0.001", []string{"0.5", "0.5"}, 2, []string{"0.0005", "0.0005"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := kpi.Fact{Key: "k", Metric: "m", Unit: "solo", Value: d(c.value), Credits: credits(c.shares...)}
			split := storage.Split
			if c.places > 0 {
				split = storage.SplitInPlaces(func(string) int32 { return c.places })
			}
			parts, err := split(f)
			require.NoError(t, err)
			require.Len(t, parts, len(c.want))
			for i, w := range c.want {
				require.True(t, d(w).Equal(parts[i].Value), "part %d: want %s, got %s", i, w, parts[i].Value)
				if len(c.shares) > 0 {
					require.Equal(t, fmt.Sprint("u", i), parts[i].Unit)
					require.True(t, d(c.shares[i]).Equal(parts[i].Share))
				}
			}
		})
	}
}

func TestSplitRejects(t *testing.T) {
	for name, cs := range map[string][]kpi.Credit{
		"not one":    credits("0.5", "0.4"),
		"zero share": credits("1", "0"),
		"above one":  credits("1.5", "-0.5"),
		"13 places":  credits("0.5000000000001", "0.4999999999999"),
		"no unit":    {{Share: d("1")}},
		"same unit":  {{Unit: "a", Share: d("0.5")}, {Unit: "a", Share: d("0.5")}},
	} {
		_, err := storage.Split(kpi.Fact{Key: "k", Value: d("1"), Credits: cs})
		require.ErrorIs(t, err, storage.ErrInvalid, name)
	}
	_, err := storage.Split(kpi.Fact{Key: "k", Value: d("0.0000000000001"), Credits: credits("0.5", "0.5")})
	require.ErrorIs(t, err, storage.ErrInvalid, "13 places cannot be split in at most 12")
}

// Property: the parts always sum exactly to the value, each within one step
// of its exact share.
func TestSplitSumsExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := 1 + r.IntN(6)
		left := int64(1_000_000)
		var cs []kpi.Credit
		for i := 0; i < n; i++ {
			s := left
			if i < n-1 {
				s = 1 + r.Int64N(left-int64(n-i-1))
			}
			left -= s
			cs = append(cs, kpi.Credit{Unit: fmt.Sprint(i), Share: decimal.New(s, -6)})
		}
		v := decimal.New(r.Int64N(2_000_000_000)-1_000_000_000, -int32(r.IntN(5)))
		places := int32(r.IntN(4))
		split, step := storage.SplitInPlaces(func(string) int32 { return places }), places
		if !v.Equal(v.Truncate(places)) {
			step = storage.MaxPlaces
		}
		if r.IntN(2) == 0 {
			split, step = storage.Split, -v.Exponent()
		}
		parts, err := split(kpi.Fact{Key: "k", Value: v, Credits: cs})
		require.NoError(t, err)
		sum := decimal.Zero
		for i, p := range parts {
			sum = sum.Add(p.Value)
			require.True(t, p.Value.Sub(v.Mul(cs[i].Share)).Abs().LessThan(decimal.New(1, -step)), "%s × %s → %s", v, cs[i].Share, p.Value)
			require.True(t, p.Value.Equal(p.Value.Truncate(step)), "%s × %s → %s: not in steps of 10^-%d", v, cs[i].Share, p.Value, step)
		}
		require.True(t, v.Equal(sum), "%s split into %v sums to %s", v, parts, sum)
	}
}

// Property: for a fact written with its metric's places, with shares of at
// most kpi.SharePlaces places listed in any order, Split credits every unit
// exactly what kpi.Ledger does, ties included (both split with
// kpi.SplitMinor; before that the ledger gave ties to the unit first in the
// org, and the credits here had to be listed in org order).
func TestSplitAgreesWithTheLedger(t *testing.T) {
	units := []goal.Unit{{ID: "co"}}
	for i := range 6 {
		units = append(units, goal.Unit{ID: fmt.Sprintf("u%d", i), Parent: "co"})
	}
	org, err := goal.NewOrg(units)
	require.NoError(t, err)
	var metrics []goal.Metric
	for p := range int32(5) {
		metrics = append(metrics, goal.Metric{Key: fmt.Sprint("m", p), Kind: goal.Quantity, Places: p})
	}
	start := date.New(2026, time.January, 1)
	span, err := goal.NewRange(start, start+date.Date(3000))
	require.NoError(t, err)
	ledger, err := kpi.NewLedger(kpi.LedgerConfig{Org: org, Metrics: metrics, Span: span})
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(3, 4))
	for k := range 3000 {
		n := 1 + r.IntN(6)
		picked := r.Perm(6)[:n]
		left := int64(1_000_000)
		var cs []kpi.Credit
		for i, u := range picked {
			s := left
			if i < n-1 {
				s = 1 + r.Int64N(left-int64(n-i-1))
				if r.IntN(3) == 0 { // many ties
					s = min(left-int64(n-i-1), 1_000_000/int64(n))
				}
			}
			left -= s
			cs = append(cs, kpi.Credit{Unit: fmt.Sprint("u", u), Share: decimal.New(s, -6)})
		}
		m := metrics[r.IntN(len(metrics))]
		v := decimal.New(r.Int64N(2_000_000)-1_000_000, -m.Places) // exactly the metric's places
		f := kpi.Fact{Key: fmt.Sprint("f", k), Metric: m.Key, Date: start + date.Date(k), Value: v, Credits: cs}
		_, err := ledger.Ingest(f)
		require.NoError(t, err)
		parts, err := storage.Split(f)
		require.NoError(t, err)
		day, err := goal.NewRange(f.Date, f.Date+1)
		require.NoError(t, err)
		for _, p := range parts {
			got, err := ledger.Actual(m.Key, p.Unit, day, kpi.Own)
			require.NoError(t, err)
			require.True(t, got.Equal(p.Value), "%s %v of %s: ledger %s, store %s", f.Key, cs, v, got, p.Value)
		}
	}
}

func ExampleSplitInPlaces() {
	cents := storage.SplitInPlaces(func(metric string) int32 { return 2 })
	parts, _ := cents(kpi.Fact{Key: "deal-7", Metric: "revenue", Value: decimal.RequireFromString("100.00"), Credits: []kpi.Credit{
		{Unit: "ann", Share: decimal.RequireFromString("0.333333")},
		{Unit: "bob", Share: decimal.RequireFromString("0.333333")},
		{Unit: "cho", Share: decimal.RequireFromString("0.333334")},
	}})
	for _, p := range parts {
		fmt.Println(p.Unit, p.Value.StringFixed(2))
	}
	// Output:
	// ann 33.33
	// bob 33.33
	// cho 33.34
}

// A range fact is one part a credit and day: each credit's part spread
// over the days, its share (the fact's count) too, each part on its Day.
func TestSplitRangeFact(t *testing.T) {
	mon := date.New(2026, time.March, 30)
	f := kpi.Fact{Key: "k", Metric: "m", Date: mon, End: mon + 3, Value: d("1.00"), Credits: credits("0.5", "0.5")}
	parts, err := storage.Split(f)
	require.NoError(t, err)
	require.Len(t, parts, 6)
	want := []struct {
		unit         string
		value, share string
		day          date.Date
	}{
		{"u0", "0.17", "0.166667", mon}, {"u0", "0.17", "0.166667", mon + 1}, {"u0", "0.16", "0.166666", mon + 2},
		{"u1", "0.17", "0.166667", mon}, {"u1", "0.17", "0.166667", mon + 1}, {"u1", "0.16", "0.166666", mon + 2},
	}
	for i, w := range want {
		p := parts[i]
		require.Equal(t, w.unit, p.Unit, i)
		require.Equal(t, w.value, p.Value.StringFixed(2), i)
		require.True(t, d(w.share).Equal(p.Share), "%d: share %s", i, p.Share)
		require.Equal(t, w.day, p.Day, i)
	}
}

// SplitOnCalendar spreads over the calendar's working days (its holidays
// out); Split over Monday to Friday.
func TestSplitOnCalendar(t *testing.T) {
	mon := date.New(2026, time.March, 30)
	cal, err := goal.NewCalendar(&goal.CalendarConfig{Holidays: []date.Date{mon + 4}})
	require.NoError(t, err)
	f := kpi.Fact{Key: "k", Metric: "m", Unit: "a", Date: mon, End: mon + 7, WorkingDays: true, Value: d("10")}
	parts, err := storage.Split(f)
	require.NoError(t, err)
	require.Len(t, parts, 5)
	parts, err = storage.SplitOnCalendar(cal, nil)(f)
	require.NoError(t, err)
	require.Len(t, parts, 4)
	require.Equal(t, mon+3, parts[3].Day, "Friday is a holiday")
	requireSum := func(parts []storage.Part, want string) {
		t.Helper()
		sum := decimal.Zero
		for _, p := range parts {
			sum = sum.Add(p.Value)
		}
		require.True(t, d(want).Equal(sum))
	}
	requireSum(parts, "10")
	inCents := storage.SplitOnCalendar(cal, func(string) int32 { return 2 })
	parts, err = inCents(f)
	require.NoError(t, err)
	require.Equal(t, "2.50", parts[0].Value.StringFixed(2))
	requireSum(parts, "10")

	f.Date, f.End = mon+5, mon+7 // a weekend
	_, err = storage.Split(f)
	require.ErrorIs(t, err, storage.ErrInvalid)
}
