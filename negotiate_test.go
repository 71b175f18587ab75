package goalkit_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

var (
	ceo   = goalkit.Actor{ID: "ceo@acme", Unit: "acme"}
	north = goalkit.Actor{ID: "zhou@acme", Unit: "north"}
	li    = goalkit.Actor{ID: "li@acme", Unit: "li"}
	wang  = goalkit.Actor{ID: "wang@acme", Unit: "wang"}
)

// fyPlan decomposes acme's FY2026 revenue of 1200.00 evenly: north and
// south 600.00, li and wang 300.00, zhao 600.00, each over quarters.
func (f *fixture) fyPlan(t *testing.T) *goal.Plan {
	t.Helper()
	p, err := f.engine.Decompose(f.ctx, goal.Spec{PlanID: "fy", Metric: revenue, Unit: "acme", Period: f.period(t, "2026"),
		Target: dec("1200.00"), Time: goal.TimeRule{Steps: []goal.Grain{goal.Quarter}}}, who)
	require.NoError(t, err)
	return p
}

// move makes m as by at the unit's current version and returns the result.
func (f *fixture) move(t *testing.T, by goalkit.Actor, m goal.Move) storage.Negotiation {
	t.Helper()
	r, err := f.engine.Review(f.ctx, "fy")
	require.NoError(t, err)
	n, err := f.engine.Negotiate(f.ctx, "fy", by, m, r.Version(m.Unit))
	require.NoError(t, err, "%s %s by %s", m.Kind, m.Unit, by.ID)
	return n
}

func (f *fixture) target(t *testing.T, unit string) string {
	t.Helper()
	p, err := f.engine.Plan(f.ctx, "fy")
	require.NoError(t, err)
	g, err := p.Goal(goal.GoalID("revenue", unit, f.period(t, "2026")))
	require.NoError(t, err)
	return g.Target.StringFixed(2)
}

func negotiationScenario(t *testing.T, store storage.Store) {
	f := newFixture(t, store, nil)
	f.fyPlan(t)
	opened := f.move(t, ceo, goal.Move{Kind: goal.Open, Unit: "acme", Due: day("2026-01-15")})
	require.Equal(t, int64(1), opened.Version)
	require.Equal(t, goal.InReview, opened.State)
	queued, err := f.store.ListUndelivered(f.ctx, 0)
	require.NoError(t, err)
	require.Len(t, queued, 6, "a review request to every unit of the plan")

	c := f.move(t, li, goal.Move{Kind: goal.Commit, Unit: "li", Commitment: goal.Commitment{Figure: dec("250.00"), Reason: "lost a key account",
		Evidence: []goal.Evidence{{Kind: goal.LostKeyAccount, Text: "Hengda moved to a competitor", Amount: decimal.NewNullDecimal(dec("60.00"))}}}})
	require.Equal(t, goal.Submitted, c.Exchange)
	require.Equal(t, int64(2), c.Version)
	f.move(t, north, goal.Move{Kind: goal.Counter, Unit: "li", Figure: dec("280.00"), Reason: "two renewals are due"})
	f.move(t, li, goal.Move{Kind: goal.AcceptCounter, Unit: "li", Mode: goal.Rebalance})
	require.Equal(t, "280.00", f.target(t, "li"))
	require.Equal(t, "320.00", f.target(t, "wang"), "rebalanced: north holds 600.00")

	f.move(t, wang, goal.Move{Kind: goal.Commit, Unit: "wang", Commitment: goal.Commitment{Figure: dec("290.00"), Reason: "a slow Q1"}})
	f.move(t, north, goal.Move{Kind: goal.Reject, Unit: "wang", Reason: "the pipeline covers more"})
	f.move(t, wang, goal.Move{Kind: goal.Commit, Unit: "wang", Commitment: goal.Commitment{Figure: dec("310.00"), Reason: "with the Q2 tender"}})
	r, err := f.engine.Review(f.ctx, "fy")
	require.NoError(t, err)
	row, _ := r.Reconcile().Row("north")
	requireDec(t, "590", row.BottomUp, "li agreed at 280.00, wang commits 310.00")
	requireDec(t, "-10", row.Gap)
	f.move(t, north, goal.Move{Kind: goal.Accept, Unit: "wang", Mode: goal.RollUp})
	require.Equal(t, "310.00", f.target(t, "wang"))
	require.Equal(t, "280.00", f.target(t, "li"), "li's agreed target is held")
	require.Equal(t, "590.00", f.target(t, "north"), "rolled up")
	require.Equal(t, "1190.00", f.target(t, "acme"))
	p, err := f.engine.Plan(f.ctx, "fy")
	require.NoError(t, err)
	require.Empty(t, p.Check(), "the plan stays exact")

	// Confirmation runs up the chain; south confirms while north is open.
	f.move(t, goalkit.Actor{ID: "zhao@acme", Unit: "zhao"}, goal.Move{Kind: goal.Confirm, Unit: "zhao"})
	f.move(t, goalkit.Actor{ID: "qian@acme", Unit: "south"}, goal.Move{Kind: goal.Confirm, Unit: "south"})
	r, err = f.engine.Review(f.ctx, "fy")
	require.NoError(t, err)
	s, _ := r.Negotiation("south")
	n, _ := r.Negotiation("north")
	require.Equal(t, goal.Confirmed, s.State)
	require.Equal(t, goal.InReview, n.State)
	for _, m := range []struct {
		by   goalkit.Actor
		unit string
	}{{li, "li"}, {wang, "wang"}, {north, "north"}, {ceo, "acme"}} {
		f.move(t, m.by, goal.Move{Kind: goal.Confirm, Unit: m.unit})
	}
	f.move(t, ceo, goal.Move{Kind: goal.Lock, Unit: "acme"})
	r, err = f.engine.Review(f.ctx, "fy")
	require.NoError(t, err)
	for _, n := range r.Negotiations() {
		require.Equal(t, goal.Locked, n.State, n.Unit)
	}

	log, err := f.engine.NegotiationLog(f.ctx, "fy")
	require.NoError(t, err)
	require.Len(t, log, 6+7+6+6, "open and lock reach six units each; every other move one")
	require.Equal(t, "li@acme", log[6].Actor)
	require.Equal(t, goal.Commit, log[6].Move)
	require.Equal(t, goal.InReview, log[6].Before.State)
	require.Equal(t, goal.Submitted, log[6].After.Exchange)
	require.Equal(t, "lost a key account", log[6].Reason)
	require.Equal(t, goal.Awaiting, log[6].Before.Exchange)
	audit, err := f.store.ListAudit(f.ctx, "fy")
	require.NoError(t, err)
	var byWang []string
	for _, a := range audit {
		if a.Actor == "zhou@acme" {
			byWang = append(byWang, a.Goal)
		}
	}
	require.Contains(t, byWang, goal.GoalID("revenue", "wang", f.period(t, "2026")), "the manager's accept is audited with the targets it moved")
	require.Contains(t, audit[len(audit)-1].Reason, "accept wang at 310.00")
}

func TestNegotiationOnEveryStore(t *testing.T) { onEveryStore(t, negotiationScenario) }

func TestNegotiateRefusesAndWritesNothing(t *testing.T) {
	f := newFixture(t, nil, nil)
	f.fyPlan(t)
	_, err := f.engine.Negotiate(f.ctx, "fy", li, goal.Move{Kind: goal.Commit, Unit: "li", Commitment: goal.Commitment{Figure: dec("1"), Reason: "r"}}, 0)
	require.ErrorIs(t, err, goal.ErrWrongState, "no round is open")
	var me *goal.MoveError
	require.ErrorAs(t, err, &me)
	require.Equal(t, goal.Draft, me.State)

	f.move(t, ceo, goal.Move{Kind: goal.Open, Unit: "acme"})
	f.move(t, li, goal.Move{Kind: goal.Commit, Unit: "li", Commitment: goal.Commitment{Figure: dec("250.00"), Reason: "r"}})
	before, err := f.engine.Review(f.ctx, "fy")
	require.NoError(t, err)
	logBefore, err := f.engine.NegotiationLog(f.ctx, "fy")
	require.NoError(t, err)
	v := before.Version("li")

	for name, c := range map[string]struct {
		by       goalkit.Actor
		m        goal.Move
		expected int64
		is       error
		says     string
	}{
		"a rep accepts their own commitment": {li, goal.Move{Kind: goal.Accept, Unit: "li"}, v, goalkit.ErrForbidden, `set by the manager of "north"`},
		"a rep commits for a colleague":      {li, goal.Move{Kind: goal.Commit, Unit: "wang", Commitment: goal.Commitment{Figure: dec("1"), Reason: "r"}}, 0, goalkit.ErrForbidden, "outside"},
		"another region's manager":           {goalkit.Actor{ID: "qian", Unit: "south"}, goal.Move{Kind: goal.Accept, Unit: "li"}, v, goalkit.ErrForbidden, "outside"},
		"an actor outside the org":           {goalkit.Actor{ID: "x", Unit: "mars"}, goal.Move{Kind: goal.Accept, Unit: "li"}, v, goalkit.ErrForbidden, "not in the org"},
		"a stale version":                    {north, goal.Move{Kind: goal.Accept, Unit: "li"}, v - 1, storage.ErrConflict, "stored version is 2, expected 1"},
		"a wrong state":                      {north, goal.Move{Kind: goal.AcceptCounter, Unit: "li"}, v, goal.ErrWrongState, "no counter-proposal"},
		"no reason":                          {north, goal.Move{Kind: goal.Reject, Unit: "li"}, v, goal.ErrInvalid, "reason"},
		"no actor ID":                        {goalkit.Actor{Unit: "north"}, goal.Move{Kind: goal.Accept, Unit: "li"}, v, goalkit.ErrInvalid, "say who"},
		"a unit not in the org":              {ceo, goal.Move{Kind: goal.Confirm, Unit: "nobody"}, 0, goalkit.ErrForbidden, "outside"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.engine.Negotiate(f.ctx, "fy", c.by, c.m, c.expected)
			require.ErrorIs(t, err, c.is)
			require.Contains(t, err.Error(), c.says)
			after, err := f.engine.Review(f.ctx, "fy")
			require.NoError(t, err)
			require.Equal(t, before.Negotiations(), after.Negotiations(), "nothing is written")
			require.Equal(t, before.Plan.Version, after.Plan.Version)
			logAfter, err := f.engine.NegotiationLog(f.ctx, "fy")
			require.NoError(t, err)
			require.Len(t, logAfter, len(logBefore))
		})
	}
	var ce *storage.ConflictError
	_, err = f.engine.Negotiate(f.ctx, "fy", north, goal.Move{Kind: goal.Accept, Unit: "li"}, 0)
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "fy/li", ce.Key)
	_, err = f.engine.Negotiate(f.ctx, "nope", ceo, goal.Move{Kind: goal.Open, Unit: "acme"}, 0)
	require.ErrorIs(t, err, storage.ErrNotFound)
}

func TestNegotiateAsksTheHostsAuthorizer(t *testing.T) {
	var asked []goalkit.Access
	f := newFixture(t, nil, func(c *goalkit.Config) {
		c.Authorizer = goalkit.AuthorizerFunc(func(_ context.Context, a goalkit.Access) error {
			asked = append(asked, a)
			if a.Actor.ID == "intern" {
				return errors.New("interns only read")
			}
			return nil
		})
	})
	f.fyPlan(t)
	_, err := f.engine.Negotiate(f.ctx, "fy", goalkit.Actor{ID: "intern", Unit: "acme"}, goal.Move{Kind: goal.Open, Unit: "acme"}, 0)
	var fe *goalkit.ForbiddenError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, goalkit.ActionEdit, fe.Action)
	require.Contains(t, err.Error(), "interns only read")
	// The host's rule replaces the default: a rep may open the company's round.
	f.move(t, li, goal.Move{Kind: goal.Open, Unit: "acme"})
	f.move(t, li, goal.Move{Kind: goal.Confirm, Unit: "zhao"})
	require.Len(t, asked, 3)
	require.Equal(t, goalkit.ActionConfirm, asked[2].Action)
	require.Equal(t, "zhao", asked[2].Unit)
	require.NotNil(t, asked[2].Org)
}

func TestManagerAuthorizer(t *testing.T) {
	f := newFixture(t, nil, nil)
	org := f.engine.Org()
	for _, c := range []struct {
		actor, unit string
		action      goalkit.Action
		ok          bool
	}{
		{"li", "li", goalkit.ActionPropose, true},
		{"li", "li", goalkit.ActionConfirm, true},
		{"li", "li", goalkit.ActionEdit, false},
		{"li", "wang", goalkit.ActionPropose, false},
		{"north", "li", goalkit.ActionEdit, true},
		{"north", "north", goalkit.ActionEdit, false},
		{"north", "zhao", goalkit.ActionEdit, false},
		{"acme", "acme", goalkit.ActionEdit, true},
		{"acme", "zhao", goalkit.ActionConfirm, true},
		{"mars", "li", goalkit.ActionPropose, false},
	} {
		err := goalkit.ManagerAuthorizer{}.Authorize(f.ctx, goalkit.Access{Actor: goalkit.Actor{ID: c.actor, Unit: c.actor}, Action: c.action, Unit: c.unit, Org: org})
		require.Equal(t, c.ok, err == nil, "%s %s %s: %v", c.actor, c.action, c.unit, err)
	}
	require.Error(t, goalkit.ManagerAuthorizer{}.Authorize(f.ctx, goalkit.Access{}))
	require.Equal(t, "Action(9)", goalkit.Action(9).String())
}

func TestRemindAndDeliverReviewNotifications(t *testing.T) { onEveryStore(t, remindScenario) }

func remindScenario(t *testing.T, store storage.Store) {
	rec := &alert.Recorder{}
	f := newFixture(t, store, func(c *goalkit.Config) {
		c.Notifier = rec
		c.Messages = &goalkit.Messages{Languages: map[string]language.Tag{"li": language.MustParse("zh-CN")}}
	})
	f.fyPlan(t)
	f.move(t, ceo, goal.Move{Kind: goal.Open, Unit: "north", Due: day("2026-01-15")})
	f.move(t, li, goal.Move{Kind: goal.Commit, Unit: "li", Commitment: goal.Commitment{Figure: dec("250.00"), Reason: "r"}})
	n, err := f.engine.Remind(f.ctx, "fy", day("2026-01-10"))
	require.NoError(t, err)
	require.Equal(t, 3, n, "north and wang must move, north must answer li; acme and south are draft")
	queued, err := f.store.ListUndelivered(f.ctx, 0)
	require.NoError(t, err)
	require.Len(t, queued, 3+3)
	f.clock.Set(day("2026-01-10"))
	_, err = f.engine.Remind(f.ctx, "fy", day("2026-01-10"))
	require.NoError(t, err)
	again, err := f.store.ListUndelivered(f.ctx, 0)
	require.NoError(t, err)
	require.Len(t, again, 6, "one reminder per unit and day")

	sent, err := f.engine.Deliver(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 6, sent)
	var texts []string
	for _, n := range rec.Notifications() {
		texts = append(texts, n.Recipient+" "+string(n.Kind)+": "+n.Summary)
	}
	all := strings.Join(texts, "\n")
	require.Contains(t, all, "li review-request: li Revenue 2026：请确认您的目标 ¥300.00（截止 2026-01-15）")
	require.Contains(t, all, "wang review-reminder: wang Revenue 2026: reminder: your target of CN¥300.00 awaits your answer, due 2026-01-15")
	require.Contains(t, all, "north answer-reminder: li Revenue 2026: li committed to CN¥250.00 against a target of CN¥300.00")
}

func TestSavePlanRefusesUnbalanced(t *testing.T) {
	f := newFixture(t, nil, nil)
	p := f.seasonalPlan(t, "li-q1")
	require.NoError(t, p.SetTarget("jan", dec("150.00")))
	_, err := f.engine.SavePlan(f.ctx, p, who)
	var ue *goalkit.UnbalancedError
	require.ErrorAs(t, err, &ue)
	require.ErrorIs(t, err, goalkit.ErrUnbalanced)
	require.Len(t, ue.Discrepancies, 1)
	requireDec(t, "-50", ue.Discrepancies[0].Unallocated)
	require.Contains(t, err.Error(), "set Change.Unbalanced")
	_, err = f.store.GetPlan(f.ctx, "li-q1")
	require.ErrorIs(t, err, storage.ErrNotFound, "nothing is written")

	accept := who
	accept.Unbalanced = true
	v, err := f.engine.SavePlan(f.ctx, p, accept)
	require.NoError(t, err)
	audit, err := f.store.ListAudit(f.ctx, "li-q1")
	require.NoError(t, err)
	require.Len(t, audit, 5, "four goals and the accepted discrepancy")
	require.Equal(t, "q1", audit[4].Goal)
	require.Contains(t, audit[4].Reason, `accepted unbalanced: "q1" is 600 but its children sum to 650 (-50 unallocated)`)

	// A discrepancy already stored is not new: other edits save as usual.
	p.Version = v
	require.NoError(t, p.SetTarget("feb", dec("150.00")))
	require.NoError(t, p.SetTarget("mar", dec("350.00")))
	v, err = f.engine.SavePlan(f.ctx, p, who)
	require.NoError(t, err)
	_, err = f.engine.SetTarget(f.ctx, "li-q1", "feb", dec("120.00"), v, who)
	require.ErrorIs(t, err, goalkit.ErrUnbalanced, "SetTarget refuses a new discrepancy too")
}

func TestLockedTargetsDoNotChange(t *testing.T) {
	f := newFixture(t, nil, nil)
	f.fyPlan(t)
	f.move(t, ceo, goal.Move{Kind: goal.Open, Unit: "south"})
	for _, u := range []string{"zhao", "south"} {
		f.move(t, ceo, goal.Move{Kind: goal.Confirm, Unit: u})
	}
	f.move(t, ceo, goal.Move{Kind: goal.Lock, Unit: "south"})
	p, err := f.engine.Plan(f.ctx, "fy")
	require.NoError(t, err)
	zhao := goal.GoalID("revenue", "zhao", f.period(t, "2026-Q1"))
	_, err = f.engine.SetTarget(f.ctx, "fy", zhao, dec("1.00"), p.Version, goalkit.Change{Actor: "x", Unbalanced: true})
	require.ErrorIs(t, err, goalkit.ErrLocked)
	require.Contains(t, err.Error(), `unit "zhao"`)
	edited, _, err := goal.EditTarget(p, goal.Edit{Goal: zhao, Target: dec("1.00")})
	require.NoError(t, err)
	_, err = f.engine.SavePlan(f.ctx, edited, who)
	require.ErrorIs(t, err, goalkit.ErrLocked)
	_, _, err = f.engine.Replan(f.ctx, "fy", day("2026-05-01"), goal.CatchUp, who)
	require.ErrorIs(t, err, goalkit.ErrLocked, "re-planning would move zhao's open quarters")
	stored, err := f.engine.Plan(f.ctx, "fy")
	require.NoError(t, err)
	require.Equal(t, p.Version, stored.Version, "nothing is written")

	// North is not locked: its targets still move.
	li := goal.GoalID("revenue", "li", f.period(t, "2026-Q1"))
	edited, _, err = goal.EditTarget(p, goal.Edit{Goal: li, Target: dec("80.00")})
	require.NoError(t, err)
	_, err = f.engine.SavePlan(f.ctx, edited, who)
	require.NoError(t, err)
}
