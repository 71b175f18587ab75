package goal

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/shareddata"
	"github.com/goalkit/goalkit/internal/superstore"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// loadSuperstore reads the order lines of the Tableau Superstore sample;
// see shared/data/superstore/SOURCE.md.
func loadSuperstore(t *testing.T) []superstore.Row {
	t.Helper()
	rows, err := superstore.Load(shareddata.Require(t, "superstore"))
	require.NoError(t, err)
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
		if !seen["region/"+r.Region] {
			seen["region/"+r.Region] = true
			units = append(units, Unit{ID: r.Region, Parent: "US", Kind: "region"})
		}
		if !seen["state/"+r.State] {
			seen["state/"+r.State] = true
			units = append(units, Unit{ID: r.State, Parent: r.Region, Kind: "state"})
		}
		switch r.OrderDate.Year() {
		case 2018:
			history[r.State] = history[r.State].Add(r.Sales)
			daily2018 = append(daily2018, Dated{r.OrderDate, r.Sales})
			total2018 = total2018.Add(r.Sales)
		case 2019:
			actual2019[r.OrderDate.Month()] = actual2019[r.OrderDate.Month()].Add(r.Sales)
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
