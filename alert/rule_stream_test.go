package alert

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// rlWeek is the week observed in the stream tests.
var rlWeek = goal.Period{Grain: goal.Week, Start: date.New(2026, 9, 7), End: date.New(2026, 9, 14), Label: "2026-W37"}

// rlCUSUM returns a CUSUM with threshold h watching a rate of 0.20 (40 deals a week) for a drop
// to 0.14, as DetectorSpec{} designs it.
func rlCUSUM(t *testing.T, h float64) *CUSUM {
	t.Helper()
	d, err := DetectorSpec{}.design(RateBaseline(0.2, 40))
	require.NoError(t, err)
	det, err := d.NewDetector(h)
	require.NoError(t, err)
	return det.(*CUSUM)
}

func TestDetectorSpecDesign(t *testing.T) {
	rate, count := RateBaseline(0.2, 40), CountBaseline(10)
	tests := []struct {
		name string
		spec DetectorSpec
		b    Baseline
		want Design
	}{
		{"default CUSUM on a rate", DetectorSpec{}, rate, CUSUMDesign{Baseline: rate, Shifted: 0.14}},
		{"default CUSUM on a count", DetectorSpec{}, count, CUSUMDesign{Baseline: count, Shifted: 7}},
		{"CUSUM for a 50% drop", DetectorSpec{Drop: 0.5}, count, CUSUMDesign{Baseline: count, Shifted: 5}},
		{"EWMA", DetectorSpec{Kind: DetectEWMA, Smoothing: 0.1}, rate, EWMADesign{Baseline: rate, Smoothing: 0.1}},
		{"beta-binomial", DetectorSpec{Kind: DetectBetaBinomial}, rate, BetaBinomialDesign{Baseline: rate}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := tt.spec.design(tt.b)
			require.NoError(t, err)
			switch want := tt.want.(type) {
			case CUSUMDesign:
				got := d.(CUSUMDesign)
				require.Equal(t, want.Baseline, got.Baseline)
				require.InDelta(t, want.Shifted, got.Shifted, 1e-12)
			default:
				require.Equal(t, tt.want, d)
			}
		})
	}

	bad := []struct {
		name  string
		spec  DetectorSpec
		b     Baseline
		field string
	}{
		{"beta-binomial on a count", DetectorSpec{Kind: DetectBetaBinomial}, count, "DetectorSpec.Kind"},
		{"unknown kind", DetectorSpec{Kind: 7}, rate, "DetectorSpec.Kind"},
		{"negative drop", DetectorSpec{Drop: -0.1}, rate, "DetectorSpec.Drop"},
		{"total drop", DetectorSpec{Drop: 1}, rate, "DetectorSpec.Drop"},
		{"NaN drop", DetectorSpec{Drop: math.NaN()}, rate, "DetectorSpec.Drop"},
		{"bad smoothing", DetectorSpec{Kind: DetectEWMA, Smoothing: 2}, rate, "EWMADesign.Smoothing"},
		{"bad baseline", DetectorSpec{}, RateBaseline(1.5, 40), "Baseline.P0"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.spec.design(tt.b)
			requireInvalid(t, err, tt.field)
		})
	}
	require.Equal(t, "CUSUM", DetectCUSUM.String())
	require.Equal(t, "EWMA", DetectEWMA.String())
	require.Equal(t, "beta-binomial", DetectBetaBinomial.String())
	require.Equal(t, "DetectorKind(7)", DetectorKind(7).String())
}

func TestDetectorSpecNewDetector(t *testing.T) {
	fast := &CalibrateOptions{Replicates: 200, Seed: 3}
	spec := DetectorSpec{ARL: 50, Options: fast}
	var cal Calibrator
	det, err := ConversionDropRule{Detector: spec}.NewDetector(0.2, 40, 0, &cal)
	require.NoError(t, err)
	c, ok := det.(*CUSUM)
	require.True(t, ok)
	require.Positive(t, c.Threshold)
	require.Zero(t, c.S)
	require.InDelta(t, 0.14, c.Design.Shifted, 1e-12)

	again, err := ConversionDropRule{Detector: spec}.NewDetector(0.2, 40, 0, &cal)
	require.NoError(t, err)
	require.Equal(t, c.Threshold, again.(*CUSUM).Threshold)
	require.Equal(t, 1, cal.len(), "the second detector's calibration is remembered")

	// without a Calibrator, the same design and seed give the same threshold
	fresh, err := spec.NewDetector(RateBaseline(0.2, 40), nil)
	require.NoError(t, err)
	require.Equal(t, c.Threshold, fresh.(*CUSUM).Threshold)

	vol, err := VolumeDropRule{Detector: DetectorSpec{Kind: DetectEWMA, ARL: 50, Options: fast}}.NewDetector(10, 1.5, nil)
	require.NoError(t, err)
	e := vol.(*EWMA)
	require.Equal(t, CountStream, e.Design.Baseline.Kind)
	require.Equal(t, 1.5, e.Design.Baseline.Dispersion)
	require.Positive(t, e.Limit)

	_, err = spec.NewDetector(RateBaseline(0, 40), nil)
	requireInvalid(t, err, "Baseline.P0")
	_, err = DetectorSpec{ARL: 1}.NewDetector(RateBaseline(0.2, 40), nil)
	requireInvalid(t, err, "DetectorSpec.ARL")
	_, err = DetectorSpec{ARL: math.Inf(1)}.NewDetector(RateBaseline(0.2, 40), nil)
	requireInvalid(t, err, "DetectorSpec.ARL")
}

func TestConversionDropRuleCheck(t *testing.T) {
	// ℓ(n, x) = x·ln(0.14/0.20) + (n−x)·ln(0.86/0.80)
	llr := func(n, x int) float64 { return float64(x)*math.Log(0.7) + float64(n-x)*math.Log(0.86/0.8) }
	rule := ConversionDropRule{}
	start := rlCUSUM(t, 2)
	in := StreamInput{Unit: "team-3", Metric: "sales.qualified", Stage: "qualified", Period: rlWeek,
		Observation: ConversionObservation(funnel.StageMeasure{Advance: funnel.Ratio{Hits: 4, Trials: 40}})}
	require.Equal(t, Observation{Trials: 40, Successes: 4}, in.Observation)

	// week 1: S = ℓ(40, 4) = 1.1767 ≤ 2
	s1, d1, err := rule.Check(start, in)
	require.NoError(t, err)
	require.Zero(t, start.S, "the detector passed in is not modified")
	require.InDelta(t, llr(40, 4), d1.Statistic(), 1e-12)
	require.False(t, s1.Active)
	require.Equal(t, RuleConversionDrop, s1.Rule)
	require.Equal(t, "team-3", s1.Unit)
	require.Equal(t, "sales.qualified", s1.Metric)
	require.True(t, s1.Period.IsZero(), "a drop is one alert across periods")
	require.Equal(t, Labels{LabelStage: "qualified"}, s1.Extra)
	require.Equal(t, "1.176844", s1.Value.String())
	require.Equal(t, "2", s1.Threshold.String())
	require.Equal(t, "team-3 sales.qualified conversion, 2026-W37: 4 of 40 advanced (10.0%) against 20.0% planned; CUSUM at 1.18 (threshold 2): in control", s1.Message)
	require.NoError(t, s1.validate("sample"))

	// week 2: S = 2·ℓ(40, 4) = 2.3535 > 2
	s2, d2, err := rule.Check(d1, in)
	require.NoError(t, err)
	require.InDelta(t, 2*llr(40, 4), d2.Statistic(), 1e-12)
	require.InDelta(t, llr(40, 4), d1.Statistic(), 1e-12)
	require.True(t, s2.Active)
	require.Equal(t, s1.Fingerprint(), s2.Fingerprint(), "the same stream is the same alert week after week")
	require.True(t, strings.HasSuffix(s2.Message, "conversion has dropped below plan"), s2.Message)

	// week 3, no resolved deals: no data, the detector holds and so does the alert
	noData := in
	noData.Observation = Observation{}
	s3, d3, err := rule.Check(d2, noData)
	require.NoError(t, err)
	require.Equal(t, deref(d2), deref(d3))
	require.True(t, s3.Active)
	require.True(t, s3.Value.Equal(s2.Value))
	require.Equal(t, "team-3 sales.qualified conversion, 2026-W37: no resolved deals (no data); CUSUM holds at 2.35 (threshold 2): conversion has dropped below plan", s3.Message)

	// week 4, on plan: S falls by |ℓ(40, 8)| and the signal clears
	back := in
	back.Observation = Observation{Trials: 40, Successes: 8}
	s4, d4, err := rule.Check(d3, back)
	require.NoError(t, err)
	require.InDelta(t, max(0, 2*llr(40, 4)+llr(40, 8)), d4.Statistic(), 1e-12)
	require.False(t, s4.Active)
}

func TestVolumeDropRuleCheck(t *testing.T) {
	// ℓ(x) = x·ln(7/10) + 3 for a count of x against a need of 10, designed for 7
	det, err := CUSUMDesign{Baseline: CountBaseline(10), Shifted: 7}.NewDetector(2)
	require.NoError(t, err)
	rule := VolumeDropRule{Name: "calls-volume"}
	in := StreamInput{Unit: "rep-7", Metric: "calls", Period: rlWeek, Observation: CountObservation(5)}
	s, next, err := rule.Check(det, in)
	require.NoError(t, err)
	require.InDelta(t, 5*math.Log(0.7)+3, next.Statistic(), 1e-12)
	require.False(t, s.Active)
	require.Equal(t, "calls-volume", s.Rule)
	require.Nil(t, s.Extra)
	require.Equal(t, "rep-7 calls, 2026-W37: 5 against 10 needed; CUSUM at 1.22 (threshold 2): in control", s.Message)

	s, next, err = rule.Check(next, in)
	require.NoError(t, err)
	require.True(t, s.Active)
	require.True(t, strings.HasSuffix(s.Message, "volume has dropped below what the funnel needs"), s.Message)

	s, _, err = rule.Check(next, StreamInput{Unit: "rep-7", Metric: "calls", Observation: Observation{}})
	require.NoError(t, err)
	require.True(t, s.Active)
	require.Equal(t, "rep-7 calls: no count reported (no data); CUSUM holds at 2.43 (threshold 2): volume has dropped below what the funnel needs", s.Message)

	s, _, err = rule.Check(det, StreamInput{Unit: "rep-7", Metric: "calls", Observation: Observation{Trials: 2, Successes: 30}})
	require.NoError(t, err)
	require.Equal(t, "rep-7 calls: 30 over 2 periods against 10 needed per period; CUSUM at 0 (threshold 2): in control", s.Message)
}

func TestStreamRulesAcceptEveryDetector(t *testing.T) {
	for name, det := range allDetectors(t) {
		t.Run(name, func(t *testing.T) {
			in := StreamInput{Unit: "u", Metric: "m", Observation: Observation{Trials: 20, Successes: 0}}
			check := ConversionDropRule{}.Check
			if strings.HasSuffix(name, "count") {
				in.Observation = CountObservation(0)
				check = VolumeDropRule{}.Check
			}
			before := deref(det)
			_, next, err := check(det, in)
			require.NoError(t, err)
			require.Equal(t, before, deref(det), "the detector passed in is not modified")
			require.NotEqual(t, before, deref(next), "the returned detector took the observation")
			// the same observation through the detector itself gives the same state
			_, err = det.Update(in.Observation)
			require.NoError(t, err)
			require.Equal(t, deref(det), deref(next))
		})
	}
}

// otherDetector is a Detector this package did not build.
type otherDetector struct{}

func (otherDetector) Update(Observation) (bool, error) { return false, nil }
func (otherDetector) Statistic() float64               { return 0 }
func (otherDetector) Reset()                           {}

func TestStreamRulesInvalid(t *testing.T) {
	rate := rlCUSUM(t, 2)
	count, err := CUSUMDesign{Baseline: CountBaseline(10), Shifted: 7}.NewDetector(2)
	require.NoError(t, err)
	ok := StreamInput{Unit: "u", Observation: Observation{Trials: 10, Successes: 2}}
	var nilCUSUM *CUSUM
	tests := []struct {
		name  string
		check func(Detector, StreamInput) (Sample, Detector, error)
		d     Detector
		in    StreamInput
		field string
	}{
		{"nil detector", ConversionDropRule{}.Check, nil, ok, "detector"},
		{"nil pointer", ConversionDropRule{}.Check, nilCUSUM, ok, "detector"},
		{"foreign detector", ConversionDropRule{}.Check, otherDetector{}, ok, "detector"},
		{"count detector for a conversion", ConversionDropRule{}.Check, count, ok, "detector"},
		{"rate detector for a volume", VolumeDropRule{}.Check, rate, ok, "detector"},
		{"no unit", ConversionDropRule{}.Check, rate, StreamInput{Observation: ok.Observation}, "StreamInput.Unit"},
		{"more successes than trials", ConversionDropRule{}.Check, rate, StreamInput{Unit: "u", Observation: Observation{Trials: 2, Successes: 3}}, "Observation.Successes"},
		{"negative count", VolumeDropRule{}.Check, count, StreamInput{Unit: "u", Observation: Observation{Trials: 1, Successes: -1}}, "Observation.Successes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before any
			if tt.d != nil && tt.field != "detector" {
				before = deref(tt.d)
			}
			_, next, err := tt.check(tt.d, tt.in)
			requireInvalid(t, err, tt.field)
			require.Nil(t, next)
			if before != nil {
				require.Equal(t, before, deref(tt.d))
			}
		})
	}
}

// A conversion drop through the lifecycle: it fires once, a week without deals does not resolve
// it, and it resolves when the rate recovers.
func TestConversionDropThroughLifecycle(t *testing.T) {
	lc, err := NewLifecycle(nil)
	require.NoError(t, err)
	det := Detector(rlCUSUM(t, 2))
	weeks := []Observation{{Trials: 40, Successes: 4}, {Trials: 40, Successes: 4}, {}, {Trials: 40, Successes: 12}, {Trials: 40, Successes: 9}}
	var states []Instance
	var got []string
	now := time.Date(2026, 9, 14, 8, 0, 0, 0, time.UTC)
	for i, o := range weeks {
		var s Sample
		s, det, err = ConversionDropRule{}.Check(det, StreamInput{Unit: "team-3", Metric: "sales.qualified", Stage: "qualified", Observation: o})
		require.NoError(t, err)
		res, err := lc.Evaluate(now.Add(time.Duration(i)*7*24*time.Hour), states, []Sample{s}, nil)
		require.NoError(t, err)
		states = res.States
		for _, n := range res.Notifications {
			got = append(got, string(n.Kind))
		}
		got = append(got, "|")
	}
	require.Equal(t, []string{"|", "firing", "|", "|", "resolved", "|", "|"}, got)
}

// Property: folding a stream through Check period by period, carrying the returned detector,
// gives exactly the states and signals of updating one detector in place, no-data periods
// included; and the sample is active exactly when the detector signals.
func TestStreamRulesFollowTheirDetector(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for name, det := range allDetectors(t) {
		t.Run(name, func(t *testing.T) {
			count := strings.HasSuffix(name, "count")
			check := ConversionDropRule{}.Check
			if count {
				check = VolumeDropRule{}.Check
			}
			carried := det
			for range 200 {
				var o Observation
				switch {
				case r.IntN(5) == 0: // no data
				case count:
					o = CountObservation(poisson(r, 8))
				default:
					n := r.IntN(30) + 1
					o = Observation{Trials: n, Successes: binomial(r, n, 0.17)}
				}
				s, next, err := check(carried, StreamInput{Unit: "u", Metric: "m", Observation: o})
				require.NoError(t, err)
				signal, err := det.Update(o)
				require.NoError(t, err)
				require.Equal(t, deref(det), deref(next))
				require.Equal(t, signal, s.Active)
				require.True(t, s.Value.Equal(floatDecimal(det.Statistic())))
				carried = next
			}
		})
	}
}
