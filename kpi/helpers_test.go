package kpi

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The test org: co → {east, west}; east → {e1, e2}; west → {w1}; e1 → {a, b};
// e2 → {c}; w1 → {d, e}. Managers (e1, w1, ...) may be credited directly.
var testUnits = []goal.Unit{
	{ID: "co"},
	{ID: "east", Parent: "co"}, {ID: "west", Parent: "co"},
	{ID: "e1", Parent: "east"}, {ID: "e2", Parent: "east"}, {ID: "w1", Parent: "west"},
	{ID: "a", Parent: "e1"}, {ID: "b", Parent: "e1"}, {ID: "c", Parent: "e2"},
	{ID: "d", Parent: "w1"}, {ID: "e", Parent: "w1"},
}

var testMetrics = []goal.Metric{
	{Key: "revenue", Kind: goal.Amount, Currency: "USD", Places: 2},
	{Key: "calls", Kind: goal.Count},
	{Key: "cost", Kind: goal.Amount, Currency: "USD", Places: 2, Direction: goal.LowerIsBetter},
	{Key: "hours", Kind: goal.Quantity, Places: 1},
}

func d(y int, m time.Month, day int) date.Date { return date.New(y, m, day) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func testCal(t testing.TB) *goal.Calendar {
	t.Helper()
	cal, err := goal.NewCalendar(nil)
	require.NoError(t, err)
	return cal
}

func period(t testing.TB, label string) goal.Period {
	t.Helper()
	p, err := testCal(t).Parse(label)
	require.NoError(t, err)
	return p
}

func newTestLedger(t testing.TB) *Ledger {
	t.Helper()
	org, err := goal.NewOrg(testUnits)
	require.NoError(t, err)
	l, err := NewLedger(LedgerConfig{Org: org, Metrics: testMetrics, Span: period(t, "2026")})
	require.NoError(t, err)
	return l
}

// requireDec fails unless got equals want as a value.
func requireDec(t testing.TB, want string, got decimal.Decimal, msgAndArgs ...any) {
	t.Helper()
	require.Truef(t, dec(want).Equal(got), "want %s, got %s %v", want, got, msgAndArgs)
}

func actual(t testing.TB, l *Ledger, metric, unit, label string, scope Scope) decimal.Decimal {
	t.Helper()
	v, err := l.Actual(metric, unit, period(t, label), scope)
	require.NoError(t, err)
	return v
}

func rev(key, unit string, day date.Date, v string) Fact {
	return Fact{Key: key, Metric: "revenue", Unit: unit, Date: day, Value: dec(v)}
}
