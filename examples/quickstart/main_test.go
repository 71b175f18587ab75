package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestQuickstart runs the whole loop and checks the story it tells: an exact
// plan, the visits alert raised before the revenue alert, and the same
// output on every run.
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
	require.Contains(t, out, "resolved → wang  wang visits 2026-W29 ended: 5 against a target of 20 (25.0%)")
}
