// Command negotiation runs one round of two-way target setting (双向协同) on
// the embedded default (the in-memory store): the director's FY2027 target
// split over two regions and four reps, the round opened with a request to
// every unit (delivered through the Notifier, in Chinese for the west),
// the reps' own figures with their reasons and evidence, a counter-proposal,
// a rejection and a new figure, answers that keep the plan exact, a refused
// move, and confirmation up the chain, with the reconciliation table (target,
// what the level below commits to, gap) at each step and the log of who
// agreed to what; then a snapshot of the confirmed plan, the first
// quarter's actuals, a re-plan of what remains, and the diff between the two
// versions (which targets moved, by how much, by whom).
//
//	go run ./examples/negotiation
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
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
		fmt.Fprintln(os.Stderr, "negotiation:", err)
		os.Exit(1)
	}
}

var (
	revenue = goal.Metric{Key: "revenue", Name: "合同金额", Kind: goal.Amount, Currency: "CNY", Places: 2}
	// acme (director chen) → east (zhou: li, wang), west (qian: zhao, sun).
	org = []goal.Unit{
		{ID: "acme", Kind: "company"},
		{ID: "east", Parent: "acme", Kind: "region"},
		{ID: "west", Parent: "acme", Kind: "region"},
		{ID: "li", Parent: "east", Kind: "rep"},
		{ID: "wang", Parent: "east", Kind: "rep"},
		{ID: "zhao", Parent: "west", Kind: "rep"},
		{ID: "sun", Parent: "west", Kind: "rep"},
	}
	chen = goalkit.Actor{ID: "chen (director)", Unit: "acme"}
	zhou = goalkit.Actor{ID: "zhou (east)", Unit: "east"}
	qian = goalkit.Actor{ID: "qian (west)", Unit: "west"}
)

func rep(id string) goalkit.Actor { return goalkit.Actor{ID: id, Unit: id} }

func money(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// negotiation is the example's state: the engine, its clock and where it
// prints.
type negotiation struct {
	ctx    context.Context
	e      *goalkit.Engine
	w      io.Writer
	now    time.Time
	planID string
}

func run(ctx context.Context, w io.Writer) error {
	store, err := memory.New(memory.Config{Tenant: "acme"})
	if err != nil {
		return err
	}
	n := &negotiation{ctx: ctx, w: w, now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), planID: "fy2027"}
	zh := language.MustParse("zh-CN")
	n.e, err = goalkit.New(ctx, store, &goalkit.Config{
		Metrics: []goal.Metric{revenue},
		Now:     func() time.Time { return n.now },
		Notifier: alert.NotifierFunc(func(_ context.Context, note alert.Notification) error {
			_, err := fmt.Fprintf(w, "  → %-5s %s\n", note.Recipient, note.Summary)
			return err
		}),
		Messages: &goalkit.Messages{Languages: map[string]language.Tag{"west": zh, "zhao": zh, "sun": zh}},
	})
	if err != nil {
		return err
	}
	if err := n.e.SetOrg(ctx, org); err != nil {
		return err
	}
	fy, err := n.e.Calendar().Parse("2027")
	if err != nil {
		return err
	}
	_, err = n.e.Decompose(ctx, goal.Spec{PlanID: n.planID, Metric: revenue, Unit: "acme", Period: fy,
		Target: money("12000000.00"), Time: goal.TimeRule{Steps: []goal.Grain{goal.Quarter}}}, goalkit.Change{Actor: chen.ID, Reason: "FY2027 target"})
	if err != nil {
		return err
	}
	if err := n.round(); err != nil {
		return err
	}
	return n.replan()
}

// replan snapshots the confirmed plan, books the first quarter's actuals,
// re-plans what remains as of 1 April and prints what moved since the
// snapshot, and who moved it.
func (n *negotiation) replan() error {
	if _, err := n.e.Snapshot(n.ctx, n.planID, "board approved", goalkit.Change{Actor: chen.ID, Reason: "confirmed by every level"}); err != nil {
		return err
	}
	q1 := map[string]string{"li": "610000.00", "wang": "905000.00", "zhao": "540000.00", "sun": "800000.00"}
	var facts []kpi.Fact
	for _, u := range []string{"li", "wang", "zhao", "sun"} {
		facts = append(facts, kpi.Fact{Key: "crm:q1:" + u, Metric: revenue.Key, Unit: u, Date: date.New(2027, time.March, 31), Value: money(q1[u])})
	}
	n.now = time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC)
	if _, err := n.e.Ingest(n.ctx, facts, kpi.AllOrNothing); err != nil {
		return err
	}
	if _, _, err := n.e.Replan(n.ctx, n.planID, date.New(2027, time.April, 1), goal.CatchUp, goalkit.Change{Actor: chen.ID, Reason: "Q1 closed: spread its gap over Q2–Q4"}); err != nil {
		return err
	}
	if _, err := n.e.Snapshot(n.ctx, n.planID, "after Q1 re-plan", goalkit.Change{Actor: chen.ID}); err != nil {
		return err
	}
	d, err := n.e.DiffVersions(n.ctx, n.planID, goalkit.VersionRef{Snapshot: "board approved"}, goalkit.VersionRef{Snapshot: "after Q1 re-plan"})
	if err != nil {
		return err
	}
	fmt.Fprintf(n.w, "\n# Q1 actuals booked and the rest re-planned: version %d (board approved) → version %d (after Q1 re-plan)\n", d.From.Version, d.To.Version)
	for _, c := range d.Changes {
		by := ""
		for _, v := range c.By {
			by += fmt.Sprintf(" %s (%s)", v.Actor, v.Reason)
		}
		fmt.Fprintf(n.w, "%-5s %-7s %12s → %12s  %+12s  by%s\n", c.Unit, c.Period.Label, c.Before.StringFixed(2), c.After.StringFixed(2), c.Delta.StringFixed(2), by)
	}
	return nil
}

func (n *negotiation) round() error {
	fmt.Fprintln(n.w, "# The director opens the round; every unit is asked to confirm its target by 15 December")
	steps := []step{
		{chen, goal.Move{Kind: goal.Open, Unit: "acme", Due: date.New(2026, 12, 15)}},
		{rep("li"), commit("li", "2800000.00", "Hengda moved to a competitor; two renewals are certain",
			goal.Evidence{Kind: goal.LostKeyAccount, Text: "Hengda's 2026 orders", Amount: decimal.NewNullDecimal(money("400000.00"))},
			goal.Evidence{Kind: goal.CustomerDemand, Text: "Jinlong and Huaxin renew in Q2", Amount: decimal.NewNullDecimal(money("200000.00"))})},
		{rep("wang"), commit("wang", "3300000.00", "the provincial hospital tender is ours to win",
			goal.Evidence{Kind: goal.CustomerDemand, Text: "tender published for Q3", Amount: decimal.NewNullDecimal(money("300000.00"))})},
		{rep("zhao"), commit("zhao", "2600000.00", "a competitor cut prices by 15%",
			goal.Evidence{Kind: goal.CompetitorMove, Text: "Brand X's price list of November"})},
	}
	if err := n.do(steps...); err != nil {
		return err
	}
	if _, err := n.e.Deliver(n.ctx); err != nil {
		return err
	}
	if err := n.table("Commitments are in (sun takes the top-down figure)"); err != nil {
		return err
	}

	fmt.Fprintln(n.w, "\n# The managers answer")
	steps = []step{
		{zhou, goal.Move{Kind: goal.Counter, Unit: "li", Figure: money("2900000.00"), Reason: "Huaxin's renewal is larger than last year's"}},
		{rep("li"), goal.Move{Kind: goal.AcceptCounter, Unit: "li", Mode: goal.RollUp}},
		{zhou, goal.Move{Kind: goal.Accept, Unit: "wang", Mode: goal.RollUp}},
		{qian, goal.Move{Kind: goal.Reject, Unit: "zhao", Reason: "the price cut touches one account only"}},
		{rep("zhao"), commit("zhao", "2800000.00", "one account lost to the price cut",
			goal.Evidence{Kind: goal.CompetitorMove, Text: "Lanting moved to Brand X", Amount: decimal.NewNullDecimal(money("200000.00"))})},
		{qian, goal.Move{Kind: goal.Accept, Unit: "zhao", Mode: goal.Rebalance}},
	}
	if err := n.do(steps...); err != nil {
		return err
	}
	if err := n.refused(); err != nil {
		return err
	}
	if err := n.table("Every figure is settled; east rolled its changes up, west rebalanced sun"); err != nil {
		return err
	}

	fmt.Fprintln(n.w, "\n# Confirmation runs up the chain: reps, then regions, then the company")
	n.now = n.now.Add(48 * time.Hour)
	if c, err := n.e.Remind(n.ctx, n.planID, date.New(2026, 12, 3)); err != nil {
		return err
	} else if c > 0 {
		fmt.Fprintf(n.w, "%d reminders:\n", c)
	}
	if _, err := n.e.Deliver(n.ctx); err != nil {
		return err
	}
	steps = nil
	for _, u := range []string{"li", "wang", "zhao", "sun"} {
		steps = append(steps, step{rep(u), goal.Move{Kind: goal.Confirm, Unit: u}})
	}
	steps = append(steps, step{zhou, goal.Move{Kind: goal.Confirm, Unit: "east"}}, step{qian, goal.Move{Kind: goal.Confirm, Unit: "west"}},
		step{chen, goal.Move{Kind: goal.Confirm, Unit: "acme"}})
	if err := n.do(steps...); err != nil {
		return err
	}
	if err := n.table("Confirmed at every level"); err != nil {
		return err
	}
	return n.log()
}

// step is one move by one actor.
type step struct {
	by goalkit.Actor
	m  goal.Move
}

func commit(unit, figure, reason string, evidence ...goal.Evidence) goal.Move {
	return goal.Move{Kind: goal.Commit, Unit: unit, Commitment: goal.Commitment{Figure: money(figure), Reason: reason, Evidence: evidence}}
}

// do makes each move at the unit's current version, an hour apart.
func (n *negotiation) do(steps ...step) error {
	for _, s := range steps {
		r, err := n.e.Review(n.ctx, n.planID)
		if err != nil {
			return err
		}
		if _, err := n.e.Negotiate(n.ctx, n.planID, s.by, s.m, r.Version(s.m.Unit)); err != nil {
			return err
		}
		n.now = n.now.Add(time.Hour)
	}
	return nil
}

// refused shows a move the default Authorizer refuses, and a stale one.
func (n *negotiation) refused() error {
	r, err := n.e.Review(n.ctx, n.planID)
	if err != nil {
		return err
	}
	_, err = n.e.Negotiate(n.ctx, n.planID, rep("sun"), goal.Move{Kind: goal.Commit, Unit: "zhao",
		Commitment: goal.Commitment{Figure: money("1.00"), Reason: "a joke"}}, r.Version("zhao"))
	fmt.Fprintf(n.w, "refused: %v\n", err)
	_, err = n.e.Negotiate(n.ctx, n.planID, qian, goal.Move{Kind: goal.Confirm, Unit: "west"}, r.Version("west")-1)
	var conflict *storage.ConflictError
	if !errors.As(err, &conflict) {
		return fmt.Errorf("a stale move was not refused: %v", err)
	}
	fmt.Fprintf(n.w, "stale: %s\n", conflict.Reason)
	return nil
}

// table prints the reconciliation.
func (n *negotiation) table(title string) error {
	r, err := n.e.Review(n.ctx, n.planID)
	if err != nil {
		return err
	}
	p, err := n.e.Plan(n.ctx, n.planID)
	if err != nil {
		return err
	}
	fmt.Fprintf(n.w, "\n## %s (plan version %d, %d discrepancies)\n%s", title, p.Version, len(p.Check()), r.Reconcile())
	return nil
}

// log prints who agreed to what, when.
func (n *negotiation) log() error {
	events, err := n.e.NegotiationLog(n.ctx, n.planID)
	if err != nil {
		return err
	}
	fmt.Fprintln(n.w, "\n# The log (moves on one unit; open reached all seven)")
	for _, ev := range events {
		if ev.Move == goal.Open && ev.Unit != "acme" {
			continue
		}
		change := fmt.Sprintf("%s → %s", ev.Before.Exchange, ev.After.Exchange)
		if ev.Before.State != ev.After.State {
			change = fmt.Sprintf("%s → %s", ev.Before.State, ev.After.State)
		}
		switch ev.Move {
		case goal.Commit:
			change += " " + ev.After.Commitment.Figure.StringFixed(2)
		case goal.Counter:
			change += " " + ev.After.Counter.Decimal.StringFixed(2)
		}
		if ev.Reason != "" {
			change += ": " + ev.Reason
		}
		fmt.Fprintf(n.w, "%s %-16s %-14s %-5s %s\n", ev.At.Format("01-02 15:04"), ev.Actor, ev.Move, ev.Unit, change)
		if ev.Move == goal.Commit {
			for _, e := range ev.After.Commitment.Evidence {
				amount := ""
				if e.Amount.Valid {
					amount = " (" + e.Amount.Decimal.StringFixed(2) + ")"
				}
				fmt.Fprintf(n.w, "%44s[%s] %s%s\n", "", e.Kind, e.Text, amount)
			}
		}
	}
	return nil
}
