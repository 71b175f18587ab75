package goal

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"
)

// Reconciliation sets, at every level of a plan under review, the
// top-down target beside the bottom-up figure its children commit to, and
// the gap between them. It is a plain value a host can print (String) or
// lay out itself.
type Reconciliation struct {
	Plan   string
	Places int32 // the metric's decimal places, for printing
	Rows   []ReconciliationRow
}

// ReconciliationRow is one unit's line of a Reconciliation.
type ReconciliationRow struct {
	Unit, Parent string
	Depth        int // 0 for the top unit, 1 below it, ...
	State        ReviewState
	Exchange     Exchange
	// Target is the unit's top-down target: its topmost goal's target.
	Target decimal.Decimal
	// Commitment is the unit's own latest commitment, if it made one.
	Commitment decimal.NullDecimal
	// BottomUp is what the level below commits to: the sum over the
	// unit's children (or, for a unit without children, the unit itself)
	// of the agreed target where the figure is settled, the latest
	// commitment while it is discussed, and the target of a unit that has
	// not committed yet (those are counted in Pending).
	BottomUp decimal.Decimal
	// Gap is BottomUp − Target: negative when the level below commits to
	// less than it is asked for.
	Gap decimal.Decimal
	// Pending is how many units of BottomUp had not committed and count
	// at their target.
	Pending int
}

// Reconcile returns the review's reconciliation, one row per unit, in plan
// order.
func (r *Review) Reconcile() Reconciliation {
	out := Reconciliation{Plan: r.plan.ID, Places: r.plan.Metric.Places, Rows: make([]ReconciliationRow, len(r.units))}
	depth := make([]int, len(r.units))
	for i, n := range r.units {
		row := ReconciliationRow{Unit: n.Unit, Parent: n.Parent, State: n.State, Exchange: n.Exchange, Target: r.target(i)}
		if n.Parent != "" {
			depth[i] = depth[r.index[n.Parent]] + 1
		}
		row.Depth = depth[i]
		if n.Commitment != nil {
			row.Commitment = decimal.NewNullDecimal(n.Commitment.Figure)
		}
		below := r.kids[i]
		if len(below) == 0 {
			below = []int{i}
		}
		for _, k := range below {
			v, pending := r.figure(k)
			row.BottomUp = row.BottomUp.Add(v)
			if pending {
				row.Pending++
			}
		}
		row.Gap = row.BottomUp.Sub(row.Target)
		out.Rows[i] = row
	}
	return out
}

// target is negotiation i's topmost goal's target.
func (r *Review) target(i int) decimal.Decimal {
	gi, _ := r.plan.lookup(r.units[i].Goal)
	return r.plan.Goals[gi].Target
}

// figure is the bottom-up figure of negotiation i and whether it is a
// target standing in for a commitment not made.
func (r *Review) figure(i int) (decimal.Decimal, bool) {
	n := r.units[i]
	switch {
	case n.Exchange == Agreed || n.State >= Confirmed:
		return r.target(i), false
	case n.Commitment != nil:
		return n.Commitment.Figure, false
	}
	return r.target(i), true
}

// Row returns the row of unit, if the reconciliation has one.
func (c Reconciliation) Row(unit string) (ReconciliationRow, bool) {
	for _, row := range c.Rows {
		if row.Unit == unit {
			return row, true
		}
	}
	return ReconciliationRow{}, false
}

// String lays the reconciliation out as a text table, units indented by
// depth, amounts in the metric's places:
//
//	unit       state      exchange   target      commitment  bottom-up   gap        pending
//	co         in review  awaiting   1000000.00  -           950000.00   -50000.00  0
//	  north    confirmed  agreed     600000.00   600000.00   600000.00   0.00       0
func (c Reconciliation) String() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "unit\tstate\texchange\ttarget\tcommitment\tbottom-up\tgap\tpending")
	for _, row := range c.Rows {
		commitment := "-"
		if row.Commitment.Valid {
			commitment = row.Commitment.Decimal.StringFixed(c.Places)
		}
		fmt.Fprintf(w, "%s%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", strings.Repeat("  ", row.Depth), row.Unit, row.State, row.Exchange,
			row.Target.StringFixed(c.Places), commitment, row.BottomUp.StringFixed(c.Places), row.Gap.StringFixed(c.Places), row.Pending)
	}
	w.Flush()
	return b.String()
}
