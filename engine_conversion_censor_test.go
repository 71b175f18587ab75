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
	"github.com/stretchr/testify/require"
)

// TestConversionWatchLossesNeverRecorded is TestConversionWatch for a lead
// funnel that never marks a lead lost: a lead that does not convert just
// stays in the lead stage. Counting resolved deals, every cohort converts
// 100% and the drop from 30% to 15% is never seen; with the model measured
// by funnel.Measure (censoring-aware, with its conversion curve) the watch
// compares each settled cohort's share advancing within the settling time
// with the model's, and catches it.
func TestConversionWatchLossesNeverRecorded(t *testing.T) {
	ctx := context.Background()
	crm := funnel.Funnel{Key: "crm", Stages: []funnel.Stage{{Key: "lead"}, {Key: "opportunity"}}, Won: "won", Lost: "lost"}
	rng := rand.New(rand.NewPCG(11, 12))
	start := date.MustParseISO("2026-01-05") // a Monday
	const weeks, dropAt = 32, 20
	var deals []funnel.Deal
	for w := range weeks {
		p := 0.3
		if w >= dropAt {
			p = 0.15
		}
		monday := start + date.Date(7*w)
		for range 30 + rng.IntN(21) {
			d := funnel.Deal{ID: fmt.Sprintf("d%04d", len(deals)+1), Funnel: "crm", Unit: "rep", Transitions: []funnel.Transition{{Stage: "lead", Date: monday}}}
			if rng.Float64() < p {
				d.Transitions = append(d.Transitions, funnel.Transition{Stage: "opportunity", Date: monday + 3})
			}
			deals = append(deals, d)
		}
	}
	// The model: the first ten weeks, measured three weeks later.
	m, err := funnel.Measure(crm, deals, funnel.MeasureOptions{AsOf: start + 7*13, To: start + 7*10})
	require.NoError(t, err)
	model := m.Model()
	requireNear := func(want float64, got interface{ Float64() (float64, bool) }, msg string) {
		f, _ := got.Float64()
		require.InDelta(t, want, f, 0.05, msg)
	}
	requireNear(0.3, model.Stages[0].Advance, "censoring-aware: about 30% of leads convert")
	requireNear(1, m.Stages[0].Advance.Rate, "resolved-only: 100%")

	run := func(model funnel.Model) (firedWeek int, detectors int, err error) {
		store, err := memory.New(memory.Config{Tenant: "t"})
		require.NoError(t, err)
		e, err := goalkit.New(ctx, store, &goalkit.Config{
			Metrics: []goal.Metric{{Key: "calls", Kind: goal.Count}},
			Funnels: []funnel.Funnel{crm},
			Rules: goalkit.Rules{Conversion: []goalkit.ConversionWatch{{
				Model: model, Settle: 7,
				Rule: alert.ConversionDropRule{Detector: alert.DetectorSpec{Options: &alert.CalibrateOptions{Replicates: 500, Seed: 1}}},
			}}},
		})
		require.NoError(t, err)
		require.NoError(t, e.SetOrg(ctx, []goal.Unit{{ID: "rep"}}))
		for _, d := range deals {
			require.NoError(t, e.PutDeal(ctx, d))
		}
		firedWeek = -1
		for w := 10; w < weeks+2; w++ {
			ev, err := e.Evaluate(ctx, start+date.Date(7*w+4))
			if err != nil {
				return firedWeek, detectors, err
			}
			for _, tr := range ev.Transitions {
				if tr.Rule == alert.RuleConversionDrop && tr.To == alert.StateFiring && firedWeek < 0 {
					firedWeek = w
				}
			}
		}
		stored, err := store.ListAlerts(ctx)
		require.NoError(t, err)
		for _, s := range stored {
			if s.State == "watching" {
				detectors++
			}
		}
		return firedWeek, detectors, nil
	}

	firedWeek, detectors, err := run(model)
	require.NoError(t, err)
	t.Logf("planned share advancing within 7 days %s; the drop at week %d fired at week %d", model.Stages[0].Curve[len(model.Stages[0].Curve)-1].Event, dropAt, firedWeek)
	require.GreaterOrEqual(t, firedWeek, dropAt+1, "no alarm before the drop")
	require.LessOrEqual(t, firedWeek, dropAt+10, "the drop is caught within weeks")
	require.Equal(t, 1, detectors, "the lead stage is watched; no opportunity ever converted in the model, so there is no rate to drop from")

	// Counting resolved deals, every lead that moved converted: the plan is
	// 100%, which no detector can watch.
	_, _, err = run(m.ResolvedModel())
	require.ErrorContains(t, err, "got 1")
}
