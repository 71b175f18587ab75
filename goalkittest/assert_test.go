package goalkittest_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/stretchr/testify/require"
)

// fakeTB records failures; FailNow ends the goroutine as testing.T's does.
type fakeTB struct {
	testing.TB
	failed bool
	msg    string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	f.FailNow()
}
func (f *fakeTB) FailNow() {
	f.failed = true
	runtime.Goexit()
}

// run calls check with a fakeTB in its own goroutine and returns it.
func run(check func(testing.TB)) *fakeTB {
	f := &fakeTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(f)
	}()
	<-done
	return f
}

func recorded(t *testing.T, ns ...alert.Notification) *alert.Recorder {
	rec := &alert.Recorder{}
	for _, n := range ns {
		require.NoError(t, rec.Notify(context.Background(), n))
	}
	return rec
}

func TestRequireFired(t *testing.T) {
	liPace := alert.Notification{Key: "k1", Kind: alert.NotifyFiring, Rule: alert.RulePace, Unit: "li"}
	wangResolved := alert.Notification{Key: "k2", Kind: alert.NotifyResolved, Rule: alert.RulePace, Unit: "wang"}
	rec := recorded(t, liPace, wangResolved)

	var got alert.Notification
	f := run(func(tb testing.TB) { got = goalkittest.RequireFired(tb, rec, alert.RulePace, "li") })
	require.False(t, f.failed, f.msg)
	require.Equal(t, "k1", got.Key)

	f = run(func(tb testing.TB) { goalkittest.RequireFired(tb, rec, alert.RulePace, "wang") })
	require.True(t, f.failed, "a resolved notification is not a firing one")
	require.Contains(t, f.msg, `rule "pace" about unit "wang"`)
	require.Contains(t, f.msg, "resolved pace wang", "the message lists what was recorded")

	f = run(func(tb testing.TB) { goalkittest.RequireFired(tb, rec, alert.RuleProjectedMiss, "li") })
	require.True(t, f.failed, "another rule")

	f = run(func(tb testing.TB) { goalkittest.RequireNotFired(tb, rec, alert.RulePace, "wang") })
	require.False(t, f.failed, f.msg)
	f = run(func(tb testing.TB) { goalkittest.RequireNotFired(tb, rec, alert.RulePace, "li") })
	require.True(t, f.failed)
	require.Contains(t, f.msg, "k1")
}

func TestRequireNoDuplicates(t *testing.T) {
	n := alert.Notification{Key: "k1", Kind: alert.NotifyFiring, Rule: alert.RulePace, Unit: "li"}
	rec := recorded(t, n)
	f := run(func(tb testing.TB) { goalkittest.RequireNoDuplicates(tb, rec) })
	require.False(t, f.failed, f.msg)

	require.NoError(t, rec.Notify(context.Background(), n))
	f = run(func(tb testing.TB) { goalkittest.RequireNoDuplicates(tb, rec) })
	require.True(t, f.failed)
	require.Contains(t, f.msg, "1 notification(s)")
}

func TestRequireTold(t *testing.T) {
	rec := &alert.DigestRecorder{}
	covered := alert.Notification{Key: "k1", Kind: alert.NotifyFiring, Rule: alert.RulePace, Unit: "wang", Recipient: "wang"}
	north := alert.Notification{Key: "k2", Kind: alert.NotifyFiring, Rule: alert.RulePace, Unit: "north", Recipient: "north"}
	require.NoError(t, rec.NotifyDigest(context.Background(), alert.Digest{Key: "d1", Recipient: "wang", Covered: []alert.Covered{{Notification: covered, By: "north"}}}))
	require.NoError(t, rec.NotifyDigest(context.Background(), alert.Digest{Key: "d2", Recipient: "north", Fired: []alert.Notification{north}}))

	var got alert.Digest
	f := run(func(tb testing.TB) { got = goalkittest.RequireTold(tb, rec, alert.RulePace, "wang") })
	require.False(t, f.failed, f.msg)
	require.Equal(t, "d1", got.Key)
	f = run(func(tb testing.TB) { goalkittest.RequireTold(tb, rec, alert.RulePace, "north") })
	require.False(t, f.failed, f.msg)

	f = run(func(tb testing.TB) { goalkittest.RequireTold(tb, rec, alert.RuleProjectedMiss, "wang") })
	require.True(t, f.failed)
	require.Contains(t, f.msg, `no digest to unit "wang" tells of its "projected_miss" alert among the 2 recorded (to: wang, north)`)
	f = run(func(tb testing.TB) { goalkittest.RequireTold(tb, rec, alert.RulePace, "li") })
	require.True(t, f.failed)
}
