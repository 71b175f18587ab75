package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestQuickstart runs the whole loop and checks the story it tells: an exact
// plan, the visits alert raised before the revenue alert, revenue and the
// funnel's counts derived from deals re-sent every week and counted once,
// wang's notifications in Chinese, and the same output on every run.
func TestQuickstart(t *testing.T) {
	var first, second bytes.Buffer
	require.NoError(t, run(context.Background(), &first))
	require.NoError(t, run(context.Background(), &second))
	require.Equal(t, first.String(), second.String(), "the quickstart is deterministic")

	out := first.String()
	require.Contains(t, out, "exact at every level: 0 discrepancies")
	require.Contains(t, out, "acme      2,400,000.00")
	visits := strings.Index(out, "firing visits pace(wang)")
	revenue := strings.Index(out, "firing revenue pace(wang)")
	require.Positive(t, visits, "wang's visits fall behind")
	require.Positive(t, revenue, "wang's revenue falls behind")
	require.Less(t, visits, revenue, "activities warn before revenue does")
	require.Contains(t, out, "resolved visits pace(wang)")
	// wang reads Chinese: plain words first, the week's outcome said as
	// such, the statistics as details on the next line.
	require.Contains(t, out, "firing   → wang  wang 拜访 2026-W29：落后计划 15\n")
	require.Contains(t, out, "resolved → wang  wang 拜访 2026-W29：未达成，差 15，完成 5 / 20（25.0%）\n")
	require.Contains(t, out, "wang visits 2026-W29: missed by 15, 5 of 20 (25.0%)\n")
	require.Contains(t, out, "落后计划 ¥183,975.07；剩余每个工作日需完成 ¥13,042.96 才能追上")

	// The revenue the won deals imply, each deal sent up to twelve times:
	// the same figures as when the wins were sent as hand-made facts.
	require.Contains(t, out, "acme      2,400,000.00  1,715,359.00")
	require.Contains(t, out, "  wang      557,818.18     78,936.00       14.2%")
	require.Contains(t, out, "acme        468            174     68       174  1,715,359.00")
	require.Contains(t, out, "  wang      106             37      3        37     78,936.00")

	// The cash plan: the quarter's months and what falls after it add up
	// to the revenue target, and it is tracked like any goal.
	require.Contains(t, out, "Q3        1,594,030.15 2026-07 205,970.29 2026-08 600,000.15 2026-09 788,059.71; after Q3 805,969.85")
	require.Contains(t, out, "acme      1,594,030.15    974,264.00       61.1%")
}
