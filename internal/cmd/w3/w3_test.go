package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAcceptance runs W3 small and checks the acceptance criteria loosely: every
// calibrated detector at most 7 false alarms per 1,000 periods (5.5 at full size), the CUSUM's
// mean delay about 7 on A1 and 17 on A2, the fixed rule about 50 and 210 false alarms per 1,000.
func TestAcceptance(t *testing.T) {
	report, err := Run(Config{Reps: 1000, CalReps: 1000, Seed: 7})
	require.NoError(t, err)
	require.Len(t, report.Rows, 14)

	find := func(stream, prefix string) Row {
		t.Helper()
		for _, row := range report.Rows {
			if row.Stream == stream && strings.HasPrefix(row.Detector, prefix) {
				return row
			}
		}
		t.Fatalf("no row %s / %s", stream, prefix)
		return Row{}
	}
	for _, row := range report.Rows {
		if row.Calibrated {
			require.LessOrEqual(t, row.FalseAlarmsPer1000, 7.0, "%s %s", row.Stream, row.Detector)
			require.Greater(t, row.FalseAlarmsPer1000, 2.0, "%s %s", row.Stream, row.Detector)
		}
		require.Zero(t, row.Censored, "%s %s", row.Stream, row.Detector)
		require.LessOrEqual(t, row.Within4, row.Within13)
		require.LessOrEqual(t, row.MedianDelay, row.P90Delay)
	}
	require.InDelta(t, 7, find("A1", "CUSUM").MeanDelay, 2)
	require.InDelta(t, 17, find("A2", "CUSUM").MeanDelay, 4)
	require.InDelta(t, 7, find("B1", "CUSUM").MeanDelay, 2)
	require.InDelta(t, 50, find("A1", "below 50% of plan").FalseAlarmsPer1000, 12)
	require.InDelta(t, 212, find("A2", "below 50% of plan").FalseAlarmsPer1000, 25)
	require.InDelta(t, 2.3, find("A1", "below 50% of plan, held").FalseAlarmsPer1000, 2)

	md := report.Markdown()
	require.Contains(t, md, "| stream | detector |")
	require.Equal(t, 14+2, strings.Count(md, "\n| ")+1, "header, separator and one line per row")
}

func TestRunIsDeterministic(t *testing.T) {
	cfg := Config{Reps: 100, CalReps: 100, Seed: 3, Workers: 2}
	a, err := Run(cfg)
	require.NoError(t, err)
	cfg.Workers = 1
	b, err := Run(cfg)
	require.NoError(t, err)
	require.Equal(t, a.Markdown(), b.Markdown())
}

func TestRunRejectsBadConfig(t *testing.T) {
	_, err := Run(Config{Reps: -1})
	require.Error(t, err)
}
