package goal

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// review is the review of editPlan with the given negotiations applied
// one move after the other (each must succeed).
func review(t *testing.T, p *Plan, moves ...Move) (*Review, *Plan) {
	t.Helper()
	r, err := NewReview(p, nil)
	require.NoError(t, err)
	for _, m := range moves {
		r, p = apply(t, r, p, m)
	}
	return r, p
}

// apply applies m to r over p, as the engine does, and returns the new
// review and plan.
func apply(t *testing.T, r *Review, p *Plan, m Move) (*Review, *Plan) {
	t.Helper()
	changed, edit, err := r.Apply(m)
	require.NoError(t, err, "%s %s", m.Kind, m.Unit)
	if edit != nil {
		p, _, err = r.Edit(*edit)
		require.NoError(t, err)
		require.Empty(t, p.Check(), "an agreed figure keeps the plan exact")
	}
	all := r.Negotiations()
	for _, c := range changed {
		for i := range all {
			if all[i].Unit == c.Unit {
				all[i] = c
			}
		}
	}
	next, err := NewReview(p, all)
	require.NoError(t, err)
	return next, p
}

func commit(unit, figure, reason string) Move {
	return Move{Kind: Commit, Unit: unit, Commitment: Commitment{Figure: dec(figure), Reason: reason}}
}

func stateOf(t *testing.T, r *Review, unit string) (ReviewState, Exchange) {
	t.Helper()
	n, ok := r.Negotiation(unit)
	require.True(t, ok, unit)
	return n.State, n.Exchange
}

func TestReviewUnitsFollowThePlan(t *testing.T) {
	r, _ := review(t, editPlan(t, nil))
	var units []string
	for _, n := range r.Negotiations() {
		units = append(units, n.Unit+"<"+n.Parent+":"+n.Goal)
		require.Equal(t, Draft, n.State)
	}
	require.Equal(t, []string{"co<:rev/co/2026", "east<co:rev/east/2026", "west<co:rev/west/2026",
		"ann<east:rev/ann/2026", "bob<east:rev/bob/2026", "cy<west:rev/cy/2026"}, units,
		"one negotiation per unit, at its topmost goal; the quarters follow it")
	require.Equal(t, []string{"ann", "bob"}, r.Children("east"))
	_, err := NewReview(&Plan{ID: "x"}, nil)
	require.ErrorIs(t, err, ErrInvalid)
}

func TestReviewFullRound(t *testing.T) {
	p := editPlan(t, nil)
	r, p := review(t, p,
		Move{Kind: Open, Unit: "co", Due: date.New(2026, 1, 15)},
		commit("ann", "500.00", "two renewals signed"),
		commit("bob", "300.00", "lost the Li account"),
		Move{Kind: Counter, Unit: "bob", Figure: dec("350.00"), Reason: "the pipeline covers more"},
		Move{Kind: AcceptCounter, Unit: "bob", Mode: Rebalance},
	)
	s, x := stateOf(t, r, "bob")
	require.Equal(t, InReview, s)
	require.Equal(t, Agreed, x)
	require.Equal(t, "350.00", targetOf(t, p, "rev/bob/2026"))
	require.Equal(t, "600.00", targetOf(t, p, "rev/east/2026"), "rebalance: the parent holds, ann took the difference")
	require.Equal(t, "250.00", targetOf(t, p, "rev/ann/2026"))

	r, p = apply(t, r, p, Move{Kind: Accept, Unit: "ann", Mode: RollUp})
	require.Equal(t, "500.00", targetOf(t, p, "rev/ann/2026"))
	require.Equal(t, "350.00", targetOf(t, p, "rev/bob/2026"), "bob agreed, so he is held")
	require.Equal(t, "850.00", targetOf(t, p, "rev/east/2026"), "roll up moves east and co")
	require.Equal(t, "1450.00", targetOf(t, p, "rev/co/2026"))

	for _, u := range []string{"ann", "bob"} {
		r, p = apply(t, r, p, Move{Kind: Confirm, Unit: u})
	}
	r, p = apply(t, r, p, Move{Kind: Confirm, Unit: "east"})
	_, _, err := r.Apply(Move{Kind: Confirm, Unit: "co"})
	require.ErrorIs(t, err, ErrWrongState, "west has not confirmed")
	require.Contains(t, err.Error(), `child "west" is in review`)
	r, p = apply(t, r, p, Move{Kind: Confirm, Unit: "cy"})
	r, p = apply(t, r, p, Move{Kind: Confirm, Unit: "west"})
	s, _ = stateOf(t, r, "west")
	require.Equal(t, Confirmed, s, "a region confirms while the company is still in review")
	s, _ = stateOf(t, r, "co")
	require.Equal(t, InReview, s)
	r, _ = apply(t, r, p, Move{Kind: Confirm, Unit: "co"})
	r, _ = apply(t, r, p, Move{Kind: Lock, Unit: "co"})
	for _, n := range r.Negotiations() {
		require.Equal(t, Locked, n.State, n.Unit)
		require.Equal(t, 1, n.Round)
		require.Equal(t, date.New(2026, 1, 15), n.Due)
	}
}

func TestReviewRefusals(t *testing.T) {
	p := editPlan(t, nil)
	open := Move{Kind: Open, Unit: "co"}
	for name, c := range map[string]struct {
		before []Move
		move   Move
		is     error
		says   string
	}{
		"commit in draft":           {move: commit("ann", "1.00", "r"), is: ErrWrongState, says: "no review round is open"},
		"accept without commitment": {before: []Move{open}, move: Move{Kind: Accept, Unit: "ann"}, is: ErrWrongState, says: "must Commit first"},
		"reject without commitment": {before: []Move{open}, move: Move{Kind: Reject, Unit: "ann", Reason: "no"}, is: ErrWrongState},
		"counter without answer":    {before: []Move{open}, move: Move{Kind: AcceptCounter, Unit: "ann"}, is: ErrWrongState},
		"open twice":                {before: []Move{open}, move: Move{Kind: Open, Unit: "east"}, is: ErrWrongState, says: "draft or confirmed units only"},
		"confirm pending":           {before: []Move{open, commit("ann", "1.00", "r")}, move: Move{Kind: Confirm, Unit: "ann"}, is: ErrWrongState, says: "not settled"},
		"commit after agreeing":     {before: []Move{open, commit("ann", "400.00", "r"), {Kind: Accept, Unit: "ann"}}, move: commit("ann", "1.00", "r"), is: ErrWrongState},
		"lock in review":            {before: []Move{open}, move: Move{Kind: Lock, Unit: "co"}, is: ErrWrongState, says: "Confirm it first"},
		"confirm twice":             {before: []Move{open, {Kind: Confirm, Unit: "ann"}}, move: Move{Kind: Confirm, Unit: "ann"}, is: ErrWrongState, says: "already confirmed"},
		"reopen under confirmed":    {before: []Move{{Kind: Open, Unit: "cy"}, {Kind: Confirm, Unit: "cy"}}, move: Move{Kind: Open, Unit: "cy"}, is: nil},
		"no reason":                 {before: []Move{open}, move: commit("ann", "1.00", ""), is: ErrInvalid, says: "give the reason"},
		"too many places":           {before: []Move{open}, move: commit("ann", "1.001", "r"), is: ErrInvalid},
		"reject without reason":     {before: []Move{open, commit("ann", "1.00", "r")}, move: Move{Kind: Reject, Unit: "ann"}, is: ErrInvalid},
		"counter too fine":          {before: []Move{open, commit("ann", "1.00", "r")}, move: Move{Kind: Counter, Unit: "ann", Figure: dec("0.001"), Reason: "r"}, is: ErrInvalid},
		"bad evidence":              {before: []Move{open}, move: Move{Kind: Commit, Unit: "ann", Commitment: Commitment{Figure: dec("1"), Reason: "r", Evidence: []Evidence{{Kind: 9}}}}, is: ErrInvalid},
		"unknown unit":              {move: Move{Kind: Open, Unit: "zed"}, is: ErrNotFound},
		"unknown move":              {before: []Move{open}, move: Move{Kind: 99, Unit: "ann"}, is: ErrInvalid},
	} {
		t.Run(name, func(t *testing.T) {
			r, _ := review(t, p, c.before...)
			before := r.Negotiations()
			changed, edit, err := r.Apply(c.move)
			require.Equal(t, before, r.Negotiations(), "Apply never changes the review")
			if c.is == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, c.is)
			require.Nil(t, changed)
			require.Nil(t, edit)
			require.Contains(t, err.Error(), c.says)
		})
	}
	// Locked is final.
	r, _ := review(t, p, Move{Kind: Open, Unit: "cy"}, Move{Kind: Confirm, Unit: "cy"}, Move{Kind: Lock, Unit: "cy"})
	for _, k := range []MoveKind{Open, Commit, Confirm, Lock} {
		_, _, err := r.Apply(Move{Kind: k, Unit: "cy"})
		require.ErrorIs(t, err, ErrWrongState, k.String())
		require.Contains(t, err.Error(), "locked")
	}
	// A round cannot open under a confirmed parent.
	r, _ = review(t, p, Move{Kind: Open, Unit: "west"}, Move{Kind: Confirm, Unit: "cy"}, Move{Kind: Confirm, Unit: "west"})
	_, _, err := r.Apply(Move{Kind: Open, Unit: "cy"})
	require.ErrorIs(t, err, ErrWrongState)
	require.Contains(t, err.Error(), `parent "west" is confirmed`)
}

func TestReviewNewRoundClearsTheExchange(t *testing.T) {
	r, _ := review(t, editPlan(t, nil), Move{Kind: Open, Unit: "cy"}, commit("cy", "1.00", "r"),
		Move{Kind: Reject, Unit: "cy", Reason: "too low"})
	n, _ := r.Negotiation("cy")
	require.Equal(t, Rejected, n.Exchange)
	require.Equal(t, "too low", n.Note)
	require.Equal(t, "cy", n.Turn(), "after a rejection the unit moves")
	r, _ = review(t, editPlan(t, nil), Move{Kind: Open, Unit: "cy"}, Move{Kind: Confirm, Unit: "cy"}, Move{Kind: Open, Unit: "cy", Due: date.New(2026, 4, 1)})
	n, _ = r.Negotiation("cy")
	require.Equal(t, Negotiation{Unit: "cy", Goal: "rev/cy/2026", Parent: "west", State: InReview, Round: 2, Due: date.New(2026, 4, 1)}, n)
}

func TestReviewTurn(t *testing.T) {
	n := Negotiation{Unit: "ann", Parent: "east", State: InReview}
	require.Equal(t, "ann", n.Turn())
	n.Exchange = Submitted
	require.Equal(t, "east", n.Turn(), "a submitted commitment waits for the manager")
	n.State = Confirmed
	require.Equal(t, "", n.Turn())
}

func TestReconcile(t *testing.T) {
	p := editPlan(t, nil)
	r, p := review(t, p, Move{Kind: Open, Unit: "co"},
		commit("ann", "500.00", "renewals"), commit("bob", "250.00", "lost an account"),
		commit("east", "760.00", "what the team sees"))
	c := r.Reconcile()
	east, ok := c.Row("east")
	require.True(t, ok)
	require.Equal(t, "600.00", east.Target.StringFixed(2))
	require.Equal(t, "750.00", east.BottomUp.StringFixed(2), "ann and bob commit to 750")
	require.Equal(t, "150.00", east.Gap.StringFixed(2))
	require.Equal(t, "760.00", east.Commitment.Decimal.StringFixed(2))
	co, _ := c.Row("co")
	require.Equal(t, "1360.00", co.BottomUp.StringFixed(2), "east's 760 and west's target (not committed)")
	require.Equal(t, 1, co.Pending)
	cy, _ := c.Row("cy")
	require.Equal(t, 2, cy.Depth)
	require.Equal(t, 1, cy.Pending, "a leaf without commitment counts itself at its target")
	_, ok = c.Row("nobody")
	require.False(t, ok)

	// A region that has not committed passes up what its reps commit to.
	reps, _ := review(t, editPlan(t, nil), Move{Kind: Open, Unit: "co"},
		commit("ann", "500.00", "renewals"), commit("bob", "250.00", "lost an account"))
	co, _ = reps.Reconcile().Row("co")
	require.Equal(t, "1350.00", co.BottomUp.StringFixed(2), "east's reps 750 and west's cy at her target 600")
	require.Equal(t, 1, co.Pending, "only cy has not committed")

	r, _ = apply(t, r, p, Move{Kind: Counter, Unit: "bob", Figure: dec("280.00"), Reason: "r"})
	r, _ = apply(t, r, p, Move{Kind: AcceptCounter, Unit: "bob"})
	east, _ = r.Reconcile().Row("east")
	require.Equal(t, "780.00", east.BottomUp.StringFixed(2), "an agreed figure counts as the target it became")
	text := r.Reconcile().String()
	require.Contains(t, text, "unit ")
	require.Contains(t, text, "\n  east ")
	require.Contains(t, text, "    bob ")
	require.Equal(t, 7, strings.Count(text, "\n"))
}

// The invariant of Review.Edit: on random plans and random agreements,
// every edit keeps the plan exact and never moves a settled unit's target.
func TestReviewEditKeepsSettledTargetsProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 12))
	cal := testCal(t)
	year := periodOf(t, cal, Year, 2026, 1)
	edits := 0
	for range 200 {
		org := randomOrg(t, rng, 2+rng.IntN(10))
		p, err := Decompose(org, cal, Spec{PlanID: "p", Metric: usd, Unit: "u0", Period: year,
			Target: decimal.New(rng.Int64N(10_000_000), -2), Time: TimeRule{Steps: []Grain{Quarter}}})
		if err != nil {
			continue
		}
		r, err := NewReview(p, nil)
		require.NoError(t, err)
		r, p = apply(t, r, p, Move{Kind: Open, Unit: "u0"})
		for _, n := range r.Negotiations() {
			if n.Parent == "" {
				continue
			}
			figure := decimal.New(rng.Int64N(1_000_000), -2)
			r, p = apply(t, r, p, Move{Kind: Commit, Unit: n.Unit, Commitment: Commitment{Figure: figure, Reason: "r"}})
			settled := map[string]string{}
			for _, s := range r.Negotiations() {
				if s.Exchange == Agreed {
					settled[s.Goal] = targetOf(t, p, s.Goal)
				}
			}
			changed, edit, err := r.Apply(Move{Kind: Accept, Unit: n.Unit, Mode: EditMode(rng.IntN(2))})
			require.NoError(t, err)
			np, _, err := r.Edit(*edit)
			if err != nil {
				require.ErrorIs(t, err, ErrInfeasible, "the held targets can make an edit infeasible, nothing else")
				continue
			}
			edits++
			require.Empty(t, np.Check())
			require.Equal(t, figure.StringFixed(2), targetOf(t, np, n.Goal))
			for id, v := range settled {
				require.Equal(t, v, targetOf(t, np, id), "a settled target never moves")
			}
			all := r.Negotiations()
			for i := range all {
				if all[i].Unit == changed[0].Unit {
					all[i] = changed[0]
				}
			}
			p = np
			r, err = NewReview(p, all)
			require.NoError(t, err)
		}
	}
	require.Greater(t, edits, 200, "the property ran on enough edits")
}

func TestNegotiationJSONRoundTrip(t *testing.T) {
	n := Negotiation{Unit: "ann", Goal: "g", Parent: "east", State: InReview, Exchange: Countered, Round: 2, Due: date.New(2026, 3, 31),
		Commitment: &Commitment{Figure: dec("12.5"), Reason: "why", Evidence: []Evidence{{Kind: LostKeyAccount, Text: "Li left", Amount: decimal.NewNullDecimal(dec("3"))}}},
		Counter:    decimal.NewNullDecimal(dec("13")), Note: "more"}
	b, err := json.Marshal(n)
	require.NoError(t, err)
	require.Contains(t, string(b), `"kind":"lost key account"`)
	require.Contains(t, string(b), `"state":"in review"`)
	var back Negotiation
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, n, back)
	require.Error(t, json.Unmarshal([]byte(`{"state":"maybe"}`), &back))
	for _, k := range []MoveKind{Open, Commit, Accept, Reject, Counter, AcceptCounter, Confirm, Lock} {
		b, err := k.MarshalText()
		require.NoError(t, err)
		var got MoveKind
		require.NoError(t, got.UnmarshalText(b))
		require.Equal(t, k, got)
	}
	_, err = MoveKind(0).MarshalText()
	require.ErrorIs(t, err, ErrInvalid)
	var k MoveKind
	require.ErrorIs(t, k.UnmarshalText(nil), ErrInvalid)
	require.Equal(t, "Exchange(9)", Exchange(9).String())
}
