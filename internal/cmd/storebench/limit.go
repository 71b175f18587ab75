package main

import (
	"time"

	"github.com/goalkit/goalkit/internal/w1"
)

// limitIngest is the limit of BENCHMARKS.md: a plain Go loop summing the
// values (int64 cents) by (rep, day, metric) into a flat array.
func limitIngest(n int) ([]int64, time.Duration) {
	start := time.Now()
	arr := make([]int64, w1.Cells)
	g := w1.NewGen()
	for i := 0; i < n; i++ {
		rep, day, m, v := w1.Draw(g.Next())
		arr[w1.Cell(rep, day, m)] += v
	}
	return arr, time.Since(start)
}

// limitQ1 computes Q1's figures from the flat array, in the order of
// queries(): unit (org order) × period × metric.
func limitQ1(arr []int64) ([]int64, time.Duration) {
	start := time.Now()
	const reps, metrics = w1.Reps, w1.NumMetrics
	ps := periods()
	// Per rep, period and metric: sums over the period's days.
	rep := make([]int64, reps*len(ps)*metrics)
	for r := 0; r < reps; r++ {
		for pi, p := range ps {
			for d := p.lo; d < p.hi; d++ {
				base := w1.Cell(r, d, 0)
				for m := 0; m < metrics; m++ {
					rep[(r*len(ps)+pi)*metrics+m] += arr[base+m]
				}
			}
		}
	}
	width := len(ps) * metrics
	group := func(size int) []int64 { // units of size reps each
		out := make([]int64, reps/size*width)
		for r := 0; r < reps; r++ {
			for k := 0; k < width; k++ {
				out[r/size*width+k] += rep[r*width+k]
			}
		}
		return out
	}
	var all []int64
	all = append(all, group(reps)...)
	all = append(all, group(128)...)
	all = append(all, group(16)...)
	all = append(all, rep...)
	return all, time.Since(start)
}
