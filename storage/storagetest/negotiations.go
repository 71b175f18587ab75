package storagetest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// negotiation returns unit's negotiation with every field set.
func negotiation(unit string) storage.Negotiation {
	return storage.Negotiation{Negotiation: goal.Negotiation{
		Unit: unit, Goal: "revenue/" + unit + "/2026", Parent: "co", State: goal.InReview, Exchange: goal.Countered,
		Round: 2, Due: day("2026-01-15"), Counter: decimal.NewNullDecimal(dec("1.25")), Note: "管道够了",
		Commitment: &goal.Commitment{Figure: dec(twenty), Reason: "lost a key account", Evidence: []goal.Evidence{
			{Kind: goal.LostKeyAccount, Text: "Li left", Amount: decimal.NewNullDecimal(dec("-3.5"))},
			{Kind: goal.CustomerDemand, Text: "a tender"},
		}},
	}}
}

// requireNegotiations compares records by value (decimals as values).
func requireNegotiations(t *testing.T, want, got []storage.Negotiation) {
	t.Helper()
	w, err := json.Marshal(want)
	require.NoError(t, err)
	g, err := json.Marshal(got)
	require.NoError(t, err)
	require.JSONEq(t, string(w), string(g))
}

func listNegotiations(t *testing.T, s storage.Tx, plan string) []storage.Negotiation {
	t.Helper()
	got, err := s.ListNegotiations(context.Background(), plan)
	require.NoError(t, err)
	return got
}

var negotiationTests = []test{
	{name: "Negotiations/RoundTripAndLog", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.Empty(t, listNegotiations(t, s, "fy26"), "an empty slice for a plan without any")
		r2, r1 := negotiation("r2"), negotiation("r1")
		r1.Commitment, r1.Counter, r1.Due = nil, decimal.NullDecimal{}, 0
		t1, t0 := at("2026-03-01T10:00:00.123456789+08:00"), at("2026-03-01T01:00:00Z")
		events := []storage.NegotiationEvent{
			{Unit: "r2", Actor: "ann", At: t1, Move: goal.Counter, After: r2.Negotiation, Reason: "管道够了"},
			{Plan: "fy26", Unit: "r1", Actor: "bob", At: t0, Move: goal.Open, Before: goal.Negotiation{}, After: r1.Negotiation},
		}
		require.NoError(t, s.PutNegotiations(ctx, "fy26", []storage.Negotiation{r2, r1}, events))
		r1.Plan, r1.Version, r2.Plan, r2.Version = "fy26", 1, "fy26", 1
		requireNegotiations(t, []storage.Negotiation{r1, r2}, listNegotiations(t, s, "fy26"))
		require.Empty(t, listNegotiations(t, s, "other"))

		got, err := s.ListNegotiationEvents(ctx, "fy26")
		require.NoError(t, err)
		require.Len(t, got, 2)
		require.Equal(t, "bob", got[0].Actor, "ordered by time first, though written last")
		require.Less(t, got[1].Seq, got[0].Seq)
		requireTime(t, t0, got[0].At, "at")
		requireTime(t, t1, got[1].At, "at")
		require.Equal(t, goal.Open, got[0].Move)
		require.Equal(t, "fy26", got[1].Plan)
		require.Equal(t, "管道够了", got[1].Reason)
		requireNegotiations(t, []storage.Negotiation{{Negotiation: r2.Negotiation}}, []storage.Negotiation{{Negotiation: got[1].After}})
		require.Equal(t, goal.Negotiation{}, got[0].Before)
		none, err := s.ListNegotiationEvents(ctx, "other")
		require.NoError(t, err)
		require.NotNil(t, none)
		require.Empty(t, none)
	}},
	{name: "Negotiations/StaleVersionConflicts", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		n := negotiation("r1")
		require.NoError(t, s.PutNegotiations(ctx, "fy26", []storage.Negotiation{n}, nil))
		err := s.PutNegotiations(ctx, "fy26", []storage.Negotiation{n}, nil)
		var ce *storage.ConflictError
		require.ErrorAs(t, err, &ce, "a second first write")
		require.Equal(t, "negotiation", ce.Kind)
		require.Equal(t, "fy26/r1", ce.Key)
		n.Version, n.Note = 1, "second"
		require.NoError(t, s.PutNegotiations(ctx, "fy26", []storage.Negotiation{n}, nil))
		// A batch with one stale record writes nothing, events included.
		fresh := negotiation("r2")
		n.Note = "stale"
		err = s.PutNegotiations(ctx, "fy26", []storage.Negotiation{fresh, n}, []storage.NegotiationEvent{{Unit: "r2", Actor: "x", Move: goal.Commit}})
		require.ErrorIs(t, err, storage.ErrConflict)
		require.Contains(t, err.Error(), "stored version is 2, expected 1")
		got := listNegotiations(t, s, "fy26")
		require.Len(t, got, 1)
		require.Equal(t, int64(2), got[0].Version)
		require.Equal(t, "second", got[0].Note)
		events, err := s.ListNegotiationEvents(ctx, "fy26")
		require.NoError(t, err)
		require.Empty(t, events)
		// An update of a record never written conflicts too.
		ghost := negotiation("r9")
		ghost.Version = 3
		require.ErrorIs(t, s.PutNegotiations(ctx, "fy26", []storage.Negotiation{ghost}, nil), storage.ErrConflict)
	}},
	{name: "Negotiations/NoAliasing", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		n := negotiation("r1")
		require.NoError(t, s.PutNegotiations(ctx, "fy26", []storage.Negotiation{n}, []storage.NegotiationEvent{{Unit: "r1", Move: goal.Commit, After: n.Negotiation}}))
		n.Commitment.Evidence[0].Text = "mutated"
		n.Commitment.Reason = "mutated"
		got := listNegotiations(t, s, "fy26")
		got[0].Commitment.Evidence[0].Text = "mutated too"
		events, err := s.ListNegotiationEvents(ctx, "fy26")
		require.NoError(t, err)
		events[0].After.Commitment.Reason = "mutated"
		want := negotiation("r1")
		want.Plan, want.Version = "fy26", 1
		requireNegotiations(t, []storage.Negotiation{want}, listNegotiations(t, s, "fy26"))
		events, err = s.ListNegotiationEvents(ctx, "fy26")
		require.NoError(t, err)
		require.Equal(t, "lost a key account", events[0].After.Commitment.Reason)
	}},
	{name: "Negotiations/InvalidInput", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		tooFine, badState, nul, badDue, otherPlan := negotiation("r1"), negotiation("r1"), negotiation("r1"), negotiation("r1"), negotiation("r1")
		tooFine.Commitment.Figure = dec("0.0000000000001")
		badState.State = 9
		nul.Note = "a\x00b"
		badDue.Due = day("2026-01-01") + 9_000_000
		otherPlan.Plan = "fy27"
		for name, c := range map[string]struct {
			plan   string
			ns     []storage.Negotiation
			events []storage.NegotiationEvent
		}{
			"empty plan":      {plan: "", ns: []storage.Negotiation{negotiation("r1")}},
			"twice":           {plan: "fy26", ns: []storage.Negotiation{negotiation("r1"), negotiation("r1")}},
			"13 places":       {plan: "fy26", ns: []storage.Negotiation{tooFine}},
			"bad state":       {plan: "fy26", ns: []storage.Negotiation{badState}},
			"NUL":             {plan: "fy26", ns: []storage.Negotiation{nul}},
			"due":             {plan: "fy26", ns: []storage.Negotiation{badDue}},
			"other plan":      {plan: "fy26", ns: []storage.Negotiation{otherPlan}},
			"no move":         {plan: "fy26", events: []storage.NegotiationEvent{{Unit: "r1"}}},
			"event no unit":   {plan: "fy26", events: []storage.NegotiationEvent{{Move: goal.Open}}},
			"event elsewhere": {plan: "fy26", events: []storage.NegotiationEvent{{Plan: "x", Unit: "r1", Move: goal.Open}}},
		} {
			err := s.PutNegotiations(ctx, c.plan, append(c.ns, negotiation("ok")), c.events)
			require.ErrorIs(t, err, storage.ErrInvalid, name)
		}
		require.Empty(t, listNegotiations(t, s, "fy26"), "nothing of a refused write is stored")
	}},
	{name: "Negotiations/RolledBackWithTx", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		boom := errors.New("boom")
		err := s.InTx(ctx, func(tx storage.Tx) error {
			require.NoError(t, tx.PutNegotiations(ctx, "fy26", []storage.Negotiation{negotiation("r1")}, []storage.NegotiationEvent{{Unit: "r1", Move: goal.Open}}))
			require.Len(t, listNegotiations(t, tx, "fy26"), 1, "the transaction sees its own write")
			return boom
		})
		require.ErrorIs(t, err, boom)
		require.Empty(t, listNegotiations(t, s, "fy26"))
		events, err := s.ListNegotiationEvents(ctx, "fy26")
		require.NoError(t, err)
		require.Empty(t, events)
		other := open("globex")
		require.NoError(t, s.PutNegotiations(ctx, "fy26", []storage.Negotiation{negotiation("r1")}, nil))
		require.Empty(t, listNegotiations(t, other, "fy26"), "another tenant sees nothing")
	}},
}
