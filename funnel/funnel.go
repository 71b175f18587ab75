package funnel

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Stage is one open step of a funnel, such as "qualified" or 商机.
type Stage struct {
	// Key identifies the stage within its funnel; deals name it in their
	// transitions.
	Key string
	// Name is the human name; free text.
	Name string
	// Metric is the key of the count metric that tracks entries into the
	// stage ("new_leads", "engagements"); empty means "<funnel key>.<stage key>".
	// The reverse funnel emits its process targets under this key.
	Metric string
	// Probability is the probability of winning a deal that sits in this
	// stage, as a fraction in [0, 1], when the host sets it by hand as CRMs
	// do (0.2, 0.3, 0.8). Null means: use the measured probability. See
	// Measurement.Model.
	Probability decimal.NullDecimal
}

// Funnel is an ordered list of open stages that deals move through, and the
// outcomes that end a deal: won, lost and, optionally, invalid (a lead that
// should never have entered, such as a duplicate or spam). A host may keep
// several funnels (pipelines), each with its own key. A Funnel is a plain
// value, safe for concurrent use once no one mutates it.
type Funnel struct {
	Key     string  // identifies the funnel; deals name it in Deal.Funnel
	Stages  []Stage // open stages in order, first to last
	Won     string  // key of the won outcome, e.g. "won" or 赢单
	Lost    string  // key of the lost outcome, e.g. "lost"
	Invalid string  // key of the invalid outcome; empty when the funnel has none
	// Derive, when set, makes the funnel's deals imply their facts (stage
	// entries, wins, won value, advances): the Engine's PutDeal writes them
	// with the deal. Nil leaves the facts to the host.
	Derive *Derivation
}

// Validate reports whether the funnel is well formed: a key, at least one
// stage, non-empty stage keys, won and lost outcomes, and all stage and
// outcome keys distinct. Stage probabilities, when set, must lie in [0, 1].
func (f Funnel) Validate() error {
	if f.Key == "" {
		return invalid("funnel", "", "the key is empty; give every funnel a stable key such as \"sales\"")
	}
	if len(f.Stages) == 0 {
		return invalid("funnel", f.Key, "it has no stages; list the open stages in order, e.g. lead, qualified, proposal")
	}
	seen := make(map[string]string, len(f.Stages)+3)
	for i, s := range f.Stages {
		if s.Key == "" {
			return invalid("stage key", fmt.Sprintf("#%d", i), "funnel %q has a stage with an empty key", f.Key)
		}
		if prev, dup := seen[s.Key]; dup {
			return invalid("stage key", s.Key, "funnel %q uses it twice (%s and stage #%d); stage and outcome keys must be distinct", f.Key, prev, i)
		}
		seen[s.Key] = fmt.Sprintf("stage #%d", i)
		if s.Probability.Valid && !isFraction(s.Probability.Decimal) {
			return invalid("stage probability", s.Probability.Decimal.String(), "stage %q: a probability is a fraction from 0 to 1 (0.3, not 30)", s.Key)
		}
	}
	outcomes := []struct {
		name, field, key string
		optional         bool
	}{{"won", "Won", f.Won, false}, {"lost", "Lost", f.Lost, false}, {"invalid", "Invalid", f.Invalid, true}}
	for _, o := range outcomes {
		if o.key == "" {
			if o.optional {
				continue
			}
			return invalid("outcome", "", "funnel %q has no %s outcome; set Funnel.%s", f.Key, o.name, o.field)
		}
		if prev, dup := seen[o.key]; dup {
			return invalid("outcome", o.key, "funnel %q uses it as the %s outcome and as %s; stage and outcome keys must be distinct", f.Key, o.name, prev)
		}
		seen[o.key] = "the " + o.name + " outcome"
	}
	if f.Derive != nil {
		return f.Derive.validate(f)
	}
	return nil
}

// StageIndex returns the position of the open stage key in f.Stages.
func (f Funnel) StageIndex(key string) (int, bool) {
	for i, s := range f.Stages {
		if s.Key == key {
			return i, true
		}
	}
	return -1, false
}

// StageMetric returns the key of the count metric that tracks entries into
// stage i: Stage.Metric, or "<funnel key>.<stage key>" when that is empty.
// It returns "" when i is out of range.
func (f Funnel) StageMetric(i int) string {
	if i < 0 || i >= len(f.Stages) {
		return ""
	}
	if m := f.Stages[i].Metric; m != "" {
		return m
	}
	return f.Key + "." + f.Stages[i].Key
}

// WonMetric returns the key of the count metric of deals won:
// "<funnel key>.<won key>".
func (f Funnel) WonMetric() string { return f.Key + "." + f.Won }

// isCountMetric reports whether metric is one of f's stage metrics or its
// won metric.
func (f Funnel) isCountMetric(metric string) bool {
	for i := range f.Stages {
		if f.StageMetric(i) == metric {
			return true
		}
	}
	return metric == f.WonMetric()
}

// kind of a transition's stage key within a funnel.
type kind uint8

const (
	kindUnknown kind = iota
	kindOpen
	kindWon
	kindLost
	kindInvalid
)

// classify returns what key is in f and, for an open stage, its index.
func (f Funnel) classify(key string) (kind, int) {
	if i, ok := f.StageIndex(key); ok {
		return kindOpen, i
	}
	switch {
	case key == "":
		return kindUnknown, -1
	case key == f.Won:
		return kindWon, len(f.Stages)
	case key == f.Lost:
		return kindLost, -1
	case key == f.Invalid:
		return kindInvalid, -1
	}
	return kindUnknown, -1
}

// isFraction reports whether d lies in [0, 1].
func isFraction(d decimal.Decimal) bool {
	return d.Sign() >= 0 && d.Cmp(decimal.NewFromInt(1)) <= 0
}
