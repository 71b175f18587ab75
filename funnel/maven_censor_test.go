package funnel

import (
	"testing"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// dropLosses returns the deals with every loss erased: a lost deal becomes
// open in the stage it was lost from, as in a lead funnel that never
// records a loss. With closedOnly, deals open in the data are left out.
func dropLosses(deals []Deal, closedOnly bool) []Deal {
	out := make([]Deal, 0, len(deals))
	for _, d := range deals {
		last := d.Transitions[len(d.Transitions)-1].Stage
		switch last {
		case "Lost":
			d.Transitions = d.Transitions[:len(d.Transitions)-1]
		case "Won":
		default:
			if closedOnly {
				continue
			}
		}
		out = append(out, d)
	}
	return out
}

// TestMavenLossesErased erases every loss date of the Maven CRM data (a
// lost deal becomes open, as in a lead funnel that never records a loss) and
// checks that the censoring-aware measurement recovers the win rate
// measured with the losses, 63.15% (4,238 of 6,711 closed deals), where
// counting resolved deals reports 100%. Deals open in the data are left out:
// their fate is unknown, so the 63.15% says nothing about them.
func TestMavenLossesErased(t *testing.T) {
	md := loadMaven(t)
	f := mavenFunnel()
	asOf := date.New(2017, 12, 31)
	truth, err := Measure(f, md.deals, MeasureOptions{AsOf: asOf})
	require.NoError(t, err)
	requireDec(t, "0.631501", truth.Stages[1].Win.Rate, "4238 of 6711")

	erased := dropLosses(md.deals, true)
	m, err := Measure(f, erased, MeasureOptions{AsOf: asOf})
	require.NoError(t, err)
	eng := m.Stages[1]
	requireDec(t, "1", eng.Win.Rate, "resolved-only: every resolved deal was won")
	requireDec(t, "0.999", eng.Win.Low.Round(3), "and its Wilson interval looks certain")

	// The cohorts that had the longest win cycle (138 days) to mature: every
	// win is observed, an immature deal is neither a failure nor a success.
	horizon := eng.Winning.Horizon
	require.Equal(t, 138, horizon, "the longest observed win cycle")
	mm, err := Measure(f, erased, MeasureOptions{AsOf: asOf, Horizon: horizon})
	require.NoError(t, err)
	w := mm.Stages[1]
	t.Logf("erased losses: resolved-only %s [%s, %s]; matured cohorts (%d of %d deals) within %d days %s [%s, %s]; all cohorts (Aalen–Johansen) %s [%s, %s]",
		eng.Win.Rate, eng.Win.Low, eng.Win.High, w.Matured, w.Entered, horizon, w.Within.Rate, w.Within.Low, w.Within.High,
		eng.Winning.Rate, eng.Winning.Low, eng.Winning.High)
	require.Less(t, w.Matured, w.Entered, "recent deals are immature")
	require.True(t, w.Within.Low.LessThanOrEqual(truth.Stages[1].Win.Rate) && truth.Stages[1].Win.Rate.LessThanOrEqual(w.Within.High),
		"the matured-cohort interval [%s, %s] covers 63.15%%", w.Within.Low, w.Within.High)
	// The estimate over all cohorts is far from 100% but reads 66.7%: the
	// closed deals of the last months are, by construction of this test,
	// the ones that closed fast, so a young deal whose loss was erased is
	// surely lost, yet it is censored like any open deal. Censoring is
	// then not independent of the outcome; in a live funnel it is.
	requireDec(t, "0.667132", eng.Winning.Rate)
}
