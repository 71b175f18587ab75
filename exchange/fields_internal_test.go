package exchange

import (
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestParseDayAgreesWithTimeParse checks the strict day parser against
// time.Parse over every day of four years (a leap century among them) and
// the near misses.
func TestParseDayAgreesWithTimeParse(t *testing.T) {
	for d := date.New(1999, time.December, 1); d < date.New(2001, time.March, 31); d++ {
		got, ok := parseDay(d.String())
		require.True(t, ok, d.String())
		require.Equal(t, d, got)
	}
	for _, s := range []string{"2026-13-01", "2026-02-29", "1900-02-29", "2026-04-31", "2026-00-10", "2026-01-00",
		"2026-1-01", "2026/01/01", "20260101xx", "2026-01-0a", "+026-01-01", "2024-02-30"} {
		_, ok := parseDay(s)
		_, err := time.Parse(time.DateOnly, s)
		require.False(t, ok, s)
		require.Error(t, err, s)
	}
	_, ok := parseDay("0000-01-01")
	require.False(t, ok, "year 0 is outside what stores take (0001..9999)")
	got, ok := parseDay("2000-02-29")
	require.True(t, ok)
	require.Equal(t, date.New(2000, time.February, 29), got)
}
