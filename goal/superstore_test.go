package goal

import (
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

const superstorePath = "../../shared/data/superstore/superstore.csv"

type superstoreRow struct {
	day           date.Date
	region, state string
	sales         decimal.Decimal
}

// loadSuperstore reads the order lines of the Tableau Superstore sample
// (UTF-8 with BOM, M/D/YYYY dates); see shared/data/superstore/SOURCE.md.
func loadSuperstore(t *testing.T) []superstoreRow {
	t.Helper()
	f, err := os.Open(superstorePath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("real data not found at %s (it lives in the shared data directory next to the repository); skipping", superstorePath)
	}
	require.NoError(t, err)
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	require.NoError(t, err)
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, name := range []string{"Order Date", "State", "Region", "Sales"} {
		require.Contains(t, col, name)
	}
	var rows []superstoreRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		parts := strings.Split(rec[col["Order Date"]], "/")
		require.Len(t, parts, 3, rec[col["Order Date"]])
		m, err1 := strconv.Atoi(parts[0])
		d, err2 := strconv.Atoi(parts[1])
		y, err3 := strconv.Atoi(parts[2])
		require.NoError(t, errors.Join(err1, err2, err3))
		sales, err := decimal.NewFromString(rec[col["Sales"]])
		require.NoError(t, err)
		rows = append(rows, superstoreRow{date.New(y, time.Month(m), d), rec[col["Region"]], rec[col["State"]], sales})
	}
	require.Len(t, rows, 9994)
	return rows
}

// TestSuperstorePlan builds a 2019 sales plan for the Region → State tree
// from 2018 history shares and the 2018 seasonality, down to months, and
// measures how well the seasonal monthly split matches 2019's actual months
// against an even (calendar-day) split.
func TestSuperstorePlan(t *testing.T) {
	rows := loadSuperstore(t)
	units := []Unit{{ID: "US", Kind: "company"}}
	seen := map[string]bool{}
	history := map[string]decimal.Decimal{}
	var daily2018 []Dated
	total2018 := decimal.Zero
	actual2019 := map[time.Month]decimal.Decimal{}
	for _, r := range rows {
		if !seen["region/"+r.region] {
			seen["region/"+r.region] = true
			units = append(units, Unit{ID: r.region, Parent: "US", Kind: "region"})
		}
		if !seen["state/"+r.state] {
			seen["state/"+r.state] = true
			units = append(units, Unit{ID: r.state, Parent: r.region, Kind: "state"})
		}
		switch r.day.Year() {
		case 2018:
			history[r.state] = history[r.state].Add(r.sales)
			daily2018 = append(daily2018, Dated{r.day, r.sales})
			total2018 = total2018.Add(r.sales)
		case 2019:
			actual2019[r.day.Month()] = actual2019[r.day.Month()].Add(r.sales)
		}
	}
	require.Equal(t, "609205.598", total2018.String(), "2018 sales per SOURCE.md")
	org, err := NewOrg(units)
	require.NoError(t, err)
	require.Equal(t, 1+4+49, org.Len())
	profile, err := LearnMonthly(daily2018)
	require.NoError(t, err)
	cal := testCal(t)
	year := periodOf(t, cal, Year, 2019, 1)
	target := total2018.Mul(decimal.RequireFromString("1.1")).Round(2)
	metric := Metric{Key: "sales", Kind: Amount, Currency: "USD", Places: 2}

	plan := func(seasonal *Profile) *Plan {
		p, err := Decompose(org, cal, Spec{PlanID: "2019", Metric: metric, Unit: "US", Period: year, Target: target,
			Units: []UnitRule{{By: HistorySplit, Values: history}},
			Time:  TimeRule{Steps: []Grain{Month}, Seasonal: seasonal}})
		require.NoError(t, err)
		require.Empty(t, p.Check(), "every level sums exactly")
		require.Len(t, p.Goals, 1+4+49+49*12)
		return p
	}
	wape := func(p *Plan) decimal.Decimal {
		company := map[time.Month]decimal.Decimal{}
		for _, g := range p.Goals {
			if g.Period.Grain == Month {
				company[g.Period.Start.Month()] = company[g.Period.Start.Month()].Add(g.Target)
			}
		}
		sum := decimal.Zero
		for _, v := range company {
			sum = sum.Add(v)
		}
		require.True(t, sum.Equal(target), "company months sum to the target")
		errSum, actSum := decimal.Zero, decimal.Zero
		for m := time.January; m <= time.December; m++ {
			errSum = errSum.Add(company[m].Sub(actual2019[m]).Abs())
			actSum = actSum.Add(actual2019[m])
		}
		return errSum.DivRound(actSum, 4)
	}
	seasonal := plan(&profile)
	even := plan(nil)
	ws, we := wape(seasonal), wape(even)
	t.Logf("2019 target %s (2018 × 1.1); monthly WAPE at company level: seasonal (2018 profile) %s, even (calendar days) %s", target.StringFixed(2), ws, we)
	require.True(t, ws.LessThan(we), "seasonal WAPE %s should beat even %s", ws, we)

	// The region targets follow the 2018 region shares.
	west, err := seasonal.Goal("sales/West/2019")
	require.NoError(t, err)
	require.True(t, west.Target.GreaterThan(decimal.Zero))
}
