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
	// commitment while it is discussed, what its own children commit to
	// for a child that has not committed but has children, and the target
	// of a unit that has not committed and has none (counted in Pending).
	BottomUp decimal.Decimal
	// Gap is BottomUp − Target: negative when the level below commits to
	// less than it is asked for.
	Gap decimal.Decimal
	// Pending is how many units below had not committed and count at
	// their target in BottomUp.
	Pending int
}

// Reconcile returns the review's reconciliation, one row per unit, in plan
// order.
func (r *Review) Reconcile() Reconciliation {
	out := Reconciliation{Plan: r.plan.ID, Places: r.plan.Metric.Places, Rows: make([]ReconciliationRow, len(r.units))}
	// Children come after their parents in plan order: fill from the end.
	for i := len(r.units) - 1; i >= 0; i-- {
		n := r.units[i]
		row := ReconciliationRow{Unit: n.Unit, Parent: n.Parent, State: n.State, Exchange: n.Exchange, Target: r.target(i)}
		if n.Commitment != nil {
			row.Commitment = decimal.NewNullDecimal(n.Commitment.Figure)
		}
		if len(r.kids[i]) == 0 {
			row.BottomUp, row.Pending = r.figure(i, nil)
		}
		for _, k := range r.kids[i] {
			v, pending := r.figure(k, &out.Rows[k])
			row.BottomUp, row.Pending = row.BottomUp.Add(v), row.Pending+pending
		}
		row.Gap = row.BottomUp.Sub(row.Target)
		out.Rows[i] = row
	}
	for i := range out.Rows {
		if p := out.Rows[i].Parent; p != "" {
			out.Rows[i].Depth = out.Rows[r.index[p]].Depth + 1
		}
	}
	return out
}

// target is negotiation i's topmost goal's target.
func (r *Review) target(i int) decimal.Decimal {
	gi, _ := r.plan.lookup(r.units[i].Goal)
	return r.plan.Goals[gi].Target
}

// figure is what negotiation i puts into its parent's bottom-up figure,
// and how many units in it had not committed: the target once settled,
// else the latest commitment, else what its own children commit to (row,
// its reconciliation row, when it has children), else its target.
func (r *Review) figure(i int, row *ReconciliationRow) (decimal.Decimal, int) {
	n := r.units[i]
	switch {
	case n.Exchange == Agreed || n.State >= Confirmed:
		return r.target(i), 0
	case n.Commitment != nil:
		return n.Commitment.Figure, 0
	case row != nil && len(r.kids[i]) > 0:
		return row.BottomUp, row.Pending
	}
	return r.target(i), 1
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
