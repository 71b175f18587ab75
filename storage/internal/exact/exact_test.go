package exact

import (
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
)

// Scale and Add agree with big.Int: the exact result when it fits int64,
// false otherwise.
func FuzzScaleAdd(f *testing.F) {
	f.Add(int64(150), int32(2), int64(3))
	f.Add(int64(math.MaxInt64), int32(0), int64(1))
	f.Add(int64(math.MinInt64), int32(1), int64(-1))
	f.Add(int64(-922337203685477580), int32(1), int64(0))
	f.Fuzz(func(t *testing.T, x int64, shift int32, y int64) {
		shift %= 25
		fits := func(b *big.Int) bool { return b.IsInt64() }
		got, ok := Scale(x, shift)
		if shift < 0 {
			require.Equal(t, x == 0, ok, "a negative shift is exact for zero only")
		} else {
			want := new(big.Int).Mul(big.NewInt(x), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(shift)), nil))
			require.Equal(t, fits(want), ok, "Scale(%d, %d)", x, shift)
			if ok {
				require.Equal(t, want.Int64(), got)
			}
		}
		sum, ok := Add(x, y)
		want := new(big.Int).Add(big.NewInt(x), big.NewInt(y))
		require.Equal(t, fits(want), ok, "Add(%d, %d)", x, y)
		if ok {
			require.Equal(t, want.Int64(), sum)
		}
	})
}
