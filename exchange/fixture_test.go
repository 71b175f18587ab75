package exchange_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var (
	who     = goalkit.Change{Actor: "test"}
	revenue = goal.Metric{Key: "revenue", Name: "合同金额", Kind: goal.Amount, Currency: "CNY", Places: 2}
	calls   = goal.Metric{Key: "calls", Name: "Calls", Kind: goal.Count}
	sales   = funnel.Funnel{Key: "sales", Won: "won", Lost: "lost",
		Stages: []funnel.Stage{{Key: "lead", Name: "Lead"}, {Key: "proposal", Name: "Proposal"}}}
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(s string) date.Date {
	d, err := date.ParseISO(s)
	if err != nil {
		panic(err)
	}
	return d
}

// units is a company, two teams and three reps; wang moved from south to
// north on 1 April and zhao joined on 1 March.
var units = []goal.Unit{
	{ID: "co", Kind: "company", Name: "Acme 公司"},
	{ID: "north", Parent: "co", Kind: "team", Name: "North, \"big\" team"},
	{ID: "south", Parent: "co", Kind: "team", Name: "South"},
	{ID: "li", Parent: "north", Kind: "rep", Name: "李"},
	{ID: "wang", Parent: "north", Kind: "rep", Name: "王", Earlier: []goal.Tenure{{Parent: "south", Until: day("2026-04-01")}}},
	{ID: "zhao", Parent: "south", Kind: "rep", Name: "赵", ActiveFrom: day("2026-03-01"), ActiveUntil: day("2027-01-01")},
}

// plan is north's Q1 revenue over its two reps and three months.
func plan(t testing.TB) *goal.Plan {
	t.Helper()
	cal, err := goal.NewCalendar(nil)
	require.NoError(t, err)
	per := func(label string) goal.Period {
		p, err := cal.Parse(label)
		require.NoError(t, err)
		return p
	}
	goals := []goal.Goal{{ID: "north/q1", Metric: "revenue", Unit: "north", Period: per("2026-Q1"), Target: dec("60000000.00"),
		Stretch: decimal.NewNullDecimal(dec("70000000.00")), Locked: true}}
	for _, rep := range []string{"li", "wang"} {
		id := rep + "/q1"
		goals = append(goals, goal.Goal{ID: id, Parent: "north/q1", Metric: "revenue", Unit: rep, Period: per("2026-Q1"), Target: dec("30000000.00"),
			Floor: decimal.NewNullDecimal(dec("20000000.00"))})
		for i, m := range []string{"2026-01", "2026-02", "2026-03"} {
			goals = append(goals, goal.Goal{ID: rep + "/" + m, Parent: id, Metric: "revenue", Unit: rep, Period: per(m),
				Target: dec([]string{"9000000.00", "10000000.00", "11000000.00"}[i])})
		}
	}
	p, err := goal.NewPlan("north-q1", revenue, goals)
	require.NoError(t, err)
	return p
}

// facts covers what a fact can hold: split credit, dimensions, a refund, a
// count, a currency, a range over working days, a conversion.
var facts = []kpi.Fact{
	{Key: "erp:inv:1", Metric: "revenue", Unit: "li", Date: day("2026-01-05"), Value: dec("1200.50"), Currency: "CNY", Dims: map[string]string{"product": "GTX Pro", "channel": "web, \"direct\""}},
	{Key: "erp:inv:2", Metric: "revenue", Date: day("2026-02-10"), Value: dec("100.01"),
		Credits: []kpi.Credit{{Unit: "li", Share: dec("0.5")}, {Unit: "wang", Share: dec("0.5")}}},
	{Key: "erp:inv:3", Metric: "revenue", Unit: "wang", Date: day("2026-03-31"), Value: dec("-20.00")},
	{Key: "crm:call:1", Metric: "calls", Unit: "zhao", Date: day("2026-03-02"), Value: dec("3")},
	{Key: "erp:week:10", Metric: "revenue", Unit: "li", Date: day("2026-03-02"), End: day("2026-03-09"), WorkingDays: true, Value: dec("700.00")},
	{Key: "erp:inv:usd", Metric: "revenue", Unit: "wang", Date: day("2026-03-03"), Value: dec("712.34"), Currency: "CNY", // 712.345, half to even
		Converted: &kpi.Conversion{Currency: "USD", Amount: dec("100.00"), Rate: dec("7.12345")}},
}

var deals = []funnel.Deal{
	{ID: "d1", Funnel: "sales", Unit: "li", Value: dec("5000.00"), Currency: "CNY",
		Transitions: []funnel.Transition{{Stage: "lead", Date: day("2026-01-02")}, {Stage: "proposal", Date: day("2026-01-20")}, {Stage: "won", Date: day("2026-02-03")}}},
	{ID: "d2", Funnel: "sales", Unit: "wang", Value: dec("800.00"), Currency: "CNY", ExpectedClose: day("2026-04-30"),
		Transitions: []funnel.Transition{{Stage: "lead", Date: day("2026-03-01")}}},
}

// storeKinds open a fresh store of every kind: memory, SQLite and
// PostgreSQL (skipped without GOALKIT_POSTGRES_DSN).
var storeKinds = []struct {
	name string
	open func(tb testing.TB) storage.Store
}{
	{"memory", func(tb testing.TB) storage.Store {
		s, err := memory.New(memory.Config{Tenant: "acme"})
		require.NoError(tb, err)
		return s
	}},
	{"sqlite", func(tb testing.TB) storage.Store {
		return sqltest.Store(tb, sqltest.SQLite(tb), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"})
	}},
	{"postgres", func(tb testing.TB) storage.Store {
		return sqltest.Store(tb, sqltest.Postgres(tb), sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme"})
	}},
}

// stores runs fn on a fresh store of every kind.
func stores(t *testing.T, fn func(t *testing.T, s storage.Store)) {
	for _, k := range storeKinds {
		t.Run(k.name, func(t *testing.T) { fn(t, k.open(t)) })
	}
}

// newEngine is an engine on s with the org of units unless empty is set.
func newEngine(t testing.TB, s storage.Store, withOrg bool) *goalkit.Engine {
	t.Helper()
	if s == nil {
		var err error
		s, err = memory.New(memory.Config{Tenant: "acme"})
		require.NoError(t, err)
	}
	e, err := goalkit.New(context.Background(), s, &goalkit.Config{Metrics: []goal.Metric{revenue, calls}, Funnels: []funnel.Funnel{sales}})
	require.NoError(t, err)
	if withOrg {
		require.NoError(t, e.SetOrg(context.Background(), units))
	}
	return e
}

// writeAll writes vs with a writer's Write, then Flush.
func writeAll[T any](t testing.TB, vs []T, write func(T) error, flush func() error) {
	t.Helper()
	for _, v := range vs {
		require.NoError(t, write(v))
	}
	require.NoError(t, flush())
}
