package alert

// EstimateDispersion estimates a stream's dispersion factor φ from in-control history, for
// Baseline.Dispersion.
//
// Real conversion rates and activity counts vary from period to period more than the binomial
// or Poisson model allows (seasonality, lead quality, holidays), and a detector calibrated on the
// pure model then raises false alarms more often than its target. The estimate is the
// quasi-likelihood one: Pearson's χ² of the periods with data about the pooled rate (or mean),
// divided by its degrees of freedom,
//
//	rate:  φ = Σ (x − n·p̂)² / (n·p̂(1−p̂)) / (k−1),   p̂ = Σx / Σn
//	count: φ = Σ (x − t·λ̂)² / (t·λ̂) / (k−1),        λ̂ = Σx / Σt
//
// over the k periods with data. Estimates below 1 are returned as 1: under-dispersion is not
// credited, so a detector never becomes more trigger-happy than the model. With φ in the
// baseline, detectors weigh each period's evidence by 1/φ and calibration simulates in-control
// periods with that extra variance (beta-binomial or negative binomial), so the target ARL holds
// on over-dispersed data. Use periods known to be in control (for example last year's); at least
// 10 periods are advisable, at least 2 are required.
func EstimateDispersion(kind StreamKind, history []Observation) (float64, error) {
	if kind != RateStream && kind != CountStream {
		return 0, invalid("kind", "must be RateStream or CountStream, got %d", kind)
	}
	var k int
	var sumX, sumN float64
	for _, o := range history {
		if err := o.validate(kind); err != nil {
			return 0, err
		}
		if o.Trials == 0 {
			continue
		}
		k++
		sumX += float64(o.Successes)
		sumN += float64(o.Trials)
	}
	if k < 2 {
		return 0, invalid("history", "has %d periods with data; the dispersion needs at least 2 (10 or more advisable)", k)
	}
	rate := sumX / sumN
	if rate == 0 || (kind == RateStream && rate == 1) {
		return 0, invalid("history", "has a pooled %v of %v, which has no variance to compare against; use history with both successes and failures", kind, rate)
	}
	var chi2 float64
	for _, o := range history {
		if o.Trials == 0 {
			continue
		}
		n := float64(o.Trials)
		expected := n * rate
		variance := expected
		if kind == RateStream {
			variance = expected * (1 - rate)
		}
		dev := float64(o.Successes) - expected
		chi2 += dev * dev / variance
	}
	return max(1, chi2/float64(k-1)), nil
}
