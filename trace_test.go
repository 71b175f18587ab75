package goalkit_test

import (
	"bytes"
	"runtime/trace"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/stretchr/testify/require"
)

// Evaluate is a runtime/trace task whose phases are regions, so a trace of
// a host's process shows where an evaluation spends its time.
func TestEvaluateIsATraceTaskWithPhaseRegions(t *testing.T) {
	if trace.IsEnabled() {
		t.Skip("a trace is already being recorded")
	}
	f := newFixture(t, nil, func(c *goalkit.Config) { c.Rules.Pace = callsPace })
	f.callsPlan(t, "li-calls", "li", 220)
	var buf bytes.Buffer
	require.NoError(t, trace.Start(&buf))
	_, err := f.engine.Evaluate(f.ctx, day("2026-03-05"))
	trace.Stop()
	require.NoError(t, err)
	for _, name := range []string{"goalkit.Evaluate", "goalkit: loading plans", "goalkit: reading actuals (SumMany)",
		"goalkit: computing statuses", "goalkit: rules", "goalkit: reading alert states", "goalkit: lifecycle",
		"goalkit: persisting states + outbox"} {
		require.True(t, bytes.Contains(buf.Bytes(), []byte(name)), "the trace names %q", name)
	}
}
