// Command maven-crm replays a real B2B pipeline through the goalkit Engine,
// day by day, the way a sales manager would have lived 2017 with it.
//
// The data is the Maven Analytics "CRM + Sales + Opportunities" dataset
// (8,800 opportunities of a computer-hardware company, 3 regional offices → 6
// managers → 35 agents; see shared/data/maven-crm/SOURCE.md). It is not
// redistributed with goalkit: point -data at the folder holding its CSVs.
//
//	go run ./examples/maven-crm                  # from the repo root
//	go run ./examples/maven-crm -v               # every notification
//	go run ./examples/maven-crm -data /path/to/maven-crm -until 2017-06-30
//	go run ./examples/maven-crm -html report.html -lang zh-CN  # also the HTML report
//
// What it does:
//
//  1. Loads sales_teams.csv as the org and turns sales_pipeline.csv into
//     dated events: won revenue and won-deal facts on close_date, engagement
//     facts on engage_date, and each deal's history (Engaging → Won/Lost)
//     through Engine.PutDeal. Prospecting deals carry no date and are left out.
//  2. Builds the 2017 plan from the data's first months, as a manager would
//     in June: the first quarter of closes (Mar–May 2017) gives the run-rate,
//     its shape (quarter-end loaded: month 3 of a quarter sells most) and each
//     agent's share; the target is that quarter extrapolated over Mar–Dec,
//     decomposed to agents (goal.HistorySplit with a 20% even blend) and over
//     months. Quarterly team plans roll the agents' months up, so that offices
//     and managers have quarter goals of their own. The reverse funnel turns
//     the agents' monthly revenue into the engagements they need. (Mar–May is
//     replayed against a plan made from it: those months are in-sample.)
//  3. Replays every day from the first engagement (2016-10-20) to 2017-12-31:
//     ingest the day's facts and deal updates, evaluate every Friday, deliver
//     the notifications, and print them as a manager would read them.
//  4. Prints a summary: alerts fired and resolved per rule, where every office
//     and team ended the year, and how many notifications went out.
//  5. With -html FILE, writes the revenue plan's report (package report) as
//     of -until to FILE, in English or, with -lang zh-CN, in Chinese.
//
// Two choices work around the engine as it is. The agents' year is split
// into months, not quarters and months: the Engine paces a goal on its direct
// children only, so a year split into quarters would expect a third of Q1 by
// the end of January although the plan puts nothing in January. And the
// quarterly team plans hold no goal of the revenue plan (no agent quarters,
// no agent months): two stored plans with a goal of the same metric, unit and
// period make Engine.Evaluate fail, since both raise the same alert.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/mavencrm"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/report"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func main() {
	var (
		o           options
		until, lang string
	)
	flag.StringVar(&o.data, "data", "../shared/data/maven-crm", "folder with the Maven CRM CSVs (sales_teams.csv, sales_pipeline.csv, products.csv)")
	flag.BoolVar(&o.verbose, "v", false, "print every notification and every agent's attainment, not a digest")
	flag.StringVar(&until, "until", "2017-12-31", "last day to replay (ISO date)")
	flag.StringVar(&o.html, "html", "", "write the revenue plan's HTML report as of -until to this file")
	flag.StringVar(&lang, "lang", "en", "language of the HTML report: en or zh-CN")
	flag.Parse()
	var err error
	if o.lang, err = parseLang(lang); err != nil {
		fmt.Fprintln(os.Stderr, "maven-crm:", err)
		os.Exit(2)
	}
	if o.until, err = date.ParseISO(until); err != nil {
		fmt.Fprintf(os.Stderr, "maven-crm: -until %q is not an ISO date (YYYY-MM-DD)\n", until)
		os.Exit(2)
	}
	start := time.Now()
	if _, err := run(context.Background(), o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "maven-crm:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "(replayed in %s)\n", time.Since(start).Round(time.Millisecond))
}

type options struct {
	data    string      // the dataset's folder
	verbose bool        // every notification, every agent
	until   date.Date   // last day replayed
	html    string      // where to write the HTML report; empty for none
	lang    report.Lang // the report's language
}

// result is what a replay found, for the test.
type result struct {
	WonRevenue    decimal.Decimal // company won revenue in 2017 through until
	Evaluations   int
	Fired         map[string]int // transitions to firing, per rule
	Resolved      map[string]int // transitions to resolved, per rule
	Delivered     int
	Notifications map[alert.NotificationKind]int
}

// The metrics, the funnel and the calendar.
var (
	revenue     = goal.Metric{Key: "revenue", Name: "Won revenue", Kind: goal.Amount, Currency: "USD", Places: 2}
	wonDeals    = goal.Metric{Key: "won_deals", Name: "Deals won", Kind: goal.Count}
	engagements = goal.Metric{Key: "engagements", Name: "Engagements", Kind: goal.Count}
	crm         = funnel.Funnel{
		Key: "maven",
		Stages: []funnel.Stage{
			{Key: "prospecting", Name: "Prospecting"},
			{Key: "engaging", Name: "Engaging", Metric: engagements.Key},
		},
		Won: "won", Lost: "lost",
	}
	// The data closes and engages deals on every day of the week in equal
	// numbers, so every day is a working day: pacing by Monday–Friday would
	// call the team ahead every Monday and behind every Friday.
	everyDay = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

	planYear   = date.New(2017, 1, 1)
	earlyStart = date.New(2017, 3, 1) // the first close in the data
	earlyEnd   = date.New(2017, 6, 1) // the plan is made from [earlyStart, earlyEnd)
)

const company = "maven"

func run(ctx context.Context, o options, w io.Writer) (*result, error) {
	ds, err := load(o.data)
	if err != nil {
		return nil, err
	}
	org := buildOrg(ds)
	cal, err := goal.NewCalendar(&goal.CalendarConfig{Workweek: everyDay})
	if err != nil {
		return nil, err
	}
	events, first := events(ds, org)

	// What the first quarter of closes says: the level, the shape, the
	// shares, the deal sizes and the funnel.
	early, err := measureEarly(ds, org)
	if err != nil {
		return nil, err
	}

	store, err := memory.New(memory.Config{Tenant: "maven"})
	if err != nil {
		return nil, err
	}
	clock := first
	rec := &alert.Recorder{}
	engine, err := goalkit.New(ctx, store, &goalkit.Config{
		Metrics:  []goal.Metric{revenue, wonDeals, engagements},
		Calendar: cal,
		Now:      func() time.Time { return clock.MidnightUTC() },
		Funnels:  []funnel.Funnel{crm},
		Notifier: rec,
		Rules: goalkit.Rules{
			Pace: map[string]alert.PaceRule{
				// Revenue comes in deals of 55 to 30,000 dollars: its variance
				// is E[X²]/E[X] of the deal size times the expected amount.
				revenue.Key:     {Alpha: 0.05, Dispersion: early.dispersion, MinExpected: decimal.NewFromInt(20_000)},
				engagements.Key: {Dispersion: 1, MinExpected: decimal.NewFromInt(20)},
			},
			Stagnation: []goalkit.StagnationWatch{{
				Model: early.model,
				Rule:  alert.StagnationRule{Multiple: decimal.NewFromInt(stallMultiple), MinDeals: stallMinDeals},
			}},
		},
		Lifecycle: &alert.LifecycleConfig{Policies: map[string]alert.Policy{
			// Behind pace three Fridays running before anyone is told;
			// a reminder every four weeks; the manager above hears of it
			// after four weeks of firing.
			alert.RulePace: {ForPeriods: 3, KeepFiringForPeriods: 1, RepeatInterval: 28 * 24 * time.Hour,
				EscalateAfter: 28 * 24 * time.Hour},
			alert.RuleStagnation: {Severity: alert.SeverityInfo, ForPeriods: 2},
		}},
	})
	if err != nil {
		return nil, err
	}
	if err := engine.SetOrg(ctx, org.units); err != nil {
		return nil, err
	}

	plans, err := makePlans(ctx, engine, org, early)
	if err != nil {
		return nil, err
	}
	undated := 0
	for _, d := range ds.Deals {
		if d.Engage == 0 {
			undated++
		}
	}
	fmt.Fprintf(w, "Maven CRM: %d agents in %d teams and %d offices; %d opportunities, of which %d Prospecting ones carry no date and are left out.\n\n",
		len(ds.Teams), len(org.teams), len(org.offices), len(ds.Deals), undated)
	printPlan(w, org, early, plans)

	res := &result{Fired: map[string]int{}, Resolved: map[string]int{}, Notifications: map[alert.NotificationKind]int{}}
	pr := &printer{w: w, org: org, engine: engine, plans: plans, verbose: o.verbose, dispersion: early.dispersion,
		typical: early.model.Stages[1].Days}
	fmt.Fprintf(w, "\nReplaying %s .. %s, evaluating every Friday from %s:\n", first, o.until, firstFriday(planYear))
	var facts, deals int
	for clock = first; clock <= o.until; clock++ {
		ev := events[clock]
		if ev != nil {
			if len(ev.facts) > 0 {
				if _, err := engine.Ingest(ctx, ev.facts, kpi.AllOrNothing); err != nil {
					return nil, err
				}
				facts += len(ev.facts)
			}
			for _, d := range ev.deals {
				if err := engine.PutDeal(ctx, d); err != nil {
					return nil, err
				}
			}
			deals += len(ev.deals)
		}
		if clock < planYear || clock.Weekday() != time.Friday {
			continue
		}
		eval, err := engine.Evaluate(ctx, clock)
		if err != nil {
			return nil, err
		}
		res.Evaluations++
		for _, t := range eval.StateChanges {
			switch t.To {
			case alert.StateFiring:
				res.Fired[t.Rule]++
			case alert.StateResolved:
				res.Resolved[t.Rule]++
			}
		}
		before := len(rec.Notifications())
		n, err := engine.Deliver(ctx)
		if err != nil {
			return nil, err
		}
		res.Delivered += n
		delivered := rec.Notifications()[before:]
		for _, n := range delivered {
			res.Notifications[n.Kind]++
		}
		if err := pr.day(ctx, clock, delivered); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(w, "  (%d facts ingested, %d deal updates, %d evaluations)\n", facts, deals, res.Evaluations)

	if res.WonRevenue, err = summary(ctx, w, engine, org, plans, res, o); err != nil {
		return nil, err
	}
	if o.html != "" {
		if err := writeHTML(ctx, engine, plans, o); err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "\nReport written to %s\n", o.html)
	}
	return res, nil
}

// Stagnation: a deal is stuck when it has sat in Engaging for more than
// twice the typical time to close; a rep is told when three are.
const (
	stallMultiple = 2
	stallMinDeals = 3
)

// ---- loading ----

// load reads the CSVs the replay needs from dir (sales_teams.csv,
// products.csv and sales_pipeline.csv, checked as internal/mavencrm reads
// them), saying how to point -data at them when one is missing.
func load(dir string) (*mavencrm.Dataset, error) {
	ds, err := mavencrm.Load(dir)
	if pe, ok := errors.AsType[*fs.PathError](err); ok && errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s not found in %s: pass -data with the folder of the Maven Analytics CRM dataset (shared/data/maven-crm, see its SOURCE.md); the default assumes you run from the repo root", filepath.Base(pe.Path), dir)
	}
	return ds, err
}

// ---- the org ----

// orgInfo is the org with readable IDs ("central", "melvin-marxen",
// "darcel-schlecht") and the names to print.
type orgInfo struct {
	units   []goal.Unit
	tree    *goal.Org
	agentID map[string]string // agent name → unit ID
	offices []string          // office IDs in file order
	teams   []string          // manager IDs in file order
}

func slug(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "-")) }

func buildOrg(ds *mavencrm.Dataset) *orgInfo {
	o := &orgInfo{agentID: map[string]string{}}
	o.units = []goal.Unit{{ID: company, Kind: "company", Name: "Company"}}
	seen := map[string]bool{}
	for _, t := range ds.Teams {
		office, mgr, agent := slug(t.Office), slug(t.Manager), slug(t.Agent)
		if !seen[office] {
			seen[office] = true
			o.units = append(o.units, goal.Unit{ID: office, Parent: company, Kind: "office", Name: t.Office})
			o.offices = append(o.offices, office)
		}
		if !seen[mgr] {
			seen[mgr] = true
			o.units = append(o.units, goal.Unit{ID: mgr, Parent: office, Kind: "team", Name: t.Manager})
			o.teams = append(o.teams, mgr)
		}
		o.units = append(o.units, goal.Unit{ID: agent, Parent: mgr, Kind: "agent", Name: t.Agent})
		o.agentID[t.Agent] = agent
	}
	o.tree, _ = goal.NewOrg(o.units) // validated again by SetOrg
	return o
}

// label is how a manager reads a unit: "Central office", "Central / Melvin
// Marxen team", "Central / Melvin Marxen team / Darcel Schlecht".
func (o *orgInfo) label(id string) string {
	u, err := o.tree.Unit(id)
	if err != nil {
		return id
	}
	switch u.Kind {
	case "company":
		return "Company"
	case "office":
		return u.Name + " office"
	}
	anc, _ := o.tree.Ancestors(id)
	parts := []string{}
	for i := len(anc) - 1; i >= 0; i-- {
		switch anc[i].Kind {
		case "office":
			parts = append(parts, anc[i].Name)
		case "team":
			parts = append(parts, anc[i].Name+" team")
		}
	}
	name := u.Name
	if u.Kind == "team" {
		name += " team"
	}
	return strings.Join(append(parts, name), " / ")
}

func (o *orgInfo) kind(id string) string {
	u, _ := o.tree.Unit(id)
	return u.Kind
}

// ---- events ----

type dayEvents struct {
	facts []kpi.Fact
	deals []funnel.Deal
}

// listPrice is what an open deal is worth: its product's list price
// (mavencrm.Load has checked that every deal's product has one).
func listPrice(ds *mavencrm.Dataset, product string) decimal.Decimal {
	p, _ := ds.Price(product)
	return p
}

// events files every fact and deal update under its day, and returns the
// first day with any.
func events(ds *mavencrm.Dataset, org *orgInfo) (map[date.Date]*dayEvents, date.Date) {
	out := map[date.Date]*dayEvents{}
	at := func(d date.Date) *dayEvents {
		if out[d] == nil {
			out[d] = &dayEvents{}
		}
		return out[d]
	}
	one := decimal.NewFromInt(1)
	for _, r := range ds.Deals {
		if r.Engage == 0 {
			continue // Prospecting: no date to place it on
		}
		agent := org.agentID[r.Agent]
		e := at(r.Engage)
		e.facts = append(e.facts, kpi.Fact{Key: "engaged:" + r.ID, Metric: engagements.Key, Unit: agent, Date: r.Engage, Value: one})
		// While open, a deal is worth its product's list price.
		open := funnel.Deal{ID: r.ID, Funnel: crm.Key, Unit: agent, Value: listPrice(ds, r.Product), Currency: "USD",
			Transitions: []funnel.Transition{{Stage: "engaging", Date: r.Engage}}}
		e.deals = append(e.deals, open)
		if r.Close == 0 {
			continue
		}
		c := at(r.Close)
		closed := open
		closed.Value = r.Value.Decimal
		outcome := crm.Lost
		if r.Stage == "Won" {
			outcome = crm.Won
			c.facts = append(c.facts,
				kpi.Fact{Key: "won:" + r.ID, Metric: revenue.Key, Unit: agent, Date: r.Close, Value: r.Value.Decimal, Dims: map[string]string{"product": r.Product}},
				kpi.Fact{Key: "won-deal:" + r.ID, Metric: wonDeals.Key, Unit: agent, Date: r.Close, Value: one})
		}
		closed.Transitions = []funnel.Transition{open.Transitions[0], {Stage: outcome, Date: r.Close}}
		c.deals = append(c.deals, closed)
	}
	first := date.Date(math.MaxInt32)
	for d := range out {
		first = min(first, d)
	}
	return out, first
}

// ---- what the first months say ----

type earlyFigures struct {
	total      decimal.Decimal            // won revenue Mar–May
	byPosition [3]decimal.Decimal         // by month of the quarter: Apr (1st), May (2nd), Mar (3rd)
	history    map[string]decimal.Decimal // agent ID → won revenue Mar–May
	deals      int
	dispersion float64 // PaceDispersion of the deal sizes
	measure    funnel.Measurement
	model      funnel.Model
}

func measureEarly(ds *mavencrm.Dataset, org *orgInfo) (earlyFigures, error) {
	e := earlyFigures{history: map[string]decimal.Decimal{}}
	var sizes []decimal.Decimal
	var deals []funnel.Deal
	for _, r := range ds.Deals {
		if r.Engage == 0 || r.Engage >= earlyEnd {
			continue
		}
		d := funnel.Deal{ID: r.ID, Funnel: crm.Key, Unit: org.agentID[r.Agent], Currency: "USD",
			Transitions: []funnel.Transition{{Stage: "engaging", Date: r.Engage}}}
		if r.Close != 0 && r.Close < earlyEnd {
			outcome := crm.Lost
			if r.Stage == "Won" {
				outcome = crm.Won
			}
			d.Value = r.Value.Decimal
			d.Transitions = append(d.Transitions, funnel.Transition{Stage: outcome, Date: r.Close})
		}
		deals = append(deals, d) // as known on 31 May: later closes are not
		if r.Stage != "Won" || r.Close < earlyStart || r.Close >= earlyEnd {
			continue
		}
		e.total = e.total.Add(r.Value.Decimal)
		e.byPosition[(int(r.Close.Month())+2)%3] = e.byPosition[(int(r.Close.Month())+2)%3].Add(r.Value.Decimal)
		e.history[org.agentID[r.Agent]] = e.history[org.agentID[r.Agent]].Add(r.Value.Decimal)
		sizes = append(sizes, r.Value.Decimal)
		e.deals++
	}
	var err error
	if e.dispersion, err = alert.PaceDispersion(sizes); err != nil {
		return e, fmt.Errorf("deal sizes Mar–May 2017: %w", err)
	}
	if e.measure, err = funnel.Measure(crm, deals, funnel.MeasureOptions{AsOf: earlyEnd - 1}); err != nil {
		return e, fmt.Errorf("funnel Mar–May 2017: %w", err)
	}
	e.model = e.measure.Model()
	return e, nil
}

// ---- plans ----

type plans struct {
	revenue     *goal.Plan   // company 2017 → agents → quarters → months
	teams       []*goal.Plan // per quarter: company → offices → teams → months
	engagements *goal.Plan   // the reverse funnel's engagements per agent and month
	target      decimal.Decimal
	profile     goal.Profile
	// goals finds a goal by its alert identity: unit, metric and
	// alert.PeriodLabel of its period.
	goals map[goalKey]planGoal
}

type goalKey struct{ unit, metric, period string }

type planGoal struct {
	plan string
	goal goal.Goal
}

func makePlans(ctx context.Context, e *goalkit.Engine, org *orgInfo, early earlyFigures) (*plans, error) {
	p := &plans{goals: map[goalKey]planGoal{}}
	// The shape: each month weighs what its position in the quarter sold in
	// Mar–May (Mar closes a quarter, Apr opens one); Jan and Feb weigh
	// nothing, since nothing closed before March.
	for m := time.March; m <= time.December; m++ {
		p.profile[m-1] = early.byPosition[(int(m)+2)%3]
	}
	// The level: Mar–Dec holds three of each position and one more
	// quarter-end month (Dec), rounded up to the next thousand dollars.
	level := early.total.Mul(decimal.NewFromInt(3)).Add(early.byPosition[2])
	p.target = level.Div(decimal.NewFromInt(1000)).Ceil().Mul(decimal.NewFromInt(1000))

	year, err := e.Calendar().PeriodOf(goal.Year, planYear)
	if err != nil {
		return nil, err
	}
	p.revenue, err = e.Decompose(ctx, goal.Spec{
		PlanID: "revenue-2017", Metric: revenue, Unit: company, Period: year, Target: p.target,
		Units: []goal.UnitRule{{By: goal.HistorySplit, EvenBlend: decimal.RequireFromString("0.2"), Values: early.history}},
		Time:  goal.TimeRule{Steps: []goal.Grain{goal.Month}, Basis: goal.ByWorkingDays, Seasonal: &p.profile},
	}, goalkit.Change{Actor: "sales-director", Reason: "2017 plan from the first quarter of closes (Mar–May)"})
	if err != nil {
		return nil, err
	}

	// The plan only has quarters and months for agents; a team's quarter is
	// the sum of its agents'. Quarterly team plans make those sums goals of
	// their own, so that offices and teams are paced on the quarter.
	if p.teams, err = teamPlans(org, e.Calendar(), p.revenue); err != nil {
		return nil, err
	}
	for _, tp := range p.teams {
		if _, err := e.SavePlan(ctx, tp, goalkit.Change{Actor: "sales-director", Reason: "quarterly team targets, rolled up from the agents"}); err != nil {
			return nil, err
		}
	}

	// The reverse funnel: how many deals each agent must engage, month by
	// month, for the months' revenue, with the Mar–May win rate, deal size and
	// time to close.
	targets, err := funnel.TargetsFromPlan(p.revenue)
	if err != nil {
		return nil, err
	}
	process, err := funnel.Reverse(early.model, targets, &funnel.ReverseOptions{Calendar: e.Calendar(), Grain: goal.Month, FromStage: "engaging"})
	if err != nil {
		return nil, err
	}
	if p.engagements, err = process.Plan(engagements.Key, company); err != nil {
		return nil, err
	}
	if _, err := e.SavePlan(ctx, p.engagements, goalkit.Change{Actor: "goalkit", Reason: "reverse funnel of the 2017 revenue plan"}); err != nil {
		return nil, err
	}
	for _, pl := range append([]*goal.Plan{p.revenue, p.engagements}, p.teams...) {
		for _, g := range pl.Goals {
			p.goals[goalKey{g.Unit, g.Metric, alert.PeriodLabel(g.Period)}] = planGoal{pl.ID, g}
		}
	}
	return p, nil
}

// teamPlans builds one plan per quarter of the revenue plan: the company's
// quarter → offices → teams → each team's months, every target the exact sum
// of its agents' monthly targets in the revenue plan.
func teamPlans(org *orgInfo, cal *goal.Calendar, rev *goal.Plan) ([]*goal.Plan, error) {
	sum := map[goalKey]decimal.Decimal{} // (unit, "", month label) → target
	for _, g := range rev.Goals {
		if g.Period.Grain != goal.Month {
			continue
		}
		anc, _ := org.tree.Ancestors(g.Unit)
		for _, a := range anc {
			k := goalKey{a.ID, "", g.Period.Label}
			sum[k] = sum[k].Add(g.Target)
		}
	}
	quarters, err := cal.Split(rev.Root().Period, goal.Quarter)
	if err != nil {
		return nil, err
	}
	var out []*goal.Plan
	for _, q := range quarters {
		months, err := cal.Split(q, goal.Month)
		if err != nil {
			return nil, err
		}
		id := func(unit string, p goal.Period) string { return goal.GoalID(revenue.Key, unit, p) }
		in := func(unit string) decimal.Decimal {
			var t decimal.Decimal
			for _, m := range months {
				t = t.Add(sum[goalKey{unit, "", m.Label}])
			}
			return t
		}
		goals := []goal.Goal{{ID: id(company, q), Metric: revenue.Key, Unit: company, Period: q, Target: in(company)}}
		for _, office := range org.offices {
			goals = append(goals, goal.Goal{ID: id(office, q), Parent: id(company, q), Metric: revenue.Key, Unit: office, Period: q, Target: in(office)})
		}
		for _, team := range org.teams {
			u, _ := org.tree.Unit(team)
			goals = append(goals, goal.Goal{ID: id(team, q), Parent: id(u.Parent, q), Metric: revenue.Key, Unit: team, Period: q, Target: in(team)})
		}
		for _, team := range org.teams {
			for _, m := range months {
				goals = append(goals, goal.Goal{ID: id(team, m), Parent: id(team, q), Metric: revenue.Key, Unit: team, Period: m, Target: sum[goalKey{team, "", m.Label}]})
			}
		}
		p, err := goal.NewPlan("revenue-"+q.Label+"-teams", revenue, goals)
		if err != nil {
			return nil, err
		}
		if d := p.Check(); len(d) > 0 {
			return nil, fmt.Errorf("team plan %s does not add up: %v", p.ID, d)
		}
		out = append(out, p)
	}
	return out, nil
}

func printPlan(w io.Writer, org *orgInfo, early earlyFigures, p *plans) {
	eng := early.measure.Stages[1]
	fmt.Fprintf(w, "The 2017 plan, made from the first quarter of closes (%s .. %s):\n", earlyStart, earlyEnd-1)
	fmt.Fprintf(w, "  won %s in %d deals; by month of the quarter: 1st (Apr) %s, 2nd (May) %s, 3rd (Mar) %s\n",
		dollars(early.total), early.deals, dollars(early.byPosition[0]), dollars(early.byPosition[1]), dollars(early.byPosition[2]))
	fmt.Fprintf(w, "  target Mar–Dec: %s (3 × the quarter + one more quarter-end month, rounded up)\n", dollars(p.target))
	fmt.Fprintf(w, "  split by each agent's Mar–May share (20%% even), and over months by that shape\n")
	fmt.Fprintf(w, "  pace judged with a deal-size dispersion of %.0f (E[X²]/E[X] of %d deals); counts with 1\n", early.dispersion, early.deals)
	fmt.Fprintf(w, "  funnel as of %s: Engaging → Won %s (%d of %d closed), typical %d days to close, average deal %s\n",
		earlyEnd-1, pct(eng.Advance.Rate), eng.Advance.Hits, eng.Advance.Trials, eng.Days.Median, dollars(early.model.AvgWonValue))
	var engTotal decimal.Decimal
	if len(p.engagements.Goals) > 0 {
		engTotal = p.engagements.Root().Target
	}
	fmt.Fprintf(w, "  reverse funnel: %s engagements needed over %s; stuck: more than %d × %d days in Engaging (%d deals a rep to alert)\n",
		engTotal, monthSpan(p.engagements.Root().Period), stallMultiple, eng.Days.Median, stallMinDeals)
	fmt.Fprintf(w, "\n%-28s %12s %12s %12s %12s %12s\n", "2017 targets", "year", "Q1 (Mar)", "Q2", "Q3", "Q4")
	for _, u := range org.summaryUnits() {
		year := p.goals[goalKey{u, revenue.Key, alert.PeriodLabel(p.revenue.Root().Period)}].goal.Target
		fmt.Fprintf(w, "%-28s %12s", indentLabel(org, u), dollars(year))
		for _, tp := range p.teams {
			fmt.Fprintf(w, " %12s", dollars(p.goals[goalKey{u, revenue.Key, alert.PeriodLabel(tp.Root().Period)}].goal.Target))
		}
		fmt.Fprintln(w)
	}
}

func indentLabel(org *orgInfo, id string) string {
	u, _ := org.tree.Unit(id)
	switch u.Kind {
	case "office":
		return "  " + u.Name
	case "team":
		return "    " + u.Name
	case "agent":
		return "      " + u.Name
	}
	return u.Name
}

// summaryUnits lists the company, then each office followed by its teams.
func (o *orgInfo) summaryUnits() []string {
	out := []string{company}
	for _, office := range o.offices {
		out = append(out, office)
		for _, team := range o.teams {
			if u, _ := o.tree.Unit(team); u.Parent == office {
				out = append(out, team)
			}
		}
	}
	return out
}

// monthSpan reads a range of whole months: "2016-11 .. 2017-11".
func monthSpan(p goal.Period) string {
	return fmt.Sprintf("%04d-%02d .. %04d-%02d", p.Start.Year(), p.Start.Month(), (p.End - 1).Year(), (p.End - 1).Month())
}

func firstFriday(d date.Date) date.Date {
	for d.Weekday() != time.Friday {
		d++
	}
	return d
}

// ---- formatting ----

func dollars(d decimal.Decimal) string {
	s := d.Round(0).StringFixed(0)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteString("-")
	}
	b.WriteByte('$')
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func pct(d decimal.Decimal) string { return d.Shift(2).StringFixed(1) + "%" }
