// Package exact is the int64 arithmetic the stores' exact sums share
// (rollup.Sum and the memory store's dense day cells): coefficients scaled
// by powers of ten and added with overflow checks, so a caller falls back
// to decimals instead of wrapping.
package exact

import (
	"math"
	"math/bits"
)

// pow10 holds 10^0 … 10^18, the powers that fit in int64.
var pow10 = func() (t [19]uint64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

// Scale returns x × 10^shift if shift ≥ 0 and the result fits an int64.
func Scale(x int64, shift int32) (int64, bool) {
	if shift == 0 || x == 0 {
		return x, true
	}
	if shift < 0 || shift >= int32(len(pow10)) {
		return 0, false
	}
	u := uint64(x)
	if x < 0 {
		u = -u
	}
	hi, lo := bits.Mul64(u, pow10[shift])
	if x < 0 {
		if hi != 0 || lo > 1<<63 {
			return 0, false
		}
		return int64(-lo), true
	}
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	return int64(lo), true
}

// Add returns x + y if it does not overflow.
func Add(x, y int64) (int64, bool) {
	s := x + y
	if (x >= 0) == (y >= 0) && (s >= 0) != (x >= 0) {
		return 0, false
	}
	return s, true
}
