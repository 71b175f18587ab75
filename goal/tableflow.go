package goal

import (
	"math"

	"github.com/shopspring/decimal"
)

// tableFlow is a flow from rows to columns over a table's open cells (the
// seed's non-zero ones), in minor units: x[i][j] is what cell (i, j)
// carries, within [lo, hi] (hi < 0 means no upper bound); rowSum and colSum
// never pass the margins. augment completes it with shortest augmenting
// paths (Edmonds–Karp), which may also lower cells down to lo.
type tableFlow struct {
	rows, cols     []int64
	open           [][]bool
	x, lo, hi      [][]int64
	rowSum, colSum []int64
	moved, total   int64
	// seenRow and seenCol are what the last search reached: after a
	// failed augment, the rows whose totals cannot be placed and the
	// columns they reach.
	seenRow, seenCol []bool
}

func newTableFlow(seed [][]decimal.Decimal, rows, cols []int64) *tableFlow {
	n, m := len(rows), len(cols)
	f := &tableFlow{rows: rows, cols: cols, rowSum: make([]int64, n), colSum: make([]int64, m)}
	for _, v := range rows {
		f.total += v
	}
	grid := func() [][]int64 {
		g := make([][]int64, n)
		for i := range g {
			g[i] = make([]int64, m)
		}
		return g
	}
	f.x, f.lo, f.hi = grid(), grid(), grid()
	f.open = make([][]bool, n)
	for i := range f.open {
		f.open[i] = make([]bool, m)
		for j := range m {
			f.open[i][j] = seed[i][j].Sign() > 0
			f.hi[i][j] = -1
		}
	}
	return f
}

// set changes one cell, keeping the sums.
func (f *tableFlow) set(i, j int, v int64) {
	d := v - f.x[i][j]
	f.x[i][j] = v
	f.rowSum[i] += d
	f.colSum[j] += d
	f.moved += d
}

// shed lowers cells of rows and columns whose sums pass their margins (only
// floating-point error in fitting can cause that), lowering their floors
// with them.
func (f *tableFlow) shed() {
	for i := range f.rows {
		for j := len(f.cols) - 1; j >= 0 && f.rowSum[i] > f.rows[i]; j-- {
			f.lower(i, j, min(f.x[i][j], f.rowSum[i]-f.rows[i]))
		}
	}
	for j := range f.cols {
		for i := len(f.rows) - 1; i >= 0 && f.colSum[j] > f.cols[j]; i-- {
			f.lower(i, j, min(f.x[i][j], f.colSum[j]-f.cols[j]))
		}
	}
}

func (f *tableFlow) lower(i, j int, by int64) {
	f.set(i, j, f.x[i][j]-by)
	f.lo[i][j] = min(f.lo[i][j], f.x[i][j])
}

// unbound frees every open cell to any non-negative value.
func (f *tableFlow) unbound() {
	for i := range f.lo {
		for j := range f.lo[i] {
			f.lo[i][j], f.hi[i][j] = 0, -1
		}
	}
}

// up is how much cell (i, j) may still rise.
func (f *tableFlow) up(i, j int) int64 {
	switch {
	case !f.open[i][j]:
		return 0
	case f.hi[i][j] < 0:
		return math.MaxInt64
	}
	return f.hi[i][j] - f.x[i][j]
}

// augment pushes flow along shortest augmenting paths until no row with
// room reaches a column with room.
func (f *tableFlow) augment() {
	n, m := len(f.rows), len(f.cols)
	fromRow := make([]int, m) // the row a column was reached from
	fromCol := make([]int, n) // the column a row was reached from; -1 for a start
	queue := make([]int, 0, n)
	for f.moved < f.total {
		f.seenRow, f.seenCol = make([]bool, n), make([]bool, m)
		queue = queue[:0]
		for i := range n {
			if f.rowSum[i] < f.rows[i] {
				f.seenRow[i], fromCol[i] = true, -1
				queue = append(queue, i)
			}
		}
		end := -1
	search:
		for q := 0; q < len(queue); q++ {
			i := queue[q]
			for j := range m {
				if f.seenCol[j] || f.up(i, j) == 0 {
					continue
				}
				f.seenCol[j], fromRow[j] = true, i
				if f.colSum[j] < f.cols[j] {
					end = j
					break search
				}
				for k := range n {
					if !f.seenRow[k] && f.x[k][j] > f.lo[k][j] {
						f.seenRow[k], fromCol[k] = true, j
						queue = append(queue, k)
					}
				}
			}
		}
		if end < 0 {
			return
		}
		push := f.cols[end] - f.colSum[end]
		for j := end; ; {
			i := fromRow[j]
			push = min(push, f.up(i, j))
			if fromCol[i] < 0 {
				push = min(push, f.rows[i]-f.rowSum[i])
				break
			}
			j = fromCol[i]
			push = min(push, f.x[i][j]-f.lo[i][j])
		}
		for j := end; ; {
			i := fromRow[j]
			f.set(i, j, f.x[i][j]+push)
			if fromCol[i] < 0 {
				break
			}
			j = fromCol[i]
			f.set(i, j, f.x[i][j]-push)
		}
	}
}

// reachable returns the rows and columns the last search reached.
func (f *tableFlow) reachable() (rows, cols []int) {
	for i, ok := range f.seenRow {
		if ok {
			rows = append(rows, i)
		}
	}
	for j, ok := range f.seenCol {
		if ok {
			cols = append(cols, j)
		}
	}
	return rows, cols
}
