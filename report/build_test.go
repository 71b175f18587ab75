package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/report"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

var sales = funnel.Funnel{Key: "sales", Won: "won", Lost: "lost",
	Stages: []funnel.Stage{{Key: "lead", Name: "Lead"}, {Key: "proposal", Name: "Proposal"}}}

// quarter is a team's Q1 revenue split over two reps and three months,
// with li ahead, wang at zero (and behind pace by mid-February), and four
// deals in the funnel.
func quarter(t *testing.T) (*goalkit.Engine, string) {
	t.Helper()
	ctx := context.Background()
	store, err := memory.New(memory.Config{Tenant: "acme"})
	require.NoError(t, err)
	revenue := goal.Metric{Key: "revenue", Name: "Contract amount", Kind: goal.Amount, Currency: "CNY", Places: 2}
	e, err := goalkit.New(ctx, store, &goalkit.Config{
		Metrics: []goal.Metric{revenue},
		Now:     func() time.Time { return time.Date(2026, 2, 13, 9, 0, 0, 0, time.UTC) },
		Funnels: []funnel.Funnel{sales},
		Rules:   goalkit.Rules{Pace: map[string]alert.PaceRule{"revenue": {Alpha: 0.05, Dispersion: 1000}}},
	})
	require.NoError(t, err)
	require.NoError(t, e.SetOrg(ctx, []goal.Unit{
		{ID: "north", Kind: "team", Name: "North"},
		{ID: "li", Parent: "north", Kind: "rep", Name: "Li Na"},
		{ID: "wang", Parent: "north", Kind: "rep", Name: "Wang Wei"},
	}))
	q1, err := e.Calendar().Parse("2026-Q1")
	require.NoError(t, err)
	plan, err := e.Decompose(ctx, goal.Spec{
		PlanID: "north-2026-Q1", Metric: revenue, Unit: "north", Period: q1, Target: dec("600000.00"),
		Time: goal.TimeRule{Steps: []goal.Grain{goal.Month}},
	}, goalkit.Change{Actor: "director"})
	require.NoError(t, err)
	_, err = e.Ingest(ctx, []kpi.Fact{
		{Key: "d1", Metric: "revenue", Unit: "li", Date: date.New(2026, 1, 20), Value: dec("150000.00")},
		{Key: "d2", Metric: "revenue", Unit: "li", Date: date.New(2026, 2, 10), Value: dec("60000.00")},
	}, kpi.AllOrNothing)
	require.NoError(t, err)
	deal := func(id, unit string, tr ...funnel.Transition) {
		require.NoError(t, e.PutDeal(ctx, funnel.Deal{ID: id, Funnel: "sales", Unit: unit, Currency: "CNY", Value: dec("1000"), Transitions: tr}))
	}
	at := func(stage string, m time.Month, d int) funnel.Transition {
		return funnel.Transition{Stage: stage, Date: date.New(2026, m, d)}
	}
	deal("a", "li", at("lead", 1, 5), at("proposal", 1, 12), at("won", 1, 20))
	deal("b", "li", at("lead", 1, 6), at("proposal", 1, 15), at("lost", 2, 1))
	deal("c", "wang", at("lead", 1, 7), at("lost", 1, 30))
	deal("d", "wang", at("lead", 2, 2))
	_, err = e.Evaluate(ctx, date.New(2026, 2, 13))
	require.NoError(t, err)
	return e, plan.ID
}

func TestFromEngine(t *testing.T) {
	e, planID := quarter(t)
	d, err := report.FromEngine(context.Background(), e, planID, date.New(2026, 2, 13), &report.Options{Funnel: sales})
	require.NoError(t, err)
	require.NoError(t, d.Validate())
	require.Equal(t, "Contract amount 2026-Q1", d.Title)
	require.Equal(t, "CNY", d.Currency)
	require.Equal(t, int32(2), d.Places)

	// The plan's curve at each month's end and on the as-of day, with the
	// team's actual up to the as-of day.
	require.Len(t, d.Burnup, 4)
	days := []date.Date{date.New(2026, 1, 31), date.New(2026, 2, 13), date.New(2026, 2, 28), date.New(2026, 3, 31)}
	for i, p := range d.Burnup {
		require.Equal(t, days[i], p.Day, "point %d", i)
	}
	require.True(t, d.Burnup[3].Plan.Equal(dec("600000")), "the curve ends at the target: %s", d.Burnup[3].Plan)
	require.True(t, d.Burnup[0].Actual.Valid && d.Burnup[0].Actual.Decimal.Equal(dec("150000")), "%v", d.Burnup[0].Actual)
	require.True(t, d.Burnup[1].Actual.Valid && d.Burnup[1].Actual.Decimal.Equal(dec("210000")), "%v", d.Burnup[1].Actual)
	require.True(t, d.Burnup[1].Plan.GreaterThan(d.Burnup[0].Plan) && d.Burnup[1].Plan.LessThan(d.Burnup[2].Plan))
	require.False(t, d.Burnup[2].Actual.Valid, "no actual after the as-of day")

	// Wang is behind: one pace alert fired on the evaluation day.
	require.NotEmpty(t, d.Alerts)
	require.Contains(t, d.Alerts, report.Alert{Rule: "pace", Unit: "Wang Wei", Subject: "Contract amount 2026-Q1", Since: date.New(2026, 2, 13)})
	require.Len(t, d.Markers, 1)
	require.Equal(t, report.Marker{Day: date.New(2026, 2, 13), Count: len(d.Alerts)}, d.Markers[0])

	// The funnel: 4 leads, 2 proposals; 1 won.
	require.NotNil(t, d.Funnel)
	require.Len(t, d.Funnel.Stages, 2)
	require.Equal(t, "Lead", d.Funnel.Stages[0].Name)
	require.Equal(t, 4, d.Funnel.Stages[0].Entered)
	require.Equal(t, 2, d.Funnel.Stages[0].Advanced)
	require.Equal(t, 1, d.Funnel.Won)

	// Reps × months; March not started.
	require.Equal(t, []string{"2026-01", "2026-02", "2026-03"}, d.Heatmap.Periods)
	require.Len(t, d.Heatmap.Rows, 2)
	require.Equal(t, "Li Na", d.Heatmap.Rows[0].Unit)
	li := d.Heatmap.Rows[0].Cells
	require.True(t, li[0].Attainment.Valid && li[0].Attainment.Decimal.GreaterThan(dec("1")), "li beat January: %v", li[0].Attainment)
	require.False(t, li[0].InProgress)
	require.True(t, li[1].InProgress)
	require.False(t, li[2].Attainment.Valid, "March has not started")

	// Li leads Wang.
	require.Len(t, d.Leaders, 2)
	require.Equal(t, "Li Na", d.Leaders[0].Unit)
	require.True(t, d.Leaders[0].Actual.Equal(dec("210000")))
	require.Equal(t, "Wang Wei", d.Leaders[1].Unit)

	// Names in the reader's language.
	d, err = report.FromEngine(context.Background(), e, planID, date.New(2026, 2, 13), &report.Options{Funnel: sales,
		UnitNames: map[string]string{"wang": "王伟"}, MetricNames: map[string]string{"revenue": "合同金额"}, StageNames: map[string]string{"lead": "线索"}})
	require.NoError(t, err)
	require.Equal(t, "合同金额", d.Metric)
	require.Equal(t, "合同金额 2026-Q1", d.Title)
	require.Contains(t, d.Alerts, report.Alert{Rule: "pace", Unit: "王伟", Subject: "合同金额 2026-Q1", Since: date.New(2026, 2, 13)})
	require.Equal(t, "线索", d.Funnel.Stages[0].Name)
	require.Equal(t, "Proposal", d.Funnel.Stages[1].Name, "a stage without a name of its own keeps the funnel's")
	require.Equal(t, "Li Na", d.Leaders[0].Unit)

	// One rep on the board when asked for one.
	d, err = report.FromEngine(context.Background(), e, planID, date.New(2026, 2, 13), &report.Options{Leaders: 1})
	require.NoError(t, err)
	require.Len(t, d.Leaders, 1)
	require.Nil(t, d.Funnel, "no funnel asked for")
}

func TestFromEngineErrors(t *testing.T) {
	e, planID := quarter(t)
	ctx := context.Background()
	_, err := report.FromEngine(ctx, e, "no-such-plan", date.New(2026, 2, 13), nil)
	require.ErrorIs(t, err, storage.ErrNotFound)
	_, err = report.FromEngine(ctx, e, planID, date.New(2025, 12, 31), nil)
	require.ErrorIs(t, err, report.ErrInvalid)
	require.ErrorContains(t, err, "starts on 2026-01-01")
	_, err = report.FromEngine(ctx, nil, planID, date.New(2026, 2, 13), nil)
	require.ErrorIs(t, err, report.ErrInvalid)

	// After the period: its last day.
	d, err := report.FromEngine(ctx, e, planID, date.New(2026, 6, 1), nil)
	require.NoError(t, err)
	require.Equal(t, date.New(2026, 3, 31), d.AsOf)
}
