package funnel

import (
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
)

// allocateCounts splits the whole count total (>= 0) over weights (> 0) with
// goal.Allocate: largest remainder, ties to the lower index, parts summing to
// total exactly.
func allocateCounts(total int64, weights []int64) ([]int64, error) {
	shares := make([]goal.Share, len(weights))
	for i, w := range weights {
		shares[i] = goal.Share{Weight: decimal.NewFromInt(w)}
	}
	parts, err := goal.Allocate(goal.Allocation{Total: decimal.NewFromInt(total), Places: 0, Shares: shares})
	if err != nil {
		return nil, fmt.Errorf("funnel: split %d over periods: %w", total, err)
	}
	out := make([]int64, len(parts))
	for i, p := range parts {
		out[i] = p.IntPart()
	}
	return out, nil
}
