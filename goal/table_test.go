package goal

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func decs(vs ...int64) []decimal.Decimal {
	out := make([]decimal.Decimal, len(vs))
	for i, v := range vs {
		out[i] = decimal.NewFromInt(v)
	}
	return out
}

// randomTable builds a feasible table: a random pattern of non-zero seed
// cells, and margins taken from a random matrix on that pattern (strictly
// positive cells when interior, else some zeros the fit must reach).
func randomTable(r *rand.Rand, interior bool) Table {
	n, m := 1+r.IntN(7), 1+r.IntN(7)
	places := int32(r.IntN(3))
	t := Table{Places: places, Rows: make([]decimal.Decimal, n), Cols: make([]decimal.Decimal, m), Seed: make([][]decimal.Decimal, n)}
	rows, cols := make([]int64, n), make([]int64, m)
	for i := range n {
		t.Seed[i] = make([]decimal.Decimal, m)
		for j := range m {
			if r.IntN(4) == 0 && !(i == j) { // the diagonal keeps every row and column alive
				t.Seed[i][j] = decimal.Zero
				continue
			}
			t.Seed[i][j] = decimal.New(1+r.Int64N(100000), -3)
			v := 1 + r.Int64N(5000)
			if !interior && r.IntN(3) == 0 {
				v = 0
			}
			rows[i] += v
			cols[j] += v
		}
	}
	for i, v := range rows {
		t.Rows[i] = decimal.New(v, -places)
	}
	for j, v := range cols {
		t.Cols[j] = decimal.New(v, -places)
	}
	return t
}

func requireMarginsExact(t *testing.T, tb Table, got [][]decimal.Decimal) {
	t.Helper()
	require.Len(t, got, len(tb.Rows))
	colSum := make([]decimal.Decimal, len(tb.Cols))
	for i, row := range got {
		rowSum := decimal.Zero
		for j, v := range row {
			require.True(t, v.Sign() >= 0, "cell (%d, %d) = %s is negative", i, j, v)
			require.True(t, FitsPlaces(v, tb.Places), "cell (%d, %d) = %s has too many places", i, j, v)
			if tb.Seed[i][j].IsZero() {
				require.True(t, v.IsZero(), "cell (%d, %d) has a zero seed but got %s", i, j, v)
			}
			rowSum = rowSum.Add(v)
			colSum[j] = colSum[j].Add(v)
		}
		require.True(t, rowSum.Equal(tb.Rows[i]), "row %d sums to %s, want %s", i, rowSum, tb.Rows[i])
	}
	for j, s := range colSum {
		require.True(t, s.Equal(tb.Cols[j]), "column %d sums to %s, want %s", j, s, tb.Cols[j])
	}
}

func TestAllocateTableMarginsExactOnRandomTables(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 1))
	for iter := range 400 {
		tb := randomTable(r, iter%2 == 0)
		got, err := AllocateTable(tb)
		require.NoError(t, err, "iteration %d", iter)
		requireMarginsExact(t, tb, got)
	}
}

func TestAllocateTableRoundsEachCellDownOrUp(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 2))
	for iter := range 200 {
		tb := randomTable(r, true)
		rows, cols, err := tableMargins(tb)
		require.NoError(t, err)
		fit := fitTable(tb, rows, cols)
		got, err := AllocateTable(tb)
		require.NoError(t, err)
		for i := range got {
			for j, v := range got[i] {
				minor := float64(v.Shift(tb.Places).IntPart())
				require.Less(t, math.Abs(minor-fit[i][j]), 1.0, "iteration %d cell (%d, %d): %v from fitted %v", iter, i, j, minor, fit[i][j])
			}
		}
	}
}

func TestAllocateTableKeepsTheSeedsCrossRatios(t *testing.T) {
	// A seed already meeting proportional margins comes back scaled.
	tb := Table{
		Rows:   decs(300, 600),
		Cols:   decs(450, 450),
		Seed:   [][]decimal.Decimal{decs(1, 1), decs(2, 2)},
		Places: 0,
	}
	got, err := AllocateTable(tb)
	require.NoError(t, err)
	require.Equal(t, [][]string{{"150", "150"}, {"300", "300"}}, tableStrings(got))
}

func TestAllocateTableControlledRounding(t *testing.T) {
	// Every fitted cell is 1/3 of a cent: rounding each cell, or giving the
	// remainder to the last one, breaks a margin; controlled rounding puts
	// one cent in each row and column.
	tb := Table{
		Rows:   []decimal.Decimal{dec("0.01"), dec("0.01"), dec("0.01")},
		Cols:   []decimal.Decimal{dec("0.01"), dec("0.01"), dec("0.01")},
		Seed:   [][]decimal.Decimal{decs(1, 1, 1), decs(1, 1, 1), decs(1, 1, 1)},
		Places: 2,
	}
	got, err := AllocateTable(tb)
	require.NoError(t, err)
	requireMarginsExact(t, tb, got)
}

func tableStrings(ds [][]decimal.Decimal) [][]string {
	out := make([][]string, len(ds))
	for i, r := range ds {
		out[i] = make([]string, len(r))
		for j, v := range r {
			out[i][j] = v.String()
		}
	}
	return out
}

func TestAllocateTableErrors(t *testing.T) {
	seed := [][]decimal.Decimal{decs(1, 1), decs(1, 1)}
	tests := []struct {
		name       string
		table      Table
		want       error
		rows, cols []int
	}{
		{"grand totals differ", Table{Rows: decs(1, 2), Cols: decs(1, 1), Seed: seed}, ErrInfeasible, nil, nil},
		{"zero seed row", Table{Rows: decs(1, 1), Cols: decs(1, 1), Seed: [][]decimal.Decimal{decs(1, 1), decs(0, 0)}}, ErrInfeasible, []int{1}, nil},
		{"zero seed column", Table{Rows: decs(1, 1), Cols: decs(2, 0), Seed: seed}, nil, nil, nil},
		{"zero seed column with a total", Table{Rows: decs(1, 1), Cols: decs(1, 1), Seed: [][]decimal.Decimal{decs(1, 0), decs(1, 0)}}, ErrInfeasible, nil, []int{1}},
		{"rows that only reach a small column", Table{
			Rows: decs(5, 5, 10), Cols: decs(4, 16),
			Seed: [][]decimal.Decimal{decs(1, 0), decs(1, 0), decs(1, 1)},
		}, ErrInfeasible, []int{0, 1}, []int{0}},
		{"negative margin", Table{Rows: decs(-1, 1), Cols: decs(0, 0), Seed: seed}, ErrInvalid, nil, nil},
		{"negative seed", Table{Rows: decs(1, 1), Cols: decs(1, 1), Seed: [][]decimal.Decimal{decs(1, -1), decs(1, 1)}}, ErrInvalid, nil, nil},
		{"seed too large for fitting", Table{Rows: decs(1, 1), Cols: decs(1, 1), Seed: [][]decimal.Decimal{{decimal.New(1, 400), decimal.New(1, 0)}, decs(1, 1)}}, ErrInvalid, nil, nil},
		{"seed too small for fitting", Table{Rows: decs(1, 1), Cols: decs(1, 1), Seed: [][]decimal.Decimal{{decimal.New(1, -400), decimal.New(1, 0)}, decs(1, 1)}}, ErrInvalid, nil, nil},
		{"seeds far apart", Table{Rows: decs(1, 1), Cols: decs(1, 1), Seed: [][]decimal.Decimal{{decimal.New(1, -199), decimal.New(1, 199)}, decs(1, 1)}}, nil, nil, nil},
		{"short seed row", Table{Rows: decs(1, 1), Cols: decs(1, 1), Seed: [][]decimal.Decimal{decs(1), decs(1, 1)}}, ErrInvalid, nil, nil},
		{"missing seed row", Table{Rows: decs(1, 1), Cols: decs(1, 1), Seed: seed[:1]}, ErrInvalid, nil, nil},
		{"too many places", Table{Rows: []decimal.Decimal{dec("1.5"), dec("0.5")}, Cols: decs(1, 1), Seed: seed}, ErrInvalid, nil, nil},
		{"bad places", Table{Rows: decs(1, 1), Cols: decs(1, 1), Seed: seed, Places: -1}, ErrInvalid, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AllocateTable(tt.table)
			if tt.want == nil {
				require.NoError(t, err)
				requireMarginsExact(t, tt.table, got)
				return
			}
			require.ErrorIs(t, err, tt.want)
			require.Nil(t, got)
			if tt.want == ErrInfeasible {
				var me *MarginError
				require.True(t, errors.As(err, &me))
				require.Equal(t, tt.rows, me.Rows)
				require.Equal(t, tt.cols, me.Cols)
			}
		})
	}
}

func TestAllocateTableEmptyAndZero(t *testing.T) {
	got, err := AllocateTable(Table{})
	require.NoError(t, err)
	require.Empty(t, got)
	tb := Table{Rows: decs(0, 0), Cols: decs(0), Seed: [][]decimal.Decimal{decs(0), decs(0)}}
	got, err = AllocateTable(tb)
	require.NoError(t, err)
	requireMarginsExact(t, tb, got)
}
