package alert

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRecorderDeduplicatesByKey(t *testing.T) {
	var r Recorder
	ctx := context.Background()
	a := Notification{Key: "a", Kind: NotifyFiring, Labels: Labels{"unit": "rep-1"}}
	b := Notification{Key: "b", Kind: NotifyResolved}
	require.NoError(t, r.Notify(ctx, a))
	require.NoError(t, r.Notify(ctx, b))
	again := a
	again.Message = "a retry, perhaps computed later"
	require.NoError(t, r.Notify(ctx, again))
	require.Equal(t, []string{"a", "b"}, lcKeys(r.Notifications()))
	require.Equal(t, 1, r.Duplicates())
	require.Empty(t, r.Notifications()[0].Message, "the first delivery wins")

	// Copies in and out.
	a.Labels["unit"] = "changed"
	got := r.Notifications()
	require.Equal(t, "rep-1", got[0].Labels["unit"])
	got[0].Labels["unit"] = "changed"
	require.Equal(t, "rep-1", r.Notifications()[0].Labels["unit"])
}

func TestRecorderHonoursContext(t *testing.T) {
	var r Recorder
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := r.Notify(ctx, Notification{Key: "a"})
	require.ErrorIs(t, err, context.Canceled)
	require.Empty(t, r.Notifications())
	require.NoError(t, r.Notify(nil, Notification{Key: "a"}), "a nil context is tolerated")
}

func TestRecorderConcurrentUse(t *testing.T) {
	var r Recorder
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				// Every goroutine delivers the same 100 keys: each is recorded once.
				require.NoError(t, r.Notify(context.Background(), Notification{Key: fmt.Sprint(i), Reminder: g}))
				_ = r.Notifications()
			}
		}()
	}
	wg.Wait()
	require.Len(t, r.Notifications(), 100)
	require.Equal(t, 700, r.Duplicates())
}

func TestNotifierFunc(t *testing.T) {
	var got []string
	var n Notifier = NotifierFunc(func(_ context.Context, n Notification) error {
		got = append(got, n.Key)
		if n.Kind == NotifyEscalated {
			return errors.New("no manager on duty")
		}
		return nil
	})
	require.NoError(t, n.Notify(context.Background(), Notification{Key: "k1", Kind: NotifyFiring}))
	require.EqualError(t, n.Notify(context.Background(), Notification{Key: "k2", Kind: NotifyEscalated}), "no manager on duty")
	require.Equal(t, []string{"k1", "k2"}, got)
}

func TestNotificationKey(t *testing.T) {
	at := lcT0.In(lcZone)
	require.Equal(t, "fp/reminder/2026-01-05T09:00:00Z/3", NotificationKey("fp", NotifyReminder, at, 3),
		"the episode start is written in UTC, so the zone of the evaluation time never changes a key")
	require.Equal(t, "fp/firing/2026-01-05T09:00:00.000000001Z/0", NotificationKey("fp", NotifyFiring, lcT0.Add(1), 0))
}
