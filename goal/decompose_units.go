package goal

import (
	"fmt"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// UnitSplit names a rule for splitting a unit's target over its child units.
type UnitSplit uint8

const (
	// EvenSplit is the zero value: every child unit weighs the days it is
	// active in the period, so active units share evenly and a rep who
	// joins on 1 July gets about half a full year's share.
	EvenSplit UnitSplit = iota
	// WeightedSplit weighs each child by the weight the rule gives it
	// (missing children weigh zero), times the days it is active.
	WeightedSplit
	// HistorySplit weighs each child by its share of past actuals, blended
	// with an even share (see UnitRule.EvenBlend), times the days it is
	// active.
	HistorySplit
	// CapacitySplit weighs each child by its capacity (headcount, quota
	// capacity) times the days it is active; an inner unit's capacity is the
	// sum over its subtree of each unit's capacity times the days it and all
	// its ancestors up to the inner unit are active.
	CapacitySplit
)

// String returns the rule's name: "even", "weighted", "history" or
// "capacity".
func (s UnitSplit) String() string {
	switch s {
	case EvenSplit:
		return "even"
	case WeightedSplit:
		return "weighted"
	case HistorySplit:
		return "history"
	case CapacitySplit:
		return "capacity"
	}
	return fmt.Sprintf("UnitSplit(%d)", uint8(s))
}

// UnitRule says how a unit's target is split over its child units. The zero
// value is EvenSplit.
//
// Every rule multiplies a child's weight by the number of days the child is
// active in the period (Unit.ActiveDays), so a unit inactive for the whole
// period gets zero and a part-period unit a part share.
type UnitRule struct {
	By UnitSplit
	// Values are keyed by unit ID. WeightedSplit: each child's weight.
	// HistorySplit: past actuals, at any level of the tree; a child's history
	// is the sum of Values over its whole subtree (itself included), so pass
	// actuals at one level (usually reps) to avoid counting them twice.
	// CapacitySplit: capacity per unit, summed over subtrees the same way.
	// Values must not be negative and must name units of the org; they
	// may have any number of decimal places.
	Values map[string]decimal.Decimal
	// EvenBlend, for HistorySplit, is the share of the even split mixed into
	// the historical one, in [0, 1]: a child's weight is
	// (1−EvenBlend)·history share + EvenBlend·(1/active children). Zero is
	// pure history; 0.1–0.3 keeps a share for new reps without history.
	// When no child has any history, the split is even.
	EvenBlend decimal.Decimal
}

func (r UnitRule) validate(org *Org, level int) error {
	field := fmt.Sprintf("unit rule %d", level)
	if r.By > CapacitySplit {
		return invalid(field, r.By.String(), "use goal.EvenSplit, WeightedSplit, HistorySplit or CapacitySplit")
	}
	if r.By != EvenSplit && len(r.Values) == 0 {
		return invalid(field, r.By.String(), "the rule needs Values keyed by unit ID")
	}
	if r.By == EvenSplit && len(r.Values) != 0 {
		return invalid(field, r.By.String(), "an even split takes no Values; use WeightedSplit to weigh units")
	}
	if r.By != HistorySplit && !r.EvenBlend.IsZero() {
		return invalid(field, r.EvenBlend.String(), "EvenBlend applies to HistorySplit only")
	}
	if err := CheckDecimal(field, r.EvenBlend); err != nil {
		return err
	}
	if r.EvenBlend.Sign() < 0 || r.EvenBlend.GreaterThan(decimal.NewFromInt(1)) {
		return invalid(field, r.EvenBlend.String(), "EvenBlend must be in [0, 1]")
	}
	for id, v := range r.Values {
		if _, ok := org.Index(id); !ok {
			return invalid(field, id, "the unit is not in the org; drop it from Values")
		}
		if err := CheckDecimal(field, v); err != nil {
			return err
		}
		if v.Sign() < 0 {
			return invalid(field, id, "its value %s is negative; %s values must be zero or more (floor them in the host)", v, r.By)
		}
	}
	return nil
}

// subtreeSums returns, for every unit in the subtree order (parents before
// children), the sum of own(u) over u's subtree.
func subtreeSums(org *Org, order []int, own func(i int) decimal.Decimal) map[int]decimal.Decimal {
	sums := make(map[int]decimal.Decimal, len(order))
	for k := len(order) - 1; k >= 0; k-- {
		i := order[k]
		s := own(i)
		for _, c := range org.children[i] {
			s = s.Add(sums[c])
		}
		sums[i] = s
	}
	return sums
}

// unitWeighter computes the weights of child units under one rule; the
// subtree sums a rule needs are computed once.
type unitWeighter struct {
	org    *Org
	rule   UnitRule
	period Period
	sums   map[int]decimal.Decimal // HistorySplit and CapacitySplit
}

func newUnitWeighter(org *Org, rule UnitRule, p Period, subtree []int) *unitWeighter {
	uw := &unitWeighter{org: org, rule: rule, period: p}
	value := func(i int) decimal.Decimal {
		v, ok := rule.Values[org.units[i].ID]
		if !ok {
			return decimal.Zero
		}
		return v
	}
	switch rule.By {
	case HistorySplit:
		uw.sums = subtreeSums(org, subtree, value)
	case CapacitySplit:
		// A unit counts the days it is active while all its ancestors (up
		// to the root of the plan) are too: a rep of a team that closes in
		// June adds no capacity after June.
		days := make(map[int]int, len(subtree))
		window := make(map[int][2]date.Date, len(subtree))
		for k, i := range subtree {
			from, to := activeWindow(org.units[i], p)
			if k > 0 {
				w := window[org.parent[i]]
				from, to = max(from, w[0]), min(to, w[1])
			}
			to = max(from, to)
			window[i] = [2]date.Date{from, to}
			days[i] = int(to - from)
		}
		uw.sums = subtreeSums(org, subtree, func(i int) decimal.Decimal {
			return value(i).Mul(decimal.NewFromInt(int64(days[i])))
		})
	}
	return uw
}

func (uw *unitWeighter) active(i int) int {
	return uw.org.units[i].ActiveDays(uw.period.Start, uw.period.End)
}

// weights returns the weights of the children kids of one unit.
func (uw *unitWeighter) weights(kids []int) []decimal.Decimal {
	w := make([]decimal.Decimal, len(kids))
	switch uw.rule.By {
	case EvenSplit:
		for k, c := range kids {
			w[k] = decimal.NewFromInt(int64(uw.active(c)))
		}
	case WeightedSplit:
		for k, c := range kids {
			v, ok := uw.rule.Values[uw.org.units[c].ID]
			if !ok {
				v = decimal.Zero
			}
			w[k] = v.Mul(decimal.NewFromInt(int64(uw.active(c))))
		}
	case CapacitySplit:
		for k, c := range kids {
			w[k] = uw.sums[c]
		}
	case HistorySplit:
		// weight ∝ ((1−β)·h/H + β/n)·a, scaled by n·H to stay exact.
		n, total := int64(0), decimal.Zero
		for _, c := range kids {
			if uw.active(c) > 0 {
				n++
				total = total.Add(uw.sums[c])
			}
		}
		beta := uw.rule.EvenBlend
		for k, c := range kids {
			a := decimal.NewFromInt(int64(uw.active(c)))
			if total.IsZero() {
				w[k] = a
				continue
			}
			h := decimal.NewFromInt(1).Sub(beta).Mul(uw.sums[c]).Mul(decimal.NewFromInt(n))
			w[k] = h.Add(beta.Mul(total)).Mul(a)
		}
	}
	return w
}
