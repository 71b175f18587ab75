package goalkit_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/stretchr/testify/require"
)

// enqueueNotes puts n notifications straight into store's outbox, as
// evaluations would have.
func enqueueNotes(t testing.TB, store storage.Store, n int, created time.Time) {
	t.Helper()
	for i := range n {
		note := alert.Notification{Key: fmt.Sprintf("n%02d", i), Fingerprint: fmt.Sprint("fp", i), Kind: alert.NotifyFiring, Unit: "li"}
		payload, err := json.Marshal(note)
		require.NoError(t, err)
		require.NoError(t, store.Enqueue(context.Background(), storage.Notification{Key: note.Key, Fingerprint: note.Fingerprint, Payload: payload, CreatedAt: created}))
	}
}

// deliverer is an engine on store that only delivers, with clock as its Now.
func deliverer(t testing.TB, store storage.Store, n alert.Notifier, clock func() time.Time) *goalkit.Engine {
	t.Helper()
	e, err := goalkit.New(context.Background(), store, &goalkit.Config{Metrics: []goal.Metric{revenue}, Notifier: n, Now: clock})
	require.NoError(t, err)
	return e
}

// concurrentDelivery runs three engines' Deliver at once over 30 queued
// notifications: each is sent once, and the counts add up.
func concurrentDelivery(t *testing.T, store storage.Store) {
	const notes, engines = 30, 3
	enqueueNotes(t, store, notes, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	rec := &alert.Recorder{}
	clock := func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	var wg sync.WaitGroup
	sent := make([]int, engines)
	errs := make([]error, engines)
	for i := range engines {
		e := deliverer(t, store, rec, clock)
		wg.Add(1)
		go func() {
			defer wg.Done()
			sent[i], errs[i] = e.Deliver(context.Background())
		}()
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	require.Zero(t, rec.Duplicates(), "no notification is sent by two engines")
	require.Len(t, rec.Notifications(), notes)
	require.Equal(t, notes, sent[0]+sent[1]+sent[2])
	left, err := store.ListUndelivered(context.Background(), 0)
	require.NoError(t, err)
	require.Empty(t, left)
}

func TestConcurrentDeliverySendsEachOnce(t *testing.T) { onEveryStore(t, concurrentDelivery) }

// crashingNotifier fails every call, as a deliverer that dies after
// claiming would leave its notifications: claimed, not delivered.
type crashingNotifier struct{}

func (crashingNotifier) Notify(context.Context, alert.Notification) error {
	return errors.New("process killed")
}

// TestDeliveryAfterACrashWaitsForTheLease: the notifications a crashed
// deliverer claimed are sent by another engine once the lease has expired,
// not before; at least once, never lost.
func TestDeliveryAfterACrashWaitsForTheLease(t *testing.T) {
	s, err := memory.New(memory.Config{Tenant: "acme"})
	require.NoError(t, err)
	enqueueNotes(t, s, 3, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	clock := &testClock{day: day("2026-03-01")}

	crashed, err := goalkit.New(context.Background(), s, &goalkit.Config{Metrics: []goal.Metric{revenue}, Notifier: crashingNotifier{},
		Now: clock.Now, DeliveryLease: time.Hour})
	require.NoError(t, err)
	n, err := crashed.Deliver(context.Background())
	require.ErrorContains(t, err, "process killed")
	require.Zero(t, n)

	rec := &alert.Recorder{}
	other := deliverer(t, s, rec, clock.Now)
	n, err = other.Deliver(context.Background())
	require.NoError(t, err)
	require.Zero(t, n, "the crashed engine's claims hold until its lease expires")

	clock.Set(day("2026-03-02")) // a day later: the hour's lease is over
	n, err = other.Deliver(context.Background())
	require.NoError(t, err)
	require.Equal(t, 3, n)
	require.Len(t, rec.Notifications(), 3)
	require.Zero(t, rec.Duplicates())
}

func TestDeliveryLeaseIsValidated(t *testing.T) {
	s, err := memory.New(memory.Config{Tenant: "acme"})
	require.NoError(t, err)
	_, err = goalkit.New(context.Background(), s, &goalkit.Config{Metrics: []goal.Metric{revenue}, DeliveryLease: -time.Second})
	require.ErrorIs(t, err, goalkit.ErrInvalid)
}
