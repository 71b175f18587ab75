package goalkit_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/shareddata"
	"github.com/goalkit/goalkit/internal/superstore"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestRangeFactsOnSuperstoreWeeks ingests the Superstore order lines three
// ways into one store: as daily facts ("daily"), aggregated per region and
// ISO week into weekly range facts ("weekly"), and as the same weekly
// totals spread over their days by hand with goal.Allocate and ingested as
// daily facts ("byhand"). The range facts give exactly the hand spread on
// every day, month and learned seasonal profile, and exactly the daily rows
// on every whole week; a month differs from the daily rows only by the
// part of a week straddling its boundary that the even spread moves across
// it, which the test measures.
func TestRangeFactsOnSuperstoreWeeks(t *testing.T) {
	rows, err := superstore.Load(shareddata.Require(t, "superstore"))
	require.NoError(t, err)
	onEveryStore(t, func(t *testing.T, s storage.Store) {
		ctx := context.Background()
		metric := func(k string) goal.Metric {
			return goal.Metric{Key: k, Kind: goal.Amount, Currency: "USD", Places: 4}
		}
		e, err := goalkit.New(ctx, s, &goalkit.Config{Metrics: []goal.Metric{metric("daily"), metric("weekly"), metric("byhand")}})
		require.NoError(t, err)
		units := []goal.Unit{{ID: "US"}}
		type cell struct {
			region string
			monday date.Date
		}
		weeks := map[cell]decimal.Decimal{}
		var daily []kpi.Fact
		for _, r := range rows {
			if !containsUnit(units, r.Region) {
				units = append(units, goal.Unit{ID: r.Region, Parent: "US"})
			}
			daily = append(daily, kpi.Fact{Key: r.OrderID + "/" + r.ProductID + "/" + decimal.NewFromInt(int64(r.RowID)).String(),
				Metric: "daily", Unit: r.Region, Date: r.OrderDate, Value: r.Sales})
			c := cell{r.Region, r.OrderDate - date.Date((int(r.OrderDate.Weekday())+6)%7)}
			weeks[c] = weeks[c].Add(r.Sales)
		}
		require.NoError(t, e.SetOrg(ctx, units))
		var weekly, byhand []kpi.Fact
		for c, v := range weeks {
			key := c.region + "/" + c.monday.String()
			weekly = append(weekly, kpi.Fact{Key: key, Metric: "weekly", Unit: c.region, Date: c.monday, End: c.monday + 7, Value: v})
			shares := make([]goal.Share, 7)
			for i := range shares {
				shares[i] = goal.Share{Weight: decimal.NewFromInt(1)}
			}
			parts, err := goal.Allocate(goal.Allocation{Total: v, Places: 4, Shares: shares})
			require.NoError(t, err)
			for i, p := range parts {
				byhand = append(byhand, kpi.Fact{Key: key + "/" + decimal.NewFromInt(int64(i)).String(), Metric: "byhand", Unit: c.region, Date: c.monday + date.Date(i), Value: p})
			}
		}
		for _, batch := range [][]kpi.Fact{daily, weekly, byhand} {
			_, err := e.Ingest(ctx, batch, kpi.AllOrNothing)
			require.NoError(t, err)
		}

		sums := func(m string, periods []goal.Period) [][]decimal.Decimal {
			var qs []storage.Query
			for _, u := range units {
				for _, p := range periods {
					qs = append(qs, storage.Query{Metric: m, Unit: u.ID, Subtree: true, Start: p.Start, End: p.End})
				}
			}
			tots, err := s.SumMany(ctx, qs)
			require.NoError(t, err)
			out := make([][]decimal.Decimal, len(units))
			for i := range units {
				for j := range periods {
					out[i] = append(out[i], tots[i*len(periods)+j].Value)
				}
			}
			return out
		}
		var months, isoWeeks []goal.Period
		for m := date.New(2016, time.January, 1); m < date.New(2020, time.January, 1); m = date.New(m.Year(), m.Month()+1, 1) {
			months = append(months, goal.Period{Start: m, End: date.New(m.Year(), m.Month()+1, 1)})
		}
		for w := date.New(2015, time.December, 28); w < date.New(2020, time.January, 6); w += 7 {
			isoWeeks = append(isoWeeks, goal.Period{Start: w, End: w + 7})
		}

		// Whole weeks: exact against the daily rows.
		dw, ww := sums("daily", isoWeeks), sums("weekly", isoWeeks)
		for i := range units {
			for j := range isoWeeks {
				require.Truef(t, dw[i][j].Equal(ww[i][j]), "%s week of %s: daily %s, weekly %s", units[i].ID, isoWeeks[j].Start, dw[i][j], ww[i][j])
			}
		}
		// Months: exact against the hand spread; against the daily rows, off
		// by what straddling weeks move across month boundaries.
		dm, wm, hm := sums("daily", months), sums("weekly", months), sums("byhand", months)
		exact, maxOff := 0, decimal.Zero
		var offs []float64
		for i := range units {
			for j := range months {
				require.Truef(t, hm[i][j].Equal(wm[i][j]), "%s %s: by hand %s, range facts %s", units[i].ID, months[j].Start, hm[i][j], wm[i][j])
				off := wm[i][j].Sub(dm[i][j]).Abs()
				if off.IsZero() {
					exact++
				}
				if i == 0 {
					maxOff = decimal.Max(maxOff, off.Div(dm[i][j]))
					offs = append(offs, off.Div(dm[i][j]).InexactFloat64())
				}
			}
		}
		slices.Sort(offs)
		t.Logf("months equal to the daily rows to the cent: %d of %d (units × months); company-month difference median %.2f%%, largest %.2f%%",
			exact, len(units)*len(months), offs[len(offs)/2]*100, maxOff.InexactFloat64()*100)

		// Seasonality learned from the company's months: identical to the
		// hand spread, close to the daily rows.
		learn := func(ms []decimal.Decimal) goal.Profile {
			h := make([]goal.Dated, len(months))
			for j, p := range months {
				h[j] = goal.Dated{Date: p.Start, Value: ms[j]}
			}
			p, err := goal.LearnMonthly(h)
			require.NoError(t, err)
			return p
		}
		pw, ph, pd := learn(wm[0]), learn(hm[0]), learn(dm[0])
		require.Equal(t, ph, pw, "the same profile as spreading by hand")
		share := func(p goal.Profile, m int) float64 {
			sum := decimal.Zero
			for _, w := range p {
				sum = sum.Add(w)
			}
			return p[m].Div(sum).InexactFloat64()
		}
		worst := 0.0
		for m := range 12 {
			worst = max(worst, abs(share(pw, m)-share(pd, m)))
		}
		t.Logf("learned monthly profile: largest share difference to the daily rows %.3f percentage points", worst*100)
		require.Less(t, worst, 0.01, "weekly spreading moves less than a point of the year between months")
	})
}

func containsUnit(units []goal.Unit, id string) bool {
	for _, u := range units {
		if u.ID == id {
			return true
		}
	}
	return false
}

func abs(x float64) float64 { return max(x, -x) }
