package kpi

import (
	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
)

// Ancestry is the roll-up input of a store that keeps subtree totals: which
// units a unit's facts count for on a given day. With a fixed org that is
// the unit's parent chain whatever the day; with effective-dated org moves
// (a unit moved from A to B on day D) a fact dated before D rolls up A's
// chain and one dated D or later B's, so the chain depends on the fact's
// day, not on when it is ingested.
//
// Each part of a credited fact (see SplitMinor) is added to the unit's own
// bucket for the fact's day, to the unit's subtree bucket when it has
// sub-units, and to the subtree bucket of every unit Ancestors returns.
//
// goal.Chains is the implementation: the Ledger rolls up along
// goal.Org.Chains, and goalkit's stores along the same chains (through
// package storage/rollup). A host's store should use it too rather than
// walk parents itself.
type Ancestry interface {
	// Ancestors returns the proper ancestors of unit u (an index the
	// implementation defines, such as goal.Org.Index's) that a fact credited
	// to u and dated day counts for, nearest first; nil for a root or a unit
	// the implementation does not know. The caller must not modify the
	// slice.
	Ancestors(u int32, day date.Date) []int32
}

var _ Ancestry = (*goal.Chains)(nil)
