package storagetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
)

// claimKeys claims for owner at now with a one-minute lease and returns the
// keys it got.
func claimKeys(t *testing.T, s storage.Outbox, owner string, now time.Time, limit int) []string {
	t.Helper()
	got, err := s.ClaimUndelivered(context.Background(), owner, now, time.Minute, limit)
	require.NoError(t, err)
	out := []string{}
	for _, n := range got {
		out = append(out, n.Key)
	}
	return out
}

var claimTests = []test{
	{name: "Claim/InOrderWithLimit", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		enqueueOutOfOrder(t, s) // k2, k3, k1, k0 by time, then enqueue order
		now := at("2026-03-01T01:00:00Z")
		require.Equal(t, []string{"k2", "k3"}, claimKeys(t, s, "a", now, 2), "by time, then enqueue order")
		require.Equal(t, []string{"k1", "k0"}, claimKeys(t, s, "b", now, 0), "what a holds is skipped")
		got, err := s.ClaimUndelivered(ctx, "c", now, time.Minute, 0)
		require.NoError(t, err)
		require.Empty(t, got)
		all, err := s.ListUndelivered(ctx, 0)
		require.NoError(t, err)
		require.Len(t, all, 4, "claimed is not delivered")
	}},
	{name: "Claim/LeaseExpiresAndOwnerResumes", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.Enqueue(ctx, note("k1", "2026-03-01T00:00:00Z")))
		require.NoError(t, s.Enqueue(ctx, note("k2", "2026-03-01T00:00:01Z")))
		now := at("2026-03-01T01:00:00Z")
		require.Equal(t, []string{"k1", "k2"}, claimKeys(t, s, "a", now, 0))
		require.Equal(t, []string{"k1", "k2"}, claimKeys(t, s, "a", now.Add(30*time.Second), 0), "the owner gets its own claims back")
		require.Empty(t, claimKeys(t, s, "b", now.Add(89*time.Second), 0), "the renewed lease runs 60 s from the renewal")
		require.NoError(t, s.MarkDelivered(ctx, "k1", now.Add(time.Minute)))
		require.Equal(t, []string{"k2"}, claimKeys(t, s, "b", now.Add(90*time.Second), 0), "an expired claim goes to anyone; a delivered one never")
		require.Empty(t, claimKeys(t, s, "a", now.Add(91*time.Second), 0), "a lost claim is lost")
	}},
	{name: "Claim/InvalidArguments", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		now := at("2026-03-01T01:00:00Z")
		_, err := s.ClaimUndelivered(ctx, "", now, time.Minute, 0)
		require.ErrorIs(t, err, storage.ErrInvalid)
		_, err = s.ClaimUndelivered(ctx, "a", now, 0, 0)
		require.ErrorIs(t, err, storage.ErrInvalid)
		_, err = s.ClaimUndelivered(ctx, "a", time.Time{}, time.Minute, 0)
		require.ErrorIs(t, err, storage.ErrInvalid)
	}},
	{name: "Claim/RolledBackClaimIsNotKept", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.Enqueue(ctx, note("k1", "2026-03-01T00:00:00Z")))
		now := at("2026-03-01T01:00:00Z")
		err := s.InTx(ctx, func(tx storage.Tx) error {
			require.Equal(t, []string{"k1"}, claimKeys(t, tx, "a", now, 0))
			return errBoom
		})
		require.ErrorIs(t, err, errBoom)
		require.Equal(t, []string{"k1"}, claimKeys(t, s, "b", now, 0))
	}},
	{name: "Claim/TenantsApart", run: func(t *testing.T, open Opener) {
		ctx, a, b := context.Background(), open("acme"), open("globex")
		require.NoError(t, a.Enqueue(ctx, note("k1", "2026-03-01T00:00:00Z")))
		require.NoError(t, b.Enqueue(ctx, note("k1", "2026-03-01T00:00:00Z")))
		now := at("2026-03-01T01:00:00Z")
		require.Equal(t, []string{"k1"}, claimKeys(t, a, "x", now, 0))
		require.Equal(t, []string{"k1"}, claimKeys(t, b, "y", now, 0), "a claim in one tenant holds nothing of another")
	}},
	{name: "Race/ClaimsEachKeyOnce", need: concurrent, run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		const notes, workers = 30, 3
		for i := range notes {
			require.NoError(t, s.Enqueue(ctx, note(fmt.Sprintf("k%02d", i), "2026-03-01T00:00:00Z")))
		}
		now := at("2026-03-01T01:00:00Z")
		var mu sync.Mutex
		handed := map[string]int{}
		runWorkers(t, workers, func(w int) error {
			for {
				got, err := s.ClaimUndelivered(ctx, fmt.Sprint("owner", w), now, time.Hour, 4)
				if err != nil || len(got) == 0 {
					return err
				}
				for _, n := range got {
					mu.Lock()
					handed[n.Key]++
					mu.Unlock()
					if err := s.MarkDelivered(ctx, n.Key, now); err != nil {
						return err
					}
				}
			}
		})
		require.Len(t, handed, notes, "every notification was claimed")
		for k, n := range handed {
			require.Equalf(t, 1, n, "%s was handed out %d times", k, n)
		}
	}},
}
