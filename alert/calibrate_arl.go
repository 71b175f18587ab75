package alert

import "math"

// InControlARL measures by simulation the in-control average run length of any detector: the
// mean number of periods from a fresh start to its first signal when the stream follows
// inControl. Use it to learn what a fixed rule (BelowPlan) costs in false alarms, or to check a
// calibrated threshold on fresh random numbers (a different Seed).
//
// d is Reset before each simulated run and left Reset; it must not be used concurrently. opts
// are as for Calibrate (nil for defaults). An invalid baseline, options or detector returns a
// *ValidationError.
func InControlARL(d Detector, inControl Baseline, opts *CalibrateOptions) (ARLEstimate, error) {
	if d == nil {
		return ARLEstimate{}, invalid("Detector", "is nil")
	}
	if err := inControl.Validate(); err != nil {
		return ARLEstimate{}, err
	}
	var o CalibrateOptions
	if opts != nil {
		o = *opts
	}
	if o.MaxPeriods == 0 {
		o.MaxPeriods = 100_000
	}
	o, err := o.resolve(2)
	if err != nil {
		return ARLEstimate{}, err
	}
	defer d.Reset()
	est := ARLEstimate{Replicates: o.Replicates}
	var sum, sumSq float64
	for i := range o.Replicates {
		d.Reset()
		src := newRand(o.Seed, i)
		rl, signaled := 0, false
		for !signaled && rl < o.MaxPeriods {
			rl++
			var err error
			if signaled, err = d.Update(inControl.sample(src)); err != nil {
				return ARLEstimate{}, err
			}
		}
		if !signaled {
			est.Censored++
		}
		sum += float64(rl)
		sumSq += float64(rl) * float64(rl)
	}
	n := float64(o.Replicates)
	est.ARL = sum / n
	if n > 1 {
		est.StdErr = math.Sqrt(math.Max(0, (sumSq-sum*sum/n)/(n-1)) / n)
	}
	return est, nil
}
