package goal

import (
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestSuperstoreTable fits the 2019 Region × Sub-Category sales of the
// Superstore sample to their 2019 margins from the 2018 cells, and measures
// how close the fitted cells come to 2019's actual cells (weighted absolute
// percentage error) against two simpler splits: the independence table
// (row total × column share, AllocateTable from an all-ones seed) and each
// region split by its own 2018 mix (Allocate per row, which misses the
// column margins).
func TestSuperstoreTable(t *testing.T) {
	rows := loadSuperstore(t)
	var regions, subs []string
	for _, r := range rows {
		if !slices.Contains(regions, r.Region) {
			regions = append(regions, r.Region)
		}
		if !slices.Contains(subs, r.SubCategory) {
			subs = append(subs, r.SubCategory)
		}
	}
	slices.Sort(regions)
	slices.Sort(subs)
	grid := func() [][]decimal.Decimal {
		g := make([][]decimal.Decimal, len(regions))
		for i := range g {
			g[i] = make([]decimal.Decimal, len(subs))
		}
		return g
	}
	seed, actual := grid(), grid()
	for _, r := range rows {
		i, j := slices.Index(regions, r.Region), slices.Index(subs, r.SubCategory)
		switch r.OrderDate.Year() {
		case 2018:
			seed[i][j] = seed[i][j].Add(r.Sales)
		case 2019:
			actual[i][j] = actual[i][j].Add(r.Sales)
		}
	}
	tb := Table{Seed: seed, Places: 2, Rows: make([]decimal.Decimal, len(regions)), Cols: make([]decimal.Decimal, len(subs))}
	total := decimal.Zero
	for i := range actual {
		for j := range actual[i] {
			actual[i][j] = actual[i][j].Round(2)
			tb.Rows[i] = tb.Rows[i].Add(actual[i][j])
			tb.Cols[j] = tb.Cols[j].Add(actual[i][j])
			total = total.Add(actual[i][j])
		}
	}
	wape := func(cells [][]decimal.Decimal) decimal.Decimal {
		e := decimal.Zero
		for i := range cells {
			for j := range cells[i] {
				e = e.Add(cells[i][j].Sub(actual[i][j]).Abs())
			}
		}
		return e.DivRound(total, 4)
	}

	fitted, err := AllocateTable(tb)
	require.NoError(t, err)
	requireMarginsExact(t, tb, fitted)

	ones := grid()
	for i := range ones {
		for j := range ones[i] {
			ones[i][j] = decimal.NewFromInt(1)
		}
	}
	indep, err := AllocateTable(Table{Rows: tb.Rows, Cols: tb.Cols, Seed: ones, Places: 2})
	require.NoError(t, err)

	mix := make([][]decimal.Decimal, len(regions))
	for i := range mix {
		shares := make([]Share, len(subs))
		for j := range shares {
			shares[j].Weight = seed[i][j]
		}
		mix[i], err = Allocate(Allocation{Total: tb.Rows[i], Places: 2, Shares: shares})
		require.NoError(t, err)
	}
	wf, wi, wm := wape(fitted), wape(indep), wape(mix)
	t.Logf("%d regions × %d sub-categories, 2019 total %s: cell WAPE biproportional from 2018 %s, independence %s, 2018 mix per region %s",
		len(regions), len(subs), total.StringFixed(2), wf, wi, wm)
	// One year of cross-ratios is noisy here (independence does better),
	// but meeting both margins beats splitting each region by its own mix.
	require.True(t, wf.LessThan(wm), "two margins (%s) should beat one (%s)", wf, wm)
}
