package goal

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// Table describes a target over two dimensions at once — units × product
// lines, say — where both margins are given: each row's total (a region's
// target) and each column's total (a product line's company target).
type Table struct {
	// Rows are the row totals and Cols the column totals. They must not be
	// negative and must sum to the same grand total.
	Rows, Cols []decimal.Decimal
	// Seed is the history the cells are fitted from, len(Rows) rows of
	// len(Cols) values each, none negative. A zero seed cell stays zero (a
	// region that does not sell a product line is not given a target for it).
	Seed [][]decimal.Decimal
	// Places is the number of decimal places of the cells (the metric's
	// minor unit), in 0..MaxPlaces; the margins must not have more.
	Places int32
}

// MarginError reports margins that no table with the seed's zeros can meet.
// It matches ErrInfeasible with errors.Is.
type MarginError struct {
	// Rows and Cols are the rows and columns at fault, by index: a set of
	// rows whose totals do not fit the columns their seed reaches, a row
	// or column with a positive total and an all-zero seed, or none when
	// the grand totals differ.
	Rows, Cols []int
	Reason     string // what is wrong and what to change
}

// Error says that the margins are infeasible, and why.
func (e *MarginError) Error() string { return "goal: infeasible margins: " + e.Reason }

// Unwrap makes a MarginError match ErrInfeasible.
func (e *MarginError) Unwrap() error { return ErrInfeasible }

// AllocateTable fits t.Seed to both margins and rounds the cells to t.Places
// decimal places so that every row sums exactly to its total and every
// column to its.
//
// Fitting is biproportional (iterative proportional fitting, RAS): rows and
// columns of the seed are scaled in turn until both margins hold, which keeps
// the seed's cross-ratios — the region that sold twice the share of a product
// line keeps twice the share. Rounding is controlled: every cell is its
// fitted value rounded down or up to the minor unit, and which cells round
// up is chosen as a flow over rows and columns, the cells with the largest
// remainders first, so both margins are exact at once. There is no
// "remainder to the last cell". (Should floating-point error in fitting
// leave no such choice, cells move further, still within the seed's
// non-zero cells; the margins are exact either way.) Fitting uses floating point, rounding exact
// integers; the same input gives the same output on one platform.
//
// Errors: a negative value, a seed of the wrong shape, or values with more
// than t.Places places give a *ValidationError (ErrInvalid). Margins whose
// grand totals differ, a positive row or column whose seed is all zero, and
// any other set of rows whose totals the seed's non-zero columns cannot
// take give a *MarginError (ErrInfeasible) naming them.
func AllocateTable(t Table) ([][]decimal.Decimal, error) {
	rows, cols, err := tableMargins(t)
	if err != nil {
		return nil, err
	}
	if err := checkTablePattern(t, rows, cols); err != nil {
		return nil, err
	}
	fit := fitTable(t, rows, cols)
	cells, err := roundTable(t.Seed, rows, cols, fit)
	if err != nil {
		return nil, err
	}
	out := make([][]decimal.Decimal, len(rows))
	for i := range out {
		out[i] = make([]decimal.Decimal, len(cols))
		for j, v := range cells[i] {
			out[i][j] = decimal.New(v, -t.Places)
		}
	}
	return out, nil
}

// tableMargins validates t and returns its margins in minor units.
func tableMargins(t Table) (rows, cols []int64, err error) {
	if t.Places < 0 || t.Places > MaxPlaces {
		return nil, nil, invalid("places", fmt.Sprint(t.Places), "give 0..%d decimal places", MaxPlaces)
	}
	if len(t.Seed) != len(t.Rows) {
		return nil, nil, invalid("seed", "", "it has %d rows but there are %d row totals; give one seed row per row total", len(t.Seed), len(t.Rows))
	}
	for i, r := range t.Seed {
		if len(r) != len(t.Cols) {
			return nil, nil, invalid("seed", fmt.Sprintf("row %d", i), "it has %d cells but there are %d column totals; give one cell per column", len(r), len(t.Cols))
		}
		for j, v := range r {
			field := fmt.Sprintf("seed cell (%d, %d)", i, j)
			if err := CheckDecimal(field, v); err != nil {
				return nil, nil, err
			}
			if v.Sign() < 0 {
				return nil, nil, invalid(field, v.String(), "it is negative; history used as a seed must be zero or more")
			}
			if f := math.Abs(v.InexactFloat64()); v.Sign() > 0 && (f < 1e-200 || f > 1e200) {
				return nil, nil, invalid(field, ShowDecimal(v), "fitting needs seed values between 1e-200 and 1e200; rescale the history (only ratios matter)")
			}
		}
	}
	margin := func(kind string, ds []decimal.Decimal) ([]int64, error) {
		out := make([]int64, len(ds))
		var sum int64
		for i, d := range ds {
			field := fmt.Sprintf("%s total %d", kind, i)
			if err := CheckDecimal(field, d); err != nil {
				return nil, err
			}
			if d.Sign() < 0 {
				return nil, invalid(field, d.String(), "it is negative; margins must be zero or more")
			}
			v, ok := minor64(d, t.Places)
			if !ok && !FitsPlaces(d, t.Places) {
				return nil, invalid(field, d.String(), "it has more than %d decimal places; round it in the host first", t.Places)
			}
			var over bool
			if sum, over = addOverflows(sum, v); !ok || over || sum > 1<<53 {
				return nil, invalid(field, d.String(), "the %s totals are too large for a table (at most 2^53 minor units in all)", kind)
			}
			out[i] = v
		}
		return out, nil
	}
	if rows, err = margin("row", t.Rows); err != nil {
		return nil, nil, err
	}
	if cols, err = margin("column", t.Cols); err != nil {
		return nil, nil, err
	}
	return rows, cols, nil
}

// checkTablePattern reports margins that no non-negative table with the
// seed's zeros can meet.
func checkTablePattern(t Table, rows, cols []int64) error {
	var rs, cs int64
	for _, v := range rows {
		rs += v
	}
	for _, v := range cols {
		cs += v
	}
	show := func(v int64) string { return decimal.New(v, -t.Places).StringFixed(t.Places) }
	if rs != cs {
		return &MarginError{Reason: fmt.Sprintf("the row totals sum to %s but the column totals to %s; both margins must add up to the same grand total", show(rs), show(cs))}
	}
	for i, r := range t.Seed {
		if rows[i] > 0 && !slices.ContainsFunc(r, positive) {
			return &MarginError{Rows: []int{i}, Reason: fmt.Sprintf("row %d has a total of %s but its seed is all zero, so there is no history to split it by; give it a seed or a zero total", i, show(rows[i]))}
		}
	}
	for j := range cols {
		if cols[j] > 0 && !slices.ContainsFunc(t.Seed, func(r []decimal.Decimal) bool { return positive(r[j]) }) {
			return &MarginError{Cols: []int{j}, Reason: fmt.Sprintf("column %d has a total of %s but its seed is all zero, so there is no history to split it by; give it a seed or a zero total", j, show(cols[j]))}
		}
	}
	// A flow from rows to columns over the seed's non-zero cells, with no
	// cell capacity, meets both margins exactly when a table does.
	f := newTableFlow(t.Seed, rows, cols)
	f.augment()
	if f.moved == rs {
		return nil
	}
	rset, cset := f.reachable()
	var need, take int64
	for _, i := range rset {
		need += rows[i]
	}
	for _, j := range cset {
		take += cols[j]
	}
	return &MarginError{Rows: rset, Cols: cset, Reason: fmt.Sprintf("rows %s total %s but the only columns their seed reaches, %s, total %s; give those rows history in other columns or move target between the margins", ints(rset), show(need), ints(cset), show(take))}
}

func positive(d decimal.Decimal) bool { return d.Sign() > 0 }

func ints(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// fitTable scales the seed's rows and columns in turn towards the margins,
// in minor units, until both hold within a millionth of a minor unit or
// the sweeps run out: at most 10,000, and fewer for large tables so that a
// fit costs at most about 10^8 cell updates (a seed whose fit needs some
// cells to go to zero converges slowly; rounding then repairs what is
// left).
func fitTable(t Table, rows, cols []int64) [][]float64 {
	n, m := len(rows), len(cols)
	x := make([][]float64, n)
	for i := range x {
		x[i] = make([]float64, m)
		for j := range x[i] {
			x[i][j] = t.Seed[i][j].InexactFloat64()
		}
	}
	colSum := make([]float64, m)
	sweeps := 10000
	if cells := n * m; cells > 0 {
		sweeps = max(50, min(sweeps, 100_000_000/cells))
	}
	for range sweeps {
		worst := 0.0
		for i := range x {
			s := 0.0
			for _, v := range x[i] {
				s += v
			}
			worst = max(worst, math.Abs(s-float64(rows[i])))
			for j := range x[i] {
				if s > 0 {
					x[i][j] *= float64(rows[i]) / s
				}
			}
		}
		clear(colSum)
		for i := range x {
			for j, v := range x[i] {
				colSum[j] += v
			}
		}
		for j, s := range colSum {
			worst = max(worst, math.Abs(s-float64(cols[j])))
			for i := range x {
				if s > 0 {
					x[i][j] *= float64(cols[j]) / s
				}
			}
		}
		if worst < 1e-6 {
			break
		}
	}
	return x
}

// roundTable rounds the fitted cells to integers meeting both margins: each
// cell down or up from its fitted value, the largest remainders up first,
// then augmenting paths for what the greedy pass could not place. Should
// floating-point error leave that short, the cells are freed to any
// non-negative value and the flow completed.
func roundTable(seed [][]decimal.Decimal, rows, cols []int64, fit [][]float64) ([][]int64, error) {
	f := newTableFlow(seed, rows, cols)
	type cell struct {
		i, j int
		frac float64
	}
	var order []cell
	for i := range fit {
		for j, v := range fit[i] {
			if !f.open[i][j] {
				continue
			}
			fl := math.Floor(max(v, 0))
			f.set(i, j, int64(fl))
			f.lo[i][j], f.hi[i][j] = int64(fl), int64(fl)+1
			order = append(order, cell{i, j, v - fl})
		}
	}
	f.shed()
	slices.SortStableFunc(order, func(a, b cell) int {
		switch {
		case a.frac > b.frac:
			return -1
		case a.frac < b.frac:
			return 1
		}
		return 0
	})
	for _, c := range order {
		if f.rowSum[c.i] < rows[c.i] && f.colSum[c.j] < cols[c.j] && f.x[c.i][c.j] < f.hi[c.i][c.j] {
			f.set(c.i, c.j, f.x[c.i][c.j]+1)
		}
	}
	f.augment()
	if f.moved != f.total {
		f.unbound()
		f.augment()
	}
	if f.moved != f.total { // unreachable once checkTablePattern passed
		return nil, &MarginError{Reason: "the rounded cells cannot meet both margins; report this with the table"}
	}
	return f.x, nil
}
