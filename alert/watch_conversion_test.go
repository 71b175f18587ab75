package alert_test

import (
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// watchFunnel is a two-stage lead funnel with a hand-made model: 30% of
// leads advance, each stage takes about a week.
var watchFunnel = funnel.Funnel{Key: "crm", Stages: []funnel.Stage{{Key: "lead"}, {Key: "opportunity"}}, Won: "won", Lost: "lost"}

func watchModel() funnel.Model {
	return funnel.Model{
		Funnel: watchFunnel,
		Stages: []funnel.StageModel{
			{Advance: decimal.RequireFromString("0.3"), Win: decimal.RequireFromString("0.12"), Days: 7},
			{Advance: decimal.RequireFromString("0.4"), Win: decimal.RequireFromString("0.4"), Days: 14},
		},
		AvgWonValue: decimal.NewFromInt(1000),
	}
}

var watchStart = date.MustParseISO("2026-01-05") // a Monday

// watchLeads returns 40 leads a week for rep "a" from watchStart: 12 advance
// two days after entering, the rest are lost then; from week dropAt only 3
// advance.
func watchLeads(weeks, dropAt int) []funnel.Deal {
	var deals []funnel.Deal
	for w := range weeks {
		won := 12
		if w >= dropAt {
			won = 3
		}
		monday := watchStart + date.Date(7*w)
		for i := range 40 {
			d := funnel.Deal{ID: fmt.Sprintf("w%02d-%02d", w, i), Funnel: "crm", Unit: "a", Transitions: []funnel.Transition{{Stage: "lead", Date: monday}}}
			next := "lost"
			if i < won {
				next = "opportunity"
			}
			d.Transitions = append(d.Transitions, funnel.Transition{Stage: next, Date: monday + 2})
			deals = append(deals, d)
		}
	}
	return deals
}

func watchOrg(t *testing.T) *goal.Org {
	t.Helper()
	org, err := goal.NewOrg([]goal.Unit{{ID: "team"}, {ID: "a", Parent: "team"}, {ID: "b", Parent: "team"}})
	require.NoError(t, err)
	return org
}

func TestConversionWatchValidate(t *testing.T) {
	require.NoError(t, alert.ConversionWatch{Model: watchModel()}.Validate())
	for name, w := range map[string]alert.ConversionWatch{
		"grain":   {Model: watchModel(), Grain: goal.Grain(99)},
		"settle":  {Model: watchModel(), Settle: -1},
		"history": {Model: watchModel(), History: -1},
		"drop":    {Model: watchModel(), Rule: alert.ConversionDropRule{Detector: alert.DetectorSpec{Drop: 2}}},
	} {
		require.ErrorIs(t, w.Validate(), alert.ErrInvalid, name)
	}
	require.Error(t, alert.ConversionWatch{}.Validate(), "a model without a funnel")
}

// TestConversionRoundFold steps a watch week by week as a host does,
// keeping each stream's state between rounds: quiet before the drop, firing
// after it; a stream without deals is not watched; a round with nothing new
// settled stores nothing and repeats the standing.
func TestConversionRoundFold(t *testing.T) {
	const weeks, dropAt = 30, 18
	cal, err := goal.NewCalendar(nil)
	require.NoError(t, err)
	org := watchOrg(t)
	a, _ := org.Index("a")
	b, _ := org.Index("b")
	deals := watchLeads(weeks, dropAt)
	w := alert.ConversionWatch{Model: watchModel(), Rule: alert.ConversionDropRule{Detector: alert.DetectorSpec{Options: &alert.CalibrateOptions{Replicates: 300, Seed: 1}}}}
	var c alert.Calibrator
	var state *alert.StreamState
	// The stream's alert identity: the rule, the unit, the stage's metric and the stage.
	identity := alert.Sample{Rule: alert.RuleConversionDrop, Unit: "a", Metric: watchFunnel.StageMetric(0), Extra: alert.Labels{alert.LabelStage: "lead"}}.Fingerprint()
	fired := -1
	for week := 10; week < weeks+2; week++ {
		asOf := watchStart + date.Date(7*week+4) // Fridays
		round, err := w.Round(cal, org, deals, asOf, &c)
		require.NoError(t, err)
		fp, err := round.Fingerprint(0, "a")
		require.NoError(t, err)
		require.Equal(t, identity, fp)

		smp, next, err := round.Fold(0, b, nil)
		require.NoError(t, err)
		require.Nil(t, smp, "b has no deals: not watched")
		require.Nil(t, next)

		smp, next, err = round.Fold(0, a, state)
		require.NoError(t, err)
		require.NotNil(t, smp)
		require.Equal(t, identity, smp.Fingerprint())
		if state == nil {
			require.NotNil(t, next, "a new stream is stored")
			require.False(t, smp.Active, "a new stream folds nothing")
		}
		if next != nil {
			state = next
		}
		again, none, err := round.Fold(0, a, state)
		require.NoError(t, err)
		require.Nil(t, none, "nothing new settled: nothing to store")
		require.Equal(t, smp.Active, again.Active, "the standing repeats")
		if smp.Active && fired < 0 {
			fired = week
		}
	}
	// A week's cohort settles a week after it ends.
	require.Greater(t, fired, dropAt+1, "no alarm before the drop")
	require.LessOrEqual(t, fired, dropAt+8, "the drop is caught within weeks")
}

// TestConversionRoundFoldPathIndependent: once cohorts have settled, folding
// two weeks in one round leaves the same state as folding them a week at a
// time.
func TestConversionRoundFoldPathIndependent(t *testing.T) {
	cal, err := goal.NewCalendar(nil)
	require.NoError(t, err)
	org := watchOrg(t)
	a, _ := org.Index("a")
	deals := watchLeads(20, 12)
	w := alert.ConversionWatch{Model: watchModel(), Rule: alert.ConversionDropRule{Detector: alert.DetectorSpec{Options: &alert.CalibrateOptions{Replicates: 300, Seed: 1}}}}
	var c alert.Calibrator
	friday := func(week int) date.Date { return watchStart + date.Date(7*week+4) }
	fold := func(week int, prev *alert.StreamState) *alert.StreamState {
		round, err := w.Round(cal, org, deals, friday(week), &c)
		require.NoError(t, err)
		_, next, err := round.Fold(0, a, prev)
		require.NoError(t, err)
		require.NotNil(t, next)
		return next
	}
	start := fold(9, nil)
	stepped := fold(11, fold(10, start))
	jumped := fold(11, start)
	require.Equal(t, stepped, jumped)
	require.Greater(t, jumped.Through, start.Through)
}

// TestConversionRoundRefusesBadInput: a bad watch, a missing calendar or
// org, and stage or unit indexes out of range are errors, never panics.
func TestConversionRoundRefusesBadInput(t *testing.T) {
	cal, err := goal.NewCalendar(nil)
	require.NoError(t, err)
	org := watchOrg(t)
	w := alert.ConversionWatch{Model: watchModel()}
	_, err = alert.ConversionWatch{Model: watchModel(), Settle: -1}.Round(cal, org, nil, watchStart, nil)
	require.ErrorIs(t, err, alert.ErrInvalid)
	_, err = w.Round(nil, org, nil, watchStart, nil)
	require.ErrorIs(t, err, alert.ErrInvalid)
	_, err = w.Round(cal, nil, nil, watchStart, nil)
	require.ErrorIs(t, err, alert.ErrInvalid)

	round, err := w.Round(cal, org, nil, watchStart, nil)
	require.NoError(t, err)
	_, err = round.Fingerprint(2, "a")
	require.ErrorIs(t, err, alert.ErrInvalid)
	_, _, err = round.Fold(-1, 0, nil)
	require.ErrorIs(t, err, alert.ErrInvalid)
	_, _, err = round.Fold(0, org.Len(), nil)
	require.ErrorIs(t, err, alert.ErrInvalid)
	_, _, err = round.Fold(0, 0, &alert.StreamState{})
	require.ErrorIs(t, err, alert.ErrInvalid, "a stored state without a detector")
}
