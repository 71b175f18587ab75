package alert_test

import (
	"fmt"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Judge two teams' revenue on a back-loaded quarter (20% of the target in July, 30% in August,
// 50% in September) as of 15 September, by the plan's own curve and the metric's variance, and
// by the straight line CRMs draw.
func ExamplePaceRule() {
	cal, err := goal.NewCalendar(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	revenue := goal.Metric{Key: "revenue", Name: "Revenue", Kind: goal.Amount, Currency: "EUR", Places: 2}
	quarter, _ := cal.PeriodOf(goal.Quarter, date.New(2026, 7, 1))
	months, _ := cal.Split(quarter, goal.Month)
	var children []goal.Goal
	for i, share := range []int64{500_000, 750_000, 1_250_000} {
		children = append(children, goal.Goal{ID: months[i].Label, Metric: "revenue", Period: months[i], Target: decimal.NewFromInt(share)})
	}
	pace := kpi.Pace{Curve: kpi.CurveFromGoals(children)}

	// Last year's deal sizes give the metric's variance: a total of Poisson deals has variance
	// E[X²]/E[X] × its mean.
	var sizes []decimal.Decimal
	for _, s := range []int64{4_000, 8_000, 10_000, 12_000, 16_000, 10_000, 6_000, 14_000} {
		sizes = append(sizes, decimal.NewFromInt(s))
	}
	dispersion, err := alert.PaceDispersion(sizes)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("dispersion %.0f\n", dispersion)
	rule := alert.PaceRule{Dispersion: dispersion} // 1% false flags per check
	linear := alert.LinearPaceRule{}

	asOf := date.New(2026, 9, 15)
	for _, team := range []struct{ unit, actual string }{{"team-3", "1500000.00"}, {"team-4", "1700000.00"}} {
		g := goal.Goal{ID: "revenue/" + team.unit, Metric: "revenue", Unit: team.unit, Period: quarter, Target: decimal.NewFromInt(2_500_000)}
		st, err := kpi.Track(g, revenue, decimal.RequireFromString(team.actual), asOf, pace)
		if err != nil {
			fmt.Println(err)
			return
		}
		s, err := rule.Check(st)
		if err != nil {
			fmt.Println(err)
			return
		}
		l, err := linear.Check(st)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s [%v]\n", s.Message, s.Active)
		fmt.Printf("  straight line [%v]: %s\n", l.Active, l.Message)
	}
	// Output:
	// dispersion 11400
	// team-3 revenue 2026-Q3: 1,500,000.00 against 1,875,000.00 expected by 15 Sep 2026 (75.0% of the plan), z = −2.56 (flag below −2.33): behind pace [true]
	//   straight line [true]: team-3 revenue 2026-Q3: 1,500,000.00 against 2,092,391.30 on a straight line by 15 Sep 2026 (limit 2,092,391.30): behind pace
	// team-4 revenue 2026-Q3: 1,700,000.00 against 1,875,000.00 expected by 15 Sep 2026 (75.0% of the plan), z = −1.20 (flag below −2.33): within chance of pace [false]
	//   straight line [true]: team-4 revenue 2026-Q3: 1,700,000.00 against 2,092,391.30 on a straight line by 15 Sep 2026 (limit 2,092,391.30): behind pace
}

// Watch a team's conversion out of the qualified stage week by week with a CUSUM calibrated to
// one false alarm every 200 weeks, feeding each closed week into the persisted detector. The
// holiday week with no resolved deals is no data: it neither clears nor raises the alert.
func ExampleConversionDropRule() {
	rule := alert.ConversionDropRule{Detector: alert.DetectorSpec{Options: &alert.CalibrateOptions{Seed: 1}}}
	det, err := rule.NewDetector(0.20, 40, 0, nil) // plan: 20% of about 40 resolved deals a week
	if err != nil {
		fmt.Println(err)
		return
	}
	cal, err := goal.NewCalendar(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	week, _ := cal.PeriodOf(goal.Week, date.New(2026, 8, 3))
	for _, o := range []alert.Observation{
		{Trials: 41, Successes: 9}, {Trials: 44, Successes: 6}, {Trials: 39, Successes: 5}, {Trials: 40, Successes: 4},
		{}, {Trials: 42, Successes: 6}, {Trials: 40, Successes: 5},
	} {
		var s alert.Sample
		s, det, err = rule.Check(det, alert.StreamInput{Unit: "team-3", Metric: "sales.qualified", Stage: "qualified", Period: week, Observation: o})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(s.Active, s.Message)
		week = cal.Next(week)
	}
	// Output:
	// false team-3 sales.qualified conversion, 2026-W32: 9 of 41 advanced (22.0%) against 20.0% planned; CUSUM at 0 (threshold 3.5): in control
	// false team-3 sales.qualified conversion, 2026-W33: 6 of 44 advanced (13.6%) against 20.0% planned; CUSUM at 0.61 (threshold 3.5): in control
	// false team-3 sales.qualified conversion, 2026-W34: 5 of 39 advanced (12.8%) against 20.0% planned; CUSUM at 1.28 (threshold 3.5): in control
	// false team-3 sales.qualified conversion, 2026-W35: 4 of 40 advanced (10.0%) against 20.0% planned; CUSUM at 2.46 (threshold 3.5): in control
	// false team-3 sales.qualified conversion, 2026-W36: no resolved deals (no data); CUSUM holds at 2.46 (threshold 3.5): in control
	// false team-3 sales.qualified conversion, 2026-W37: 6 of 42 advanced (14.3%) against 20.0% planned; CUSUM at 2.92 (threshold 3.5): in control
	// true team-3 sales.qualified conversion, 2026-W38: 5 of 40 advanced (12.5%) against 20.0% planned; CUSUM at 3.67 (threshold 3.5): conversion has dropped below plan
}
