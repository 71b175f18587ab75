package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/goalkit/goalkit/alert"
)

// Config is one run of the W3 workload.
type Config struct {
	// Reps is the number of simulated streams per detector; 0 means 20000.
	Reps int
	// CalReps is the number of in-control runs each calibration simulates; 0 means Reps.
	CalReps int
	// Seed seeds the streams and (through a derived seed) the calibrations.
	Seed uint64
	// InControl is the number of in-control periods before the drop; 0 means 52.
	InControl int
	// Horizon caps the periods watched after the drop; 0 means 2000. Streams not detected by
	// then are reported as censored.
	Horizon int
	// TargetARL is the in-control ARL the statistical detectors are calibrated to; 0 means 200.
	TargetARL float64
	// Workers is the number of (stream, detector) cells evaluated at once; 0 means GOMAXPROCS.
	Workers int
}

func (c Config) withDefaults() Config {
	if c.Reps == 0 {
		c.Reps = 20000
	}
	if c.CalReps == 0 {
		c.CalReps = c.Reps
	}
	if c.InControl == 0 {
		c.InControl = 52
	}
	if c.Horizon == 0 {
		c.Horizon = 2000
	}
	if c.TargetARL == 0 {
		c.TargetARL = 200
	}
	if c.Workers == 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	return c
}

// stream is one W3 stream: its in-control and post-drop models.
type stream struct {
	name      string
	pre, post alert.Baseline
}

// cell is one detector on one stream.
type cell struct {
	stream stream
	name   string
	// design is the statistical design to calibrate, nil for a fixed rule.
	design alert.Design
	// fixed is the fixed rule, used when design is nil.
	fixed alert.BelowPlanDesign
	ref   reference
}

// reference is a row of the reference table in BENCHMARKS.md (NaN where it gives no figure).
type reference struct {
	fa, mean, median, p13 float64
	// p13AtLeast marks a P(≤13) given as a lower bound.
	p13AtLeast bool
}

var noRef = reference{math.NaN(), math.NaN(), math.NaN(), math.NaN(), false}

// Row is the result for one detector on one stream.
type Row struct {
	Stream, Detector string
	// Calibrated says whether the threshold came from alert.Calibrate.
	Calibrated bool
	// Threshold is the calibrated threshold (NaN for fixed rules).
	Threshold float64
	// FalseAlarmsPer1000 is false alarms per 1,000 in-control periods, restarting after each.
	FalseAlarmsPer1000 float64
	// MeanDelay, MedianDelay and P90Delay are over detected streams; 1 = the first period after
	// the drop.
	MeanDelay, MedianDelay, P90Delay float64
	// Within4 and Within13 are the shares of all streams detected within 4 and 13 periods.
	Within4, Within13 float64
	// Censored is the number of streams not detected within the horizon.
	Censored int
	ref      reference
}

// Report is a W3 run.
type Report struct {
	Config Config
	Rows   []Row
}

// cells returns the W3 matrix.
func cells() []cell {
	a1 := stream{"A1", alert.RateBaseline(0.20, 40), alert.RateBaseline(0.14, 40)}
	a2 := stream{"A2", alert.RateBaseline(0.20, 10), alert.RateBaseline(0.14, 10)}
	b1 := stream{"B1", alert.CountBaseline(10), alert.CountBaseline(7)}
	refs := map[string]reference{
		"A1/below": {49.5, 4.2, 3, 0.97, false},
		"A1/held":  {2.3, 21.8, 15, 0.45, false},
		"A1/cusum": {5.0, 6.9, 6, 0.93, false},
		"A1/ewma":  {5.0, 7.0, 6, 0.93, false},
		"A1/beta":  {5.0, 7.0, 6, 0.94, false},
		"A2/below": {212, 2.7, 2, 1.00, false},
		"A2/cusum": {5.0, 17.3, 14, 0.47, false},
		"B1/cusum": {5.0, 6.8, math.NaN(), 0.90, true},
		"B1/below": noRef,
		"B1/held":  noRef,
		"B1/ewma":  noRef,
		"A2/held":  noRef,
		"A2/ewma":  noRef,
		"A2/beta":  noRef,
	}
	var out []cell
	for _, s := range []stream{a1, a2, b1} {
		ref := func(k string) reference { return refs[s.name+"/"+k] }
		out = append(out,
			cell{stream: s, name: "below 50% of plan", fixed: alert.BelowPlanDesign{Baseline: s.pre, Fraction: 0.5}, ref: ref("below")},
			cell{stream: s, name: "below 50% of plan, held 2 periods", fixed: alert.BelowPlanDesign{Baseline: s.pre, Fraction: 0.5, Hold: 2}, ref: ref("held")},
		)
		if s.pre.Kind == alert.RateStream {
			out = append(out,
				cell{stream: s, name: "CUSUM (binomial LLR, 0.20 → 0.14)", design: alert.CUSUMDesign{Baseline: s.pre, Shifted: 0.14}, ref: ref("cusum")},
				cell{stream: s, name: "EWMA (λ = 0.2)", design: alert.EWMADesign{Baseline: s.pre, Smoothing: 0.2}, ref: ref("ewma")},
				cell{stream: s, name: "discounted beta-binomial (δ = 0.85)", design: alert.BetaBinomialDesign{Baseline: s.pre, Discount: 0.85}, ref: ref("beta")},
			)
		} else {
			out = append(out,
				cell{stream: s, name: "CUSUM (Poisson LLR, 10 → 7)", design: alert.CUSUMDesign{Baseline: s.pre, Shifted: 7}, ref: ref("cusum")},
				cell{stream: s, name: "EWMA (λ = 0.2)", design: alert.EWMADesign{Baseline: s.pre, Smoothing: 0.2}, ref: ref("ewma")},
			)
		}
	}
	return out
}

// Run runs the W3 workload.
func Run(cfg Config) (Report, error) {
	cfg = cfg.withDefaults()
	if cfg.Reps < 1 || cfg.CalReps < 1 || cfg.InControl < 1 || cfg.Horizon < 1 || cfg.Workers < 1 {
		return Report{}, fmt.Errorf("w3: reps, calreps, in-control periods, horizon and workers must be positive: %+v", cfg)
	}
	cs := cells()
	rows := make([]Row, len(cs))
	errs := make([]error, len(cs))
	var cal alert.Calibrator
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range cfg.Workers {
		wg.Go(func() {
			for i := range jobs {
				rows[i], errs[i] = evaluate(cfg, &cal, cs[i])
			}
		})
	}
	for i := range cs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return Report{}, err
		}
	}
	return Report{Config: cfg, Rows: rows}, nil
}

// calibrationSeed derives the calibrations' seed, so that they never share random numbers with
// the streams they are judged on.
func calibrationSeed(seed uint64) uint64 { return seed ^ 0x5eed_ca11_b4a7_e000 }

// evaluate calibrates (when statistical) and runs one detector over cfg.Reps streams.
func evaluate(cfg Config, cal *alert.Calibrator, c cell) (Row, error) {
	row := Row{Stream: c.stream.name, Detector: c.name, Threshold: math.NaN(), ref: c.ref}
	var det alert.Detector
	if c.design != nil {
		res, err := cal.Calibrate(c.design, cfg.TargetARL, &alert.CalibrateOptions{Replicates: cfg.CalReps, Seed: calibrationSeed(cfg.Seed)})
		if err != nil {
			return row, fmt.Errorf("w3: calibrate %s on %s: %w", c.name, c.stream.name, err)
		}
		if det, err = c.design.NewDetector(res.Threshold); err != nil {
			return row, err
		}
		row.Calibrated, row.Threshold = true, res.Threshold
	} else {
		fixed, err := c.fixed.New()
		if err != nil {
			return row, err
		}
		det = fixed
	}

	falseAlarms := 0
	delays := make([]int, 0, cfg.Reps)
	for rep := range cfg.Reps {
		// The same generator per replicate for every detector: common random numbers.
		src := rand.New(rand.NewPCG(cfg.Seed, uint64(rep)))
		det.Reset()
		for range cfg.InControl {
			signal, err := det.Update(c.stream.pre.Sample(src))
			if err != nil {
				return row, err
			}
			if signal {
				falseAlarms++
				det.Reset()
			}
		}
		for k := 1; k <= cfg.Horizon; k++ {
			signal, err := det.Update(c.stream.post.Sample(src))
			if err != nil {
				return row, err
			}
			if signal {
				delays = append(delays, k)
				break
			}
		}
	}
	row.FalseAlarmsPer1000 = 1000 * float64(falseAlarms) / float64(cfg.Reps*cfg.InControl)
	row.Censored = cfg.Reps - len(delays)
	slices.Sort(delays)
	if len(delays) > 0 {
		sum := 0
		for _, d := range delays {
			sum += d
		}
		row.MeanDelay = float64(sum) / float64(len(delays))
		row.MedianDelay = float64(rank(delays, 0.5))
		row.P90Delay = float64(rank(delays, 0.9))
	}
	row.Within4 = float64(countAtMost(delays, 4)) / float64(cfg.Reps)
	row.Within13 = float64(countAtMost(delays, 13)) / float64(cfg.Reps)
	return row, nil
}

// rank returns the nearest-rank p-quantile of sorted xs.
func rank(xs []int, p float64) int {
	i := int(math.Ceil(p*float64(len(xs)))) - 1
	return xs[max(0, min(len(xs)-1, i))]
}

// countAtMost returns how many of sorted xs are ≤ v.
func countAtMost(xs []int, v int) int {
	n, _ := slices.BinarySearch(xs, v+1)
	return n
}

// Markdown renders the report as a markdown table, with the reference figures of BENCHMARKS.md.
func (r Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "W3 detection quality: %d streams per detector, %d in-control periods then the drop, calibrated detectors at in-control ARL %g (%d calibration runs), seed %d.\n\n",
		r.Config.Reps, r.Config.InControl, r.Config.TargetARL, r.Config.CalReps, r.Config.Seed)
	b.WriteString("| stream | detector | threshold | false alarms / 1,000 | mean delay | median | 90th pct | P(≤4) | P(≤13) | reference: FA · mean · median · P(≤13) |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, row := range r.Rows {
		thr := "fixed"
		if row.Calibrated {
			thr = fmt.Sprintf("%.4g", row.Threshold)
		}
		mean := fmt.Sprintf("%.1f", row.MeanDelay)
		if row.Censored > 0 {
			mean += fmt.Sprintf(" (%d undetected)", row.Censored)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %.1f | %s | %.0f | %.0f | %.2f | %.2f | %s |\n",
			row.Stream, row.Detector, thr, row.FalseAlarmsPer1000, mean, row.MedianDelay, row.P90Delay,
			row.Within4, row.Within13, row.ref.String())
	}
	return b.String()
}

// String renders a reference row, "—" where it has no figure.
func (ref reference) String() string {
	if math.IsNaN(ref.fa) {
		return "—"
	}
	f := func(v float64, format string) string {
		if math.IsNaN(v) {
			return "—"
		}
		return fmt.Sprintf(format, v)
	}
	p13 := f(ref.p13, "%.2f")
	if ref.p13AtLeast {
		p13 = "≥ " + p13
	}
	return strings.Join([]string{f(ref.fa, "%.1f"), f(ref.mean, "%.1f"), f(ref.median, "%.0f"), p13}, " · ")
}
