package kpi

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The ledger tells a duplicate from a conflict exactly as SameFact does
// (the rule of every store), over random pairs of valid facts with one key
// that differ, or not, in every field the ledger accepts: values written
// with other trailing zeros, credits in another order, the currency named
// or not, dimensions, conversions.
func TestLedgerDuplicatesAreSameFact(t *testing.T) {
	pick := func(r *rand.Rand, options ...func(f *Fact)) func(f *Fact) { return options[r.IntN(len(options))] }
	variant := func(r *rand.Rand) Fact {
		f := Fact{Key: "k", Metric: "revenue", Unit: "a", Date: d(2026, 3, 1), Value: dec("10.5")}
		for _, change := range []func(f *Fact){
			pick(r, func(*Fact) {}, func(f *Fact) { f.Value = dec("10.50") }, func(f *Fact) { f.Value = dec("10.51") }),
			pick(r, func(*Fact) {}, func(f *Fact) { f.Date++ }),
			pick(r, func(*Fact) {}, func(f *Fact) { f.Unit = "b" },
				func(f *Fact) { f.Unit, f.Credits = "", []Credit{{"a", dec("0.5")}, {"b", dec("0.5")}} },
				func(f *Fact) { f.Unit, f.Credits = "", []Credit{{"b", dec("0.50")}, {"a", dec("0.5")}} },
				func(f *Fact) { f.Unit, f.Credits = "", []Credit{{"a", dec("0.4")}, {"b", dec("0.6")}} }),
			pick(r, func(*Fact) {}, func(f *Fact) { f.Currency = "USD" }),
			pick(r, func(*Fact) {}, func(f *Fact) { f.Dims = map[string]string{"p": "x"} },
				func(f *Fact) { f.Dims = map[string]string{"p": "y"} }, func(f *Fact) { f.Dims = map[string]string{"p": "x", "q": "x"} }),
			pick(r, func(*Fact) {}, func(f *Fact) {
				if f.Value.Equal(dec("10.5")) {
					f.Converted = &Conversion{Currency: "EUR", Amount: dec("10"), Rate: dec("1.05")}
				}
			}, func(f *Fact) {
				if f.Value.Equal(dec("10.5")) {
					f.Converted = &Conversion{Currency: "EUR", Amount: dec("10.00"), Rate: dec("1.050")}
				}
			}, func(f *Fact) {
				if f.Value.Equal(dec("10.5")) {
					f.Converted = &Conversion{Currency: "GBP", Amount: dec("10"), Rate: dec("1.05")}
				}
			}),
		} {
			change(&f)
		}
		return f
	}
	r := rand.New(rand.NewPCG(10, 3))
	same := 0
	for range 2000 {
		a, b := variant(r), variant(r)
		if r.IntN(4) == 0 {
			b = a // a resend, so that duplicates are common
		}
		l := newTestLedger(t)
		added, err := l.Ingest(a)
		require.NoError(t, err)
		require.True(t, added)
		added, err = l.Ingest(b)
		if SameFact(a, b) {
			same++
			require.NoError(t, err, "%+v then %+v", a, b)
			require.False(t, added)
		} else {
			require.ErrorIs(t, err, ErrConflict, "%+v then %+v", a, b)
		}
	}
	require.Greater(t, same, 400)
}

// SameFact compares credits as a multiset of (unit, share) and numbers as
// numbers.
func TestSameFactCredits(t *testing.T) {
	f := Fact{Key: "k", Metric: "revenue", Date: d(2026, 3, 1), Value: dec("1"),
		Credits: []Credit{{"a", dec("0.25")}, {"b", dec("0.25")}, {"a", dec("0.5")}}}
	for _, tt := range []struct {
		credits []Credit
		same    bool
	}{
		{[]Credit{{"a", dec("0.25")}, {"b", dec("0.25")}, {"a", dec("0.5")}}, true},
		{[]Credit{{"a", dec("0.50")}, {"a", dec("0.25")}, {"b", dec("0.250")}}, true},
		{[]Credit{{"a", dec("0.25")}, {"b", dec("0.25")}, {"b", dec("0.5")}}, false},
		{[]Credit{{"a", dec("0.25")}, {"a", dec("0.25")}, {"a", dec("0.5")}}, false},
		{[]Credit{{"a", dec("0.25")}, {"b", dec("0.25")}}, false},
	} {
		g := f
		g.Credits = tt.credits
		require.Equal(t, tt.same, SameFact(f, g), "%v", tt.credits)
		require.Equal(t, tt.same, SameFact(g, f), "%v", tt.credits)
	}
}

// A conflict names the field that differs, Converted included.
func TestLedgerConflictNamesConverted(t *testing.T) {
	l := newTestLedger(t)
	f := Fact{Key: "k", Metric: "revenue", Unit: "a", Date: d(2026, 3, 1), Value: dec("10.5"),
		Converted: &Conversion{Currency: "EUR", Amount: dec("10"), Rate: dec("1.05")}}
	_, err := l.Ingest(f)
	require.NoError(t, err)
	for field, change := range map[string]func(f *Fact){
		"Converted": func(f *Fact) { f.Converted = nil },
		"Currency":  func(f *Fact) { f.Currency = "USD" },
		"Dims":      func(f *Fact) { f.Dims = map[string]string{"p": "x"} },
	} {
		g := f
		change(&g)
		_, err := l.Ingest(g)
		var fe *FactError
		require.ErrorAs(t, err, &fe)
		require.Equal(t, field, fe.Field)
	}
	bad := f
	bad.Key, bad.Converted = "bad", &Conversion{Currency: "EUR", Amount: dec("10"), Rate: dec("1.06")}
	_, err = l.Ingest(bad)
	require.ErrorIs(t, err, ErrInvalid, "the ledger checks Converted as CheckFact does")
}
