package goal

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

// FuzzAllocateTable: any table either fails with ErrInvalid or
// ErrInfeasible, or meets both margins exactly.
func FuzzAllocateTable(f *testing.F) {
	f.Add(uint8(2), uint8(3), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, int64(5), uint8(2))
	f.Add(uint8(3), uint8(3), []byte{0, 1, 0, 1, 0, 1, 0, 1, 0, 9, 9, 9, 9, 9}, int64(-7), uint8(0))
	f.Fuzz(func(t *testing.T, n, m uint8, data []byte, exp int64, places uint8) {
		n, m = n%6, m%6
		next := func() int64 {
			if len(data) == 0 {
				return 0
			}
			v := int64(data[0])
			data = data[1:]
			return v
		}
		tb := Table{Places: int32(places % 4), Rows: make([]decimal.Decimal, n), Cols: make([]decimal.Decimal, m), Seed: make([][]decimal.Decimal, n)}
		// Margins from a matrix on the seed's pattern, sometimes nudged
		// off it.
		rows, cols := make([]int64, n), make([]int64, m)
		for i := range tb.Seed {
			tb.Seed[i] = make([]decimal.Decimal, m)
			for j := range tb.Seed[i] {
				tb.Seed[i][j] = decimal.New(next()%7, int32(exp%300))
				if !tb.Seed[i][j].IsZero() {
					v := next() * next()
					rows[i] += v
					cols[j] += v
				}
			}
		}
		if n > 0 && next()%5 == 0 {
			rows[next()%int64(n)] += next()
		}
		for i, v := range rows {
			tb.Rows[i] = decimal.New(v, -tb.Places)
		}
		for j, v := range cols {
			tb.Cols[j] = decimal.New(v, -tb.Places)
		}
		got, err := AllocateTable(tb)
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrInfeasible) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		requireMarginsExact(t, tb, got)
	})
}
