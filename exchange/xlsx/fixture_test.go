package xlsx_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

var (
	who     = goalkit.Change{Actor: "test"}
	revenue = goal.Metric{Key: "revenue", Name: "合同金额", Kind: goal.Amount, Currency: "CNY", Places: 2}
	units   = []goal.Unit{
		{ID: "co", Kind: "company", Name: "Acme 公司"},
		{ID: "north", Parent: "co", Kind: "region", Name: "North"},
		{ID: "south", Parent: "co", Kind: "region", Name: "South"},
		{ID: "li", Parent: "north", Kind: "rep", Name: "李"},
		{ID: "wang", Parent: "north", Kind: "rep", Name: "王"},
		{ID: "zhao", Parent: "south", Kind: "rep", Name: "赵"},
	}
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// plan is the company's 2026 revenue: 1,200,000.00 over two regions, over
// three reps, each rep's year over its quarters.
func plan(t testing.TB) *goal.Plan {
	t.Helper()
	cal, err := goal.NewCalendar(nil)
	require.NoError(t, err)
	per := func(label string) goal.Period {
		p, err := cal.Parse(label)
		require.NoError(t, err)
		return p
	}
	year := func(unit, parent, target string) goal.Goal {
		return goal.Goal{ID: unit + "/2026", Parent: parent, Metric: "revenue", Unit: unit, Period: per("2026"), Target: dec(target)}
	}
	goals := []goal.Goal{year("co", "", "1200000.00"), year("north", "co/2026", "800000.00"), year("south", "co/2026", "400000.00")}
	for _, r := range [][2]string{{"li", "north"}, {"wang", "north"}, {"zhao", "south"}} {
		goals = append(goals, year(r[0], r[1]+"/2026", "400000.00"))
		for i, q := range []string{"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"} {
			goals = append(goals, goal.Goal{ID: r[0] + "/" + q, Parent: r[0] + "/2026", Metric: "revenue", Unit: r[0], Period: per(q),
				Target: dec([]string{"90000.00", "100000.00", "100000.00", "110000.00"}[i])})
		}
	}
	p, err := goal.NewPlan("revenue-2026", revenue, goals)
	require.NoError(t, err)
	return p
}

func org(t testing.TB) *goal.Org {
	t.Helper()
	o, err := goal.NewOrg(units)
	require.NoError(t, err)
	return o
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

// engines runs fn on an engine with the org and plan stored, on a fresh
// store of every kind.
func engines(t *testing.T, fn func(t *testing.T, e *goalkit.Engine)) {
	for _, k := range storeKinds {
		t.Run(k.name, func(t *testing.T) {
			ctx := context.Background()
			e, err := goalkit.New(ctx, k.open(t), &goalkit.Config{Metrics: []goal.Metric{revenue}})
			require.NoError(t, err)
			require.NoError(t, e.SetOrg(ctx, units))
			_, err = e.SavePlan(ctx, plan(t), who)
			require.NoError(t, err)
			fn(t, e)
		})
	}
}

// edit opens workbook book, sets each "sheet!cell" to its value and
// returns the saved workbook.
func edit(t testing.TB, book []byte, cells map[string]any) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(book))
	require.NoError(t, err)
	defer f.Close()
	for ref, v := range cells {
		sheet, cell, ok := bytes.Cut([]byte(ref), []byte("!"))
		require.True(t, ok, ref)
		require.NoError(t, f.SetCellValue(string(sheet), string(cell), v))
	}
	var out bytes.Buffer
	_, err = f.WriteTo(&out)
	require.NoError(t, err)
	return out.Bytes()
}

// requirePlan compares plans goal by goal, decimals by value.
func requirePlan(t testing.TB, want, got *goal.Plan) {
	t.Helper()
	require.Equal(t, want.ID, got.ID)
	require.Equal(t, want.Metric, got.Metric)
	require.Len(t, got.Goals, len(want.Goals))
	for i := range want.Goals {
		w, g := want.Goals[i], got.Goals[i]
		require.True(t, w.Target.Equal(g.Target), "goal %s: want %s, got %s", w.ID, w.Target, g.Target)
		w.Target = g.Target
		require.Equal(t, w, g)
	}
}
