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

func TestMavenCensoringProbe(t *testing.T) {
	md := loadMaven(t)
	f := mavenFunnel()
	asOf := date.New(2017, 12, 31)
	for _, closedOnly := range []bool{true, false} {
		for _, aging := range []*Aging{nil, {Percentile: 95}} {
			m, err := Measure(f, dropLosses(md.deals, closedOnly), MeasureOptions{AsOf: asOf, Aging: aging})
			require.NoError(t, err)
			s := m.Stages[1]
			t.Logf("closedOnly=%v aging=%v: resolved %s (%d/%d); censoring-aware %s [%s, %s] horizon %d atRisk %d n %d eff %.0f stalled %d",
				closedOnly, aging != nil, s.Win.Rate, s.Win.Hits, s.Win.Trials, s.Winning.Rate, s.Winning.Low, s.Winning.High, s.Winning.Horizon, s.Winning.AtRisk, s.Winning.N, s.Winning.Effective, len(m.Stalled))
		}
	}
}

func TestMavenCensoringProbe2(t *testing.T) {
	md := loadMaven(t)
	f := mavenFunnel()
	asOf := date.New(2017, 12, 31)
	for _, h := range []int{0, 30, 60, 90, 120, 138} {
		o := MeasureOptions{AsOf: asOf, To: asOf - date.Date(h), Horizon: 138}
		if h == 0 {
			o.To = 0
		}
		full, err := Measure(f, md.deals, o)
		require.NoError(t, err)
		m, err := Measure(f, dropLosses(md.deals, true), o)
		require.NoError(t, err)
		s := m.Stages[1]
		t.Logf("to=%s: truth %s (%d/%d); censoring-aware %s [%s, %s]; within138 %s of %d",
			o.To, full.Stages[1].Win.Rate, full.Stages[1].Win.Hits, full.Stages[1].Win.Trials, s.Winning.Rate, s.Winning.Low, s.Winning.High, s.Within.Rate, s.Within.Trials)
	}
}
