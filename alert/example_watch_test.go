package alert_test

import (
	"fmt"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
)

// A host runs a conversion watch itself: each Friday it starts a round over
// the funnel's deals, folds each watched stream from the state it stored
// last time, and stores what Fold returns. Rep a's leads convert at 30% until
// 2026-W20 (week 18 of the data), then at 7.5%; a week's cohort is measured a
// week after it ends.
func ExampleConversionWatch() {
	cal, _ := goal.NewCalendar(nil)
	org, _ := goal.NewOrg([]goal.Unit{{ID: "team"}, {ID: "a", Parent: "team"}})
	a, _ := org.Index("a")
	deals := watchLeads(30, 18)
	w := alert.ConversionWatch{Model: watchModel(), Rule: alert.ConversionDropRule{
		Detector: alert.DetectorSpec{Options: &alert.CalibrateOptions{Replicates: 300, Seed: 1}},
	}}
	var calibrations alert.Calibrator
	stored := map[string]*alert.StreamState{} // the host's store
	for week := 10; week < 30; week++ {
		round, err := w.Round(cal, org, deals, watchStart+date.Date(7*week+4), &calibrations)
		if err != nil {
			panic(err)
		}
		key, err := round.Fingerprint(0, "a")
		if err != nil {
			panic(err)
		}
		smp, next, err := round.Fold(0, a, stored[key])
		if err != nil {
			panic(err)
		}
		if next != nil {
			stored[key] = next
		}
		if smp != nil && smp.Active {
			fmt.Printf("week %d: %s\n", week, smp.Message)
			break
		}
	}
	// Output:
	// week 21: a crm.lead conversion, 2026-W21: 3 of 40 advanced (7.5%) against 30.0% planned; CUSUM at 6.81 (threshold 3.63): conversion has dropped below plan
}
