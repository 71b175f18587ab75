package storagetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
)

// inBatch runs fn with the store's transaction as a storage.AlertBatch,
// and skips the case when the store's transactions do not have one (the
// interface is optional).
func inBatch(t *testing.T, s storage.Store, fn func(b storage.AlertBatch) error) error {
	t.Helper()
	return s.InTx(context.Background(), func(tx storage.Tx) error {
		b, ok := tx.(storage.AlertBatch)
		if !ok {
			t.Skip("the store's transactions do not implement storage.AlertBatch")
		}
		return fn(b)
	})
}

var alertBatchTests = []test{
	{name: "AlertBatch/AsTheSingleCalls", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		alertStates(t, s) // live1, live2, detector/d; old and older retired
		live1, old := alertState("live1"), alertState("old")
		live1.State, live1.Labels, live1.Detector = "resolved", map[string]string{"unit": "t2"}, nil
		live1.ResolvedAt = at("2026-03-04T00:00:00Z")
		old.State, old.Kind = "pending", storage.AlertDetector // back, live
		fresh := storage.AlertState{Fingerprint: "fresh"}
		require.NoError(t, inBatch(t, s, func(b storage.AlertBatch) error {
			vs, err := b.AlertVersions(ctx, []string{"live1", "old", "nope"})
			require.NoError(t, err)
			require.Equal(t, map[string]int64{"live1": 1, "old": 1}, vs, "live or retired; none for a state never stored")
			return b.PutAlerts(ctx, []storage.AlertPut{{State: live1, Expected: 1}, {State: old, Expected: 1}, {State: fresh}})
		}))
		for _, want := range []struct {
			a storage.AlertState
			v int64
		}{{live1, 2}, {old, 2}, {fresh, 1}} {
			got, err := s.GetAlert(ctx, want.a.Fingerprint)
			require.NoError(t, err)
			require.Equal(t, want.v, got.Version, want.a.Fingerprint)
			require.Equal(t, want.a.Kind, got.Kind, want.a.Fingerprint)
			require.Equal(t, want.a.State, got.State, want.a.Fingerprint)
			require.Equal(t, len(want.a.Labels), len(got.Labels), want.a.Fingerprint)
			require.Equal(t, want.a.Detector, got.Detector, want.a.Fingerprint)
			requireTime(t, want.a.Since, got.Since, want.a.Fingerprint+" since")
			requireTime(t, want.a.ResolvedAt, got.ResolvedAt, want.a.Fingerprint+" resolved")
			requireTime(t, time.Time{}, got.Retired, want.a.Fingerprint+" retired")
		}
		live, err := s.ListLiveAlerts(ctx, storage.AlertInstance)
		require.NoError(t, err)
		require.Equal(t, []string{"fresh", "live1", "live2"}, fingerprints(live))
	}},
	{name: "AlertBatch/ConflictsAndDuplicates", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		alertStates(t, s)
		for name, c := range map[string]struct {
			puts []storage.AlertPut
			key  string
			want error
		}{
			"a stale version":         {[]storage.AlertPut{{State: alertState("new")}, {State: alertState("live2"), Expected: 5}}, "live2", storage.ErrConflict},
			"a new state that exists": {[]storage.AlertPut{{State: alertState("new")}, {State: alertState("old")}}, "old", storage.ErrConflict},
			"a version, never stored": {[]storage.AlertPut{{State: alertState("new")}, {State: alertState("ghost"), Expected: 3}}, "ghost", storage.ErrConflict},
			"a fingerprint twice":     {[]storage.AlertPut{{State: alertState("new")}, {State: alertState("new")}}, "", storage.ErrInvalid},
			"an invalid state":        {[]storage.AlertPut{{State: alertState("new")}, {State: storage.AlertState{}}}, "", storage.ErrInvalid},
			"a negative version":      {[]storage.AlertPut{{State: alertState("new"), Expected: -1}}, "", storage.ErrInvalid},
		} {
			err := inBatch(t, s, func(b storage.AlertBatch) error { return b.PutAlerts(ctx, c.puts) })
			require.ErrorIs(t, err, c.want, name)
			if c.key != "" {
				var ce *storage.ConflictError
				require.True(t, errors.As(err, &ce), name)
				require.Equal(t, c.key, ce.Key, name)
			}
			_, err = s.GetAlert(ctx, "new")
			require.ErrorIs(t, err, storage.ErrNotFound, "%s: nothing is kept", name)
		}
	}},
	{name: "AlertBatch/EnqueueAllAsEnqueue", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.Enqueue(ctx, note("k1", "2026-03-01T00:00:02Z")))
		batch := []storage.Notification{note("k3", "2026-03-01T00:00:02Z"), note("k2", "2026-03-01T00:00:01Z"),
			note("k1", "2026-03-01T00:00:02Z"), note("k0", "2026-03-01T00:00:03Z"), note("k3", "2026-03-01T00:00:02Z")}
		require.NoError(t, inBatch(t, s, func(b storage.AlertBatch) error { return b.EnqueueAll(ctx, batch) }),
			"k1 enqueued before and k3 twice, identical: no-ops")
		got, err := s.ListUndelivered(ctx, 0)
		require.NoError(t, err)
		keys := []string{}
		for _, n := range got {
			keys = append(keys, n.Key)
		}
		require.Equal(t, []string{"k2", "k1", "k3", "k0"}, keys, "by time, then enqueue order (k1 first, enqueued before)")

		other := note("k5", "2026-03-01T00:00:00Z")
		other.Payload = []byte("other")
		err = inBatch(t, s, func(b storage.AlertBatch) error {
			return b.EnqueueAll(ctx, []storage.Notification{note("k4", "2026-03-01T00:00:00Z"), note("k5", "2026-03-01T00:00:00Z"), other})
		})
		require.ErrorIs(t, err, storage.ErrDuplicate, "a key twice with other content")
		got, err = s.ListUndelivered(ctx, 0)
		require.NoError(t, err)
		require.Len(t, got, 4, "the failed batch keeps nothing")
	}},
	{name: "AlertBatch/Many", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		const n = 2500 // several statements' worth on a SQL store
		puts := make([]storage.AlertPut, n)
		notes := make([]storage.Notification, n)
		fps := make([]string, n)
		for i := range n {
			fps[i] = fmt.Sprintf("fp%04d", n-i)
			puts[i] = storage.AlertPut{State: alertState(fps[i])}
			notes[i] = note(fmt.Sprintf("note%04d", n-i), "2026-03-01T00:00:00Z")
		}
		require.NoError(t, inBatch(t, s, func(b storage.AlertBatch) error {
			if err := b.PutAlerts(ctx, puts); err != nil {
				return err
			}
			return b.EnqueueAll(ctx, notes)
		}))
		for i := range puts {
			puts[i].Expected = 1
		}
		require.NoError(t, inBatch(t, s, func(b storage.AlertBatch) error {
			vs, err := b.AlertVersions(ctx, fps)
			require.NoError(t, err)
			require.Len(t, vs, n)
			return b.PutAlerts(ctx, puts)
		}))
		all, err := s.ListAlerts(ctx)
		require.NoError(t, err)
		require.Len(t, all, n)
		for _, a := range all {
			require.Equal(t, int64(2), a.Version, a.Fingerprint)
		}
		got, err := s.ListUndelivered(ctx, 0)
		require.NoError(t, err)
		require.Len(t, got, n)
		for i, g := range got {
			require.Equal(t, notes[i].Key, g.Key, "the order given")
		}
	}},
}
