package funnel

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/mavencrm"
	"github.com/goalkit/goalkit/internal/shareddata"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The Maven Analytics CRM dataset (shared/data/maven-crm, see its
// SOURCE.md): 8,800 opportunities, Prospecting → Engaging → Won / Lost.
// Prospecting deals carry no date at all, so they cannot be placed in a
// cohort and are left out; Engaging deals entered on engage_date and, when
// closed, reached Won or Lost on close_date.

func mavenFunnel() Funnel {
	return Funnel{Key: "maven", Stages: []Stage{{Key: "Prospecting"}, {Key: "Engaging", Metric: "engagements"}}, Won: "Won", Lost: "Lost"}
}

type mavenData struct {
	ds          *mavencrm.Dataset
	deals       []Deal
	org         *goal.Org
	agents      []string          // agents in sales_teams order
	manager     map[string]string // agent → manager
	office      map[string]string // agent → office
	prospecting int               // undated deals left out
}

// Unit IDs: agents by name, managers "mgr:<name>", offices "office:<name>",
// and the root "company".
func loadMaven(t *testing.T) mavenData {
	ds, err := mavencrm.Load(shareddata.Require(t, "maven-crm"))
	require.NoError(t, err)
	md := mavenData{ds: ds, manager: map[string]string{}, office: map[string]string{}}
	units := []goal.Unit{{ID: "company", Kind: "company"}}
	seen := map[string]bool{}
	for _, r := range ds.Teams {
		a, m, o := r.Agent, "mgr:"+r.Manager, "office:"+r.Office
		if !seen[o] {
			seen[o] = true
			units = append(units, goal.Unit{ID: o, Parent: "company", Kind: "office"})
		}
		if !seen[m] {
			seen[m] = true
			units = append(units, goal.Unit{ID: m, Parent: o, Kind: "manager"})
		}
		units = append(units, goal.Unit{ID: a, Parent: m, Kind: "agent"})
		md.agents = append(md.agents, a)
		md.manager[a], md.office[a] = m, o
	}
	org, err := goal.NewOrg(units)
	require.NoError(t, err)
	md.org = org

	// Open deals have no close_value; their expected value is the product's
	// list price (ds.Price matches "GTXPro" to products.csv's "GTX Pro").
	for _, r := range ds.Deals {
		if r.Engage == 0 {
			require.Equal(t, "Prospecting", r.Stage)
			md.prospecting++
			continue
		}
		d := Deal{ID: r.ID, Funnel: "maven", Unit: r.Agent, Currency: "USD"}
		d.Transitions = []Transition{{Stage: "Engaging", Date: r.Engage}}
		switch r.Stage {
		case "Won", "Lost":
			d.Transitions = append(d.Transitions, Transition{Stage: r.Stage, Date: r.Close})
			d.Value = r.Value.Decimal
		case "Engaging":
			p, ok := ds.Price(r.Product)
			require.True(t, ok, "product %q", r.Product)
			d.Value = p
		default:
			t.Fatalf("unexpected stage %q", r.Stage)
		}
		md.deals = append(md.deals, d)
	}
	return md
}

// plain is what an independent loop over the CSV rows finds for one unit.
type plain struct {
	won, lost, open int
	wonValue        decimal.Decimal
	cycles          []int // close − engage of won deals
}

func TestMavenFunnel(t *testing.T) {
	md := loadMaven(t)
	f := mavenFunnel()
	require.Equal(t, 500, md.prospecting)
	require.Len(t, md.deals, 8300)

	// Independent figures: a plain loop over the rows, credited to the agent,
	// his manager, his office and the company.
	ind := map[string]*plain{}
	for _, r := range md.ds.Deals {
		a := r.Agent
		for _, u := range []string{a, md.manager[a], md.office[a], "company"} {
			p := ind[u]
			if p == nil {
				p = &plain{wonValue: decimal.Zero}
				ind[u] = p
			}
			switch r.Stage {
			case "Won":
				p.won++
				p.wonValue = p.wonValue.Add(r.Value.Decimal)
				p.cycles = append(p.cycles, int(r.Close-r.Engage))
			case "Lost":
				p.lost++
			case "Engaging":
				p.open++
			}
		}
	}
	c := ind["company"]
	require.Equal(t, [3]int{4238, 2473, 1589}, [3]int{c.won, c.lost, c.open}, "SOURCE.md counts")
	requireDec(t, "10005534", c.wonValue, "SOURCE.md won total")

	asOf := date.New(2017, 12, 31)
	ms, err := MeasureByUnit(f, md.deals, md.org, MeasureOptions{AsOf: asOf})
	require.NoError(t, err)

	median := func(xs []int) int { // nearest rank, computed on a sorted copy
		s := slices.Clone(xs)
		slices.Sort(s)
		return s[(len(s)+1)/2-1]
	}
	t.Logf("%-22s %6s %6s %9s %9s %9s %7s %7s", "unit", "won", "lost", "win%", "indep%", "smoothed", "cycle", "indep")
	for i, m := range ms {
		u := md.org.At(i)
		p := ind[u.ID]
		eng := m.Stages[1]
		require.Zero(t, m.Stages[0].Entered, "no Prospecting deal is dated")
		if p == nil { // an agent without deals
			require.Zero(t, eng.Entered, u.ID)
			require.True(t, eng.Win.Smoothed.Equal(ms[md.org.ParentIndex(i)].Stages[1].Win.Smoothed), "%s borrows his manager's rate", u.ID)
			continue
		}
		require.Equal(t, p.won, eng.Win.Hits, u.ID)
		require.Equal(t, p.won+p.lost, eng.Win.Trials, u.ID)
		require.Equal(t, p.open, eng.OpenHere, u.ID)
		require.Equal(t, p.won+p.lost+p.open, eng.Entered, u.ID)
		want := decimal.NewFromInt(int64(p.won)).DivRound(decimal.NewFromInt(int64(p.won+p.lost)), RatePlaces)
		require.True(t, want.Equal(eng.Win.Rate), "%s: %s vs %s", u.ID, want, eng.Win.Rate)
		require.True(t, eng.Win.Rate.Equal(eng.Advance.Rate), "the last stage advances by winning")
		require.Equal(t, median(p.cycles), eng.Days.Median, u.ID)
		require.Equal(t, len(p.cycles), eng.Days.N, u.ID)
		require.Equal(t, p.won, m.Won)
		require.True(t, p.wonValue.Equal(m.WonValue), u.ID)
		if u.Kind != "agent" {
			t.Logf("%-22s %6d %6d %9s %9s %9s %7d %7d", u.ID, p.won, p.lost,
				eng.Win.Rate.Shift(2).StringFixed(2), decimal.NewFromInt(int64(100*p.won)).DivRound(decimal.NewFromInt(int64(p.won+p.lost)), 2).StringFixed(2),
				eng.Win.Smoothed.Shift(2).StringFixed(2), eng.Days.Median, median(p.cycles))
		}
	}
	co, _ := md.org.Index("company")
	requireDec(t, "0.6315", ms[co].Stages[1].Win.Rate.Round(4), "SOURCE.md: 63.15%")
	for office, want := range map[string]string{"office:West": "3568647", "office:Central": "3346293", "office:East": "3090594"} {
		i, _ := md.org.Index(office)
		requireDec(t, want, ms[i].WonValue, office)
	}
	t.Logf("company: median cycle %d days, P90 %d days, %d won deals; Wilson 95%% for the win rate [%s, %s]",
		ms[co].Stages[1].Days.Median, ms[co].Stages[1].Days.P90, ms[co].Won, ms[co].Stages[1].Win.Low, ms[co].Stages[1].Win.High)

	// Forward: the open Engaging deals at list price, weighted by the
	// company's win rate, by expected close month.
	model := ms[co].Model()
	rows, err := Pipeline(model, md.deals, asOf, &PipelineOptions{Org: md.org})
	require.NoError(t, err)
	all := goal.Period{Start: date.New(2017, 1, 1), End: date.New(2019, 1, 1)}
	open, weighted := SumPipeline(rows, "company", all)
	var listed decimal.Decimal
	for _, d := range md.deals {
		if len(d.Transitions) == 1 {
			listed = listed.Add(d.Value)
		}
	}
	require.True(t, open.Equal(listed), "the company's pipeline is every open deal: %s vs %s", open, listed)
	require.True(t, weighted.Equal(open.Mul(model.Stages[1].Win)), "one open stage: weighted = open × win rate")
	var byMonth []string
	for _, r := range rows {
		if r.Unit == "company" {
			byMonth = append(byMonth, fmt.Sprintf("%s %s", r.Period.Label, r.Weighted.StringFixed(0)))
		}
	}
	stalls, err := Stalled(model, md.deals, asOf, decimal.NewFromInt(2))
	require.NoError(t, err)
	t.Logf("open pipeline %s at list price, %s weighted by the win rate, by expected close: %s", open, weighted.StringFixed(0), strings.Join(byMonth, ", "))
	t.Logf("%d of %d open deals have been engaging for more than twice the median %d days (longest: %d days)",
		len(stalls), c.open, model.Stages[1].Days, stalls[0].Days)
	require.NotEmpty(t, stalls)
}

func TestMavenReverse(t *testing.T) {
	md := loadMaven(t)
	f := mavenFunnel()
	ms, err := MeasureByUnit(f, md.deals, md.org, MeasureOptions{AsOf: date.New(2017, 12, 31)})
	require.NoError(t, err)
	cal, err := goal.NewCalendar(nil)
	require.NoError(t, err)
	year, err := cal.Parse("2018")
	require.NoError(t, err)
	months, err := cal.Split(year, goal.Month)
	require.NoError(t, err)

	t.Logf("%-20s %10s %12s %7s %7s %9s %5s %6s %6s  %s", "agent", "won 2017", "target 2018", "win%", "smooth%", "avg won", "days", "deals", "engage", "engagements per month Nov-17..Dec-18")
	for _, a := range md.agents {
		i, _ := md.org.Index(a)
		m := ms[i]
		if m.Won == 0 {
			continue // the five agents without deals have nothing to grow
		}
		// Every close in the data is in 2017, so WonValue is the 2017 actual.
		target := m.WonValue.Mul(decimal.RequireFromString("1.2"))
		shares := make([]goal.Share, len(months))
		for k := range shares {
			shares[k] = goal.Share{Weight: decimal.NewFromInt(1)}
		}
		split, err := goal.Allocate(goal.Allocation{Total: target, Places: 2, Shares: shares})
		require.NoError(t, err)
		targets := make([]Target, len(months))
		sum := decimal.Zero
		for k, p := range months {
			targets[k] = Target{Unit: a, Period: p, Revenue: split[k], Currency: "USD"}
			sum = sum.Add(split[k])
		}
		require.True(t, sum.Equal(target), "months sum to the year exactly")

		model := m.Model()
		plan, err := Reverse(model, targets, &ReverseOptions{Calendar: cal, FromStage: "Engaging"})
		require.NoError(t, err)
		var won, engage int64
		for _, n := range plan.Needs {
			eng := n.Stages[0]
			require.True(t, decimal.NewFromInt(eng.Count).Mul(model.Stages[1].Advance).Cmp(decimal.NewFromInt(n.Won)) >= 0)
			require.True(t, decimal.NewFromInt(n.Won).Mul(model.AvgWonValue).Cmp(n.Target.Revenue) >= 0)
			won += n.Won
			engage += eng.Count
		}
		perMonth := map[string]int64{}
		var spread int64
		for _, r := range plan.Targets {
			if r.Metric == "engagements" {
				perMonth[r.Period.Label] += r.Count
				spread += r.Count
			}
		}
		require.Equal(t, engage, spread)
		var cells []string
		for p := cal.Prev(cal.Prev(months[0])); p.Start < year.End; p = cal.Next(p) {
			cells = append(cells, fmt.Sprint(perMonth[p.Label]))
		}
		eng := m.Stages[1]
		t.Logf("%-20s %10s %12s %7s %7s %9s %5d %6d %6d  %s", a, m.WonValue, target.StringFixed(1),
			eng.Win.Rate.Shift(2).StringFixed(1), eng.Win.Smoothed.Shift(2).StringFixed(1), model.AvgWonValue.StringFixed(0),
			model.Stages[1].Days, won, engage, strings.Join(cells, " "))
	}
}
