package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// printer turns delivered notifications into the lines a sales manager
// reads. By default agents' alerts are grouped per team and kind; -v prints
// every notification on its own line.
type printer struct {
	w          io.Writer
	org        *orgInfo
	engine     *goalkit.Engine
	plans      *plans
	verbose    bool
	dispersion float64
	typical    int // days a deal typically spends in Engaging
	lines      int
}

// line is one notification, ready to print.
type line struct {
	kind    alert.NotificationKind
	rule    string
	unit    string // the unit the alert is about
	to      string // the recipient, for escalations
	subject string // "revenue 2017-Q2", "deals stuck in Engaging"
	detail  string // figures
	short   string // the figures for a grouped line
}

var kindWord = map[alert.NotificationKind]string{
	alert.NotifyFiring:    "FIRING",
	alert.NotifyReminder:  "REMINDER",
	alert.NotifyEscalated: "ESCALATED",
	alert.NotifyResolved:  "RESOLVED",
}

func (p *printer) day(ctx context.Context, asOf date.Date, ns []alert.Notification) error {
	var ls []line
	for _, n := range ns {
		l, err := p.describe(ctx, asOf, n)
		if err != nil {
			return err
		}
		ls = append(ls, l)
	}
	// The outbox delivers in key order; read them as news first: what fires,
	// what is escalated, what still fires, what is over.
	slices.SortStableFunc(ls, func(a, b line) int { return cmp.Compare(kindRank[a.kind], kindRank[b.kind]) })
	if p.verbose {
		for _, l := range ls {
			p.print(asOf, l.kind, p.headline(l), l.subject+" "+l.detail)
		}
		return nil
	}
	// The digest: company, office and team alerts in full; agents' alerts
	// on one line per kind and subject, with reminders about agents left out
	// (the summary counts them; -v prints them).
	type group struct {
		kind    alert.NotificationKind
		subject string
		names   []string
	}
	var groups []*group
	for _, l := range ls {
		if p.org.kind(l.unit) != "agent" {
			p.print(asOf, l.kind, p.headline(l), l.subject+" "+l.detail)
			continue
		}
		if l.kind == alert.NotifyReminder {
			continue
		}
		i := slices.IndexFunc(groups, func(g *group) bool { return g.kind == l.kind && g.subject == l.subject })
		if i < 0 {
			groups = append(groups, &group{kind: l.kind, subject: l.subject})
			i = len(groups) - 1
		}
		u, _ := p.org.tree.Unit(l.unit)
		name := u.Name
		if l.kind == alert.NotifyEscalated {
			team, _ := p.org.tree.Unit(u.Parent)
			name += " → " + team.Name
		}
		groups[i].names = append(groups[i].names, strings.TrimSpace(name+" "+l.short))
	}
	for _, g := range groups {
		who := "1 agent"
		if len(g.names) > 1 {
			who = fmt.Sprintf("%d agents", len(g.names))
		}
		p.print(asOf, g.kind, who, fmt.Sprintf("%s: %s", g.subject, strings.Join(g.names, ", ")))
	}
	return nil
}

var kindRank = map[alert.NotificationKind]int{alert.NotifyFiring: 0, alert.NotifyEscalated: 1, alert.NotifyReminder: 2, alert.NotifyResolved: 3}

func (p *printer) headline(l line) string {
	if l.kind == alert.NotifyEscalated {
		u, _ := p.org.tree.Unit(l.unit)
		name := u.Name
		switch u.Kind {
		case "team":
			name += " team"
		case "office":
			name += " office"
		}
		return "→ " + p.org.label(l.to) + " about " + name
	}
	return p.org.label(l.unit)
}

func (p *printer) print(asOf date.Date, kind alert.NotificationKind, who, what string) {
	fmt.Fprintf(p.w, "%s  %-9s  %s: %s\n", asOf, kindWord[kind], who, what)
	p.lines++
}

// describe reads one notification: what it is about, in the plan's words,
// and the figures behind it.
func (p *printer) describe(ctx context.Context, asOf date.Date, n alert.Notification) (line, error) {
	l := line{kind: n.Kind, rule: n.Rule, unit: n.Unit, to: n.Recipient}
	metric := n.Labels[alert.LabelMetric]
	if n.Rule == alert.RuleStagnation {
		l.subject = "deals stuck in " + stageName(n.Labels[alert.LabelStage])
		count := n.Value.IntPart()
		// The rule's message ends with the deals, longest stuck first.
		_, deals, _ := strings.Cut(n.Message, " as of "+asOf.Format("2 Jan 2006")+": ")
		switch n.Kind {
		case alert.NotifyResolved:
			l.detail, l.short = "moved on or closed", ""
		default:
			l.detail = fmt.Sprintf("%d open for more than %d days: %s", count, stallMultiple*max(p.typical, 1), deals)
			l.short = fmt.Sprintf("%d", count)
		}
		return l, nil
	}
	pg, ok := p.plans.goals[goalKey{n.Unit, metric, n.Labels[alert.LabelPeriod]}]
	period := n.Labels[alert.LabelPeriod]
	if ok {
		period = pg.goal.Period.Label
		if pg.goal.Period.Grain == goal.Range {
			period = "for 2017's wins"
		}
	}
	l.subject = metric + " " + period
	value := func(d decimal.Decimal) string {
		if metric == revenue.Key {
			return dollars(d)
		}
		return d.StringFixed(0)
	}
	if n.Kind == alert.NotifyResolved && ok && pg.goal.Period.End <= asOf {
		// The period closed while the alert fired: say how it ended.
		st, err := p.engine.Status(ctx, pg.plan, pg.goal.ID, pg.goal.Period.End-1)
		if err != nil {
			return l, err
		}
		att := "n/a"
		if st.Attainment.Valid {
			att = pct(st.Attainment.Decimal)
		}
		l.detail = fmt.Sprintf("period closed at %s of %s (%s)", value(st.Actual), value(st.Target), att)
		l.short = "closed at " + att
		return l, nil
	}
	z := ""
	if n.Threshold.IsPositive() {
		d := p.dispersion
		if metric != revenue.Key {
			d = 1
		}
		z = fmt.Sprintf(", z %.1f", (n.Value.InexactFloat64()-n.Threshold.InexactFloat64())/math.Sqrt(d*n.Threshold.InexactFloat64()))
	}
	share := ""
	if n.Threshold.IsPositive() {
		share = pct(n.Value.DivRound(n.Threshold, 4))
	}
	since := ""
	if n.Kind == alert.NotifyFiring && n.FiredAt.Before(asOf.MidnightUTC()) {
		// Its firing was muted until now: a firing alert of the unit above
		// spoke for it.
		since = fmt.Sprintf(" (firing since %s under the alert above it)", n.FiredAt.Format("2006-01-02"))
	}
	switch n.Kind {
	case alert.NotifyResolved:
		l.detail = fmt.Sprintf("back on pace, %s against %s expected", value(n.Value), value(n.Threshold))
		share = "back on pace"
	case alert.NotifyReminder:
		l.detail = fmt.Sprintf("still behind, %s against %s expected%s", value(n.Value), value(n.Threshold), z)
	case alert.NotifyEscalated:
		l.detail = fmt.Sprintf("behind pace since %s, %s against %s expected%s", n.FiredAt.Format("2006-01-02"), value(n.Value), value(n.Threshold), z)
	default:
		l.detail = fmt.Sprintf("behind pace, %s against %s expected%s%s", value(n.Value), value(n.Threshold), z, since)
	}
	l.short = share
	if n.Kind != alert.NotifyResolved && share != "" {
		l.short += " of pace"
	}
	return l, nil
}

func stageName(key string) string {
	for _, s := range crm.Stages {
		if s.Key == key {
			return s.Name
		}
	}
	return key
}

// ---- summary ----

func summary(ctx context.Context, w io.Writer, e *goalkit.Engine, org *orgInfo, p *plans, res *result, o options) (decimal.Decimal, error) {
	fmt.Fprintf(w, "\nSummary as of %s\n", o.until)
	rules := []string{}
	for r := range res.Fired {
		rules = append(rules, r)
	}
	for r := range res.Resolved {
		if !slices.Contains(rules, r) {
			rules = append(rules, r)
		}
	}
	stored, err := e.Store().ListAlerts(ctx)
	if err != nil {
		return decimal.Zero, err
	}
	firing := map[string]int{}
	for _, a := range stored {
		if a.State == string(alert.StateFiring) {
			firing[a.Rule]++
			if !slices.Contains(rules, a.Rule) {
				rules = append(rules, a.Rule)
			}
		}
	}
	slices.Sort(rules)
	fmt.Fprintf(w, "  %-12s %7s %9s %15s\n", "alerts", "fired", "resolved", "firing at end")
	for _, r := range rules {
		fmt.Fprintf(w, "  %-12s %7d %9d %15d\n", r, res.Fired[r], res.Resolved[r], firing[r])
	}
	var kinds []string
	for _, k := range []alert.NotificationKind{alert.NotifyFiring, alert.NotifyReminder, alert.NotifyEscalated, alert.NotifyResolved} {
		kinds = append(kinds, fmt.Sprintf("%d %s", res.Notifications[k], k))
	}
	fmt.Fprintf(w, "  notifications delivered: %d (%s) over %d evaluations\n", res.Delivered, strings.Join(kinds, ", "), res.Evaluations)

	// Where everyone ended: the year's target and actual, and each
	// quarter's attainment from the team plans.
	status := map[goalKey]kpi.Status{}
	for _, pl := range append([]*goal.Plan{p.revenue, p.engagements}, p.teams...) {
		sts, err := e.Statuses(ctx, pl.ID, o.until)
		if err != nil {
			return decimal.Zero, err
		}
		for _, s := range sts {
			status[goalKey{s.Unit, s.Metric, alert.PeriodLabel(s.Period)}] = s
		}
	}
	year := alert.PeriodLabel(p.revenue.Root().Period)
	fmt.Fprintf(w, "\n  %-26s %12s %12s %7s  %7s %7s %7s %7s\n", "2017 won revenue", "target", "actual", "att.", "Q1", "Q2", "Q3", "Q4")
	units := org.summaryUnits()
	if o.verbose {
		units = nil
		for _, u := range org.units {
			units = append(units, u.ID)
		}
	}
	for _, u := range units {
		s := status[goalKey{u, revenue.Key, year}]
		fmt.Fprintf(w, "  %-26s %12s %12s %7s ", indentLabel(org, u), dollars(s.Target), dollars(s.Actual), attainment(s))
		for _, tp := range p.teams {
			q := alert.PeriodLabel(tp.Root().Period)
			qs, ok := status[goalKey{u, revenue.Key, q}]
			if !ok || qs.AsOf < qs.Period.Start {
				fmt.Fprintf(w, " %7s", "")
				continue
			}
			fmt.Fprintf(w, " %7s", attainment(qs))
		}
		fmt.Fprintln(w)
	}
	root := status[goalKey{company, revenue.Key, year}]
	eng := status[goalKey{company, engagements.Key, alert.PeriodLabel(p.engagements.Root().Period)}]
	need := eng.Expected.String()
	if !eng.Expected.Equal(eng.Target) {
		need += fmt.Sprintf(" by %s (of %s in all)", o.until, eng.Target)
	}
	fmt.Fprintf(w, "  engagements %s (the reverse funnel's plan): %s done, %s needed, %s\n",
		monthSpan(eng.Period), eng.Actual, need, pct(eng.Actual.DivRound(eng.Expected, 4)))
	var stuck, reps int
	for _, a := range stored {
		if a.Rule == alert.RuleStagnation && a.State == string(alert.StateFiring) {
			in, err := goalkit.AlertInstance(a)
			if err != nil {
				return decimal.Zero, err
			}
			stuck += int(in.Value.IntPart())
			reps++
		}
	}
	fmt.Fprintf(w, "  deals stuck in Engaging at the end: %d, with %d agents\n", stuck, reps)
	return root.Actual, nil
}

func attainment(s kpi.Status) string {
	if !s.Attainment.Valid {
		return "n/a"
	}
	return pct(s.Attainment.Decimal)
}
