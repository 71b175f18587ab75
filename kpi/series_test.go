package kpi

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSeriesMatchesPlainSums interleaves adds and range queries on series of
// several lengths (block multiples and not) and checks every answer against
// plain arrays, so stale block prefixes are rebuilt from every position.
func TestSeriesMatchesPlainSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, days := range []int{1, 7, 8, 9, 31, 365, 366} {
		const n = 3
		s := newSeries(n, days)
		plain := make([][]node, n)
		for i := range plain {
			plain[i] = make([]node, days)
		}
		for step := 0; step < 4000; step++ {
			tr := rng.IntN(n)
			if rng.IntN(3) == 0 {
				d, v, c := rng.IntN(days), rng.Int64N(2001)-1000, rng.Int64N(3)*shareScale/2
				s.add(tr, d, v, c)
				plain[tr][d].sum += v
				plain[tr][d].cnt += c
				continue
			}
			a := rng.IntN(days + 1)
			b := a + rng.IntN(days+1-a)
			var want node
			for _, c := range plain[tr][a:b] {
				want.sum += c.sum
				want.cnt += c.cnt
			}
			require.Equal(t, want, s.rangeSum(tr, a, b), "days %d series %d [%d,%d) step %d", days, tr, a, b, step)
		}
	}
}

// TestSeriesConcurrentQueries has many readers rebuild the same stale
// series at once, as queries under the ledger's read lock do (run with
// -race).
func TestSeriesConcurrentQueries(t *testing.T) {
	const days = 365
	s := newSeries(4, days)
	var mu sync.RWMutex
	for round := 0; round < 20; round++ {
		mu.Lock()
		for d := round; d < days; d += 7 {
			s.add(round%4, d, int64(d), shareScale)
		}
		mu.Unlock()
		var wg sync.WaitGroup
		sums := make([]int64, 8)
		for g := range sums {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mu.RLock()
				defer mu.RUnlock()
				for tr := 0; tr < 4; tr++ {
					sums[g] += s.rangeSum(tr, 0, days).sum + s.rangeSum(tr, 100, 200).sum
				}
			}()
		}
		wg.Wait()
		for _, v := range sums[1:] {
			require.Equal(t, sums[0], v)
		}
	}
}
