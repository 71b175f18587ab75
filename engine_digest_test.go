package goalkit_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

// digestFixture is north's March calls plan (north, li and wang) with one
// call by li, evaluated with digests: north's pace alert fires and covers
// its reps' own.
func digestFixture(t *testing.T, store storage.Store, notifier alert.Notifier, grouping *alert.Grouping) *fixture {
	t.Helper()
	f := newFixture(t, store, func(c *goalkit.Config) {
		c.Notifier = notifier
		c.Rules.Pace = callsPace
		c.Grouping = grouping
		c.Messages = &goalkit.Messages{Languages: map[string]language.Tag{"wang": language.MustParse("zh-CN")}}
	})
	f.callsPlan(t, "north-calls", "north", 440)
	f.ingest(t, call("li-0302", "li", "2026-03-02", 1))
	return f
}

// TestDigestsThroughTheEngine: one digest per recipient per evaluation, in
// the outbox with the alert states; the reps muted by their team's alert
// are told so, each in his language; an evaluation with no news sends none.
// On every store: a digest is an outbox row like a notification.
func TestDigestsThroughTheEngine(t *testing.T) { onEveryStore(t, digestsThroughTheEngine) }

func digestsThroughTheEngine(t *testing.T, store storage.Store) {
	rec := &alert.DigestRecorder{}
	f := digestFixture(t, store, rec, &alert.Grouping{})
	ev, err := f.engine.Evaluate(f.ctx, day("2026-03-16"))
	require.NoError(t, err)
	require.Len(t, ev.Notifications, 1, "north's alert; its reps' are inhibited")
	require.Len(t, ev.Digests, 3)
	var queued []string
	for _, n := range undelivered(t, f) {
		queued = append(queued, n.Key)
	}
	require.Equal(t, []string{ev.Digests[0].Key, ev.Digests[1].Key, ev.Digests[2].Key}, queued, "the outbox holds the digests")

	sent, err := f.engine.Deliver(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 3, sent)
	ds := rec.Digests()
	require.Len(t, ds, 3)
	require.Empty(t, rec.Notifications(), "a DigestNotifier gets digests only")
	byRecipient := map[string]alert.Digest{}
	for _, d := range ds {
		byRecipient[d.Recipient] = d
	}
	north := byRecipient["north"]
	require.Len(t, north.Fired, 1)
	require.Equal(t, ev.Notifications[0].Key, north.Fired[0].Key, "each alert inside with its stable key")
	require.Equal(t, "north, alerts of 2026-03-16 · 1 new\n- "+north.Fired[0].Summary, north.Summary)
	require.Contains(t, north.Fired[0].Summary, "north Calls 2026-03: behind plan by")

	li := byRecipient["li"]
	require.Len(t, li.Covered, 1)
	require.Equal(t, "north", li.Covered[0].By)
	require.Equal(t, "en", li.Language)
	require.True(t, strings.HasPrefix(li.Summary, "li, alerts of 2026-03-16 · 1 covered by your team's alert\n- li Calls 2026-03: your team's alert covers this (north); you are behind plan by"), li.Summary)

	goalkittest.RequireTold(t, rec, alert.RulePace, "wang")
	wang := byRecipient["wang"]
	require.Equal(t, "zh-CN", wang.Language)
	require.Contains(t, wang.Summary, "wang Calls 2026-03：你所在团队的预警已涵盖此项（north）；你落后计划")

	// The next day nothing changed: no digest.
	ev, err = f.engine.Evaluate(f.ctx, day("2026-03-17"))
	require.NoError(t, err)
	require.Empty(t, ev.Digests)
	require.Empty(t, undelivered(t, f))

	// March is over: north's digest says it missed, not that it cleared.
	ev, err = f.engine.Evaluate(f.ctx, day("2026-04-01"))
	require.NoError(t, err)
	require.Len(t, ev.Digests, 1)
	_, err = f.engine.Deliver(f.ctx)
	require.NoError(t, err)
	end := rec.Digests()[3]
	require.Equal(t, "north", end.Recipient)
	require.Len(t, end.Cleared, 1)
	require.True(t, strings.HasPrefix(end.Summary, "north, alerts of 2026-04-01 · 1 missed\n- north Calls 2026-03: missed by"), end.Summary)
}

// TestDigestsToAPlainNotifier: a Notifier that takes no digests gets the
// notifications a digest carries, one by one, as without grouping.
func TestDigestsToAPlainNotifier(t *testing.T) {
	grouped, plain := &alert.Recorder{}, &alert.Recorder{}
	for notifier, grouping := range map[*alert.Recorder]*alert.Grouping{grouped: {}, plain: nil} {
		f := digestFixture(t, nil, notifier, grouping)
		_, err := f.engine.Evaluate(f.ctx, day("2026-03-16"))
		require.NoError(t, err)
		_, err = f.engine.Deliver(f.ctx)
		require.NoError(t, err)
	}
	require.Equal(t, keysOf(plain.Notifications()), keysOf(grouped.Notifications()))
	require.Len(t, grouped.Notifications(), 1)
	require.NotEmpty(t, grouped.Notifications()[0].Summary, "worded")
}

func TestGroupingRejected(t *testing.T) {
	_, err := goalkit.New(t.Context(), mustMemory(t), &goalkit.Config{Metrics: []goal.Metric{calls}, Grouping: &alert.Grouping{By: []string{"no such"}}})
	require.ErrorIs(t, err, goalkit.ErrInvalid)
	require.ErrorIs(t, err, alert.ErrInvalid)
	require.ErrorContains(t, err, "Grouping.By")
}

// flakyDigests fails its first NotifyDigest, then records.
type flakyDigests struct {
	alert.DigestRecorder
	failed bool
}

func (f *flakyDigests) NotifyDigest(ctx context.Context, d alert.Digest) error {
	if !f.failed {
		f.failed = true
		return errors.New("chat server down")
	}
	return f.DigestRecorder.NotifyDigest(ctx, d)
}

// TestDigestRetried: a digest the Notifier refused stays in the outbox and
// goes out, with the same key, at the next Deliver.
func TestDigestRetried(t *testing.T) {
	rec := &flakyDigests{}
	f := digestFixture(t, nil, rec, &alert.Grouping{})
	ev, err := f.engine.Evaluate(f.ctx, day("2026-03-16"))
	require.NoError(t, err)
	sent, err := f.engine.Deliver(f.ctx)
	require.ErrorContains(t, err, "chat server down")
	require.ErrorContains(t, err, ev.Digests[0].Key)
	require.Zero(t, sent)
	sent, err = f.engine.Deliver(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 3, sent)
	require.Equal(t, ev.Digests[0].Key, rec.Digests()[0].Key)
	require.Zero(t, rec.DigestDuplicates())
}
