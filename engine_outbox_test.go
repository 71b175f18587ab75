package goalkit_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
)

// threeAlerts makes li, wang and zhao each fall behind their own March
// calls plan and evaluates on 5 March: three firing notifications wait in
// the outbox. Each rep has a plan of his own, so no team alert inhibits
// them.
func threeAlerts(t *testing.T, f *fixture) []alert.Notification {
	t.Helper()
	for _, rep := range []string{"li", "wang", "zhao"} {
		f.callsPlan(t, "calls-"+rep, rep, 220)
	}
	ev, err := f.engine.Evaluate(f.ctx, day("2026-03-05"))
	require.NoError(t, err)
	require.Len(t, ev.Notifications, 3)
	require.Len(t, undelivered(t, f), 3)
	return ev.Notifications
}

// engineOn makes another engine on the fixture's store (as a new process
// would) with the given notifier and the fixture's rules.
func engineOn(t *testing.T, f *fixture, store storage.Store, n alert.Notifier) *goalkit.Engine {
	t.Helper()
	e, err := goalkit.New(f.ctx, store, &goalkit.Config{
		Metrics: []goal.Metric{revenue, calls}, Calendar: f.cal, Now: f.clock.Now,
		Notifier: n, Rules: goalkit.Rules{Pace: callsPace},
	})
	require.NoError(t, err)
	return e
}

func withPace(c *goalkit.Config) { c.Rules.Pace = callsPace }

// TestOutboxSurvivesACrashBeforeDeliver evaluates with an engine that has
// no notifier and "crashes"; a new engine on the same store delivers every
// pending notification exactly once.
func TestOutboxSurvivesACrashBeforeDeliver(t *testing.T) {
	f := newFixture(t, nil, withPace)
	want := threeAlerts(t, f)
	// The first process is gone; its notifications are not.
	f.engine = nil

	rec := &alert.Recorder{}
	restarted := engineOn(t, f, f.store, rec)
	n, err := restarted.Deliver(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 3, n)
	require.ElementsMatch(t, keysOf(want), keysOf(rec.Notifications()))
	for i, got := range rec.Notifications() {
		require.Equal(t, alert.NotifyFiring, got.Kind)
		require.Equal(t, got.Unit, got.Recipient)
		require.NotEmpty(t, got.Message, "notification %d survives the outbox whole", i)
	}
	require.Empty(t, undelivered(t, f))

	n, err = restarted.Deliver(f.ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Len(t, rec.Notifications(), 3)
	require.Zero(t, rec.Duplicates())
}

// flakyNotifier records into a Recorder but fails the calls whose numbers
// (1-based, over its lifetime) are listed.
type flakyNotifier struct {
	rec   *alert.Recorder
	mu    sync.Mutex
	calls int
	fail  map[int]bool
}

func (n *flakyNotifier) Notify(ctx context.Context, note alert.Notification) error {
	n.mu.Lock()
	n.calls++
	fail := n.fail[n.calls]
	n.mu.Unlock()
	if fail {
		return errors.New("chat service unavailable")
	}
	return n.rec.Notify(ctx, note)
}

// TestDeliverStopsAtTheFirstNotifierError fails the second notification:
// Deliver reports one delivered and the error; the next Deliver sends the
// other two, and nothing twice.
func TestDeliverStopsAtTheFirstNotifierError(t *testing.T) {
	f := newFixture(t, nil, withPace)
	want := threeAlerts(t, f)
	pending := storedKeys(undelivered(t, f))

	rec := &alert.Recorder{}
	notifier := &flakyNotifier{rec: rec, fail: map[int]bool{2: true}}
	e := engineOn(t, f, f.store, notifier)

	n, err := e.Deliver(f.ctx)
	require.ErrorContains(t, err, "chat service unavailable")
	require.Contains(t, err.Error(), pending[1], "the error names the notification")
	require.Equal(t, 1, n)
	require.Equal(t, pending[:1], keysOf(rec.Notifications()))
	require.Equal(t, pending[1:], storedKeys(undelivered(t, f)))

	n, err = e.Deliver(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.Equal(t, pending, keysOf(rec.Notifications()), "oldest first, each once")
	require.ElementsMatch(t, keysOf(want), keysOf(rec.Notifications()))
	require.Zero(t, rec.Duplicates())
	require.Equal(t, 4, notifier.calls)
	require.Empty(t, undelivered(t, f))
}

// flakyMarks is a store whose MarkDelivered fails the first `fails` times,
// as a crash between Notify and the mark would leave things.
type flakyMarks struct {
	storage.Store
	mu    sync.Mutex
	fails int
	marks []string
}

func (s *flakyMarks) MarkDelivered(ctx context.Context, key string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fails > 0 {
		s.fails--
		return errors.New("connection reset")
	}
	s.marks = append(s.marks, key)
	return s.Store.MarkDelivered(ctx, key, at)
}

// TestDeliverIsExactlyOnceForAnIdempotentHost loses the mark of the first
// delivered notification: the next Deliver sends it again with the same
// Key and the Recorder drops the duplicate, so the host sees each once.
func TestDeliverIsExactlyOnceForAnIdempotentHost(t *testing.T) {
	f := newFixture(t, nil, withPace)
	threeAlerts(t, f)
	pending := storedKeys(undelivered(t, f))

	rec := &alert.Recorder{}
	store := &flakyMarks{Store: f.store, fails: 1}
	e := engineOn(t, f, store, rec)

	n, err := e.Deliver(f.ctx)
	require.ErrorContains(t, err, "connection reset")
	require.Contains(t, err.Error(), "mark delivered")
	require.Zero(t, n)
	require.Equal(t, pending[:1], keysOf(rec.Notifications()), "notified, but not marked")
	require.Equal(t, pending, storedKeys(undelivered(t, f)))

	n, err = e.Deliver(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 3, n)
	require.Equal(t, pending, keysOf(rec.Notifications()))
	require.Equal(t, 1, rec.Duplicates(), "the re-sent notification carries the same key")
	require.Equal(t, pending, store.marks)
	require.Empty(t, undelivered(t, f))
}
