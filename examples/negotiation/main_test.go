package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNegotiation runs the round and checks the story it tells: requests
// to every unit (Chinese for the west), the reconciliation with the gaps
// the reps' figures leave, answers that keep the plan exact, a refused and
// a stale move, confirmation at every level, and the same output each run.
func TestNegotiation(t *testing.T) {
	var first, second bytes.Buffer
	require.NoError(t, run(context.Background(), &first))
	require.NoError(t, run(context.Background(), &second))
	require.Equal(t, first.String(), second.String(), "the example is deterministic")
	out := first.String()

	require.Contains(t, out, "→ li    li 合同金额 2027: please confirm your target of CN¥3,000,000.00 by 2026-12-15")
	require.Contains(t, out, "→ zhao  zhao 合同金额 2027：请确认您的目标 ¥3,000,000.00（截止 2026-12-15）")
	require.Equal(t, 7, strings.Count(out, "please confirm your target")+strings.Count(out, "请确认您的目标"), "one request per unit")

	// What the reps commit to, level by level, before any answer.
	require.Contains(t, out, "acme      in review  awaiting   12000000.00  -           11700000.00  -300000.00  1\n")
	require.Contains(t, out, "  east    in review  awaiting   6000000.00   -           6100000.00   100000.00   0\n")
	require.Contains(t, out, "  west    in review  awaiting   6000000.00   -           5600000.00   -400000.00  1\n")
	require.Contains(t, out, "    li    in review  submitted  3000000.00   2800000.00  2800000.00   -200000.00  0\n")

	// The answers: east rolls up (the company grows by 200,000.00), west
	// rebalances sun; the plan stays exact throughout.
	require.Contains(t, out, `refused: goalkit: commit "zhao" in plan "fy2027"`)
	require.Contains(t, out, "stale: stored version is 1, expected 0")
	require.Contains(t, out, "acme      in review  awaiting  12200000.00  -           12200000.00  0.00  1\n")
	require.Contains(t, out, "    sun   in review  awaiting  3200000.00   -           3200000.00   0.00  1\n")
	require.Equal(t, 3, strings.Count(out, ", 0 discrepancies)"))

	require.Contains(t, out, "7 reminders:")
	require.Contains(t, out, "## Confirmed at every level")
	require.Contains(t, out, "acme      confirmed  awaiting  12200000.00")
	require.Contains(t, out, "12-04 01:00 chen (director)  confirm        acme  in review → confirmed\n")
	require.Contains(t, out, "[lost key account] Hengda's 2026 orders (400000.00)")
	require.Contains(t, out, "qian (west)      reject         zhao  submitted → rejected: the price cut touches one account only")

	// The snapshot, the re-plan after Q1's actuals, and the diff between
	// the two versions: the open quarters of every rep moved, by the
	// director and for the reason he gave.
	require.Contains(t, out, "version 4 (board approved) → version 5 (after Q1 re-plan)")
	require.Contains(t, out, "li    2027-Q2    723013.70 →    757781.82      34768.12  by chen (director) (Q1 closed: spread its gap over Q2–Q4)\n")
	require.Contains(t, out, "wang  2027-Q4    831780.82 →    801236.36     -30544.46  by chen (director)")
	require.Equal(t, 12, strings.Count(out, "by chen (director) (Q1 closed"), "Q2–Q4 of four reps")
}
