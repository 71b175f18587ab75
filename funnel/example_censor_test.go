package funnel_test

import (
	"fmt"

	"github.com/goalkit/goalkit/funnel"
	"github.com/rickb777/date/v2"
)

// A lead funnel that never marks a lead lost: a lead either wins or stops
// moving. Counting resolved leads says every lead wins; the censoring-aware
// estimate counts a silent lead as at risk for as long as it has been open,
// and the aging policy names the leads that have sat longer than the host
// allows as stalled.
func ExampleMeasure_censoring() {
	f := funnel.Funnel{Key: "leads", Stages: []funnel.Stage{{Key: "lead", Name: "线索"}}, Won: "won", Lost: "lost"}
	d := date.MustParseISO
	var deals []funnel.Deal
	add := func(id, entered, won string) {
		tr := []funnel.Transition{{Stage: "lead", Date: d(entered)}}
		if won != "" {
			tr = append(tr, funnel.Transition{Stage: "won", Date: d(won)})
		}
		deals = append(deals, funnel.Deal{ID: id, Unit: "rep1", Transitions: tr})
	}
	add("a", "2026-01-05", "2026-01-20")
	add("b", "2026-01-12", "")
	add("c", "2026-02-02", "2026-03-02")
	add("d", "2026-02-09", "")
	add("e", "2026-03-02", "")
	add("f", "2026-03-09", "2026-03-19")
	add("g", "2026-04-06", "")
	add("h", "2026-05-18", "")
	add("i", "2026-06-15", "") // too young to tell
	add("j", "2026-06-22", "")

	m, err := funnel.Measure(f, deals, funnel.MeasureOptions{
		AsOf:    d("2026-06-30"),
		Horizon: 30,                             // conversion within 30 days, over the leads that had 30 days
		Aging:   &funnel.Aging{Percentile: 100}, // older than every lead that did win: stalled
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := m.Stages[0]
	fmt.Printf("resolved only:   %d of %d won = %s\n", s.Win.Hits, s.Win.Trials, s.Win.Rate)
	fmt.Printf("censoring-aware: %s [%s, %s] within %d days\n", s.Winning.Rate, s.Winning.Low, s.Winning.High, s.Winning.Horizon)
	fmt.Printf("matured cohort:  %d of %d leads had 30 days; %d won within them = %s\n", s.Matured, s.Entered, s.Within.Hits, s.Within.Rate)
	for _, p := range s.Curve {
		fmt.Printf("  won within %2d days: %s\n", p.Days, p.Event)
	}
	for _, st := range m.Stalled {
		fmt.Printf("stalled: %s, %d days in %s (limit %d)\n", st.Deal, st.Days, st.Stage, st.Typical)
	}
	// Output:
	// resolved only:   3 of 3 won = 1
	// censoring-aware: 0.351852 [0.080238, 0.64889] within 28 days
	// matured cohort:  8 of 10 leads had 30 days; 3 won within them = 0.375
	//   won within 10 days: 0.111111
	//   won within 15 days: 0.222222
	//   won within 28 days: 0.351852
	// stalled: b, 169 days in lead (limit 28)
	// stalled: d, 141 days in lead (limit 28)
	// stalled: e, 120 days in lead (limit 28)
	// stalled: g, 85 days in lead (limit 28)
	// stalled: h, 43 days in lead (limit 28)
}
