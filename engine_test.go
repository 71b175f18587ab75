package goalkit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The fixtures every engine test shares: two metrics, a small org and a
// clock the test moves by hand.
var (
	revenue = goal.Metric{Key: "revenue", Name: "Revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
	calls   = goal.Metric{Key: "calls", Name: "Calls", Kind: goal.Count}

	// acme → north → li, wang; acme → south → zhao.
	orgUnits = []goal.Unit{
		{ID: "acme", Kind: "company"},
		{ID: "north", Parent: "acme", Kind: "team"},
		{ID: "south", Parent: "acme", Kind: "team"},
		{ID: "li", Parent: "north", Kind: "rep"},
		{ID: "wang", Parent: "north", Kind: "rep"},
		{ID: "zhao", Parent: "south", Kind: "rep"},
	}
	who = goalkit.Change{Actor: "alice@acme", Reason: "FY2026 plan approved"}
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(s string) date.Date { return date.MustParseISO(s) }

// requireDec compares decimals by value and prints both on failure.
func requireDec(t testing.TB, want string, got decimal.Decimal, msgAndArgs ...any) {
	t.Helper()
	require.Truef(t, dec(want).Equal(got), "want %s, got %s %v", want, got, msgAndArgs)
}

// requireNullDec compares a NullDecimal with want; "" means invalid.
func requireNullDec(t testing.TB, want string, got decimal.NullDecimal, msgAndArgs ...any) {
	t.Helper()
	if want == "" {
		require.Falsef(t, got.Valid, "want invalid, got %s %v", got.Decimal, msgAndArgs)
		return
	}
	require.Truef(t, got.Valid, "want %s, got invalid %v", want, msgAndArgs)
	requireDec(t, want, got.Decimal, msgAndArgs...)
}

// testClock is a clock the test sets; the engine reads it through Config.Now.
type testClock struct {
	mu  sync.Mutex
	day date.Date
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.day.MidnightUTC().Add(9 * time.Hour)
}

func (c *testClock) Set(d date.Date) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.day = d
}

// fixture is an engine on a store with the org loaded.
type fixture struct {
	ctx    context.Context
	store  storage.Store
	engine *goalkit.Engine
	clock  *testClock
	cal    *goal.Calendar
}

// newFixture makes an engine on store (a fresh memory store when nil) with
// the two metrics, the default calendar and a clock at 2026-01-05; configure
// may change the config before New. The org is loaded with SetOrg.
func newFixture(t testing.TB, store storage.Store, configure func(*goalkit.Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	if store == nil {
		s, err := memory.New(memory.Config{Tenant: "acme"})
		require.NoError(t, err)
		store = s
	}
	cal, err := goal.NewCalendar(nil)
	require.NoError(t, err)
	clock := &testClock{day: day("2026-01-05")}
	cfg := &goalkit.Config{Metrics: []goal.Metric{revenue, calls}, Calendar: cal, Now: clock.Now}
	if configure != nil {
		configure(cfg)
	}
	e, err := goalkit.New(ctx, store, cfg)
	require.NoError(t, err)
	require.NoError(t, e.SetOrg(ctx, orgUnits))
	return &fixture{ctx: ctx, store: store, engine: e, clock: clock, cal: cal}
}

func (f *fixture) period(t testing.TB, label string) goal.Period {
	t.Helper()
	p, err := f.cal.Parse(label)
	require.NoError(t, err)
	return p
}

// seasonalPlan is li's Q1 revenue plan with months of unequal targets:
// January 100, February 200, March 300, so the plan's curve differs from
// the straight line and from working days.
func (f *fixture) seasonalPlan(t testing.TB, id string) *goal.Plan {
	t.Helper()
	p, err := goal.NewPlan(id, revenue, []goal.Goal{
		{ID: "q1", Metric: "revenue", Unit: "li", Period: f.period(t, "2026-Q1"), Target: dec("600.00")},
		{ID: "jan", Parent: "q1", Metric: "revenue", Unit: "li", Period: f.period(t, "2026-01"), Target: dec("100.00")},
		{ID: "feb", Parent: "q1", Metric: "revenue", Unit: "li", Period: f.period(t, "2026-02"), Target: dec("200.00")},
		{ID: "mar", Parent: "q1", Metric: "revenue", Unit: "li", Period: f.period(t, "2026-03"), Target: dec("300.00")},
	})
	require.NoError(t, err)
	return p
}

func (f *fixture) ingest(t testing.TB, facts ...kpi.Fact) {
	t.Helper()
	_, err := f.engine.Ingest(f.ctx, facts, kpi.AllOrNothing)
	require.NoError(t, err)
}

func rev(key, unit, d, value string) kpi.Fact {
	return kpi.Fact{Key: key, Metric: "revenue", Unit: unit, Date: day(d), Value: dec(value)}
}

func call(key, unit, d string, n int64) kpi.Fact {
	return kpi.Fact{Key: key, Metric: "calls", Unit: unit, Date: day(d), Value: decimal.NewFromInt(n)}
}

func TestNewRejectsBadConfig(t *testing.T) {
	ctx := context.Background()
	store, err := memory.New(memory.Config{Tenant: "acme"})
	require.NoError(t, err)
	crm := funnel.Funnel{Key: "crm", Stages: []funnel.Stage{{Key: "lead"}}, Won: "won", Lost: "lost"}
	base := func() *goalkit.Config { return &goalkit.Config{Metrics: []goal.Metric{revenue, calls}} }
	with := func(change func(*goalkit.Config)) *goalkit.Config {
		c := base()
		change(c)
		return c
	}
	tests := []struct {
		name  string
		store storage.Store
		cfg   *goalkit.Config
		is    []error  // sentinels the error must match
		says  []string // what the message must say
	}{
		{"nil store", nil, base(), []error{goalkit.ErrInvalid}, []string{"store is nil", "memory.New"}},
		{"nil config", store, nil, []error{goalkit.ErrInvalid}, []string{"no metrics", "Config.Metrics"}},
		{"no metrics", store, &goalkit.Config{}, []error{goalkit.ErrInvalid}, []string{"Config.Metrics"}},
		{"duplicate metric", store, with(func(c *goalkit.Config) { c.Metrics = append(c.Metrics, calls) }),
			[]error{goalkit.ErrInvalid}, []string{`metric "calls" is listed twice`}},
		{"amount without currency", store, with(func(c *goalkit.Config) {
			c.Metrics = []goal.Metric{{Key: "revenue", Kind: goal.Amount, Places: 2}}
		}), []error{goal.ErrInvalid, goalkit.ErrInvalid}, []string{"currency"}},
		{"bad pace rule", store, with(func(c *goalkit.Config) {
			c.Rules.Pace = map[string]alert.PaceRule{"calls": {}}
		}), []error{alert.ErrInvalid, goalkit.ErrInvalid}, []string{`pace rule of metric "calls"`, "Dispersion"}},
		{"bad projected-miss rule", store, with(func(c *goalkit.Config) {
			c.Rules.ProjectedMiss = &alert.ProjectedMissRule{Tolerance: dec("1.5")}
		}), []error{alert.ErrInvalid, goalkit.ErrInvalid}, []string{"Tolerance"}},
		{"bad stagnation model", store, with(func(c *goalkit.Config) {
			c.Rules.Stagnation = []goalkit.StagnationWatch{{Model: funnel.Model{Funnel: crm}}}
		}), []error{funnel.ErrInvalid, goalkit.ErrInvalid}, []string{"stagnation watch 0"}},
		{"bad policy", store, with(func(c *goalkit.Config) {
			c.Lifecycle = &alert.LifecycleConfig{Policies: map[string]alert.Policy{"pace": {For: -time.Hour}}}
		}), []error{alert.ErrInvalid, goalkit.ErrInvalid}, []string{`policy of rule "pace"`, "For"}},
		{"bad funnel", store, with(func(c *goalkit.Config) { c.Funnels = []funnel.Funnel{{Key: "crm"}} }),
			[]error{funnel.ErrInvalid, goalkit.ErrInvalid}, nil},
		{"duplicate funnel", store, with(func(c *goalkit.Config) { c.Funnels = []funnel.Funnel{crm, crm} }),
			[]error{goalkit.ErrInvalid}, []string{`funnel "crm" is listed twice`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := goalkit.New(ctx, tt.store, tt.cfg)
			require.Error(t, err)
			require.Nil(t, e)
			for _, target := range tt.is {
				require.ErrorIs(t, err, target)
			}
			require.Contains(t, err.Error(), "goalkit: new engine")
			for _, s := range tt.says {
				require.Contains(t, err.Error(), s)
			}
		})
	}
}

func TestNewRejectsInvalidStoredOrg(t *testing.T) {
	ctx := context.Background()
	store, err := memory.New(memory.Config{Tenant: "acme"})
	require.NoError(t, err)
	// Storage checks IDs only; the tree is the engine's to validate.
	require.NoError(t, store.PutUnits(ctx, []goal.Unit{{ID: "a", Parent: "b"}, {ID: "b", Parent: "a"}}))
	_, err = goalkit.New(ctx, store, &goalkit.Config{Metrics: []goal.Metric{revenue}})
	require.ErrorIs(t, err, goal.ErrInvalid)
	require.Contains(t, err.Error(), "stored org is invalid")
}

func TestNewLoadsStoredOrg(t *testing.T) {
	f := newFixture(t, nil, nil)
	e, err := goalkit.New(f.ctx, f.store, &goalkit.Config{Metrics: []goal.Metric{revenue}})
	require.NoError(t, err)
	require.Equal(t, 6, e.Org().Len())
	anc, err := e.Org().Ancestors("li")
	require.NoError(t, err)
	require.Len(t, anc, 2)
	require.Equal(t, "north", anc[0].ID)
}

func TestSetOrgRejectsCycleAndStoresNothing(t *testing.T) {
	f := newFixture(t, nil, nil)
	before := f.engine.Org()
	err := f.engine.SetOrg(f.ctx, []goal.Unit{
		{ID: "acme"}, {ID: "north", Parent: "wang"}, {ID: "wang", Parent: "north"},
	})
	require.ErrorIs(t, err, goal.ErrInvalid)
	require.Contains(t, err.Error(), "goalkit: set org")
	require.Same(t, before, f.engine.Org())
	stored, err := f.store.ListUnits(f.ctx)
	require.NoError(t, err)
	require.Equal(t, orgUnits, stored)

	// An unknown parent is rejected the same way.
	err = f.engine.SetOrg(f.ctx, []goal.Unit{{ID: "acme"}, {ID: "li", Parent: "nowhere"}})
	require.ErrorIs(t, err, goal.ErrInvalid)
	stored, err = f.store.ListUnits(f.ctx)
	require.NoError(t, err)
	require.Equal(t, orgUnits, stored)
}

func TestDecomposeStoresPlanWithAudit(t *testing.T) {
	f := newFixture(t, nil, nil)
	spec := goal.Spec{
		PlanID: "rev-q1", Metric: revenue, Unit: "north", Period: f.period(t, "2026-Q1"),
		Target: dec("1000.01"),
		Time:   goal.TimeRule{Steps: []goal.Grain{goal.Month}},
	}
	p, err := f.engine.Decompose(f.ctx, spec, who)
	require.NoError(t, err)
	require.Equal(t, int64(1), p.Version)
	require.Empty(t, p.Check())
	// north, li, wang, and three months each for li and wang.
	require.Len(t, p.Goals, 9)

	stored, err := f.engine.Plan(f.ctx, "rev-q1")
	require.NoError(t, err)
	require.Equal(t, p.Goals, stored.Goals)
	require.Equal(t, int64(1), stored.Version)

	audit, err := f.store.ListAudit(f.ctx, "rev-q1")
	require.NoError(t, err)
	require.Len(t, audit, len(p.Goals))
	for i, a := range audit {
		g := p.Goals[i]
		require.Equal(t, g.ID, a.Goal)
		require.Equal(t, "rev-q1", a.Plan)
		require.Equal(t, who.Actor, a.Actor)
		require.Equal(t, who.Reason, a.Reason)
		require.False(t, a.Old.Valid, "a new goal has no old target")
		requireNullDec(t, g.Target.String(), a.New)
		require.Equal(t, f.clock.Now().UTC(), a.At)
	}

	_, err = f.engine.Decompose(f.ctx, spec, who)
	require.ErrorIs(t, err, storage.ErrDuplicate)
	audit, err = f.store.ListAudit(f.ctx, "rev-q1")
	require.NoError(t, err)
	require.Len(t, audit, len(p.Goals), "a rejected decomposition audits nothing")

	_, err = f.engine.Plan(f.ctx, "nope")
	require.ErrorIs(t, err, storage.ErrNotFound)
}

func TestDecomposeRejects(t *testing.T) {
	f := newFixture(t, nil, nil)
	q1 := f.period(t, "2026-Q1")
	tests := []struct {
		name string
		spec goal.Spec
		is   error
		says string
	}{
		{"unknown metric", goal.Spec{PlanID: "p", Metric: goal.Metric{Key: "margin", Kind: goal.Count}, Unit: "north", Period: q1, Target: dec("1")},
			goalkit.ErrInvalid, "Config.Metrics"},
		{"metric differs", goal.Spec{PlanID: "p", Metric: goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "USD", Places: 2}, Unit: "north", Period: q1, Target: dec("1")},
			goalkit.ErrInvalid, "differs from the configured one"},
		{"unknown unit", goal.Spec{PlanID: "p", Metric: revenue, Unit: "east", Period: q1, Target: dec("1")},
			goal.ErrNotFound, `unit "east" is not in the org`},
		{"too many places", goal.Spec{PlanID: "p", Metric: revenue, Unit: "north", Period: q1, Target: dec("1.001")},
			goal.ErrInvalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.engine.Decompose(f.ctx, tt.spec, who)
			require.ErrorIs(t, err, tt.is)
			require.Contains(t, err.Error(), tt.says)
			plans, err := f.store.ListPlans(f.ctx)
			require.NoError(t, err)
			require.Empty(t, plans)
		})
	}
}

func TestSavePlan(t *testing.T) {
	f := newFixture(t, nil, nil)
	p := f.seasonalPlan(t, "li-q1")
	v, err := f.engine.SavePlan(f.ctx, p, who)
	require.NoError(t, err)
	require.Equal(t, int64(1), v)
	audit, err := f.store.ListAudit(f.ctx, "li-q1")
	require.NoError(t, err)
	require.Len(t, audit, 4)

	// An update audits only the goals whose target changed.
	edit, err := f.engine.Plan(f.ctx, "li-q1")
	require.NoError(t, err)
	require.NoError(t, edit.SetTarget("mar", dec("350.00")))
	v, err = f.engine.SavePlan(f.ctx, edit, goalkit.Change{Actor: "bob", Reason: "bigger March", Unbalanced: true})
	require.NoError(t, err)
	require.Equal(t, int64(2), v)
	audit, err = f.store.ListAudit(f.ctx, "li-q1")
	require.NoError(t, err)
	require.Len(t, audit, 6, "the change and the accepted discrepancy")
	requireNullDec(t, "300", audit[4].Old)
	requireNullDec(t, "350", audit[4].New)
	require.Equal(t, "mar", audit[4].Goal)
	require.Equal(t, "q1", audit[5].Goal)
	require.Contains(t, audit[5].Reason, "accepted unbalanced")

	// The same edit again, at the version it was read at, is stale.
	_, err = f.engine.SavePlan(f.ctx, edit, who)
	require.ErrorIs(t, err, storage.ErrConflict)

	tests := []struct {
		name   string
		metric goal.Metric
		says   string
	}{
		{"other currency", goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "USD", Places: 2}, `use Engine.Metric("revenue")`},
		{"other places", goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 0}, `use Engine.Metric("revenue")`},
		{"other direction", goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2, Direction: goal.LowerIsBetter}, "lower is better"},
		{"other kind", goal.Metric{Key: "revenue", Kind: goal.Quantity, Places: 2}, "differs from the configured one"},
		{"unknown metric", goal.Metric{Key: "margin", Kind: goal.Quantity, Places: 2}, "add it to Config.Metrics"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad, err := goal.NewPlan("other-"+tt.name, tt.metric, []goal.Goal{
				{ID: "root", Metric: tt.metric.Key, Unit: "li", Period: f.period(t, "2026-Q1"), Target: dec("10")},
			})
			require.NoError(t, err)
			_, err = f.engine.SavePlan(f.ctx, bad, who)
			require.ErrorIs(t, err, goalkit.ErrInvalid)
			require.Contains(t, err.Error(), tt.says)
			_, err = f.store.GetPlan(f.ctx, bad.ID)
			require.ErrorIs(t, err, storage.ErrNotFound)
		})
	}
}

func TestSetTarget(t *testing.T) {
	f := newFixture(t, nil, nil)
	_, err := f.engine.SavePlan(f.ctx, f.seasonalPlan(t, "li-q1"), who)
	require.NoError(t, err)
	f.clock.Set(day("2026-01-20"))

	p, err := f.engine.SetTarget(f.ctx, "li-q1", "jan", dec("120.00"), 1, goalkit.Change{Actor: "bob@acme", Reason: "new customer signed", Unbalanced: true})
	require.NoError(t, err)
	require.Equal(t, int64(2), p.Version)
	g, err := p.Goal("jan")
	require.NoError(t, err)
	requireDec(t, "120", g.Target)
	// Parents and siblings are left alone; Check reports the difference.
	require.Len(t, p.Check(), 1)
	requireDec(t, "-20", p.Check()[0].Unallocated)

	audit, err := f.store.ListAudit(f.ctx, "li-q1")
	require.NoError(t, err)
	require.Len(t, audit, 6, "the change and the accepted discrepancy")
	last := audit[4]
	require.Equal(t, "jan", last.Goal)
	requireNullDec(t, "100", last.Old)
	requireNullDec(t, "120", last.New)
	require.Equal(t, "bob@acme", last.Actor)
	require.Equal(t, "new customer signed", last.Reason)
	require.Equal(t, day("2026-01-20").MidnightUTC().Add(9*time.Hour), last.At)

	tests := []struct {
		name     string
		goal     string
		target   string
		expected int64
		is       error
	}{
		{"stale version", "feb", "999.00", 1, storage.ErrConflict},
		{"future version", "feb", "999.00", 7, storage.ErrConflict},
		{"unknown goal", "apr", "1.00", 2, goal.ErrNotFound},
		{"too many places", "feb", "1.001", 2, goal.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.engine.SetTarget(f.ctx, "li-q1", tt.goal, dec(tt.target), tt.expected, who)
			require.ErrorIs(t, err, tt.is)
			require.Contains(t, err.Error(), tt.goal)
			stored, err := f.engine.Plan(f.ctx, "li-q1")
			require.NoError(t, err)
			require.Equal(t, int64(2), stored.Version, "nothing changes")
			require.Equal(t, p.Goals, stored.Goals, "nothing changes")
			audit, err := f.store.ListAudit(f.ctx, "li-q1")
			require.NoError(t, err)
			require.Len(t, audit, 6, "nothing is audited")
		})
	}

	_, err = f.engine.SetTarget(f.ctx, "nope", "jan", dec("1"), 1, who)
	require.ErrorIs(t, err, storage.ErrNotFound)
}

// TestReplanCatchUp re-plans a half year as of 15 March: January and
// February are closed and keep their targets; the gap their actuals left is
// spread over March to June in proportion to their targets.
func TestReplanCatchUp(t *testing.T) {
	f := newFixture(t, nil, nil)
	months := []struct{ id, label, target string }{
		{"jan", "2026-01", "100.00"}, {"feb", "2026-02", "100.00"}, {"mar", "2026-03", "100.00"},
		{"apr", "2026-04", "100.00"}, {"may", "2026-05", "200.00"}, {"jun", "2026-06", "300.00"},
	}
	goals := []goal.Goal{{ID: "h1", Metric: "revenue", Unit: "north", Period: f.period(t, "2026-H1"), Target: dec("900.00")}}
	for _, m := range months {
		goals = append(goals, goal.Goal{ID: m.id, Parent: "h1", Metric: "revenue", Unit: "north", Period: f.period(t, m.label), Target: dec(m.target)})
	}
	p, err := goal.NewPlan("north-h1", revenue, goals)
	require.NoError(t, err)
	_, err = f.engine.SavePlan(f.ctx, p, who)
	require.NoError(t, err)

	f.ingest(t,
		rev("old", "li", "2025-12-31", "500.00"), // before the half: not counted
		rev("j1", "li", "2026-01-10", "40.00"),
		rev("j2", "wang", "2026-01-31", "30.00"), // a rep of north: counted in north's January
		rev("f1", "li", "2026-02-28", "60.00"),
		rev("z1", "zhao", "2026-02-10", "77.00"), // south: not north's
		rev("m1", "li", "2026-03-03", "999.00"),  // March is open: its actual does not matter
	)

	// The engine's clock stays at 2026-01-05: Replan re-plans as of the day
	// it is given, not as of the clock's today.
	asOf := day("2026-03-15")
	replanned, reports, err := f.engine.Replan(f.ctx, "north-h1", asOf, goal.CatchUp, goalkit.Change{Actor: "nightly-replan", Reason: "catch up"})
	require.NoError(t, err)
	require.Equal(t, int64(2), replanned.Version)

	// Closed actuals 70 + 60 = 130; the gap 900 − 130 = 770 over open
	// targets 100:100:200:300 (700) is ×1.1.
	want := map[string]string{"h1": "900", "jan": "100", "feb": "100", "mar": "110", "apr": "110", "may": "220", "jun": "330"}
	for id, target := range want {
		g, err := replanned.Goal(id)
		require.NoError(t, err)
		requireDec(t, target, g.Target, id)
	}
	require.Len(t, reports, 1)
	r := reports[0]
	require.Equal(t, "h1", r.Goal)
	requireDec(t, "900", r.Target)
	requireDec(t, "200", r.ClosedTarget)
	requireDec(t, "130", r.ClosedActual)
	requireDec(t, "70", r.Shortfall)
	requireDec(t, "700", r.OpenTarget)
	requireDec(t, "770", r.NewOpenTarget)
	requireDec(t, "0", r.Uncovered)

	stored, err := f.engine.Plan(f.ctx, "north-h1")
	require.NoError(t, err)
	require.Equal(t, replanned.Goals, stored.Goals)
	require.Equal(t, int64(2), stored.Version)

	audit, err := f.store.ListAudit(f.ctx, "north-h1")
	require.NoError(t, err)
	require.Len(t, audit, 7+4)
	changes := map[string][2]string{}
	for _, a := range audit[7:] {
		require.Equal(t, "nightly-replan", a.Actor)
		require.Equal(t, "catch up", a.Reason)
		changes[a.Goal] = [2]string{a.Old.Decimal.StringFixed(2), a.New.Decimal.StringFixed(2)}
	}
	require.Equal(t, map[string][2]string{
		"mar": {"100.00", "110.00"}, "apr": {"100.00", "110.00"}, "may": {"200.00", "220.00"}, "jun": {"300.00", "330.00"},
	}, changes)

	// Absorb keeps every target and reports what is left uncovered.
	_, reports, err = f.engine.Replan(f.ctx, "north-h1", asOf, goal.Absorb, who)
	require.NoError(t, err)
	requireDec(t, "0", reports[0].Uncovered)
	audit, err = f.store.ListAudit(f.ctx, "north-h1")
	require.NoError(t, err)
	require.Len(t, audit, 11, "absorb changes no target")

	_, _, err = f.engine.Replan(f.ctx, "nope", asOf, goal.CatchUp, who)
	require.ErrorIs(t, err, storage.ErrNotFound)
}

func TestIngestAllOrNothing(t *testing.T) {
	f := newFixture(t, nil, nil)
	batch := []kpi.Fact{
		rev("ok-1", "li", "2026-01-10", "100.00"),
		rev("bad-unit", "nobody", "2026-01-10", "1.00"),
		{Key: "bad-metric", Metric: "margin", Unit: "li", Date: day("2026-01-10"), Value: dec("1")},
		rev("bad-places", "li", "2026-01-10", "1.234"),
		{Key: "bad-currency", Metric: "revenue", Unit: "li", Date: day("2026-01-10"), Value: dec("5.00"), Currency: "USD"},
		call("ok-2", "wang", "2026-01-10", 3),
	}
	wantBad := []struct {
		index int
		key   string
		field string
	}{{1, "bad-unit", "Unit"}, {2, "bad-metric", "Metric"}, {3, "bad-places", "Value"}, {4, "bad-currency", "Currency"}}

	checkRejections := func(t *testing.T, rejected []kpi.Rejection) {
		t.Helper()
		require.Len(t, rejected, len(wantBad))
		for i, w := range wantBad {
			require.Equal(t, w.index, rejected[i].Index)
			var fe *kpi.FactError
			require.ErrorAs(t, rejected[i].Err, &fe)
			require.Equal(t, w.key, fe.Key)
			require.Equal(t, w.field, fe.Field)
			require.ErrorIs(t, fe, kpi.ErrInvalid)
		}
	}

	res, err := f.engine.Ingest(f.ctx, batch, kpi.AllOrNothing)
	require.ErrorIs(t, err, kpi.ErrInvalid)
	var be *kpi.BatchError
	require.ErrorAs(t, err, &be)
	require.Equal(t, len(batch), be.Size)
	checkRejections(t, be.Rejected)
	// The message names the first bad facts and says what to do.
	for _, w := range wantBad[:3] {
		require.Contains(t, err.Error(), w.key)
	}
	require.Contains(t, err.Error(), "1 more")
	require.Contains(t, err.Error(), "KeepGood")
	require.Equal(t, goalkit.IngestResult{}, res)
	stored, err := f.store.ListFacts(f.ctx, "", 0)
	require.NoError(t, err)
	require.Empty(t, stored, "an all-or-nothing batch with a bad fact stores nothing")

	res, err = f.engine.Ingest(f.ctx, batch, kpi.KeepGood)
	require.NoError(t, err)
	require.Equal(t, 2, res.Inserted)
	require.Zero(t, res.Unchanged)
	checkRejections(t, res.Rejected)
	stored, err = f.store.ListFacts(f.ctx, "", 0)
	require.NoError(t, err)
	require.Len(t, stored, 2)
	require.Equal(t, "ok-1", stored[0].Key)
	require.Equal(t, "ok-2", stored[1].Key)

	// Replaying the batch counts the good facts as unchanged.
	res, err = f.engine.Ingest(f.ctx, batch, kpi.KeepGood)
	require.NoError(t, err)
	require.Zero(t, res.Inserted)
	require.Equal(t, 2, res.Unchanged)
	require.Len(t, res.Rejected, 4)
	res, err = f.engine.Ingest(f.ctx, []kpi.Fact{batch[0], batch[5], rev("ok-3", "li", "2026-01-11", "1.50")}, kpi.AllOrNothing)
	require.NoError(t, err)
	require.Equal(t, goalkit.IngestResult{Inserted: 1, Unchanged: 2}, res)
	// 1.5 equals 1.50: identical content, whatever the representation.
	res, err = f.engine.Ingest(f.ctx, []kpi.Fact{rev("ok-3", "li", "2026-01-11", "1.5")}, kpi.AllOrNothing)
	require.NoError(t, err)
	require.Equal(t, goalkit.IngestResult{Unchanged: 1}, res)

	// The same key with another value conflicts and fails the whole batch,
	// in either mode.
	for _, mode := range []kpi.BatchMode{kpi.AllOrNothing, kpi.KeepGood} {
		_, err = f.engine.Ingest(f.ctx, []kpi.Fact{rev("new", "li", "2026-01-12", "5.00"), rev("ok-1", "li", "2026-01-10", "100.01")}, mode)
		require.ErrorIs(t, err, storage.ErrConflict)
		var ce *storage.ConflictError
		require.ErrorAs(t, err, &ce)
		require.Equal(t, "ok-1", ce.Key)
		_, err = f.store.GetFact(f.ctx, "new")
		require.ErrorIs(t, err, storage.ErrNotFound, "a conflicting batch stores nothing")
	}
	got, err := f.store.GetFact(f.ctx, "ok-1")
	require.NoError(t, err)
	requireDec(t, "100.00", got.Value, "never silently overwritten")
}

func TestRetractAndReplaceChangeStatus(t *testing.T) {
	f := newFixture(t, nil, nil)
	_, err := f.engine.SavePlan(f.ctx, f.seasonalPlan(t, "li-q1"), who)
	require.NoError(t, err)
	f.ingest(t, rev("a", "li", "2026-01-10", "80.00"), rev("b", "li", "2026-02-05", "50.00"), rev("c", "li", "2026-02-13", "20.00"))
	asOf := day("2026-02-13")

	steps := []struct {
		name            string
		do              func() error
		actual, attain  string
		projected, gapS string
	}{
		{"as ingested", func() error { return nil }, "150.00", "0.25", "450.00", "-0.083333"},
		{"retract b", func() error { return f.engine.Retract(f.ctx, "b") }, "100.00", "0.166667", "300.00", "-0.166666"},
		{"retract b again", func() error { return f.engine.Retract(f.ctx, "b") }, "100.00", "0.166667", "300.00", "-0.166666"},
		{"replace c", func() error { return f.engine.Replace(f.ctx, rev("c", "li", "2026-02-13", "120.00")) }, "200.00", "0.333333", "600.00", "0"},
		{"replace retracted b", func() error { return f.engine.Replace(f.ctx, rev("b", "li", "2026-02-05", "0.01")) }, "200.01", "0.33335", "600.03", "0.000017"},
		{"replace moves c after asOf", func() error { return f.engine.Replace(f.ctx, rev("c", "li", "2026-02-14", "120.00")) }, "80.01", "0.13335", "240.03", "-0.199983"},
	}
	for _, s := range steps {
		require.NoError(t, s.do(), s.name)
		st, err := f.engine.Status(f.ctx, "li-q1", "q1", asOf)
		require.NoError(t, err)
		requireDec(t, s.actual, st.Actual, s.name)
		requireNullDec(t, s.attain, st.Attainment, s.name)
		requireNullDec(t, s.projected, st.Projected, s.name)
		requireNullDec(t, s.gapS, st.GapRate, s.name)
	}

	err = f.engine.Retract(f.ctx, "never")
	require.ErrorIs(t, err, storage.ErrNotFound)
	require.Contains(t, err.Error(), `"never"`)
	err = f.engine.Replace(f.ctx, rev("never", "li", "2026-02-05", "1.00"))
	require.ErrorIs(t, err, storage.ErrNotFound)
	err = f.engine.Replace(f.ctx, rev("a", "li", "2026-02-05", "1.001"))
	require.ErrorIs(t, err, kpi.ErrInvalid)
	err = f.engine.Replace(f.ctx, rev("a", "nobody", "2026-02-05", "1.00"))
	require.ErrorIs(t, err, kpi.ErrInvalid)
	got, err := f.store.GetFact(f.ctx, "a")
	require.NoError(t, err)
	requireDec(t, "80.00", got.Value, "a rejected replacement changes nothing")
}

// TestSplitCreditCountsOnceForTheTeam splits deals between li and wang:
// each rep gets his share, their team and the company the whole value once.
func TestSplitCreditCountsOnceForTheTeam(t *testing.T) {
	f := newFixture(t, nil, nil)
	q1 := f.period(t, "2026-Q1")
	_, err := f.engine.Decompose(f.ctx, goal.Spec{PlanID: "rev", Metric: revenue, Unit: "acme", Period: q1, Target: dec("6000.00")}, who)
	require.NoError(t, err)
	half := dec("0.5")
	f.ingest(t,
		kpi.Fact{Key: "deal-1", Metric: "revenue", Date: day("2026-01-15"), Value: dec("100.00"),
			Credits: []kpi.Credit{{Unit: "li", Share: half}, {Unit: "wang", Share: half}}},
		kpi.Fact{Key: "deal-2", Metric: "revenue", Date: day("2026-01-16"), Value: dec("90.00"),
			Credits: []kpi.Credit{{Unit: "li", Share: dec("0.6")}, {Unit: "zhao", Share: dec("0.4")}}},
		rev("deal-3", "wang", "2026-01-17", "10.00"),
	)
	statuses, err := f.engine.Statuses(f.ctx, "rev", day("2026-03-31"))
	require.NoError(t, err)
	got := map[string]string{}
	for _, s := range statuses {
		got[s.Unit] = s.Actual.StringFixed(2)
	}
	require.Equal(t, map[string]string{
		"acme": "200.00", "north": "164.00", "south": "36.00",
		"li": "104.00", "wang": "60.00", "zhao": "36.00",
	}, got)

	// Shares must sum to 1 and name units of the org.
	_, err = f.engine.Ingest(f.ctx, []kpi.Fact{{Key: "bad-split", Metric: "revenue", Date: day("2026-01-16"), Value: dec("1.00"),
		Credits: []kpi.Credit{{Unit: "li", Share: half}, {Unit: "ghost", Share: half}}}}, kpi.AllOrNothing)
	require.ErrorIs(t, err, kpi.ErrInvalid)
}

// TestStatusOnThePlansCurve checks every figure of li's seasonal Q1 plan
// (January 100, February 200, March 300) as of Friday 13 February 2026,
// by hand:
//
//   - February has 20 working days, 10 of them elapsed, so the plan's curve
//     says (100 + 200×10/20) / 600 = 1/3 of the quarter is due; working days
//     would say 32/64 = 0.5 and calendar days 44/90.
//   - Actual 80 + 50 + 20 = 150 (the 14 February deal and the 2025 one do not
//     count): attainment 0.25, gap −0.083333, expected 200, ahead by −50.
//   - 32 working days remain: required run-rate 450/32 = 14.0625.
//   - Projection along the curve 150 ÷ 1/3 = 450; by calendar days
//     150 × 90/44 = 306.82.
func TestStatusOnThePlansCurve(t *testing.T) {
	f := newFixture(t, nil, nil)
	_, err := f.engine.SavePlan(f.ctx, f.seasonalPlan(t, "li-q1"), who)
	require.NoError(t, err)
	f.ingest(t,
		rev("old", "li", "2025-12-31", "500.00"),
		rev("a", "li", "2026-01-10", "80.00"),
		rev("b", "li", "2026-02-05", "50.00"),
		rev("c", "li", "2026-02-13", "20.00"),
		rev("late", "li", "2026-02-14", "1000.00"),
		rev("w", "wang", "2026-02-05", "7.00"),
	)
	asOf := day("2026-02-13")

	type want struct {
		actual, attainment, progress, gap, expected, aheadBy, remaining string
		remainingDays                                                   int
		runRate, projected, projectedLinear, projectedAttainment        string
	}
	tests := []struct {
		goal string
		want want
	}{
		{"q1", want{"150", "0.25", "0.333333", "-0.083333", "200", "-50", "450", 32, "14.0625", "450", "306.82", "0.75"}},
		// February is a leaf: paced by working days, 10 of 20.
		{"feb", want{"70", "0.35", "0.5", "-0.15", "100", "-30", "130", 10, "13", "140", "150.77", "0.7"}},
		// January is over: all of it elapsed, nothing remains.
		{"jan", want{"80", "0.8", "1", "-0.2", "100", "-20", "20", 0, "", "80", "80", "0.8"}},
		// March has not started: nothing elapsed, nothing to project.
		{"mar", want{"0", "0", "0", "0", "0", "0", "300", 22, "13.636364", "", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.goal, func(t *testing.T) {
			s, err := f.engine.Status(f.ctx, "li-q1", tt.goal, asOf)
			require.NoError(t, err)
			w := tt.want
			require.Equal(t, tt.goal, s.Goal)
			require.Equal(t, "li", s.Unit)
			require.Equal(t, asOf, s.AsOf)
			requireDec(t, w.actual, s.Actual, "actual")
			requireNullDec(t, w.attainment, s.Attainment, "attainment")
			requireDec(t, w.progress, s.TimeProgress, "time progress")
			requireNullDec(t, w.gap, s.GapRate, "gap")
			requireDec(t, w.expected, s.Expected, "expected")
			requireDec(t, w.aheadBy, s.AheadBy, "ahead by")
			requireDec(t, w.remaining, s.Remaining, "remaining")
			require.Equal(t, w.remainingDays, s.RemainingDays, "remaining days")
			requireNullDec(t, w.runRate, s.RequiredRunRate, "required run-rate")
			requireNullDec(t, w.projected, s.Projected, "projected")
			requireNullDec(t, w.projectedLinear, s.ProjectedLinear, "projected linear")
			requireNullDec(t, w.projectedAttainment, s.ProjectedAttainment, "projected attainment")
			require.False(t, s.ProjectedWithPipeline.Valid)
		})
	}

	// Statuses lists the goals that have started, in plan order.
	all, err := f.engine.Statuses(f.ctx, "li-q1", asOf)
	require.NoError(t, err)
	require.Len(t, all, 3)
	for i, id := range []string{"q1", "jan", "feb"} {
		require.Equal(t, id, all[i].Goal)
		one, err := f.engine.Status(f.ctx, "li-q1", id, asOf)
		require.NoError(t, err)
		require.Equal(t, one, all[i])
	}
	none, err := f.engine.Statuses(f.ctx, "li-q1", day("2025-12-31"))
	require.NoError(t, err)
	require.Empty(t, none)

	_, err = f.engine.Status(f.ctx, "li-q1", "apr", asOf)
	require.ErrorIs(t, err, goal.ErrNotFound)
	_, err = f.engine.Status(f.ctx, "nope", "q1", asOf)
	require.ErrorIs(t, err, storage.ErrNotFound)
	_, err = f.engine.Statuses(f.ctx, "nope", asOf)
	require.ErrorIs(t, err, storage.ErrNotFound)
}

// TestStatusTeamFollowsItsRepsCurves decomposes north's Q1 evenly over li
// and wang, then over months by a 1:2:3 profile: north itself has no months
// in the plan, so its curve is the sum of its reps' (100:200:300), and its
// progress as of 13 February is 1/3 as for li's hand-built plan.
func TestStatusTeamFollowsItsRepsCurves(t *testing.T) {
	f := newFixture(t, nil, nil)
	profile := goal.Profile{dec("1"), dec("2"), dec("3")} // April to December weigh nothing
	_, err := f.engine.Decompose(f.ctx, goal.Spec{
		PlanID: "north-q1", Metric: revenue, Unit: "north", Period: f.period(t, "2026-Q1"), Target: dec("600.00"),
		Time: goal.TimeRule{Steps: []goal.Grain{goal.Month}, Seasonal: &profile},
	}, who)
	require.NoError(t, err)
	f.ingest(t, rev("a", "li", "2026-01-10", "150.00"), rev("b", "wang", "2026-02-02", "7.00"))

	s, err := f.engine.Status(f.ctx, "north-q1", goal.GoalID("revenue", "north", f.period(t, "2026-Q1")), day("2026-02-13"))
	require.NoError(t, err)
	requireDec(t, "157", s.Actual)
	requireDec(t, "0.333333", s.TimeProgress)
	requireDec(t, "200", s.Expected)
	requireNullDec(t, "0.261667", s.Attainment)
	requireNullDec(t, "471", s.Projected)

	li, err := f.engine.Status(f.ctx, "north-q1", goal.GoalID("revenue", "li", f.period(t, "2026-Q1")), day("2026-02-13"))
	require.NoError(t, err)
	requireDec(t, "300", li.Target)
	requireDec(t, "0.333333", li.TimeProgress)
	requireDec(t, "100", li.Expected)
}

// TestStatusWithoutWorkingDays tracks goals over a weekend: a period with no
// working day is paced by calendar days (or along its days' targets), not an
// error.
func TestStatusWithoutWorkingDays(t *testing.T) {
	f := newFixture(t, nil, nil)
	weekend, err := goal.NewRange(day("2026-02-07"), day("2026-02-09"))
	require.NoError(t, err)
	sat, err := f.cal.PeriodOf(goal.Day, day("2026-02-07"))
	require.NoError(t, err)
	sun, err := f.cal.PeriodOf(goal.Day, day("2026-02-08"))
	require.NoError(t, err)
	flat, err := goal.NewPlan("flat", calls, []goal.Goal{{ID: "w", Metric: "calls", Unit: "li", Period: weekend, Target: dec("10")}})
	require.NoError(t, err)
	split, err := goal.NewPlan("split", calls, []goal.Goal{
		{ID: "w", Metric: "calls", Unit: "li", Period: weekend, Target: dec("10")},
		{ID: "sat", Parent: "w", Metric: "calls", Unit: "li", Period: sat, Target: dec("4")},
		{ID: "sun", Parent: "w", Metric: "calls", Unit: "li", Period: sun, Target: dec("6")},
	})
	require.NoError(t, err)
	for _, p := range []*goal.Plan{flat, split} {
		_, err := f.engine.SavePlan(f.ctx, p, who)
		require.NoError(t, err)
	}
	f.ingest(t, call("c1", "li", "2026-02-07", 3))

	tests := []struct {
		plan, goal, asOf, progress, expected string
	}{
		{"flat", "w", "2026-02-07", "0.5", "5"},
		{"flat", "w", "2026-02-08", "1", "10"},
		{"split", "w", "2026-02-07", "0.4", "4"},
		{"split", "w", "2026-02-08", "1", "10"},
		{"split", "sat", "2026-02-07", "1", "4"},
	}
	for _, tt := range tests {
		t.Run(tt.plan+"/"+tt.goal+"/"+tt.asOf, func(t *testing.T) {
			s, err := f.engine.Status(f.ctx, tt.plan, tt.goal, day(tt.asOf))
			require.NoError(t, err)
			requireDec(t, tt.progress, s.TimeProgress)
			requireDec(t, tt.expected, s.Expected)
			requireDec(t, "3", s.Actual)
		})
	}
	_, err = f.engine.Statuses(f.ctx, "split", day("2026-02-07"))
	require.NoError(t, err)
}

func TestPutDeal(t *testing.T) {
	crm := funnel.Funnel{Key: "crm", Stages: []funnel.Stage{{Key: "lead"}, {Key: "opportunity"}}, Won: "won", Lost: "lost"}
	f := newFixture(t, nil, func(c *goalkit.Config) { c.Funnels = []funnel.Funnel{crm} })
	good := funnel.Deal{ID: "d1", Funnel: "crm", Unit: "li", Value: dec("100.00"), Currency: "CNY",
		Transitions: []funnel.Transition{{Stage: "lead", Date: day("2026-01-02")}}}
	require.NoError(t, f.engine.PutDeal(f.ctx, good))
	got, err := f.store.GetDeal(f.ctx, "d1")
	require.NoError(t, err)
	require.Equal(t, "li", got.Unit)

	tests := []struct {
		name   string
		change func(*funnel.Deal)
		is     error
		says   string
	}{
		{"unknown funnel", func(d *funnel.Deal) { d.Funnel = "other" }, goalkit.ErrInvalid, "Config.Funnels"},
		{"unknown stage", func(d *funnel.Deal) { d.Transitions[0].Stage = "nowhere" }, funnel.ErrNotFound, `stage "nowhere"`},
		{"no transitions", func(d *funnel.Deal) { d.Transitions = nil }, funnel.ErrInvalid, `deal "d2"`},
		{"unknown unit", func(d *funnel.Deal) { d.Unit = "ghost" }, goal.ErrNotFound, "ghost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := good
			d.ID = "d2"
			d.Transitions = append([]funnel.Transition(nil), good.Transitions...)
			tt.change(&d)
			err := f.engine.PutDeal(f.ctx, d)
			require.ErrorIs(t, err, tt.is)
			require.Contains(t, err.Error(), tt.says)
			_, err = f.store.GetDeal(f.ctx, "d2")
			require.ErrorIs(t, err, storage.ErrNotFound)

			// The same validation in a batch: a good deal before the bad one
			// is not stored either.
			other := good
			other.ID = "d3"
			err = f.engine.PutDeals(f.ctx, []funnel.Deal{other, d})
			require.ErrorIs(t, err, tt.is)
			require.Contains(t, err.Error(), tt.says)
			_, err = f.store.GetDeal(f.ctx, "d3")
			require.ErrorIs(t, err, storage.ErrNotFound)
		})
	}

	t.Run("a batch", func(t *testing.T) {
		a, b := good, good
		a.ID, b.ID = "b1", "b2"
		a.Unit = "li"
		require.NoError(t, f.engine.PutDeals(f.ctx, []funnel.Deal{a, b}))
		for _, id := range []string{"b1", "b2"} {
			_, err := f.store.GetDeal(f.ctx, id)
			require.NoError(t, err)
		}
		err := f.engine.PutDeals(f.ctx, []funnel.Deal{a, a})
		require.ErrorIs(t, err, storage.ErrInvalid, "an ID listed twice")
		require.Contains(t, err.Error(), "listed twice")
	})
}

func TestEngineAccessors(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	f := newFixture(t, nil, func(c *goalkit.Config) {
		c.Location = loc
		c.Now = func() time.Time { return time.Date(2026, 3, 31, 16, 30, 0, 0, time.UTC) } // 00:30 on 1 April in Shanghai
	})
	require.Equal(t, day("2026-04-01"), f.engine.Today())
	m, ok := f.engine.Metric("revenue")
	require.True(t, ok)
	require.Equal(t, revenue, m)
	_, ok = f.engine.Metric("margin")
	require.False(t, ok)
	require.Same(t, f.cal, f.engine.Calendar())
	require.Equal(t, f.store, f.engine.Store())
}

// TestSplitCreditInMinorUnits splits 100.01 half and half: each rep must be
// credited in the metric's cents, 50.01 and 50.00 (the tie to the unit first
// in the org), as kpi.Fact documents, never 50.005, which a CNY figure
// cannot be. A value given with fewer places (10.1) still splits in cents,
// 5.05 each, not in tenths, on ingest and on replace.
func TestSplitCreditInMinorUnits(t *testing.T) {
	inPlaces := storage.SplitInPlaces(func(metric string) int32 {
		return map[string]int32{"revenue": 2, "calls": 0}[metric]
	})
	tests := []struct {
		name  string
		split storage.SplitFunc
	}{
		{"store splits in the metric's places", inPlaces},
		// storage.Split allocates in the value's own last place; the engine
		// writes every value with its metric's places.
		{"store's default split", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store, err := memory.New(memory.Config{Tenant: "acme", Split: tt.split})
			require.NoError(t, err)
			f := newFixture(t, store, nil)
			_, err = f.engine.Decompose(f.ctx, goal.Spec{PlanID: "rev", Metric: revenue, Unit: "north", Period: f.period(t, "2026-Q1"), Target: dec("6000.00")}, who)
			require.NoError(t, err)
			halves := []kpi.Credit{{Unit: "li", Share: dec("0.5")}, {Unit: "wang", Share: dec("0.5")}}
			f.ingest(t, kpi.Fact{Key: "deal", Metric: "revenue", Date: day("2026-01-15"), Value: dec("100.01"), Credits: halves},
				kpi.Fact{Key: "deal-2", Metric: "revenue", Date: day("2026-01-16"), Value: dec("10.1"), Credits: halves})
			actuals := func() map[string]string {
				statuses, err := f.engine.Statuses(f.ctx, "rev", day("2026-03-31"))
				require.NoError(t, err)
				got := map[string]string{}
				for _, s := range statuses {
					got[s.Unit] = s.Actual.String()
				}
				return got
			}
			require.Equal(t, map[string]string{"north": "110.11", "li": "55.06", "wang": "55.05"}, actuals())
			require.NoError(t, f.engine.Replace(f.ctx, kpi.Fact{Key: "deal-2", Metric: "revenue", Date: day("2026-01-16"), Value: dec("20.1"), Credits: halves}))
			require.Equal(t, map[string]string{"north": "120.11", "li": "60.06", "wang": "60.05"}, actuals())
		})
	}
}
