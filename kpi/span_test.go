package kpi

import (
	"math/rand/v2"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestSpreadDays(t *testing.T) {
	// A week of 100.00: 14.29 on the first four days, 14.28 on the others.
	days, parts, err := SpreadDays(dec("100.00"), 2, d(2026, 3, 30), d(2026, 4, 6), false, nil)
	require.NoError(t, err)
	require.Len(t, days, 7)
	require.Equal(t, d(2026, 3, 30), days[0])
	for i, want := range []string{"14.29", "14.29", "14.29", "14.29", "14.28", "14.28", "14.28"} {
		require.Equal(t, want, parts[i].StringFixed(2), "day %d", i)
	}
	// Working days skip the weekend and, with a calendar, its holidays.
	cal, err := goal.NewCalendar(&goal.CalendarConfig{Holidays: []date.Date{d(2026, 4, 3)}})
	require.NoError(t, err)
	days, parts, err = SpreadDays(dec("-10"), 0, d(2026, 3, 30), d(2026, 4, 6), true, cal)
	require.NoError(t, err)
	require.Equal(t, []date.Date{d(2026, 3, 30), d(2026, 3, 31), d(2026, 4, 1), d(2026, 4, 2)}, days)
	for i, want := range []string{"-3", "-3", "-2", "-2"} {
		requireDec(t, want, parts[i], "a negative value mirrors: day %d", i)
	}
	days, _, err = SpreadDays(dec("5"), 0, d(2026, 3, 30), d(2026, 4, 6), true, nil)
	require.NoError(t, err)
	require.Len(t, days, 5, "nil is Monday to Friday")
}

func TestSpreadDaysRefuses(t *testing.T) {
	for name, c := range map[string]struct {
		value       string
		start, end  date.Date
		workingDays bool
	}{
		"empty":           {"1", d(2026, 1, 5), d(2026, 1, 5), false},
		"backwards":       {"1", d(2026, 1, 5), d(2026, 1, 4), false},
		"too long":        {"1", d(2026, 1, 1), d(2026, 1, 1) + MaxRangeDays + 1, false},
		"no working day":  {"1", d(2026, 1, 3), d(2026, 1, 5), true},
		"too many places": {"1.001", d(2026, 1, 5), d(2026, 1, 6), false},
		"past 9999":       {"1", d(9999, 12, 31), d(9999, 12, 31) + 2, false},
	} {
		_, _, err := SpreadDays(dec(c.value), 2, c.start, c.end, c.workingDays, nil)
		require.ErrorIs(t, err, ErrInvalid, name)
		var fe *FactError
		require.ErrorAs(t, err, &fe, name)
	}
}

// The spread sums to the value exactly, no two days differ by more than
// one minor unit, the larger parts come first, and it is what SplitMinor
// gives with equal weights (one allocation core).
func TestSpreadDaysProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 1))
	for range 2000 {
		v := rng.Int64N(2_000_000_000) - 1_000_000_000
		places := int32(rng.IntN(5))
		start := d(2026, 1, 1) + date.Date(rng.IntN(700))
		end := start + 1 + date.Date(rng.IntN(MaxRangeDays))
		value := decimal.New(v, -places)
		days, parts, err := SpreadDays(value, places, start, end, false, nil)
		require.NoError(t, err)
		require.Len(t, days, int(end-start))
		sum := decimal.Zero
		for i, p := range parts {
			sum = sum.Add(p)
			require.True(t, goal.FitsPlaces(p, places))
			if i > 0 {
				require.True(t, parts[i-1].Abs().GreaterThanOrEqual(p.Abs()), "larger parts first")
				require.True(t, parts[0].Sub(p).Abs().LessThanOrEqual(decimal.New(1, -places)))
			}
		}
		require.True(t, sum.Equal(value), "%s over %d days sums to %s", value, len(days), sum)
		ws := make([]uint64, len(days))
		for i := range ws {
			ws[i] = 1
		}
		minor, err := SplitMinor(v, ws, nil)
		require.NoError(t, err)
		for i, m := range minor {
			require.True(t, decimal.New(m, -places).Equal(parts[i]))
		}
	}
}

func TestConvertRoundsHalfToEven(t *testing.T) {
	for _, c := range []struct{ amount, rate, want string }{
		{"0.10", "7.125", "0.71"},   // 0.7125 → 0.71: the tie goes to the even cent
		{"0.10", "7.135", "0.71"},   // 0.7135 → 0.71
		{"0.10", "7.155", "0.72"},   // 0.7155 → 0.72: the tie goes to the even cent
		{"-0.10", "7.125", "-0.71"}, // mirrors
		{"100", "0.1234567", "12.35"},
	} {
		require.Equal(t, c.want, Convert(dec(c.amount), dec(c.rate), 2).StringFixed(2), "%+v", c)
	}
}

func TestCheckFactRangeAndConversion(t *testing.T) {
	org, err := goal.NewOrg(testUnits)
	require.NoError(t, err)
	m := testMetrics[0] // revenue, USD, 2 places
	good := Fact{Key: "k", Metric: "revenue", Unit: testUnits[len(testUnits)-1].ID, Date: d(2026, 1, 5), Value: dec("71.00"),
		End: d(2026, 1, 12), WorkingDays: true, Currency: "USD", Converted: &Conversion{Currency: "CNY", Amount: dec("500"), Rate: dec("0.142")}}
	require.NoError(t, CheckFact(good, m, org))
	for field, change := range map[string]func(f *Fact){
		"End":         func(f *Fact) { f.End = f.Date },
		"WorkingDays": func(f *Fact) { f.End = 0 },
		"Converted":   func(f *Fact) { f.Converted = &Conversion{Currency: "CNY", Amount: dec("500"), Rate: dec("0.143")} },
	} {
		f := good
		change(&f)
		err := CheckFact(f, m, org)
		require.ErrorIs(t, err, ErrInvalid, field)
		var fe *FactError
		require.ErrorAs(t, err, &fe)
		require.Equal(t, field, fe.Field)
		require.Equal(t, "k", fe.Key)
	}
	f := good
	f.Converted = &Conversion{Currency: "USD", Amount: dec("71"), Rate: dec("1")}
	require.ErrorIs(t, CheckFact(f, m, org), ErrInvalid, "converted from the metric's own currency")
	f = good
	f.Metric, f.Value, f.Currency = "calls", dec("71"), ""
	require.ErrorIs(t, CheckFact(f, testMetrics[1], org), ErrInvalid, "a count is never converted")
}

func TestLedgerRefusesRangeFacts(t *testing.T) {
	l := newTestLedger(t)
	f := rev("k", testUnits[len(testUnits)-1].ID, d(2026, 1, 5), "7.00")
	f.End = d(2026, 1, 12)
	_, err := l.Ingest(f)
	require.ErrorIs(t, err, ErrInvalid)
	require.ErrorContains(t, err, "SpreadDays")
}

// Convert's integer path gives RoundBank's value and representation.
func TestConvertMatchesRoundBank(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	fast := 0
	for range 200_000 {
		a := decimal.New(rng.Int64N(2_000_000_000_000)-1_000_000_000_000, -int32(rng.IntN(5)))
		if rng.IntN(50) == 0 {
			a = decimal.New(rng.Int64()>>rng.IntN(40), -int32(rng.IntN(12)))
		}
		r := decimal.New(rng.Int64N(100_000_000_000)+1, -int32(rng.IntN(13)))
		places := int32(rng.IntN(7))
		want := a.Mul(r).RoundBank(places)
		got := Convert(a, r, places)
		require.Equal(t, want.String(), got.String(), "%s × %s at %d", a, r, places)
		require.Equal(t, want.Exponent(), got.Exponent(), "%s × %s at %d", a, r, places)
		if _, ok := convertMinor(a, r, places); ok {
			fast++
		}
	}
	require.Greater(t, fast, 100_000, "most cases take the integer path")
	// Ties at every position go to the even neighbour.
	for _, c := range []struct{ a, r, want string }{{"1", "0.005", "0.00"}, {"1", "0.015", "0.02"}, {"-1", "0.025", "-0.02"}, {"3", "0.5", "1.50"}} {
		require.Equal(t, c.want, Convert(dec(c.a), dec(c.r), 2).StringFixed(2))
	}
}
