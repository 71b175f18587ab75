package alert

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// CalibrateOptions tunes the simulation behind Calibrate and InControlARL. A nil
// *CalibrateOptions means the defaults.
type CalibrateOptions struct {
	// Replicates is the number of simulated in-control runs; 0 means 2000. The ARL estimate's
	// relative standard error is about 1/√Replicates (2.2% at 2000).
	Replicates int
	// Seed seeds the simulation: the same design, target and options always give the same
	// result. Replicate i draws from its own PCG stream derived from (Seed, i).
	Seed uint64
	// MaxPeriods caps one simulated run; 0 means 50 × the target ARL, and at least 1000. A run
	// that reaches the cap without a signal counts as that long (it is censored), which can only
	// make the estimated ARL too short, never too long.
	MaxPeriods int
}

// ARLEstimate is a simulated in-control average run length: the mean number of periods from a
// fresh start to the first (false) alarm.
type ARLEstimate struct {
	// ARL is the estimated average run length, in periods.
	ARL float64
	// StdErr is the standard error of ARL.
	StdErr float64
	// Replicates is the number of simulated runs.
	Replicates int
	// Censored is the number of runs that reached MaxPeriods without a signal.
	Censored int
}

// Calibration is the result of Calibrate.
type Calibration struct {
	// Threshold is the detector's threshold: h for a CUSUM, L for an EWMA, the posterior
	// probability for a BetaBinomial. Pass it to Design.NewDetector.
	Threshold float64
	// ARLEstimate is the in-control ARL measured at Threshold on the calibration's own
	// simulated runs; it is the smallest achievable value at or above the target.
	ARLEstimate
}

const (
	defaultReplicates = 2000
	maxTargetARL      = 1e5
	// pilotReplicates runs are simulated for the target's length first, to bracket the threshold.
	pilotReplicates = 200
	maxRounds       = 60
)

// Calibrate returns the threshold at which the detector of design d has the target in-control
// average run length (ARL): on average targetARL periods from a fresh start to a false alarm,
// when the stream follows d's Baseline. A target of 200 on weekly data is about one false alarm
// per rep every four years, or 5 per 1,000 periods across a team.
//
// It simulates opts.Replicates in-control runs. Each detector's statistic follows a path that
// does not depend on the threshold, and a run ends at the first period the statistic exceeds it,
// so the run length at any threshold is read off the path's running maximum. Calibrate extends
// every run until its maximum passes a bracketing threshold, then solves exactly, over all the
// candidate thresholds at once, for the lowest one whose mean run length reaches the target: one
// simulation, common random numbers for every candidate, no bisection noise. The cost is about
// 1.5 × Replicates × targetARL detector updates. The result is deterministic for a given seed.
//
// Because statistics on small counts move in steps, the achieved ARL can sit above the target;
// ARLEstimate reports it. Errors are *ValidationError for bad input, and a plain error when the
// target cannot be reached within opts.MaxPeriods.
func Calibrate(d Design, targetARL float64, opts *CalibrateOptions) (Calibration, error) {
	if d == nil {
		return Calibration{}, invalid("Design", "is nil; pass a CUSUMDesign, EWMADesign or BetaBinomialDesign")
	}
	if err := d.Validate(); err != nil {
		return Calibration{}, err
	}
	o, err := opts.resolve(targetARL)
	if err != nil {
		return Calibration{}, err
	}
	return calibrate(d.withDefaults(), targetARL, o)
}

// validateTarget checks a target in-control ARL.
func validateTarget(target float64) error {
	if math.IsNaN(target) || !(target > 1) || target > maxTargetARL {
		return invalid("targetARL", "must be more than 1 and at most %g periods between false alarms, got %v; 200 means 5 false alarms per 1,000 periods", maxTargetARL, target)
	}
	return nil
}

// resolve validates the options against the target and fills in defaults.
func (opts *CalibrateOptions) resolve(target float64) (CalibrateOptions, error) {
	if err := validateTarget(target); err != nil {
		return CalibrateOptions{}, err
	}
	var o CalibrateOptions
	if opts != nil {
		o = *opts
	}
	if o.Replicates < 0 {
		return o, invalid("CalibrateOptions.Replicates", "must not be negative (0 for the default %d), got %d", defaultReplicates, o.Replicates)
	}
	if o.MaxPeriods < 0 {
		return o, invalid("CalibrateOptions.MaxPeriods", "must not be negative (0 for the default), got %d", o.MaxPeriods)
	}
	if o.Replicates == 0 {
		o.Replicates = defaultReplicates
	}
	if o.MaxPeriods == 0 {
		o.MaxPeriods = max(1000, int(math.Ceil(50*target)))
	}
	if float64(o.MaxPeriods) <= target {
		return o, invalid("CalibrateOptions.MaxPeriods", "%d must exceed the target ARL %v, or the target cannot be measured; use 0 for the default", o.MaxPeriods, target)
	}
	return o, nil
}

// run is one simulated in-control run: its generator and detector, and the records of its
// statistic (the periods at which the running maximum rose, and the new maxima).
type run struct {
	sim      simulation
	t        int
	max      float64
	recT     []int
	recM     []float64
	censored bool
}

// simulation draws a baseline's periods into a detector.
type simulation struct {
	b   Baseline
	src *rand.Rand
	det tracker
}

// advance simulates until the running maximum exceeds h, or for at least periods more periods
// when periods > 0, stopping at maxT.
func (r *run) advance(h float64, periods, maxT int) {
	stop := r.t + periods
	for (r.t < stop || !(r.max > h)) && r.t < maxT {
		r.t++
		r.sim.det.observe(r.sim.b.sample(r.sim.src))
		z := r.sim.det.Statistic()
		if r.t == 1 || z > r.max {
			r.max = z
			r.recT = append(r.recT, r.t)
			r.recM = append(r.recM, z)
		}
	}
	r.censored = r.t >= maxT && !(r.max > h)
}

// runLength returns the period of the first record above h, or the run's length if censored.
func (r *run) runLength(h float64) int {
	for j, m := range r.recM {
		if m > h {
			return r.recT[j]
		}
	}
	return r.t
}

// errUnreachable reports a target the detector cannot reach within MaxPeriods.
var errUnreachable = errors.New("alert: calibrate: the target ARL cannot be reached within MaxPeriods; raise CalibrateOptions.MaxPeriods or lower the target")

// calibrate implements Calibrate for a valid design with defaults and resolved options.
func calibrate(d Design, target float64, o CalibrateOptions) (Calibration, error) {
	b := d.inControl()
	runs := make([]run, o.Replicates)
	for i := range runs {
		runs[i].sim = simulation{b: b, src: newRand(o.Seed, i), det: d.tracker()}
		runs[i].max = math.Inf(-1)
	}
	// Bracket: the median of the maximum over the target's length is a threshold whose
	// ARL is, for roughly memoryless run lengths, about 1.4 times the target.
	pilot := runs[:min(len(runs), pilotReplicates)]
	periods := int(math.Ceil(target))
	for i := range pilot {
		pilot[i].advance(math.Inf(-1), periods, o.MaxPeriods)
	}
	hCap := quantile(maxima(pilot), 0.5)
	for range maxRounds {
		for i := range runs {
			runs[i].advance(hCap, 0, o.MaxPeriods)
		}
		if h, ok := solve(runs, target); ok {
			return Calibration{Threshold: h, ARLEstimate: estimate(runs, h)}, nil
		}
		next := quantile(maxima(runs), 0.75)
		if !(next > hCap) || math.IsInf(next, 0) {
			break
		}
		hCap = next
	}
	return Calibration{}, fmt.Errorf("%w (design %T, target %v)", errUnreachable, d, target)
}

// maxima returns the running maxima of runs that are not censored.
func maxima(runs []run) []float64 {
	out := make([]float64, 0, len(runs))
	for i := range runs {
		if !runs[i].censored && !math.IsNaN(runs[i].max) {
			out = append(out, runs[i].max)
		}
	}
	return out
}

// quantile returns the q-quantile of xs (sorted in place), or -Inf for none.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.Inf(-1)
	}
	slices.Sort(xs)
	return xs[min(len(xs)-1, int(q*float64(len(xs))))]
}

// jump is where one run's length rises as the threshold passes value.
type jump struct {
	value float64
	inc   int
}

// solve finds the lowest threshold whose mean run length over runs reaches target, among the
// thresholds every run has been simulated far enough to judge.
func solve(runs []run, target float64) (float64, bool) {
	bound := math.Inf(1) // thresholds at or above bound are not judged yet
	var jumps []jump
	sum := 0
	for i := range runs {
		r := &runs[i]
		if len(r.recT) == 0 {
			return 0, false
		}
		sum += r.recT[0]
		for j := 1; j < len(r.recT); j++ {
			jumps = append(jumps, jump{r.recM[j-1], r.recT[j] - r.recT[j-1]})
		}
		last := r.recM[len(r.recM)-1]
		if r.censored {
			jumps = append(jumps, jump{last, r.t - r.recT[len(r.recT)-1]})
		} else {
			bound = min(bound, last)
		}
	}
	slices.SortFunc(jumps, func(a, b jump) int { return cmp.Compare(a.value, b.value) })
	need := target * float64(len(runs))
	for i := 0; i < len(jumps) && jumps[i].value < bound; {
		v := jumps[i].value
		for ; i < len(jumps) && jumps[i].value == v; i++ {
			sum += jumps[i].inc
		}
		if float64(sum) >= need {
			next := bound
			if i < len(jumps) && jumps[i].value < next {
				next = jumps[i].value
			}
			if math.IsInf(next, 1) {
				next = v + math.Max(1, math.Abs(v))
			}
			return v + (next-v)/2, true
		}
	}
	return 0, false
}

// estimate returns the ARL over runs at threshold h.
func estimate(runs []run, h float64) ARLEstimate {
	est := ARLEstimate{Replicates: len(runs)}
	var sum, sumSq float64
	for i := range runs {
		rl := float64(runs[i].runLength(h))
		if runs[i].censored && !(runs[i].max > h) {
			est.Censored++
		}
		sum += rl
		sumSq += rl * rl
	}
	n := float64(len(runs))
	est.ARL = sum / n
	if n > 1 {
		est.StdErr = math.Sqrt(math.Max(0, (sumSq-sum*sum/n)/(n-1)) / n)
	}
	return est
}
