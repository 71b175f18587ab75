package storagetest

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// twenty is a 20-digit decimal that float64 cannot hold.
const twenty = "12345678901234567.891"

func day(s string) date.Date { return date.MustParseISO(s) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func requireDec(t *testing.T, want string, got decimal.Decimal, msgAndArgs ...any) {
	t.Helper()
	require.Truef(t, dec(want).Equal(got), "want %s, got %s %v", want, got, msgAndArgs)
}

func requireTotal(t *testing.T, want, count string, got storage.Total, msgAndArgs ...any) {
	t.Helper()
	requireDec(t, want, got.Value, msgAndArgs...)
	require.Truef(t, dec(count).Equal(got.Count), "count: want %s, got %s %v", count, got.Count, msgAndArgs)
}

// org is company → two regions → three teams → four reps:
//
//	co ─ r1 ─ t1 ─ a, b
//	   │    └ t2 ─ c
//	   └ r2 ─ t3 ─ d
func org() []goal.Unit {
	return []goal.Unit{
		{ID: "co", Kind: "company", Name: "Acme"},
		{ID: "r1", Parent: "co", Kind: "region", Name: "华东"},
		{ID: "r2", Parent: "co", Kind: "region", Name: "West"},
		{ID: "t1", Parent: "r1", Kind: "team"},
		{ID: "t2", Parent: "r1", Kind: "team"},
		{ID: "t3", Parent: "r2", Kind: "team"},
		{ID: "a", Parent: "t1", Kind: "rep", ActiveFrom: day("2026-03-01")},
		{ID: "b", Parent: "t1", Kind: "rep", ActiveUntil: day("2026-07-01")},
		{ID: "c", Parent: "t2", Kind: "rep"},
		{ID: "d", Parent: "t3", Kind: "rep", ActiveFrom: day("2025-01-01"), ActiveUntil: day("2027-01-01")},
	}
}

var revenue = goal.Metric{Key: "revenue", Name: "合同金额", Kind: goal.Amount, Currency: "CNY", Places: 3}

// plan returns a small plan with every field of a goal set somewhere.
func plan(id string) *goal.Plan {
	fy := goal.Period{Grain: goal.Year, Start: day("2026-01-01"), End: day("2027-01-01"), Label: "2026"}
	h1 := goal.Period{Grain: goal.Half, Start: day("2026-01-01"), End: day("2026-07-01"), Label: "2026-H1"}
	return &goal.Plan{ID: id, Metric: revenue, Goals: []goal.Goal{
		{ID: "revenue/co/2026", Metric: "revenue", Unit: "co", Period: fy, Target: dec(twenty),
			Stretch: decimal.NewNullDecimal(dec("20000000000000000.000")), Floor: decimal.NewNullDecimal(dec("-0.001"))},
		{ID: "revenue/r1/2026", Parent: "revenue/co/2026", Metric: "revenue", Unit: "r1", Period: fy, Target: dec("12345678901234567.000"), Locked: true},
		{ID: "revenue/r2/2026", Parent: "revenue/co/2026", Metric: "revenue", Unit: "r2", Period: fy, Target: dec("0.891")},
		{ID: "revenue/r2/2026-H1", Parent: "revenue/r2/2026", Metric: "revenue", Unit: "r2", Period: h1, Target: dec("0.891")},
	}}
}

func requirePlan(t *testing.T, want *goal.Plan, version int64, got *goal.Plan) {
	t.Helper()
	require.Equal(t, want.ID, got.ID)
	require.Equal(t, want.Metric, got.Metric)
	require.Equal(t, version, got.Version)
	require.Len(t, got.Goals, len(want.Goals))
	for i, w := range want.Goals {
		g := got.Goals[i]
		require.Equal(t, w.ID, g.ID)
		require.Equal(t, w.Parent, g.Parent, w.ID)
		require.Equal(t, w.Metric, g.Metric, w.ID)
		require.Equal(t, w.Unit, g.Unit, w.ID)
		require.Equal(t, w.Period, g.Period, w.ID)
		require.Equal(t, w.Locked, g.Locked, w.ID)
		require.Equal(t, w.Target.String(), g.Target.String(), w.ID)
		requireNull(t, w.Stretch, g.Stretch, w.ID)
		requireNull(t, w.Floor, g.Floor, w.ID)
	}
}

func requireNull(t *testing.T, want, got decimal.NullDecimal, msg string) {
	t.Helper()
	require.Equal(t, want.Valid, got.Valid, msg)
	if want.Valid {
		require.Truef(t, want.Decimal.Equal(got.Decimal), "%s: want %s, got %s", msg, want.Decimal, got.Decimal)
	}
}

func fact(key, metric, unit, d, value string) kpi.Fact {
	return kpi.Fact{Key: key, Metric: metric, Unit: unit, Date: day(d), Value: dec(value)}
}

func requireFact(t *testing.T, want, got kpi.Fact) {
	t.Helper()
	require.Equal(t, want.Key, got.Key)
	require.Equal(t, want.Metric, got.Metric, want.Key)
	require.Equal(t, want.Unit, got.Unit, want.Key)
	require.Equal(t, want.Date, got.Date, want.Key)
	require.Equal(t, want.Value.String(), got.Value.String(), want.Key)
	require.Equal(t, want.Currency, got.Currency, want.Key)
	require.Len(t, got.Credits, len(want.Credits), want.Key)
	for i := range want.Credits {
		require.Equal(t, want.Credits[i].Unit, got.Credits[i].Unit)
		require.True(t, want.Credits[i].Share.Equal(got.Credits[i].Share))
	}
	if len(want.Dims) == 0 {
		require.Empty(t, got.Dims)
	} else {
		require.Equal(t, want.Dims, got.Dims)
	}
}

func q(metric, unit string, subtree bool, start, end string) storage.Query {
	return storage.Query{Metric: metric, Unit: unit, Subtree: subtree, Start: day(start), End: day(end)}
}

func sum(t *testing.T, s storage.Totals, qry storage.Query) storage.Total {
	t.Helper()
	tot, err := s.Sum(context.Background(), qry)
	require.NoError(t, err)
	return tot
}

func append1(t *testing.T, s storage.Facts, facts ...kpi.Fact) []storage.Outcome {
	t.Helper()
	out, err := s.AppendFacts(context.Background(), facts)
	require.NoError(t, err)
	return out
}

// at is a time with nanoseconds and a non-UTC zone, to check normalisation.
func at(s string) time.Time {
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return tm
}

// stored is how a time comes back: UTC, microseconds.
func stored(tm time.Time) time.Time { return tm.UTC().Truncate(time.Microsecond) }

func requireTime(t *testing.T, want, got time.Time, msg string) {
	t.Helper()
	if want.IsZero() {
		require.True(t, got.IsZero(), "%s: want zero, got %s", msg, got)
		return
	}
	require.True(t, stored(want).Equal(got), "%s: want %s, got %s", msg, stored(want), got)
	require.Equal(t, time.UTC, got.Location(), msg)
}

func dayN(i int) date.Date { return date.Date(i) }
