package alert

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestObservationValidate(t *testing.T) {
	tests := []struct {
		name  string
		kind  StreamKind
		obs   Observation
		field string // "" for valid
	}{
		{"rate", RateStream, Observation{Trials: 10, Successes: 3}, ""},
		{"rate all converted", RateStream, Observation{Trials: 10, Successes: 10}, ""},
		{"no data", RateStream, Observation{}, ""},
		{"count", CountStream, CountObservation(25), ""},
		{"count over two periods", CountStream, Observation{Trials: 2, Successes: 25}, ""},
		{"count above trials is fine for counts", CountStream, Observation{Trials: 1, Successes: 300}, ""},
		{"negative trials", RateStream, Observation{Trials: -1}, "Observation.Trials"},
		{"negative successes", RateStream, Observation{Trials: 3, Successes: -1}, "Observation.Successes"},
		{"successes without trials", RateStream, Observation{Successes: 2}, "Observation.Successes"},
		{"count without exposure", CountStream, Observation{Successes: 2}, "Observation.Successes"},
		{"rate above 100%", RateStream, Observation{Trials: 3, Successes: 4}, "Observation.Successes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.obs.validate(tt.kind)
			if tt.field == "" {
				require.NoError(t, err)
				return
			}
			requireInvalid(t, err, tt.field)
		})
	}
}

func TestObservationHelpers(t *testing.T) {
	require.Equal(t, Observation{Trials: 1, Successes: 7}, CountObservation(7))
	require.True(t, Observation{}.noData())
	require.False(t, CountObservation(0).noData(), "a zero count over a full period is data")
	require.Equal(t, "rate", RateStream.String())
	require.Equal(t, "count", CountStream.String())
	require.Equal(t, "unknown", StreamKind(0).String())
}

// allDetectors returns one detector of each kind on a rate stream and on a count stream.
func allDetectors(t *testing.T) map[string]Detector {
	t.Helper()
	rate := RateBaseline(0.2, 20)
	count := CountBaseline(10)
	out := map[string]Detector{}
	for name, d := range map[string]Design{
		"cusum/rate":  CUSUMDesign{Baseline: rate, Shifted: 0.14},
		"cusum/count": CUSUMDesign{Baseline: count, Shifted: 7},
		"ewma/rate":   EWMADesign{Baseline: rate},
		"ewma/count":  EWMADesign{Baseline: count},
		"beta/rate":   BetaBinomialDesign{Baseline: rate},
	} {
		threshold := 3.0
		if name == "beta/rate" {
			threshold = 0.99
		}
		det, err := d.NewDetector(threshold)
		require.NoError(t, err)
		out[name] = det
	}
	for name, b := range map[string]Baseline{"below/rate": rate, "below/count": count} {
		det, err := BelowPlanDesign{Baseline: b, Hold: 2}.New()
		require.NoError(t, err)
		out[name] = det
	}
	return out
}

func TestNoDataNeverMovesAnyDetector(t *testing.T) {
	for name, det := range allDetectors(t) {
		t.Run(name, func(t *testing.T) {
			kind := RateStream
			if name[len(name)-5:] == "count" {
				kind = CountStream
			}
			feed := []Observation{{Trials: 20, Successes: 1}, {Trials: 20, Successes: 0}}
			if kind == CountStream {
				feed = []Observation{CountObservation(3), CountObservation(2)}
			}
			for _, o := range feed {
				_, err := det.Update(o)
				require.NoError(t, err)
			}
			before := det.Statistic()
			require.NotZero(t, before, "the feed should have moved the statistic")
			snapshot := deref(det)
			for range 5 {
				_, err := det.Update(Observation{})
				require.NoError(t, err)
			}
			require.Equal(t, before, det.Statistic())
			require.Equal(t, snapshot, deref(det), "state must be untouched by no-data periods")
		})
	}
}

func TestInvalidObservationLeavesStateUnchanged(t *testing.T) {
	for name, det := range allDetectors(t) {
		t.Run(name, func(t *testing.T) {
			snapshot := deref(det)
			_, err := det.Update(Observation{Trials: -3})
			requireInvalid(t, err, "Observation.Trials")
			require.Equal(t, snapshot, deref(det))
		})
	}
}

func TestDetectorsAreCopyableValues(t *testing.T) {
	d, err := CUSUMDesign{Baseline: RateBaseline(0.2, 40), Shifted: 0.14}.NewDetector(4)
	require.NoError(t, err)
	c := d.(*CUSUM)
	_, err = c.Update(Observation{Trials: 40, Successes: 2})
	require.NoError(t, err)
	saved := *c // what a store would persist
	_, err = c.Update(Observation{Trials: 40, Successes: 2})
	require.NoError(t, err)
	require.NotEqual(t, saved.S, c.S)
	_, err = saved.Update(Observation{Trials: 40, Successes: 2})
	require.NoError(t, err)
	require.Equal(t, c.S, saved.S, "a restored copy continues exactly like the original")
}

// deref returns the struct behind a detector pointer, for state comparisons.
func deref(d Detector) any {
	switch v := d.(type) {
	case *CUSUM:
		return *v
	case *EWMA:
		return *v
	case *BetaBinomial:
		return *v
	case *BelowPlan:
		return *v
	}
	return nil
}

// TestResetRestoresTheStartingState is a property test over random streams: after any history,
// Reset puts every detector back exactly where its constructor left it, and Update's answer is
// always Statistic() past the threshold.
func TestResetRestoresTheStartingState(t *testing.T) {
	for name, det := range allDetectors(t) {
		t.Run(name, func(t *testing.T) {
			start := deref(det)
			b := RateBaseline(0.15, 20)
			if name[len(name)-5:] == "count" {
				b = CountBaseline(8)
			}
			src := newRand(77, 0)
			for range 300 {
				signal, err := det.Update(b.Sample(src))
				require.NoError(t, err)
				require.Equal(t, signalOf(det), signal)
			}
			det.Reset()
			require.Equal(t, start, deref(det))
		})
	}
}

// signalOf returns whether a detector's current statistic is past its threshold.
func signalOf(d Detector) bool {
	switch v := d.(type) {
	case *CUSUM:
		return v.S > v.Threshold
	case *EWMA:
		return v.Statistic() > v.Limit
	case *BetaBinomial:
		return v.Statistic() > v.Threshold
	case *BelowPlan:
		return v.Run >= v.Design.hold()
	}
	return false
}
