package kpi_test

import (
	"math"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// extremes are decimals whose digits would take gigabytes: every check
// refuses them without building their digits.
var extremes = []decimal.Decimal{
	decimal.New(1, math.MinInt32), decimal.New(1, math.MaxInt32), decimal.New(0, math.MinInt32),
	decimal.New(-3, math.MinInt32+1), decimal.New(7, math.MinInt32+2), decimal.New(1, 1001), decimal.New(1, -1001),
}

// TestCheckFactRefusesWhatStoresRefuse: CheckFact is the engine's only
// check before the store, so it refuses everything a store would.
func TestCheckFactRefusesWhatStoresRefuse(t *testing.T) {
	org, err := goal.NewOrg([]goal.Unit{{ID: "co"}, {ID: "a", Parent: "co"}})
	require.NoError(t, err)
	rev := goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
	good := kpi.Fact{Key: "k", Metric: "revenue", Unit: "a", Date: date.New(2026, 3, 1), Value: decimal.RequireFromString("1.50")}
	require.NoError(t, kpi.CheckFact(good, rev, org))
	cases := map[string]struct {
		change func(f *kpi.Fact)
		field  string
	}{
		"year 10000":       {func(f *kpi.Fact) { f.Date = date.New(10000, 1, 1) }, "Date"},
		"year 0":           {func(f *kpi.Fact) { f.Date = date.New(0, 12, 31) }, "Date"},
		"NUL key":          {func(f *kpi.Fact) { f.Key = "k\x00" }, "Key"},
		"invalid key":      {func(f *kpi.Fact) { f.Key = "k\xc3" }, "Key"},
		"10 MB key":        {func(f *kpi.Fact) { f.Key = strings.Repeat("k", 10<<20) }, "Key"},
		"NUL dimension":    {func(f *kpi.Fact) { f.Dims = map[string]string{"p": "\x00"} }, "Dims"},
		"empty dimension":  {func(f *kpi.Fact) { f.Dims = map[string]string{"": "x"} }, "Dims"},
		"long dimension":   {func(f *kpi.Fact) { f.Dims = map[string]string{strings.Repeat("d", goal.MaxIDLen+1): "x"} }, "Dims"},
		"long dim value":   {func(f *kpi.Fact) { f.Dims = map[string]string{"p": strings.Repeat("v", goal.MaxTextLen+1)} }, "Dims"},
		"invalid dim text": {func(f *kpi.Fact) { f.Dims = map[string]string{"p": "\xff"} }, "Dims"},
	}
	for i, v := range extremes {
		cases["value "+goal.ShowDecimal(v)] = struct {
			change func(f *kpi.Fact)
			field  string
		}{func(f *kpi.Fact) { f.Value = extremes[i] }, "Value"}
		cases["share "+goal.ShowDecimal(v)] = struct {
			change func(f *kpi.Fact)
			field  string
		}{func(f *kpi.Fact) {
			f.Unit = ""
			f.Credits = []kpi.Credit{{Unit: "a", Share: extremes[i]}, {Unit: "co", Share: decimal.RequireFromString("0.5")}}
		}, "Credits"}
	}
	for name, c := range cases {
		f := good
		c.change(&f)
		err := kpi.CheckFact(f, rev, org)
		var fe *kpi.FactError
		require.ErrorAs(t, err, &fe, name)
		require.Equal(t, c.field, fe.Field, name)
		require.ErrorIs(t, err, kpi.ErrInvalid, name)
		require.Less(t, len(err.Error()), 1000, name)
	}
}

// TestLedgerRefusesExtremeExponents: the minor-unit conversion neither
// panics (an index out of range for an exponent of -2³¹) nor formats a
// 2³¹-digit number into its error.
func TestLedgerRefusesExtremeExponents(t *testing.T) {
	org, err := goal.NewOrg([]goal.Unit{{ID: "a"}})
	require.NoError(t, err)
	span := goal.Period{Grain: goal.Year, Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1), Label: "2026"}
	l, err := kpi.NewLedger(kpi.LedgerConfig{Org: org, Span: span, Metrics: []goal.Metric{
		{Key: "calls", Kind: goal.Count}, {Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}}})
	require.NoError(t, err)
	for _, m := range []string{"calls", "revenue"} {
		for _, v := range extremes {
			f := kpi.Fact{Key: "k", Metric: m, Unit: "a", Date: date.New(2026, 3, 1), Value: v}
			_, err := l.Ingest(f)
			require.ErrorIs(t, err, kpi.ErrInvalid, "%s %s", m, goal.ShowDecimal(v))
			require.Less(t, len(err.Error()), 1000)
			_, err = l.IngestBatch([]kpi.Fact{f}, kpi.KeepGood)
			require.NoError(t, err)
		}
	}
	require.Zero(t, l.Len())
}
