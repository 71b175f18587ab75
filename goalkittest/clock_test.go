package goalkittest_test

import (
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goalkittest"
	"github.com/stretchr/testify/require"
)

func TestClockSetAndAdvance(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	c := goalkittest.NewClock(start)
	require.Equal(t, start, c.Now())
	require.Equal(t, start, c.Now(), "reading does not move the clock")
	require.Equal(t, start.Add(48*time.Hour), c.Advance(48*time.Hour))
	require.Equal(t, start.Add(48*time.Hour), c.Now())
	require.Equal(t, start.Add(47*time.Hour), c.Advance(-time.Hour))
	c.Set(start)
	require.Equal(t, start, c.Now())
	require.True(t, (&goalkittest.Clock{}).Now().IsZero(), "the zero Clock reads the zero time")
}

// TestClockConcurrent advances and reads the clock from several goroutines
// (run with -race): every advance counts.
func TestClockConcurrent(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	c := goalkittest.NewClock(start)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				c.Advance(time.Second)
				_ = c.Now()
			}
		}()
	}
	wg.Wait()
	require.Equal(t, start.Add(800*time.Second), c.Now())
}
