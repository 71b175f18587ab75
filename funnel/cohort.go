package funnel

import (
	"fmt"

	"github.com/goalkit/goalkit/goal"
)

// Cohort is what one period's cohort of a stage says as of a date: the deals
// that entered the stage in the period, how many of them have had the
// horizon to mature, and their conversion.
type Cohort struct {
	Period goal.Period
	Stage  string
	// Entered counts the cohort; Matured those that entered at least
	// Horizon days before the as-of date.
	Entered, Matured int
	// Mature reports whether every deal of the cohort has had Horizon days:
	// only then is Within the cohort's conversion within Horizon days. An
	// immature cohort's Within covers its matured deals only; its other
	// deals are neither failures nor successes.
	Mature bool
	// Within is the conversion within Horizon days of the matured deals.
	Within Ratio
	// Conversion is the censoring-aware conversion of the whole cohort.
	Conversion Estimate
}

// Cohorts measures the cohorts of every stage entering in each of periods,
// as of o.AsOf, with maturity against o.Horizon (required). The result is
// ordered by period, then stage. o.From and o.To are replaced by each
// period; the other options apply as in Measure.
func Cohorts(f Funnel, deals []Deal, periods []goal.Period, o MeasureOptions) ([]Cohort, error) {
	if o.Horizon <= 0 {
		return nil, invalid("horizon", fmt.Sprint(o.Horizon), "give the days within which a cohort's conversion is measured, such as 30")
	}
	out := make([]Cohort, 0, len(periods)*len(f.Stages))
	for _, p := range periods {
		o.From, o.To = p.Start, p.End
		m, err := Measure(f, deals, o)
		if err != nil {
			return nil, err
		}
		for _, s := range m.Stages {
			out = append(out, Cohort{Period: p, Stage: s.Stage, Entered: s.Entered, Matured: s.Matured,
				Mature: s.Matured == s.Entered, Within: s.Within, Conversion: s.Conversion})
		}
	}
	return out, nil
}
