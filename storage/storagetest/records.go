package storagetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
)

func deal(id, funnelKey, unit string, stages ...string) funnel.Deal {
	d := funnel.Deal{ID: id, Funnel: funnelKey, Unit: unit, Value: dec(twenty), Currency: "CNY"}
	for i, s := range stages {
		d.Transitions = append(d.Transitions, funnel.Transition{Stage: s, Date: day("2026-01-05") + 7*dayN(i)})
	}
	return d
}

func requireDeal(t *testing.T, want, got funnel.Deal) {
	t.Helper()
	require.Equal(t, want.ID, got.ID)
	require.Equal(t, want.Funnel, got.Funnel)
	require.Equal(t, want.Unit, got.Unit)
	require.Equal(t, want.Value.String(), got.Value.String())
	require.Equal(t, want.Currency, got.Currency)
	require.Equal(t, want.ExpectedClose, got.ExpectedClose, "expected close")
	if len(want.Transitions) == 0 {
		require.Empty(t, got.Transitions)
	} else {
		require.Equal(t, want.Transitions, got.Transitions)
	}
}

var dealTests = []test{
	{name: "Deals/RoundTripAndUpsert", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		d := deal("D1", "b2b", "a", "lead", "qualified")
		d.ExpectedClose = day("2026-04-30")
		require.NoError(t, s.PutDeal(ctx, d))
		got, err := s.GetDeal(ctx, "D1")
		require.NoError(t, err)
		requireDeal(t, d, got)
		got.Transitions[0].Stage = "mutated"
		d = deal("D1", "b2b", "b", "lead", "qualified", "won")
		d.Value = dec("0.01")
		require.NoError(t, s.PutDeal(ctx, d))
		got, err = s.GetDeal(ctx, "D1")
		require.NoError(t, err)
		requireDeal(t, d, got)
		empty := funnel.Deal{ID: "D0", Value: dec("0")}
		require.NoError(t, s.PutDeal(ctx, empty))
		got, err = s.GetDeal(ctx, "D0")
		require.NoError(t, err)
		requireDeal(t, empty, got)
	}},
	{name: "Deals/PutDealsInOneTransaction", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutDeal(ctx, deal("D1", "b2b", "a", "lead")))
		batch := []funnel.Deal{deal("D1", "b2b", "b", "lead", "won"), deal("D2", "b2b", "a", "lead")}
		require.NoError(t, s.PutDeals(ctx, batch), "inserts D2 and replaces D1")
		got, err := s.ListDeals(ctx, storage.DealFilter{})
		require.NoError(t, err)
		require.Len(t, got, 2)
		requireDeal(t, batch[0], got[0])
		requireDeal(t, batch[1], got[1])
		require.NoError(t, s.PutDeals(ctx, nil))

		for name, bad := range map[string][]funnel.Deal{
			"an invalid deal":    {deal("D3", "b2b", "a", "lead"), {ID: "", Value: dec("1")}},
			"an ID listed twice": {deal("D3", "b2b", "a", "lead"), deal("D4", "b2b", "a"), deal("D3", "b2b", "b")},
		} {
			err := s.PutDeals(ctx, bad)
			require.ErrorIs(t, err, storage.ErrInvalid, name)
			_, err = s.GetDeal(ctx, "D3")
			require.ErrorIs(t, err, storage.ErrNotFound, "%s: nothing is written", name)
		}
		boom := errors.New("boom")
		err = s.InTx(ctx, func(tx storage.Tx) error {
			require.NoError(t, tx.PutDeals(ctx, []funnel.Deal{deal("D5", "b2b", "a", "lead")}))
			return boom
		})
		require.ErrorIs(t, err, boom)
		_, err = s.GetDeal(ctx, "D5")
		require.ErrorIs(t, err, storage.ErrNotFound, "a transaction rolled back keeps none of its deals")
		got, err = s.ListDeals(ctx, storage.DealFilter{})
		require.NoError(t, err)
		require.Len(t, got, 2)
	}},
	{name: "Deals/NotFound", run: func(t *testing.T, open Opener) {
		_, err := open("acme").GetDeal(context.Background(), "nope")
		require.ErrorIs(t, err, storage.ErrNotFound)
	}},
	{name: "Deals/ListFilteredOrderedByID", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		for _, d := range []funnel.Deal{
			deal("D3", "b2b", "a", "lead", "won"),
			deal("D1", "b2b", "a", "lead"),
			deal("D2", "b2c", "a", "lead", "lost"),
			deal("D10", "b2b", "b", "lead", "proposal"),
			deal("D4", "b2b", "b"),
		} {
			require.NoError(t, s.PutDeal(ctx, d))
		}
		for _, c := range []struct {
			filter storage.DealFilter
			want   []string
		}{
			{storage.DealFilter{}, []string{"D1", "D10", "D2", "D3", "D4"}},
			{storage.DealFilter{Funnel: "b2b"}, []string{"D1", "D10", "D3", "D4"}},
			{storage.DealFilter{Unit: "a"}, []string{"D1", "D2", "D3"}},
			{storage.DealFilter{Funnel: "b2b", Unit: "a"}, []string{"D1", "D3"}},
			{storage.DealFilter{ExcludeStages: []string{"won", "lost"}}, []string{"D1", "D10", "D4"}},
			{storage.DealFilter{Funnel: "none"}, []string{}},
		} {
			got, err := s.ListDeals(ctx, c.filter)
			require.NoError(t, err)
			ids := []string{}
			for _, d := range got {
				ids = append(ids, d.ID)
			}
			require.Equal(t, c.want, ids, "%+v", c.filter)
		}
	}},
}

func alertState(fp string) storage.AlertState {
	return storage.AlertState{
		Fingerprint: fp, Rule: "behind-pace", Labels: map[string]string{"unit": "t1", "metric": "revenue"},
		State: "firing", Since: at("2026-03-02T09:00:00.000000999+08:00"), LastEval: at("2026-03-03T00:00:00Z"),
		FiredAt: at("2026-03-02T09:30:00Z"), Detector: []byte{0, 1, 2, 255},
	}
}

var alertTests = []test{
	{name: "Alerts/RoundTrip", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		a := alertState("fp1")
		v, err := s.PutAlert(ctx, a, 0)
		require.NoError(t, err)
		require.Equal(t, int64(1), v)
		got, err := s.GetAlert(ctx, "fp1")
		require.NoError(t, err)
		require.Equal(t, int64(1), got.Version)
		require.Equal(t, a.Rule, got.Rule)
		require.Equal(t, a.Labels, got.Labels)
		require.Equal(t, a.State, got.State)
		require.Equal(t, a.Detector, got.Detector)
		requireTime(t, a.Since, got.Since, "since")
		requireTime(t, a.LastEval, got.LastEval, "last eval")
		requireTime(t, a.FiredAt, got.FiredAt, "fired")
		requireTime(t, time.Time{}, got.ResolvedAt, "resolved")
		requireTime(t, time.Time{}, got.LastNotified, "notified")
		got.Labels["unit"] = "mutated"
		got.Detector[0] = 9
		again, err := s.GetAlert(ctx, "fp1")
		require.NoError(t, err)
		require.Equal(t, "t1", again.Labels["unit"])
		require.Equal(t, byte(0), again.Detector[0])
		_, err = s.GetAlert(ctx, "nope")
		require.ErrorIs(t, err, storage.ErrNotFound)
		bare := storage.AlertState{Fingerprint: "bare"}
		_, err = s.PutAlert(ctx, bare, 0)
		require.NoError(t, err)
		got, err = s.GetAlert(ctx, "bare")
		require.NoError(t, err)
		require.Empty(t, got.Labels)
		require.Empty(t, got.Detector)
		require.True(t, got.Since.IsZero())
	}},
	{name: "Alerts/Versions", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		_, err := s.PutAlert(ctx, alertState("fp"), 0)
		require.NoError(t, err)
		_, err = s.PutAlert(ctx, alertState("fp"), 0)
		require.ErrorIs(t, err, storage.ErrConflict, "creating twice is a conflict")
		a := alertState("fp")
		a.State = "resolved"
		v, err := s.PutAlert(ctx, a, 1)
		require.NoError(t, err)
		require.Equal(t, int64(2), v)
		_, err = s.PutAlert(ctx, alertState("fp"), 1)
		require.ErrorIs(t, err, storage.ErrConflict, "a stale version")
		var ce *storage.ConflictError
		require.True(t, errors.As(err, &ce))
		require.Equal(t, "fp", ce.Key)
		_, err = s.PutAlert(ctx, alertState("other"), 3)
		require.ErrorIs(t, err, storage.ErrConflict, "a version for a state never stored")
		got, err := s.GetAlert(ctx, "fp")
		require.NoError(t, err)
		require.Equal(t, "resolved", got.State)
		require.Equal(t, int64(2), got.Version)
	}},
	{name: "Alerts/ListOrdered", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		for _, fp := range []string{"b", "a", "c"} {
			_, err := s.PutAlert(ctx, alertState(fp), 0)
			require.NoError(t, err)
		}
		got, err := s.ListAlerts(ctx)
		require.NoError(t, err)
		require.Len(t, got, 3)
		require.Equal(t, []string{"a", "b", "c"}, []string{got[0].Fingerprint, got[1].Fingerprint, got[2].Fingerprint})
	}},
}

// alertStates stores, in one tenant: two live instances, a live
// detector, and instances retired at 1 and 3 March.
func alertStates(t *testing.T, s storage.Store) {
	t.Helper()
	ctx := context.Background()
	det := alertState("detector/d")
	det.Kind, det.State = storage.AlertDetector, "watching"
	old, older := alertState("old"), alertState("older")
	old.State, old.Retired = "inactive", at("2026-03-03T00:00:00Z")
	older.State, older.Retired = "inactive", at("2026-03-01T00:00:00Z")
	for _, a := range []storage.AlertState{alertState("live2"), det, older, alertState("live1"), old} {
		_, err := s.PutAlert(ctx, a, 0)
		require.NoError(t, err, a.Fingerprint)
	}
}

func fingerprints(states []storage.AlertState) []string {
	out := []string{}
	for _, a := range states {
		out = append(out, a.Fingerprint)
	}
	return out
}

var alertLiveTests = []test{
	{name: "Alerts/KindAndRetiredRoundTrip", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		alertStates(t, s)
		det, err := s.GetAlert(ctx, "detector/d")
		require.NoError(t, err)
		require.Equal(t, storage.AlertDetector, det.Kind)
		requireTime(t, time.Time{}, det.Retired, "a live detector")
		old, err := s.GetAlert(ctx, "old")
		require.NoError(t, err)
		require.Equal(t, storage.AlertInstance, old.Kind, "the zero Kind is an instance")
		requireTime(t, at("2026-03-03T00:00:00Z"), old.Retired, "retired")
		// A retired state comes back live from its version.
		old.Retired, old.State = time.Time{}, "pending"
		v, err := s.PutAlert(ctx, old, old.Version)
		require.NoError(t, err)
		require.Equal(t, int64(2), v)
		old, err = s.GetAlert(ctx, "old")
		require.NoError(t, err)
		requireTime(t, time.Time{}, old.Retired, "live again")
		_, err = s.PutAlert(ctx, storage.AlertState{Fingerprint: "odd", Kind: 7}, 0)
		require.ErrorIs(t, err, storage.ErrInvalid, "an unknown kind")
		_, err = s.GetAlert(ctx, "odd")
		require.ErrorIs(t, err, storage.ErrNotFound)
	}},
	{name: "Alerts/ListLiveByKind", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		alertStates(t, s)
		got, err := s.ListLiveAlerts(ctx, storage.AlertInstance)
		require.NoError(t, err)
		require.Equal(t, []string{"live1", "live2"}, fingerprints(got), "live instances only, ordered")
		require.Equal(t, alertState("live1").Detector, got[0].Detector)
		got, err = s.ListLiveAlerts(ctx, storage.AlertDetector)
		require.NoError(t, err)
		require.Equal(t, []string{"detector/d"}, fingerprints(got))
		all, err := s.ListAlerts(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"detector/d", "live1", "live2", "old", "older"}, fingerprints(all), "ListAlerts lists every state")
		got, err = open("other").ListLiveAlerts(ctx, storage.AlertInstance)
		require.NoError(t, err)
		require.Empty(t, got, "another tenant's states")
	}},
	{name: "Alerts/PruneRetiredBeforeCutoff", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		alertStates(t, s)
		n, err := open("other").PruneAlerts(ctx, at("2027-01-01T00:00:00Z"))
		require.NoError(t, err)
		require.Zero(t, n, "another tenant prunes nothing here")
		n, err = s.PruneAlerts(ctx, at("2026-03-01T00:00:00Z"))
		require.NoError(t, err)
		require.Zero(t, n, "the cutoff is exclusive")
		n, err = s.PruneAlerts(ctx, at("2026-03-02T00:00:00Z"))
		require.NoError(t, err)
		require.Equal(t, 1, n)
		all, err := s.ListAlerts(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"detector/d", "live1", "live2", "old"}, fingerprints(all))
		// A rolled-back prune deletes nothing.
		boom := errors.New("boom")
		err = s.InTx(ctx, func(tx storage.Tx) error {
			n, err := tx.PruneAlerts(ctx, at("2030-01-01T00:00:00Z"))
			require.NoError(t, err)
			require.Equal(t, 1, n, "live states are never pruned")
			return boom
		})
		require.ErrorIs(t, err, boom)
		all, err = s.ListAlerts(ctx)
		require.NoError(t, err)
		require.Len(t, all, 4)
		n, err = s.PruneAlerts(ctx, at("2030-01-01T00:00:00Z"))
		require.NoError(t, err)
		require.Equal(t, 1, n)
		_, err = s.GetAlert(ctx, "old")
		require.ErrorIs(t, err, storage.ErrNotFound, "pruned rows are gone")
		_, err = s.PutAlert(ctx, alertState("old"), 0)
		require.NoError(t, err, "a pruned state starts over at version 1")
	}},
}

func note(key string, created string) storage.Notification {
	return storage.Notification{Key: key, Fingerprint: "fp", Payload: []byte(`{"k":"` + key + `"}`), CreatedAt: at(created)}
}

// enqueueOutOfOrder enqueues k3, k2, k1 and k0, in that order, created so
// that the outbox lists them as k2, k3, k1, k0.
func enqueueOutOfOrder(t *testing.T, s storage.Outbox) {
	t.Helper()
	for _, n := range []storage.Notification{
		note("k3", "2026-03-01T00:00:02Z"), note("k2", "2026-03-01T00:00:01Z"),
		note("k1", "2026-03-01T00:00:02Z"), note("k0", "2026-03-01T00:00:03Z"),
	} {
		require.NoError(t, s.Enqueue(context.Background(), n))
	}
}

var outboxTests = []test{
	{name: "Outbox/EnqueueIdempotentOrDuplicate", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		n := note("n1", "2026-03-01T00:00:00.0000001Z")
		n.DeliveredAt = at("2026-03-01T00:00:00Z") // ignored
		require.NoError(t, s.Enqueue(ctx, n))
		require.NoError(t, s.Enqueue(ctx, note("n1", "2026-03-01T00:00:00Z")), "the identical notification again is a no-op")
		other := note("n1", "2026-03-01T00:00:00Z")
		other.Payload = []byte("other")
		require.ErrorIs(t, s.Enqueue(ctx, other), storage.ErrDuplicate)
		got, err := s.ListUndelivered(ctx, 0)
		require.NoError(t, err)
		require.Len(t, got, 1)
		require.Equal(t, `{"k":"n1"}`, string(got[0].Payload))
		require.Equal(t, "fp", got[0].Fingerprint)
		requireTime(t, n.CreatedAt, got[0].CreatedAt, "created")
		requireTime(t, time.Time{}, got[0].DeliveredAt, "delivered")
	}},
	{name: "Outbox/UndeliveredInOrder", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		enqueueOutOfOrder(t, s) // k2, k3, k1, k0 by time, then enqueue order
		keys := func(limit int) []string {
			got, err := s.ListUndelivered(ctx, limit)
			require.NoError(t, err)
			out := []string{}
			for _, n := range got {
				out = append(out, n.Key)
			}
			return out
		}
		require.Equal(t, []string{"k2", "k3", "k1", "k0"}, keys(0), "by time, then enqueue order")
		require.Equal(t, []string{"k2", "k3"}, keys(2))
		require.NoError(t, s.MarkDelivered(ctx, "k3", at("2026-03-01T00:01:00Z")))
		require.Equal(t, []string{"k2", "k1", "k0"}, keys(-1))
	}},
	{name: "Outbox/SameTimeInEnqueueOrder", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		const created = "2026-03-01T00:00:00Z"
		// Keys in reverse order of enqueueing, as an alert's "…/firing" and
		// "…/escalated" would sort; Seq given on input is ignored.
		require.NoError(t, s.InTx(ctx, func(tx storage.Tx) error {
			for i, k := range []string{"c/firing", "b/escalated", "a/resolved"} {
				n := note(k, created)
				n.Seq = int64(100 - i)
				if err := tx.Enqueue(ctx, n); err != nil {
					return err
				}
			}
			return nil
		}))
		require.NoError(t, s.Enqueue(ctx, note("b/escalated", created)), "an identical re-enqueue keeps its place")
		got, err := s.ListUndelivered(ctx, 0)
		require.NoError(t, err)
		require.Len(t, got, 3)
		require.Equal(t, []string{"c/firing", "b/escalated", "a/resolved"}, []string{got[0].Key, got[1].Key, got[2].Key}, "enqueue order, not key order")
		require.Positive(t, got[0].Seq)
		require.Less(t, got[0].Seq, got[1].Seq)
		require.Less(t, got[1].Seq, got[2].Seq)
		require.NoError(t, s.Enqueue(ctx, note("0/later", created)))
		got, err = s.ListUndelivered(ctx, 0)
		require.NoError(t, err)
		require.Len(t, got, 4)
		require.Equal(t, "0/later", got[3].Key, "a later enqueue comes after, whatever its key")
		require.Less(t, got[2].Seq, got[3].Seq)
	}},
	{name: "Outbox/MarkDelivered", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.ErrorIs(t, s.MarkDelivered(ctx, "nope", at("2026-03-01T00:01:00Z")), storage.ErrNotFound)
		require.NoError(t, s.Enqueue(ctx, note("k", "2026-03-01T00:00:00Z")))
		require.NoError(t, s.MarkDelivered(ctx, "k", at("2026-03-01T00:01:00Z")))
		require.NoError(t, s.MarkDelivered(ctx, "k", at("2026-03-01T00:02:00Z")), "again: a no-op")
		got, err := s.ListUndelivered(ctx, 0)
		require.NoError(t, err)
		require.Empty(t, got)
		require.NoError(t, s.Enqueue(ctx, note("k", "2026-03-01T00:00:00Z")), "re-enqueuing a delivered one does not revive it")
		got, err = s.ListUndelivered(ctx, 0)
		require.NoError(t, err)
		require.Empty(t, got)
	}},
}
