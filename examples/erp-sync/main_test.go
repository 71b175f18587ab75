package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestERPSync runs the job and checks what it tells and writes: every file
// loaded with progress, one status row a unit and month, the same on every
// run, and actuals that add up the tree.
func TestERPSync(t *testing.T) {
	var first, second bytes.Buffer
	dir := t.TempDir()
	require.NoError(t, run(context.Background(), dir, &first))
	require.NoError(t, run(context.Background(), t.TempDir(), &second))
	require.Equal(t, first.String(), second.String(), "the job is deterministic")

	out := first.String()
	require.Contains(t, out, "org.csv        7 rows     7 stored")
	require.Contains(t, out, "plan.csv      55 rows    55 stored")
	require.Contains(t, out, "facts.csv    500 rows   500 stored", "progress after each batch")
	require.Contains(t, out, "facts.csv   1044 rows  1044 stored", "261 working days × 4 reps")
	require.Contains(t, out, "status.csv 48 unit-months")
	require.Contains(t, out, "acme   2026  target    12000000.00  actual    10995698.87")
	require.LessOrEqual(t, strings.Count(out, "\n"), 20, "the output stays short")

	status, err := os.ReadFile(filepath.Join(dir, "status.csv"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(status)), "\n")
	require.Len(t, lines, 49)
	require.Equal(t, "goal,unit,period,start,end,as_of,target,actual,attainment,time_progress,gap,expected,remaining,projected", lines[0])
	require.True(t, strings.HasPrefix(lines[1], "revenue/li/2026-01,li,2026-01,2026-01-01,2026-02-01,2026-12-31,"), lines[1])
}
