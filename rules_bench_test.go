package goalkit

import (
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// BenchmarkGoalSamples measures the goal rules over 10,000 statuses (weekly
// and monthly goals of two metrics): "map" is the rule lookup by metric that
// goalSamples did before selections (the peer), "shorthand" the same rules
// through selections, "selections" three selections by metric, grain and
// level. "map" writes every message (Check); goalSamples judges without them
// (Judge; Evaluate words later only what the lifecycle reads). Compare ns/op
// within one run.
//
//	go test -run '^$' -bench GoalSamples -count 5 .
func BenchmarkGoalSamples(b *testing.B) {
	var units []goal.Unit
	units = append(units, goal.Unit{ID: "co", Kind: "company"})
	for i := range 1000 {
		units = append(units, goal.Unit{ID: fmt.Sprint("r", i), Parent: "co", Kind: "rep"})
	}
	org, err := goal.NewOrg(units)
	if err != nil {
		b.Fatal(err)
	}
	week := goal.Period{Grain: goal.Week, Start: date.New(2026, 6, 15), End: date.New(2026, 6, 22), Label: "2026-W25"}
	month := goal.Period{Grain: goal.Month, Start: date.New(2026, 6, 1), End: date.New(2026, 7, 1), Label: "2026-06"}
	var statuses []kpi.Status
	for i := range 10_000 {
		p, m := week, "visits"
		if i%2 == 0 {
			p = month
		}
		if i%4 < 2 {
			m = "revenue"
		}
		statuses = append(statuses, kpi.Status{Goal: fmt.Sprint("g", i), Metric: m, Unit: fmt.Sprint("r", i%1000), Period: p,
			AsOf: date.New(2026, 6, 17), Target: decimal.NewFromInt(100), Actual: decimal.NewFromInt(int64(i % 60)),
			Expected: decimal.NewFromInt(40), TimeProgress: decimal.RequireFromString("0.4")})
	}
	pace := map[string]alert.PaceRule{"revenue": {Dispersion: 20}, "visits": {Dispersion: 1}}
	pm := &alert.ProjectedMissRule{}
	b.Run("map", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out []alert.Sample
			extra := alert.Labels{LabelPlan: "p"}
			for _, s := range statuses {
				if r, ok := pace[s.Metric]; ok {
					smp, _ := r.Check(s)
					smp.Extra = extra
					out = append(out, smp)
				}
				smp, _ := pm.Check(s)
				smp.Extra = extra
				out = append(out, smp)
			}
		}
	})
	for name, rules := range map[string]Rules{
		"shorthand": {Pace: pace, ProjectedMiss: pm},
		"selections": {Goals: []GoalRule{
			{Select: alert.Selection{Metrics: []string{"revenue"}, Grains: []goal.Grain{goal.Month}}, Pace: new(pace["revenue"])},
			{Select: alert.Selection{Metrics: []string{"visits"}, Levels: []string{"rep"}}, Pace: new(pace["visits"])},
			{Select: alert.Selection{Grains: []goal.Grain{goal.Week, goal.Month}}, ProjectedMiss: pm},
		}},
	} {
		g, err := rules.goalRules()
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := g.goalSamples(nil, nil, "p", statuses, org); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
