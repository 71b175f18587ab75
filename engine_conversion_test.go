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

// TestConversionWatch runs a rep's lead stage through the engine: about 40
// leads a week convert at 30% for 20 weeks, then at 15%. The watch's CUSUM,
// calibrated for one false alarm in 200 weeks, stays quiet before the drop
// and raises one conversion_drop alert a few weeks after it, stored with its
// detector in the same transaction.
func TestConversionWatch(t *testing.T) {
	ctx := context.Background()
	crm := funnel.Funnel{Key: "crm", Stages: []funnel.Stage{{Key: "lead"}, {Key: "opportunity"}}, Won: "won", Lost: "lost"}
	model := funnel.Model{
		Funnel: crm,
		Stages: []funnel.StageModel{
			{Advance: decimal.RequireFromString("0.3"), Win: decimal.RequireFromString("0.12"), Days: 7},
			{Advance: decimal.RequireFromString("0.4"), Win: decimal.RequireFromString("0.4"), Days: 14},
		},
		AvgWonValue: decimal.NewFromInt(1000),
	}
	store, err := memory.New(memory.Config{Tenant: "t"})
	require.NoError(t, err)
	e, err := goalkit.New(ctx, store, &goalkit.Config{
		Metrics: []goal.Metric{{Key: "calls", Kind: goal.Count}},
		Funnels: []funnel.Funnel{crm},
		Rules: goalkit.Rules{Conversion: []goalkit.ConversionWatch{{
			Model: model,
			Rule:  alert.ConversionDropRule{Detector: alert.DetectorSpec{Options: &alert.CalibrateOptions{Replicates: 500, Seed: 1}}},
		}}},
	})
	require.NoError(t, err)
	require.NoError(t, e.SetOrg(ctx, []goal.Unit{{ID: "rep"}}))

	// Leads enter on Mondays; each is lost or advances 3 days later.
	rng := rand.New(rand.NewPCG(11, 12))
	start := date.MustParseISO("2026-01-05") // a Monday
	const weeks, dropAt = 32, 20
	n := 0
	for w := range weeks {
		p := 0.3
		if w >= dropAt {
			p = 0.15
		}
		monday := start + date.Date(7*w)
		for range 30 + rng.IntN(21) {
			n++
			next := "lost"
			if rng.Float64() < p {
				next = "opportunity"
			}
			require.NoError(t, e.PutDeal(ctx, funnel.Deal{ID: fmt.Sprintf("d%04d", n), Funnel: "crm", Unit: "rep",
				Transitions: []funnel.Transition{{Stage: "lead", Date: monday}, {Stage: next, Date: monday + 3}}}))
		}
	}

	firedWeek := -1
	for w := 10; w < weeks+2; w++ {
		asOf := start + date.Date(7*w+4) // Fridays
		ev, err := e.Evaluate(ctx, asOf)
		require.NoError(t, err)
		for _, tr := range ev.Transitions {
			if tr.Rule == alert.RuleConversionDrop && tr.To == alert.StateFiring && firedWeek < 0 {
				firedWeek = w
			}
		}
	}
	// The lead cohort of week w settles a week after it ends.
	require.GreaterOrEqual(t, firedWeek, dropAt+1, "no alarm before the drop")
	require.LessOrEqual(t, firedWeek, dropAt+10, "the drop is caught within weeks")

	stored, err := store.ListAlerts(ctx)
	require.NoError(t, err)
	var detectors, firing int
	for _, s := range stored {
		switch s.State {
		case "watching":
			detectors++
		case string(alert.StateFiring):
			firing++
		}
	}
	require.Equal(t, 1, detectors, "the lead stage is watched; opportunities never resolve here, so that stage is not")
	require.Equal(t, 1, firing, "one drop is one alert across weeks")
}
