package alert

import (
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/stretchr/testify/require"
)

// BenchmarkLifecycleEvaluate evaluates 10,000 rep alerts under 100 teams, a tenth of them
// firing, one step after the previous evaluation: the cost is linear in the number of alerts.
func BenchmarkLifecycleEvaluate(b *testing.B) {
	units := []goal.Unit{{ID: "co"}}
	var samples []Sample
	for t := range 100 {
		team := fmt.Sprint("team-", t)
		units = append(units, goal.Unit{ID: team, Parent: "co"})
		for r := range 100 {
			rep := fmt.Sprintf("rep-%d-%d", t, r)
			units = append(units, goal.Unit{ID: rep, Parent: team})
			samples = append(samples, lcPace(rep, r%10 == 0))
		}
	}
	org, err := goal.NewOrg(units)
	require.NoError(b, err)
	lc, err := NewLifecycle(&LifecycleConfig{Org: org, Default: Policy{RepeatInterval: time.Hour, EscalateAfterPeriods: 3}})
	require.NoError(b, err)
	first, err := lc.Evaluate(lcT0, nil, samples, nil)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := lc.Evaluate(lcT0.Add(time.Hour), first.States, samples, nil); err != nil {
			b.Fatal(err)
		}
	}
}
