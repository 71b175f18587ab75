package alert_test

import (
	"fmt"

	"github.com/goalkit/goalkit/alert"
)

// Calibrate a CUSUM for a team whose plan converts 20% of about 40 deals a week, to notice a
// drop to 14% with one false alarm every 200 weeks on average, then run it over a season.
func ExampleCalibrate() {
	design := alert.CUSUMDesign{Baseline: alert.RateBaseline(0.20, 40), Shifted: 0.14}
	cal, err := alert.Calibrate(design, 200, &alert.CalibrateOptions{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("h = %.1f (in-control ARL %.0f ± %.0f)\n", cal.Threshold, cal.ARL, cal.StdErr)

	det, err := design.NewDetector(cal.Threshold)
	if err != nil {
		fmt.Println(err)
		return
	}
	weeks := []alert.Observation{
		{Trials: 41, Successes: 9}, {Trials: 38, Successes: 7}, {Trials: 0}, // a holiday week: no data
		{Trials: 44, Successes: 6}, {Trials: 39, Successes: 5}, {Trials: 40, Successes: 4},
		{Trials: 42, Successes: 6}, {Trials: 40, Successes: 5},
	}
	for i, w := range weeks {
		signal, err := det.Update(w)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("week %d: %2d/%2d  S = %.2f  signal %v\n", i+1, w.Successes, w.Trials, det.Statistic(), signal)
	}
	// Output:
	// h = 3.5 (in-control ARL 200 ± 4)
	// week 1:  9/41  S = 0.00  signal false
	// week 2:  7/38  S = 0.00  signal false
	// week 3:  0/ 0  S = 0.00  signal false
	// week 4:  6/44  S = 0.61  signal false
	// week 5:  5/39  S = 1.28  signal false
	// week 6:  4/40  S = 2.46  signal false
	// week 7:  6/42  S = 2.92  signal false
	// week 8:  5/40  S = 3.67  signal true
}

// What does the CRM's "below 50% of plan" rule cost on a rep with ten deals a week?
func ExampleInControlARL() {
	plan := alert.RateBaseline(0.20, 10)
	rule, err := alert.BelowPlanDesign{Baseline: plan, Fraction: 0.5}.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	est, err := alert.InControlARL(rule, plan, &alert.CalibrateOptions{Replicates: 5000, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("a false alarm every %.1f weeks\n", est.ARL)
	// Output:
	// a false alarm every 4.8 weeks
}

// Estimate the dispersion of a conversion rate from last year's in-control weeks, and put it in
// the baseline so that calibration holds its false-alarm rate on real data.
func ExampleEstimateDispersion() {
	history := []alert.Observation{
		{Trials: 40, Successes: 4}, {Trials: 38, Successes: 13}, {Trials: 45, Successes: 9},
		{Trials: 35, Successes: 3}, {Trials: 41, Successes: 12}, {Trials: 39, Successes: 8},
	}
	phi, err := alert.EstimateDispersion(alert.RateStream, history)
	if err != nil {
		fmt.Println(err)
		return
	}
	plan := alert.RateBaseline(0.20, 40)
	plan.Dispersion = phi
	fmt.Printf("φ = %.2f, valid: %v\n", phi, plan.Validate() == nil)
	// Output:
	// φ = 2.41, valid: true
}
