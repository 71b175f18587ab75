package goalkit_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// leadCRM is the funnel of the conversion watch tests.
var leadCRM = funnel.Funnel{Key: "crm", Stages: []funnel.Stage{{Key: "lead"}, {Key: "opportunity"}}, Won: "won", Lost: "lost"}

// The weekly lead histories of the conversion watch tests: 30 to 50 leads
// enter on each Monday from 5 January 2026 and convert 3 days later at 30%
// for 20 weeks, then at 15%. A lead that does not convert is lost 3 days
// later, or, when losses are not recorded, just stays a lead. sameDay makes
// leads convert on the day they enter instead.
const (
	leadWeeks  = 32
	leadDropAt = 20
)

var leadStart = date.MustParseISO("2026-01-05") // a Monday

func weeklyLeads(recordLosses, sameDay bool) []funnel.Deal {
	lag := date.Date(3)
	if sameDay {
		lag = 0
	}
	rng := rand.New(rand.NewPCG(11, 12))
	var deals []funnel.Deal
	for w := range leadWeeks {
		p := 0.3
		if w >= leadDropAt {
			p = 0.15
		}
		monday := leadStart + date.Date(7*w)
		for range 30 + rng.IntN(21) {
			d := funnel.Deal{ID: fmt.Sprintf("d%04d", len(deals)+1), Funnel: "crm", Unit: "rep", Transitions: []funnel.Transition{{Stage: "lead", Date: monday}}}
			switch {
			case rng.Float64() < p:
				d.Transitions = append(d.Transitions, funnel.Transition{Stage: "opportunity", Date: monday + lag})
			case recordLosses:
				d.Transitions = append(d.Transitions, funnel.Transition{Stage: "lost", Date: monday + 3})
			}
			deals = append(deals, d)
		}
	}
	return deals
}

// watchLeads runs a conversion watch of model over the deals in an engine,
// evaluating every Friday from week 10, and returns the week the first
// conversion_drop alert fired (-1 for none), the detectors stored and the
// stored alert states.
func watchLeads(t *testing.T, model funnel.Model, settle int, deals []funnel.Deal) (firedWeek int, states []string, err error) {
	ctx := context.Background()
	store, err := memory.New(memory.Config{Tenant: "t"})
	require.NoError(t, err)
	e, err := goalkit.New(ctx, store, &goalkit.Config{
		Metrics: []goal.Metric{{Key: "calls", Kind: goal.Count}},
		Funnels: []funnel.Funnel{leadCRM},
		Rules: goalkit.Rules{Conversion: []alert.ConversionWatch{{
			Model: model, Settle: settle,
			Rule: alert.ConversionDropRule{Detector: alert.DetectorSpec{Options: &alert.CalibrateOptions{Replicates: 500, Seed: 1}}},
		}}},
	})
	require.NoError(t, err)
	require.NoError(t, e.SetOrg(ctx, []goal.Unit{{ID: "rep"}}))
	for _, d := range deals {
		require.NoError(t, e.PutDeal(ctx, d))
	}
	firedWeek = -1
	for w := 10; w < leadWeeks+2; w++ {
		asOf := leadStart + date.Date(7*w+4) // Fridays
		ev, err := e.Evaluate(ctx, asOf)
		if err != nil {
			return firedWeek, nil, err
		}
		for _, tr := range ev.StateChanges {
			if tr.Rule == alert.RuleConversionDrop && tr.To == alert.StateFiring && firedWeek < 0 {
				firedWeek = w
			}
		}
	}
	stored, err := store.ListAlerts(ctx)
	require.NoError(t, err)
	for _, s := range stored {
		states = append(states, s.State)
	}
	return firedWeek, states, nil
}

// count returns how many of xs equal x.
func count(xs []string, x string) int {
	n := 0
	for _, s := range xs {
		if s == x {
			n++
		}
	}
	return n
}

// TestConversionWatch runs a rep's lead stage through the engine: about 40
// leads a week convert at 30% for 20 weeks, then at 15%. The watch's CUSUM,
// calibrated for one false alarm in 200 weeks, stays quiet before the drop
// and raises one conversion_drop alert a few weeks after it, stored with its
// detector in the same transaction.
func TestConversionWatch(t *testing.T) {
	model := funnel.Model{
		Funnel: leadCRM,
		Stages: []funnel.StageModel{
			{Advance: decimal.RequireFromString("0.3"), Win: decimal.RequireFromString("0.12"), Days: 7},
			{Advance: decimal.RequireFromString("0.4"), Win: decimal.RequireFromString("0.4"), Days: 14},
		},
		AvgWonValue: decimal.NewFromInt(1000),
	}
	firedWeek, states, err := watchLeads(t, model, 0, weeklyLeads(true, false))
	require.NoError(t, err)
	// The lead cohort of week w settles a week after it ends.
	require.GreaterOrEqual(t, firedWeek, leadDropAt+1, "no alarm before the drop")
	require.LessOrEqual(t, firedWeek, leadDropAt+10, "the drop is caught within weeks")
	require.Equal(t, 1, count(states, "watching"), "the lead stage is watched; opportunities never resolve here, so that stage is not")
	require.Equal(t, 1, count(states, string(alert.StateFiring)), "one drop is one alert across weeks")
}

// TestConversionWatchLossesNeverRecorded is TestConversionWatch for a lead
// funnel that never marks a lead lost: a lead that does not convert just
// stays in the lead stage. Counting resolved deals, every cohort converts
// 100%, a plan no detector can watch; with the model measured by
// funnel.Measure (censoring-aware, with its conversion curve) the watch
// compares each settled cohort's share advancing within the settling time
// with the model's, and catches the drop.
func TestConversionWatchLossesNeverRecorded(t *testing.T) {
	deals := weeklyLeads(false, false)
	// The model: the first ten weeks, measured three weeks later.
	m, err := funnel.Measure(leadCRM, deals, funnel.MeasureOptions{AsOf: leadStart + 7*13, To: leadStart + 7*10})
	require.NoError(t, err)
	model := m.Model()
	advance, _ := model.Stages[0].Advance.Float64()
	require.InDelta(t, 0.3, advance, 0.05, "censoring-aware: about 30% of leads convert")
	requireDecimal(t, "1", m.Stages[0].Advance.Rate, "resolved-only: 100%")

	firedWeek, states, err := watchLeads(t, model, 7, deals)
	require.NoError(t, err)
	t.Logf("the drop at week %d fired at week %d", leadDropAt, firedWeek)
	require.GreaterOrEqual(t, firedWeek, leadDropAt+1, "no alarm before the drop")
	require.LessOrEqual(t, firedWeek, leadDropAt+10, "the drop is caught within weeks")
	require.Equal(t, 1, count(states, "watching"), "the lead stage is watched; no opportunity ever converted in the model, so there is no rate to drop from")

	_, _, err = watchLeads(t, m.ResolvedModel(), 7, deals)
	require.ErrorContains(t, err, "got 1", "the resolved-only plan is 100%")
}

// TestConversionWatchSameDay watches leads that convert on the day they
// enter: the measured typical stay is 0 days, so cohorts settle as soon as
// their period ends, and a lead must have advanced within a day to count.
func TestConversionWatchSameDay(t *testing.T) {
	deals := weeklyLeads(false, true)
	m, err := funnel.Measure(leadCRM, deals, funnel.MeasureOptions{AsOf: leadStart + 7*13, To: leadStart + 7*10})
	require.NoError(t, err)
	model := m.Model()
	require.Zero(t, model.Stages[0].Days)
	firedWeek, states, err := watchLeads(t, model, 0, deals)
	require.NoError(t, err)
	require.Equal(t, 1, count(states, "watching"), "the lead stage is watched")
	require.GreaterOrEqual(t, firedWeek, leadDropAt+1, "no alarm before the drop")
	require.LessOrEqual(t, firedWeek, leadDropAt+10, "the drop is caught within weeks")
}

// requireDecimal compares a decimal with want by value.
func requireDecimal(t *testing.T, want string, got decimal.Decimal, msg string) {
	t.Helper()
	require.Truef(t, decimal.RequireFromString(want).Equal(got), "want %s, got %s: %s", want, got, msg)
}

// TestConversionWatchConfig: New validates every watch (alert.ConversionWatch.Validate) and
// refuses a bad one as invalid configuration.
func TestConversionWatchConfig(t *testing.T) {
	store, err := memory.New(memory.Config{Tenant: "t"})
	require.NoError(t, err)
	model := funnel.Model{Funnel: leadCRM, Stages: []funnel.StageModel{{Advance: decimal.RequireFromString("0.3"), Days: 7}, {Advance: decimal.RequireFromString("0.4"), Days: 7}}}
	_, err = goalkit.New(context.Background(), store, &goalkit.Config{
		Metrics: []goal.Metric{{Key: "calls", Kind: goal.Count}},
		Funnels: []funnel.Funnel{leadCRM},
		Rules:   goalkit.Rules{Conversion: []alert.ConversionWatch{{Model: model, Settle: -1}}},
	})
	require.ErrorIs(t, err, goalkit.ErrInvalid)
	require.ErrorIs(t, err, alert.ErrInvalid)
	require.ErrorContains(t, err, "Settle and History must not be negative")
}
