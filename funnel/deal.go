package funnel

import (
	"fmt"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Deal is one opportunity's history through a funnel: the stages it entered,
// in order, with the day it entered each, and its value. A deal ends when it
// enters one of the funnel's outcomes (won, lost, invalid); until then it is
// open. A Deal is a plain value; the package never retains or modifies the
// deals it is given.
type Deal struct {
	ID       string          `json:"id"`
	Funnel   string          `json:"funnel,omitempty"` // funnel key; empty means the funnel it is measured with
	Unit     string          `json:"unit"`             // unit (usually a rep) that owns the deal
	Value    decimal.Decimal `json:"value"`
	Currency string          `json:"currency,omitempty"` // ISO 4217 code of Value; all deals of one call must agree
	// Transitions are in date order (equal dates keep the given order); the
	// first is the stage the deal entered the funnel at, and an outcome, if
	// any, is the last. A deal may skip stages (lead straight to proposal) and
	// may move back to an earlier stage; see the package documentation for
	// how both are counted.
	Transitions []Transition `json:"transitions"`
	// ExpectedClose is the host's expected close date for an open deal; the
	// zero Date (0001-01-01) means none, and the forward funnel then derives
	// one from the typical stage durations.
	ExpectedClose date.Date `json:"expected_close,omitempty"`
}

// Transition records that a deal entered Stage (an open stage or an outcome
// key) on Date.
type Transition struct {
	Stage string    `json:"stage"`
	Date  date.Date `json:"date"`
}

// Validate reports whether d is a well-formed history in funnel f: an ID, a
// matching funnel key, at least one transition, every stage known to f (an
// unknown one matches ErrNotFound), dates that never go back, nothing after
// an outcome, and a value that is not negative. f itself is not validated.
func (d Deal) Validate(f Funnel) error {
	if d.ID == "" {
		return invalid("deal", "", "the ID is empty; every deal needs the host's stable ID")
	}
	if d.Funnel != "" && d.Funnel != f.Key {
		return invalid("deal", d.ID, "it belongs to funnel %q, not %q; measure each funnel with its own deals", d.Funnel, f.Key)
	}
	if len(d.Transitions) == 0 {
		return invalid("deal", d.ID, "it has no transitions; record at least the stage it entered and when")
	}
	if d.Value.Sign() < 0 {
		return invalid("deal value", d.Value.String(), "deal %q: a deal's value cannot be negative", d.ID)
	}
	for i, t := range d.Transitions {
		k, _ := f.classify(t.Stage)
		if k == kindUnknown {
			return fmt.Errorf("funnel: deal %q, transition #%d: stage %q is neither a stage nor an outcome of funnel %q: %w", d.ID, i, t.Stage, f.Key, ErrNotFound)
		}
		if i > 0 {
			if t.Date < d.Transitions[i-1].Date {
				return invalid("deal", d.ID, "transition #%d to %q on %s is earlier than the one before it (%s); list transitions in date order", i, t.Stage, t.Date, d.Transitions[i-1].Date)
			}
			if pk, _ := f.classify(d.Transitions[i-1].Stage); pk != kindOpen {
				return invalid("deal", d.ID, "transition #%d to %q follows the outcome %q; a deal ends at its outcome (record a reopened deal as a new deal)", i, t.Stage, d.Transitions[i-1].Stage)
			}
		}
	}
	return nil
}

// trace is what one deal's history says as of a date: where it entered, how
// far it got and when, and how it ended.
type trace struct {
	first   int         // index of the open stage it entered at; -1 if it entered at an outcome
	reach   int         // furthest index reached: an open stage, or len(Stages) once won; -1 if none
	entry   []date.Date // entry[s], for first <= s < min(reach+1, n): first day it reached s or beyond
	direct  []bool      // direct[s]: it reached s by a transition to s itself, not by skipping it
	outcome kind        // kindOpen while open, else kindWon, kindLost or kindInvalid
	closed  date.Date   // day of the outcome; zero while open
	current int         // for an open deal: index of the stage it is in now (the last transition)
	since   date.Date   // for an open deal: the day it entered its current stage
}

// traceOf reads a validated deal's transitions dated on or before asOf. It
// reports false when none is. entry and direct are reused when long enough.
func traceOf(f Funnel, d *Deal, asOf date.Date, tr *trace) bool {
	n := len(f.Stages)
	if cap(tr.entry) < n {
		tr.entry = make([]date.Date, n)
		tr.direct = make([]bool, n)
	}
	tr.entry, tr.direct = tr.entry[:n], tr.direct[:n]
	clear(tr.direct)
	tr.first, tr.reach, tr.outcome, tr.closed, tr.current, tr.since = -1, -1, kindOpen, 0, -1, 0
	seen := false
	for _, t := range d.Transitions {
		if t.Date > asOf {
			break
		}
		k, idx := f.classify(t.Stage)
		if !seen {
			seen = true
			if k == kindOpen {
				tr.first = idx
				tr.reach = idx - 1
			}
		}
		switch k {
		case kindOpen, kindWon:
			if tr.first >= 0 && idx > tr.reach {
				for s := tr.reach + 1; s <= idx && s < n; s++ {
					tr.entry[s] = t.Date
					tr.direct[s] = s == idx
				}
				tr.reach = idx
			}
			if k == kindOpen {
				if idx != tr.current {
					tr.current, tr.since = idx, t.Date
				}
			} else {
				tr.outcome, tr.closed = kindWon, t.Date
			}
		default:
			tr.outcome, tr.closed = k, t.Date
		}
	}
	return seen
}
