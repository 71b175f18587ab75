package kpi

import (
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/decfast"
	"github.com/shopspring/decimal"
)

// Op says how a KPI is computed from facts.
type Op uint8

const (
	// OpSum is the sum of a metric's fact values.
	OpSum Op = iota + 1
	// OpCount is the number of a metric's facts (share-weighted for split
	// facts, see Ledger.Count).
	OpCount
	// OpRatio is one KPI divided by another, both computed over the same
	// unit, scope and period: win rate = won ÷ closed, deal size = revenue ÷
	// won deals. A ratio rolls up by recomputing its numerator and
	// denominator over the subtree, never by averaging the children's ratios.
	OpRatio
)

// String names the value in words (what %v prints).
func (o Op) String() string {
	switch o {
	case OpSum:
		return "sum"
	case OpCount:
		return "count"
	case OpRatio:
		return "ratio"
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

// DefaultRatioPlaces is the number of decimal places a ratio is rounded to
// (half away from zero, decimal.DivRound) when KPI.Places is zero. Ratios
// are rates, not money: 0.631500 is a 63.15% win rate.
const DefaultRatioPlaces = 6

// KPI defines a key performance indicator. Build one with Sum, Count, Ratio
// or Average and set Key, Name and Direction as needed. A KPI is a value;
// its Num and Den are not modified by this package.
type KPI struct {
	Key       string
	Name      string
	Op        Op
	Metric    string         // OpSum and OpCount: the metric
	Num, Den  *KPI           // OpRatio: numerator and denominator
	Direction goal.Direction // whether more is better; used by leaderboards
	// Places is the number of decimal places of a ratio (OpRatio only);
	// zero means DefaultRatioPlaces.
	Places int32
}

// Sum returns the KPI "sum of the metric's values", e.g. revenue.
func Sum(metric string) KPI { return KPI{Key: metric, Op: OpSum, Metric: metric} }

// Count returns the KPI "number of the metric's facts", e.g. deals won.
func Count(metric string) KPI { return KPI{Key: metric + "_count", Op: OpCount, Metric: metric} }

// Ratio returns the KPI num ÷ den, e.g. Ratio(Count("won"), Count("closed"))
// for a win rate. It is undefined (invalid NullDecimal) where den is zero.
func Ratio(num, den KPI) KPI {
	return KPI{Key: num.Key + "_per_" + den.Key, Op: OpRatio, Num: &num, Den: &den}
}

// Average returns the KPI "average value of the metric's facts": the sum
// divided by the count, e.g. average deal size from won-revenue facts.
func Average(metric string) KPI {
	k := Ratio(Sum(metric), Count(metric))
	k.Key = metric + "_avg"
	return k
}

// Validate reports whether k is well formed: a known Op, a metric for sums
// and counts, a numerator and a denominator for ratios, Places in 0..18.
func (k KPI) Validate() error { return k.validate(0) }

func (k KPI) validate(depth int) error {
	if depth > 16 {
		return queryErr(ErrInvalid, "KPI %q nests ratios more than 16 deep", k.Key)
	}
	switch k.Op {
	case OpSum, OpCount:
		if k.Metric == "" {
			return queryErr(ErrInvalid, "KPI %q: a %s needs a Metric", k.Key, k.Op)
		}
	case OpRatio:
		if k.Num == nil || k.Den == nil {
			return queryErr(ErrInvalid, "KPI %q: a ratio needs Num and Den; build it with kpi.Ratio", k.Key)
		}
		if k.Places < 0 || k.Places > 18 {
			return queryErr(ErrInvalid, "KPI %q: Places %d is outside 0..18", k.Key, k.Places)
		}
		if err := k.Num.validate(depth + 1); err != nil {
			return err
		}
		return k.Den.validate(depth + 1)
	default:
		return queryErr(ErrInvalid, "KPI %q: unknown Op %d; build KPIs with kpi.Sum, Count, Ratio or Average", k.Key, k.Op)
	}
	return nil
}

// Value returns the KPI for unit (with or without its sub-units, by scope)
// over period p. Sums and counts are always valid; a ratio is invalid where
// its denominator is zero.
func (l *Ledger) Value(k KPI, unit string, p goal.Period, scope Scope) (decimal.NullDecimal, error) {
	if err := k.Validate(); err != nil {
		return decimal.NullDecimal{}, err
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.value(&k, unit, p, scope)
}

func (l *Ledger) value(k *KPI, unit string, p goal.Period, scope Scope) (decimal.NullDecimal, error) {
	if k.Op == OpRatio {
		num, err := l.value(k.Num, unit, p, scope)
		if err != nil {
			return num, err
		}
		den, err := l.value(k.Den, unit, p, scope)
		if err != nil {
			return den, err
		}
		return divide(num, den, k.places()), nil
	}
	m, u, a, b, err := l.locate(k.Metric, unit, p)
	if err != nil {
		return decimal.NullDecimal{}, err
	}
	s := l.rangeSum(m, u, a, b, scope)
	if k.Op == OpCount {
		return valid(fromMinor(s.cnt, SharePlaces)), nil
	}
	return valid(fromMinor(s.sum, l.metrics[m].Places)), nil
}

func (k *KPI) places() int32 {
	if k.Places == 0 {
		return DefaultRatioPlaces
	}
	return k.Places
}

func valid(d decimal.Decimal) decimal.NullDecimal {
	return decimal.NullDecimal{Decimal: d, Valid: true}
}

// divide returns num ÷ den rounded half away from zero to places, invalid
// when either is invalid or den is zero.
func divide(num, den decimal.NullDecimal, places int32) decimal.NullDecimal {
	if !num.Valid || !den.Valid || den.Decimal.IsZero() {
		return decimal.NullDecimal{}
	}
	return valid(decfast.DivRound(num.Decimal, den.Decimal, places))
}
