package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestQuickstart runs the whole loop and checks the story it tells: an exact
// plan, the visits alert raised before the revenue alert, wang's
// notifications in Chinese, and the same output on every run.
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
}
