package funnel

import (
	"strings"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// Derivation says which facts a funnel's deals imply, so a host that sends
// its deal histories need not send the same events again as facts. It is
// opt-in per funnel (Funnel.Derive); a funnel without one leaves the facts
// to the host. A host that turns it on stops sending those facts itself
// (under its own keys they would count twice). Every fact is credited to the
// deal's unit on the day of the event that implies it; see DealFacts for the
// keys.
type Derivation struct {
	// Entries counts 1 in StageMetric(i) on the day a deal first reached
	// stage i, as Measure counts entries: a skipped stage is reached with
	// the stage after it (lead straight to proposal also enters
	// opportunity), a deal that moves back and forward again counts once,
	// and the stage a deal entered the funnel at is the first it counts.
	Entries bool
	// Wins counts 1 in WonMetric() on the day a deal was won.
	Wins bool
	// WonValue is the key of an amount metric credited the deal's value in
	// its currency on the day it was won; empty means none.
	WonValue string
	// Advances is the key of a count metric (推进商机阶段) credited 1 on each
	// day a deal moved to a later open stage than any it had reached; a
	// skip is one advance, a move back none, and entering the funnel or
	// winning is not an advance. Empty means none.
	Advances string
}

// validate checks that the derivation's own metrics are named apart from
// the funnel's count metrics, so no event is counted twice.
func (v *Derivation) validate(f Funnel) error {
	if v.WonValue != "" && (v.WonValue == v.Advances || f.isCountMetric(v.WonValue)) {
		return invalid("won value metric", v.WonValue, "funnel %q also counts deals in it; give the won value its own amount metric", f.Key)
	}
	if v.Advances != "" && f.isCountMetric(v.Advances) {
		return invalid("advances metric", v.Advances, "funnel %q also counts stage entries or wins in it; give stage advances their own count metric", f.Key)
	}
	return nil
}

// Metrics returns the keys of the metrics the derivation writes, with the
// kind each must have: stage metrics and the won metric as counts, the won
// value as an amount, the advances as a count. A host configures them all.
func (v *Derivation) Metrics(f Funnel) (counts []string, amounts []string) {
	if v.Entries {
		for i := range f.Stages {
			counts = append(counts, f.StageMetric(i))
		}
	}
	if v.Wins {
		counts = append(counts, f.WonMetric())
	}
	if v.Advances != "" {
		counts = append(counts, v.Advances)
	}
	if v.WonValue != "" {
		amounts = append(amounts, v.WonValue)
	}
	return counts, amounts
}

// DealFacts returns the facts a validated deal implies under its funnel's
// Derivation (none when f.Derive is nil), in transition order. Keys derive
// from the deal and the event, so the same history always gives the same
// facts and an edited one the same keys with new content:
//
//	deal:<funnel>:<deal ID>:enter:<stage>   an entry into a stage
//	deal:<funnel>:<deal ID>:advance:<stage> an advance into a stage
//	deal:<funnel>:<deal ID>:won:count       the win
//	deal:<funnel>:<deal ID>:won:value       the won value
//
// where "%" and ":" in the funnel key, deal ID and stage key are written
// "%25" and "%3A", so two deals never share a key. A fact whose key would
// exceed kpi.MaxKeyLen is left for the fact check to refuse. DealFacts
// reports the deal's validation error for a deal f does not accept.
func DealFacts(f Funnel, d Deal) ([]kpi.Fact, error) {
	if f.Derive == nil {
		return nil, nil
	}
	if err := d.Validate(f); err != nil {
		return nil, err
	}
	v := f.Derive
	prefix := "deal:" + escapeKey(f.Key) + ":" + escapeKey(d.ID) + ":"
	one := decimal.NewFromInt(1)
	out := make([]kpi.Fact, 0, 2*len(f.Stages)+2) // at most: entries and advances, the win's two
	add := func(key, metric string, t Transition, value decimal.Decimal, currency string) {
		out = append(out, kpi.Fact{Key: prefix + key, Metric: metric, Unit: d.Unit, Date: t.Date, Value: value, Currency: currency})
	}
	reach := -2 // furthest open stage reached; -2 before the first transition
	for _, t := range d.Transitions {
		k, idx := f.classify(t.Stage)
		if k != kindOpen && k != kindWon {
			break // lost or invalid: the deal ends, implying nothing more
		}
		if reach == -2 {
			reach = idx - 1 // the stage it entered at is the first it reaches
			if k == kindWon {
				reach = idx // entered at the outcome: no stage entries
			}
		} else if k == kindOpen && idx > reach && v.Advances != "" {
			add("advance:"+escapeKey(t.Stage), v.Advances, t, one, "")
		}
		if v.Entries {
			for s := reach + 1; s <= idx && s < len(f.Stages); s++ {
				add("enter:"+escapeKey(f.Stages[s].Key), f.StageMetric(s), t, one, "")
			}
		}
		reach = max(reach, idx)
		if k == kindWon {
			if v.Wins {
				add("won:count", f.WonMetric(), t, one, "")
			}
			if v.WonValue != "" {
				add("won:value", v.WonValue, t, d.Value, d.Currency)
			}
		}
	}
	return out, nil
}

// keyEscaper writes the separators of a derived key out of its parts.
var keyEscaper = strings.NewReplacer("%", "%25", ":", "%3A")

func escapeKey(s string) string { return keyEscaper.Replace(s) }
