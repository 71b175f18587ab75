package goalkit_test

import (
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/messages"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

// delivered returns what the recorder received for unit, by kind.
func delivered(r *alert.Recorder, unit string) map[alert.NotificationKind]alert.Notification {
	out := map[alert.NotificationKind]alert.Notification{}
	for _, n := range r.Notifications() {
		if n.Unit == unit && n.Recipient == unit {
			out[n.Kind] = n
		}
	}
	return out
}

// TestDeliverWordsEachRecipientInItsLanguage: li reads Chinese, wang the
// default English; both are told in plain words how far behind they are and
// what each working day left must bring, the statistics kept as details,
// and when March ends, that they missed it and by how much.
func TestDeliverWordsEachRecipientInItsLanguage(t *testing.T) {
	recorder := &alert.Recorder{}
	f := newFixture(t, nil, func(c *goalkit.Config) {
		c.Rules.Pace = callsPace
		c.Notifier = recorder
		c.Messages = &goalkit.Messages{Languages: map[string]language.Tag{"li": language.MustParse("zh-CN")}}
	})
	f.callsPlan(t, "li", "li", 220) // no team goal, whose alert would inhibit the reps'
	f.callsPlan(t, "wang", "wang", 220)
	_, err := f.engine.Evaluate(f.ctx, day("2026-03-20"))
	require.NoError(t, err)
	_, err = f.engine.Deliver(f.ctx)
	require.NoError(t, err)
	li, wang := delivered(recorder, "li")[alert.NotifyFiring], delivered(recorder, "wang")[alert.NotifyFiring]
	require.Equal(t, "zh-CN", li.Language)
	require.Equal(t, "li Calls 2026-03：落后计划 150；剩余每个工作日需完成 32 才能追上", li.Summary)
	require.Equal(t, "en", wang.Language)
	require.Equal(t, "wang Calls 2026-03: behind plan by 150; needs 32 a working day to catch up", wang.Summary)
	require.Contains(t, wang.Message, "z = ", "the statistics stay as details")

	_, err = f.engine.Evaluate(f.ctx, day("2026-04-02"))
	require.NoError(t, err)
	_, err = f.engine.Deliver(f.ctx)
	require.NoError(t, err)
	li, wang = delivered(recorder, "li")[alert.NotifyResolved], delivered(recorder, "wang")[alert.NotifyResolved]
	require.Equal(t, "li Calls 2026-03：未达成，差 220，完成 0 / 220（0.0%）", li.Summary)
	require.Equal(t, "wang Calls 2026-03: missed by 220, 0 of 220 (0.0%)", wang.Summary)
	require.Equal(t, "wang calls 2026-03: missed by 220, 0 of 220 (0.0%)", wang.Message)
}

// TestMessagesTemplates: a host's template rewords a message; one that
// does not parse stops New.
func TestMessagesTemplates(t *testing.T) {
	recorder := &alert.Recorder{}
	f := newFixture(t, nil, func(c *goalkit.Config) {
		c.Rules.Pace = callsPace
		c.Notifier = recorder
		c.Messages = &goalkit.Messages{Templates: []messages.Template{
			{Language: language.English, Key: messages.KeyBehind, Text: "{{.Unit}}, {{.Behind}} calls to make up"},
		}}
	})
	f.callsPlan(t, "march", "li", 220)
	_, err := f.engine.Evaluate(f.ctx, day("2026-03-20"))
	require.NoError(t, err)
	_, err = f.engine.Deliver(f.ctx)
	require.NoError(t, err)
	require.Equal(t, "li, 150 calls to make up", delivered(recorder, "li")[alert.NotifyFiring].Summary)

	_, err = goalkit.New(f.ctx, f.store, &goalkit.Config{Metrics: []goal.Metric{calls}, Messages: &goalkit.Messages{Templates: []messages.Template{
		{Language: language.English, Key: messages.KeyBehind, Text: "{{.Unit} behind"},
	}}})
	require.ErrorIs(t, err, goalkit.ErrInvalid)
	require.ErrorIs(t, err, messages.ErrInvalid)
}

// TestEscalationIsWordedForTheManager: an escalation goes to the unit's
// parent, in the parent's language, naming the rep.
func TestEscalationIsWordedForTheManager(t *testing.T) {
	recorder := &alert.Recorder{}
	f := newFixture(t, nil, func(c *goalkit.Config) {
		c.Rules.Pace = callsPace
		c.Notifier = recorder
		c.Lifecycle = &alert.LifecycleConfig{Policies: map[string]alert.Policy{alert.RulePace: {EscalateAfterPeriods: 1}}}
		c.Messages = &goalkit.Messages{Language: language.MustParse("zh-CN"), Languages: map[string]language.Tag{"north": language.English}}
	})
	f.callsPlan(t, "li", "li", 220)
	for _, d := range []string{"2026-03-19", "2026-03-20"} {
		_, err := f.engine.Evaluate(f.ctx, day(d))
		require.NoError(t, err)
	}
	_, err := f.engine.Deliver(f.ctx)
	require.NoError(t, err)
	var escalated alert.Notification
	for _, n := range recorder.Notifications() {
		if n.Kind == alert.NotifyEscalated {
			escalated = n
		}
	}
	require.Equal(t, "north", escalated.Recipient)
	require.Equal(t, "en", escalated.Language)
	require.Equal(t, "li Calls 2026-03: li's alert is still firing; behind plan by 150", escalated.Summary)
	require.Equal(t, "zh-CN", delivered(recorder, "li")[alert.NotifyFiring].Language, "the default language of Config.Messages")
}
