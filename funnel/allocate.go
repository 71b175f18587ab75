package funnel

import "slices"

// allocateCounts splits total (>= 0) over weights (>= 0, not all zero) in
// whole units by largest remainder, ties to the lower index, so the parts sum
// to total exactly. The caller keeps total·weight within int64 (see
// MaxCount).
//
// TODO: replace with goal.Allocate (same method and tie rule) once it lands.
func allocateCounts(total int64, weights []int64) []int64 {
	out := make([]int64, len(weights))
	var sum int64
	for _, w := range weights {
		sum += w
	}
	if sum == 0 || total == 0 {
		return out
	}
	type rem struct {
		i int
		r int64
	}
	rems := make([]rem, len(weights))
	left := total
	for i, w := range weights {
		q := total * w
		out[i] = q / sum
		left -= out[i]
		rems[i] = rem{i, q % sum}
	}
	slices.SortStableFunc(rems, func(a, b rem) int {
		switch {
		case a.r > b.r:
			return -1
		case a.r < b.r:
			return 1
		}
		return a.i - b.i
	})
	for k := int64(0); k < left; k++ {
		out[rems[k].i]++
	}
	return out
}
