// Command quickstart shows goalkit's whole loop on the embedded default (the
// in-memory store): a quarter's revenue target decomposed over the org and
// the working days, the cash (回款) it implies by the measured order-to-payment
// lag, the visits the funnel says each rep needs, twelve weeks of visits,
// deals and payments, the status table, and the alerts raised, delivered
// (worded in each recipient's language) and resolved. Revenue and the
// funnel's counts come from the deals alone: the funnel derives its facts
// (funnel.Derivation), and the host sends only its
// deal histories (re-sent in full every week, as a nightly CRM sync would),
// the visits, which are activities rather than deals, and the payments,
// which come from finance.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

var (
	revenue  = goal.Metric{Key: "revenue", Name: "合同金额", Kind: goal.Amount, Currency: "CNY", Places: 2}
	payments = goal.Metric{Key: "payments", Name: "回款金额", Kind: goal.Amount, Currency: "CNY", Places: 2}
	crm      = funnel.Funnel{
		Key:    "crm",
		Stages: []funnel.Stage{{Key: "lead", Name: "线索", Metric: "leads"}, {Key: "opportunity", Name: "商机", Metric: "opportunities"}},
		Won:    "won", Lost: "lost",
		// Entering a stage counts a lead or an opportunity, a win counts a
		// won deal and its value as revenue, a move forward an advance.
		Derive: &funnel.Derivation{Entries: true, Wins: true, WonValue: "revenue", Advances: "advances"},
	}
	// The funnel as the sales team measured it last year: 30% of leads
	// become opportunities after about 10 days, 40% of those are won after
	// about 20 more, at 20,000 a deal; 3 visits per opportunity.
	model = funnel.Model{
		Funnel: crm,
		Stages: []funnel.StageModel{
			{Advance: decimal.RequireFromString("0.3"), Win: decimal.RequireFromString("0.12"), Days: 10},
			{Advance: decimal.RequireFromString("0.4"), Win: decimal.RequireFromString("0.4"), Days: 20},
		},
		AvgWonValue: decimal.NewFromInt(20_000),
		Currency:    "CNY",
	}
	visits = []funnel.Activity{{Metric: "visits", Stage: "opportunity", PerDeal: decimal.NewFromInt(3)}}
	reps   = []string{"li", "wang", "zhao", "chen"}
)

func run(ctx context.Context, w io.Writer) error {
	store, err := memory.New(memory.Config{Tenant: "acme"})
	if err != nil {
		return err
	}
	// China's 2026 National Day holidays, with the make-up working day.
	cal, err := goal.NewCalendar(&goal.CalendarConfig{
		Holidays:   dates("2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"),
		MakeupDays: dates("2026-09-27"),
	})
	if err != nil {
		return err
	}
	metrics := []goal.Metric{revenue, payments, {Key: "visits", Name: "拜访", Kind: goal.Count},
		{Key: "leads", Name: "新增线索", Kind: goal.Count}, {Key: "opportunities", Name: "新增商机", Kind: goal.Count},
		{Key: "crm.won", Name: "赢单", Kind: goal.Count}, {Key: "advances", Name: "推进商机阶段", Kind: goal.Count}}
	clock := date.MustParseISO("2026-06-05") // a Friday
	notified := &alert.Recorder{}
	engine, err := goalkit.New(ctx, store, &goalkit.Config{
		Metrics:  metrics,
		Calendar: cal,
		Now:      func() time.Time { return clock.MidnightUTC() },
		Funnels:  []funnel.Funnel{crm},
		Notifier: notified,
		// wang reads his notifications in Chinese; everyone else in English.
		Messages: &goalkit.Messages{Languages: map[string]language.Tag{"wang": language.MustParse("zh-CN")}},
		Rules: goalkit.Rules{Pace: map[string]alert.PaceRule{
			// Revenue arrives in deals of about 20,000: its variance is about
			// 20,000 × the expected amount. Visits are counts.
			"revenue": {Dispersion: 20_000, MinExpected: decimal.NewFromInt(50_000)},
			"visits":  {Dispersion: 1, MinExpected: decimal.NewFromInt(5)},
		}},
	})
	if err != nil {
		return err
	}
	if err := engine.SetOrg(ctx, []goal.Unit{
		{ID: "acme", Kind: "company"},
		{ID: "north", Parent: "acme", Kind: "team"}, {ID: "south", Parent: "acme", Kind: "team"},
		{ID: "li", Parent: "north", Kind: "rep"}, {ID: "wang", Parent: "north", Kind: "rep"},
		{ID: "zhao", Parent: "south", Kind: "rep"}, {ID: "chen", Parent: "south", Kind: "rep"},
	}); err != nil {
		return err
	}

	// 1. Decompose Q3's target by last year's share, then over months and
	// working days.
	q3, _ := cal.Parse("2026-Q3")
	plan, err := engine.Decompose(ctx, goal.Spec{
		PlanID: "revenue-2026-Q3", Metric: revenue, Unit: "acme", Period: q3,
		Target: decimal.RequireFromString("2400000.00"),
		Units: []goal.UnitRule{{By: goal.HistorySplit, EvenBlend: decimal.RequireFromString("0.2"), Values: map[string]decimal.Decimal{
			"li": decimal.NewFromInt(700_000), "wang": decimal.NewFromInt(500_000),
			"zhao": decimal.NewFromInt(600_000), "chen": decimal.NewFromInt(400_000),
		}}},
		Time: goal.TimeRule{Steps: []goal.Grain{goal.Month, goal.Day}, Basis: goal.ByWorkingDays},
	}, goalkit.Change{Actor: "sales-director", Reason: "Q3 plan"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Q3 2026 revenue plan (exact at every level: %d discrepancies)\n", len(plan.Check()))
	months, _ := cal.Split(q3, goal.Month)
	fmt.Fprintf(w, "%-8s %13s", "unit", "Q3")
	for _, m := range months {
		fmt.Fprintf(w, " %13s", m.Label)
	}
	fmt.Fprintln(w)
	for _, g := range plan.Goals {
		if g.Period != q3 {
			continue
		}
		fmt.Fprintf(w, "%-8s %13s", indent(engine.Org(), g.Unit), money(g.Target))
		for _, m := range months {
			fmt.Fprintf(w, " %13s", money(sumIn(plan, g.Unit, m)))
		}
		fmt.Fprintln(w)
	}

	// 2. The cash (回款) the plan implies: last year's orders were paid a
	// third in their month, half the month after and the rest a month later.
	var history []funnel.OrderPayment
	for i, lag := range []int{0, 1, 1, 1, 2, 0, 1, 2, 0, 1, 1, 2} {
		ordered := date.New(2025, time.Month(i%12+1), 10)
		history = append(history, funnel.OrderPayment{Ordered: ordered, Paid: ordered.AddDate(0, lag, 5)})
	}
	lag, err := funnel.MeasurePaymentLag(history)
	if err != nil {
		return err
	}
	cash, err := funnel.PlanPayments("payments-2026-Q3", plan, payments, lag)
	if err != nil {
		return err
	}
	if _, err := engine.SavePlan(ctx, cash.Plan, goalkit.Change{Actor: "goalkit", Reason: "cash implied by the Q3 plan"}); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nCash the plan implies (orders paid after 0, 1, 2 months: %v):\n", lag.Orders)
	fmt.Fprintf(w, "  %-8s %13s", "Q3", money(cash.Plan.Root().Target))
	for _, m := range months {
		fmt.Fprintf(w, " %s %s", m.Label, money(sumIn(cash.Plan, "acme", m)))
	}
	fmt.Fprintf(w, "; after Q3 %s\n", money(cash.Beyond))

	// 3. The reverse funnel: the visits each rep needs, month by month.
	var monthly []funnel.Target
	for _, g := range plan.Goals {
		if g.Period.Grain == goal.Month {
			monthly = append(monthly, funnel.Target{Unit: g.Unit, Period: g.Period, Revenue: g.Target, Currency: "CNY"})
		}
	}
	process, err := funnel.Reverse(model, monthly, &funnel.ReverseOptions{Calendar: cal, Grain: goal.Week, Activities: visits})
	if err != nil {
		return err
	}
	visitPlan, err := process.Plan("visits", "acme")
	if err != nil {
		return err
	}
	if _, err := engine.SavePlan(ctx, visitPlan, goalkit.Change{Actor: "goalkit", Reason: "reverse funnel of the Q3 plan"}); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nVisits needed (3 per opportunity, shifted earlier by the funnel's stage times):")
	for _, n := range process.Needs {
		if n.Target.Period.Label == "2026-08" {
			fmt.Fprintf(w, "  %-5s Aug revenue %12s → %2d won ← %3d opportunities ← %3d leads; %3d visits\n",
				n.Target.Unit, money(n.Target.Revenue), n.Won, n.Stages[1].Count, n.Stages[0].Count, n.Activities[0])
		}
	}

	// 4. Twelve weeks of visits and deals, evaluated every Friday: the
	// visits for July's deals start in June. wang falls behind. Each week
	// the CRM sends every deal as it stands (the ones it sent before again,
	// with their new stages): goalkit stores the facts they imply once.
	rng := rand.New(rand.NewPCG(7, 2026))
	leads := rand.New(rand.NewPCG(11, 2026))
	var deals []funnel.Deal
	fmt.Fprintln(w, "\nWeekly evaluation, alerts that fire or resolve:")
	for week := range 12 {
		var facts []kpi.Fact
		for d := clock + 1; d <= clock+7; d++ {
			if !cal.IsWorkingDay(d) {
				continue
			}
			for _, rep := range reps {
				visit, won := simulate(rng, rep, d, week)
				facts = append(facts, visit)
				deals = append(deals, won...)
				deals = append(deals, openLeads(leads, rep, d)...)
			}
		}
		clock += 7
		res, err := engine.Ingest(ctx, facts, kpi.AllOrNothing)
		if err != nil {
			return err
		}
		synced := asOf(deals, clock)
		if err := engine.PutDeals(ctx, synced); err != nil {
			return err
		}
		if _, err := engine.Ingest(ctx, paidBy(synced, clock), kpi.AllOrNothing); err != nil {
			return err
		}
		ev, err := engine.Evaluate(ctx, clock)
		if err != nil {
			return err
		}
		var changes []string
		for _, t := range ev.StateChanges {
			if t.To == alert.StateFiring || t.To == alert.StateResolved {
				changes = append(changes, fmt.Sprintf("%s %s %s(%s)", t.To, metricOf(ev, t.Fingerprint), t.Rule, t.Unit))
			}
		}
		fmt.Fprintf(w, "  %s %2d visit facts, %3d deals sent, %2d goals checked  %s\n", clock, res.Inserted, len(synced), ev.Goals, strings.Join(changes, ", "))
		if _, err := engine.Deliver(ctx); err != nil {
			return err
		}
	}

	// 5. Where everyone stands.
	fmt.Fprintf(w, "\nQ3 revenue as of %s (pace on the plan's own working-day curve):\n", clock)
	fmt.Fprintf(w, "%-8s %13s %13s %11s %9s %8s %13s\n", "unit", "target", "actual", "attainment", "progress", "gap", "projected")
	statuses, err := engine.Statuses(ctx, plan.ID, clock)
	if err != nil {
		return err
	}
	for _, s := range statuses {
		if s.Period != q3 {
			continue
		}
		fmt.Fprintf(w, "%-8s %13s %13s %11s %9s %8s %13s\n", indent(engine.Org(), s.Unit), money(s.Target), money(s.Actual),
			pct(s.Attainment.Decimal), pct(s.TimeProgress), pct(s.GapRate.Decimal), money(s.Projected.Decimal))
	}

	cashStatus, err := engine.Status(ctx, cash.Plan.ID, cash.Plan.Root().ID, clock)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%-8s %13s %13s %11s %9s %8s %13s  (回款, from the won deals' payments)\n", "acme", money(cashStatus.Target), money(cashStatus.Actual),
		pct(cashStatus.Attainment.Decimal), pct(cashStatus.TimeProgress), pct(cashStatus.GapRate.Decimal), money(cashStatus.Projected.Decimal))

	// 6. The funnel's counts, derived from the deals alone.
	fmt.Fprintf(w, "\nQ3 funnel from the deals (no hand-made facts), as of %s:\n", clock)
	fmt.Fprintf(w, "%-8s %6s %14s %6s %9s %13s\n", "unit", "leads", "opportunities", "won", "advances", "revenue")
	for _, unit := range []string{"acme", "north", "south", "li", "wang", "zhao", "chen"} {
		var cols [5]decimal.Decimal
		for i, m := range []string{"leads", "opportunities", "crm.won", "advances", "revenue"} {
			t, err := engine.Store().Sum(ctx, storage.Query{Metric: m, Unit: unit, Subtree: true, Start: q3.Start, End: clock + 1})
			if err != nil {
				return err
			}
			cols[i] = t.Value
		}
		fmt.Fprintf(w, "%-8s %6s %14s %6s %9s %13s\n", indent(engine.Org(), unit), cols[0], cols[1], cols[2], cols[3], money(cols[4]))
	}

	fmt.Fprintf(w, "\nNotifications delivered (%d; each has a stable key for de-duplication), in plain words in the\nrecipient's language (wang reads Chinese), the rule's statistics below as details:\n", len(notified.Notifications()))
	for _, n := range notified.Notifications() {
		fmt.Fprintf(w, "  %-8s → %-5s %s\n  %19s %s\n", n.Kind, n.Recipient, n.Summary, "", n.Message)
	}
	return nil
}

// simulate makes one rep's visits for one working day and, now and then, a
// deal of 15,000 to 35,000 won that day (a lead three weeks before, an
// opportunity one week before). wang visits too few customers in weeks 4
// to 7 and wins too few deals all quarter.
func simulate(rng *rand.Rand, rep string, d date.Date, week int) (kpi.Fact, []funnel.Deal) {
	dealChance, visitsPerDay := 0.5, 4
	if rep == "wang" {
		dealChance = 0.1
		if week >= 3 && week < 7 {
			visitsPerDay = 1
		}
	}
	key := fmt.Sprintf("%s/%s", rep, d)
	visits := kpi.Fact{Key: key + "/visits", Metric: "visits", Unit: rep, Date: d, Value: decimal.NewFromInt(int64(visitsPerDay))}
	if d < date.MustParseISO("2026-07-01") || rng.Float64() >= dealChance {
		return visits, nil
	}
	amount := decimal.NewFromInt(int64(15_000 + rng.IntN(20_001)))
	return visits, []funnel.Deal{{ID: key + "/won", Funnel: "crm", Unit: rep, Value: amount, Currency: "CNY",
		Transitions: []funnel.Transition{{Stage: "lead", Date: d - 21}, {Stage: "opportunity", Date: d - 7}, {Stage: "won", Date: d}}}}
}

// openLeads makes the day's leads that are not won this quarter: two or
// three a rep, a quarter of which become opportunities ten days later, and
// half of those are lost twenty days after that.
func openLeads(rng *rand.Rand, rep string, d date.Date) []funnel.Deal {
	out := make([]funnel.Deal, 2+rng.IntN(2))
	for i := range out {
		ts := []funnel.Transition{{Stage: "lead", Date: d}}
		if rng.Float64() < 0.25 {
			ts = append(ts, funnel.Transition{Stage: "opportunity", Date: d + 10})
			if rng.Float64() < 0.5 {
				ts = append(ts, funnel.Transition{Stage: "lost", Date: d + 30})
			}
		}
		out[i] = funnel.Deal{ID: fmt.Sprintf("%s/%s/lead%d", rep, d, i), Funnel: "crm", Unit: rep,
			Value: decimal.NewFromInt(20_000), Currency: "CNY", Transitions: ts}
	}
	return out
}

// paidBy returns the payments (回款) of the won deals collected by day: a
// won deal is paid 5 days after its win, one in three in the same month and
// the others a month later.
// Payments are the host's facts: they come from its finance system, not
// from the deals.
func paidBy(deals []funnel.Deal, day date.Date) []kpi.Fact {
	var out []kpi.Fact
	n := 0
	for _, d := range deals {
		last := d.Transitions[len(d.Transitions)-1]
		if last.Stage != "won" {
			continue
		}
		paid := last.Date.AddDate(0, []int{0, 1, 1}[n%3], 5)
		n++
		if paid <= day {
			out = append(out, kpi.Fact{Key: d.ID + "/paid", Metric: "payments", Unit: d.Unit, Date: paid, Value: d.Value})
		}
	}
	return out
}

// asOf returns the deals as the CRM knows them on day: the transitions up
// to that day, and only deals that had begun by then.
func asOf(deals []funnel.Deal, day date.Date) []funnel.Deal {
	var out []funnel.Deal
	for _, d := range deals {
		n := 0
		for n < len(d.Transitions) && d.Transitions[n].Date <= day {
			n++
		}
		if n > 0 {
			d.Transitions = d.Transitions[:n:n]
			out = append(out, d)
		}
	}
	return out
}

func sumIn(p *goal.Plan, unit string, period goal.Period) decimal.Decimal {
	sum := decimal.Zero
	for _, g := range p.Goals {
		if g.Period == period && (g.Unit == unit || isUnder(p, g.Unit, unit)) && len(p.Children(g.ID)) > 0 {
			sum = sum.Add(g.Target)
		}
	}
	return sum
}

func isUnder(p *goal.Plan, unit, ancestor string) bool {
	for _, g := range p.Goals {
		if g.Unit == unit && g.Parent != "" {
			parent, _ := p.Goal(g.Parent)
			return parent.Unit == ancestor || (parent.Unit != unit && isUnder(p, parent.Unit, ancestor))
		}
	}
	return false
}

func indent(org *goal.Org, unit string) string {
	anc, _ := org.Ancestors(unit)
	return strings.Repeat(" ", len(anc)) + unit
}

func money(d decimal.Decimal) string {
	s := d.StringFixed(2)
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String() + "." + frac
	}
	return b.String() + "." + frac
}

func pct(d decimal.Decimal) string { return d.Mul(decimal.NewFromInt(100)).StringFixed(1) + "%" }

func dates(isos ...string) []date.Date {
	out := make([]date.Date, len(isos))
	for i, s := range isos {
		out[i] = date.MustParseISO(s)
	}
	return out
}

func metricOf(ev goalkit.Evaluation, fingerprint string) string {
	for _, in := range ev.States {
		if in.Fingerprint == fingerprint {
			return in.Labels[alert.LabelMetric]
		}
	}
	return ""
}
