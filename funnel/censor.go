package funnel

import (
	"fmt"
	"math"

	"github.com/rickb777/date/v2"
)

// Aging is the host's policy for deals that stopped moving: an open deal
// that has been in its stage for longer than the stage's limit counts, for
// measurement, as lost on the day it passed the limit, and is named in
// Measurement.Stalled. Without a policy such a deal stays open (censored)
// however old it is, which is right while it may still move and too hopeful
// in a funnel whose losses are never recorded.
type Aging struct {
	// Limits maps a stage key to its limit in days (from 0 to MaxStageDays).
	Limits map[string]int
	// Percentile, from 1 to 100, derives a limit for every stage without
	// one in Limits: that percentile (nearest rank) of the days deals took
	// to leave the stage forward, measured over all the deals pooled. Zero
	// derives none. 95 means: older than 95% of the deals that did move on.
	Percentile int
}

func (a *Aging) validate(f Funnel) error {
	if a == nil {
		return nil
	}
	if a.Percentile < 0 || a.Percentile > 100 {
		return invalid("aging percentile", fmt.Sprint(a.Percentile), "give a percentile from 1 to 100 (95 for the 95th), or 0 for none")
	}
	for k, days := range a.Limits {
		if _, ok := f.StageIndex(k); !ok {
			return fmt.Errorf("funnel: aging limit for %q: not an open stage of funnel %q: %w", k, f.Key, ErrNotFound)
		}
		if days < 0 || days > MaxStageDays {
			return invalid("aging limit", fmt.Sprint(days), "stage %q: a limit is from 0 to %d days", k, MaxStageDays)
		}
	}
	return nil
}

// limits returns the age limit of every stage, -1 for none; durations are
// the pooled duration samples per stage, sorted.
func (a *Aging) limits(f Funnel, durations [][]int) []int {
	out := make([]int, len(f.Stages))
	for s, st := range f.Stages {
		out[s] = -1
		if a == nil {
			continue
		}
		if days, ok := a.Limits[st.Key]; ok {
			out[s] = days
		} else if a.Percentile > 0 && len(durations[s]) > 0 {
			out[s] = nearestRank(durations[s], a.Percentile)
		}
	}
	return out
}

// fate is how one deal stands as of the measurement date; every tally that
// counts the deal shares it.
type fate struct {
	outcome kind      // kindOpen, kindWon, kindLost or kindInvalid
	closed  date.Date // day of the outcome
	current int       // open: the stage it is in
	since   date.Date // open: the day it entered it
}

func fateOf(tr *trace) fate {
	return fate{outcome: tr.outcome, closed: tr.closed, current: tr.current, since: tr.since}
}

// stalledOn returns the day an open deal passed its stage's limit, and
// whether it has by asOf.
func (fa fate) stalledOn(limits []int, asOf date.Date) (date.Date, bool) {
	if fa.outcome != kindOpen || fa.current < 0 || limits[fa.current] < 0 {
		return 0, false
	}
	end := fa.since + date.Date(limits[fa.current])
	return end, asOf > end
}

// stageObs is one cohort deal of a stage: the day it entered the stage and
// the day it left it forward (0 while it has not).
type stageObs struct {
	entry, left date.Date
	deal        int32
}

// censoredObs turns a stage's cohort into the observations (as keys) of the
// two estimates: advancing past the stage, and winning from it.
func censoredObs(st []stageObs, fates []fate, limits []int, asOf date.Date) (adv, win []int64) {
	adv, win = make([]int64, len(st)), make([]int64, len(st))
	for i, so := range st {
		fa := fates[so.deal]
		// How the deal ends for measurement, if it does.
		what, at := censored, asOf
		switch fa.outcome {
		case kindWon:
			what, at = event, fa.closed
		case kindLost, kindInvalid:
			what, at = ended, fa.closed
		default:
			if end, ok := fa.stalledOn(limits, asOf); ok {
				what, at = ended, end
			}
		}
		days := func(d date.Date) int { return max(0, int(d-so.entry)) }
		win[i] = obs{days: days(at), what: what}.key()
		switch {
		case so.left != 0:
			adv[i] = obs{days: days(so.left), what: event}.key()
		default: // a won deal left every stage, so what is not event here
			adv[i] = obs{days: days(at), what: what}.key()
		}
	}
	return adv, win
}

// within counts, of a stage's cohort, the deals that had horizon days to
// mature by asOf and those of them that advanced within horizon days.
func within(st []stageObs, horizon int, asOf date.Date) (matured, hits int) {
	for _, so := range st {
		if so.entry > asOf-date.Date(horizon) {
			continue
		}
		matured++
		if so.left != 0 && int(so.left-so.entry) <= horizon {
			hits++
		}
	}
	return matured, hits
}

// roundEffective rounds an effective sample size to 6 places, so that float
// noise does not show in smoothed rates.
func roundEffective(x float64) float64 {
	return math.Round(x*1e6) / 1e6
}
