package alert_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A pace alert for one rep, evaluated once a day: it must be behind pace two days running to
// fire, keeps firing one clear day, then resolves. The host saves the states between
// evaluations and delivers the notifications.
func ExampleLifecycle_Evaluate() {
	lc, err := alert.NewLifecycle(&alert.LifecycleConfig{
		Policies: map[string]alert.Policy{
			"pace": {Severity: alert.SeverityWarning, ForPeriods: 2, KeepFiringForPeriods: 1},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	q1 := goal.Period{Grain: goal.Quarter, Start: date.New(2026, 1, 1), End: date.New(2026, 4, 1), Label: "2026-Q1"}
	attainment := []string{"0.58", "0.61", "0.79", "0.83", "0.86"} // of the plan to date, day by day

	var states []alert.Instance
	for day, a := range attainment {
		now := time.Date(2026, 2, 2+day, 18, 0, 0, 0, time.UTC)
		value := decimal.RequireFromString(a)
		threshold := decimal.RequireFromString("0.80")
		sample := alert.Sample{
			Rule: "pace", Unit: "rep-1", Metric: "revenue", Period: q1,
			Active: value.LessThan(threshold), Value: value, Threshold: threshold,
			Message: fmt.Sprintf("rep-1 is at %s%% of plan to date", value.Shift(2).StringFixed(0)),
		}
		res, err := lc.Evaluate(now, states, []alert.Sample{sample}, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		states = res.States // the engine saves these

		state := alert.StateInactive
		if len(states) > 0 {
			state = states[0].State
		}
		fmt.Printf("%s %s: %s\n", now.Format("Mon 2 Jan"), a, state)
		for _, n := range res.Notifications {
			fmt.Printf("  notify %s [%s] %s: %s\n", n.Recipient, n.Severity, n.Kind, n.Message)
		}
	}
	// Output:
	// Mon 2 Feb 0.58: pending
	// Tue 3 Feb 0.61: firing
	//   notify rep-1 [warning] firing: rep-1 is at 61% of plan to date
	// Wed 4 Feb 0.79: firing
	// Thu 5 Feb 0.83: firing
	// Fri 6 Feb 0.86: resolved
	//   notify rep-1 [warning] resolved: rep-1 is at 86% of plan to date
}

// A team's alert speaks for its reps: while it fires, the reps' alerts are inhibited, and after
// a day the team's manager (the parent unit) gets one escalation.
func ExampleLifecycle_Evaluate_inhibitionAndEscalation() {
	org, err := goal.NewOrg([]goal.Unit{
		{ID: "east", Kind: "region"},
		{ID: "team-a", Parent: "east", Kind: "team"},
		{ID: "rep-1", Parent: "team-a", Kind: "rep"},
		{ID: "rep-2", Parent: "team-a", Kind: "rep"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	lc, err := alert.NewLifecycle(&alert.LifecycleConfig{
		Org:     org,
		Default: alert.Policy{EscalateAfter: 24 * time.Hour},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	behind := func(unit string) alert.Sample {
		return alert.Sample{Rule: "pace", Unit: unit, Metric: "revenue", Active: true, Message: unit + " is behind pace"}
	}
	var states []alert.Instance
	for day := range 2 {
		now := time.Date(2026, 2, 2+day, 18, 0, 0, 0, time.UTC)
		res, err := lc.Evaluate(now, states, []alert.Sample{behind("team-a"), behind("rep-1"), behind("rep-2")}, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		states = res.States
		fmt.Println(now.Format("Mon 2 Jan"))
		for _, n := range res.Notifications {
			fmt.Printf("  notify %s: %s %s\n", n.Recipient, n.Kind, n.Message)
		}
		for _, m := range res.Muted {
			fmt.Printf("  inhibited: %s %s\n", m.Notification.Kind, m.Notification.Message)
		}
	}
	// Output:
	// Mon 2 Feb
	//   notify team-a: firing team-a is behind pace
	//   inhibited: firing rep-1 is behind pace
	//   inhibited: firing rep-2 is behind pace
	// Tue 3 Feb
	//   notify east: escalated team-a is behind pace
	//   inhibited: firing rep-1 is behind pace
	//   inhibited: escalated rep-1 is behind pace
	//   inhibited: firing rep-2 is behind pace
	//   inhibited: escalated rep-2 is behind pace
}

// A host's Notifier must tolerate redelivery: the engine retries, and the same event always has
// the same Key. Recorder shows the pattern: it delivers each Key once.
func ExampleRecorder() {
	var rec alert.Recorder
	ctx := context.Background()
	n := alert.Notification{
		Key:  alert.NotificationKey("7f38fa1402571031adc0c883bd4a8128", alert.NotifyFiring, time.Date(2026, 2, 3, 18, 0, 0, 0, time.UTC), 0),
		Kind: alert.NotifyFiring, Recipient: "rep-1", Message: "rep-1 is behind pace",
	}
	for range 3 { // a delivery and two retries
		if err := rec.Notify(ctx, n); err != nil {
			fmt.Println(err)
		}
	}
	for _, got := range rec.Notifications() {
		fmt.Println(got.Key)
	}
	fmt.Println("duplicates:", rec.Duplicates())
	// Output:
	// 7f38fa1402571031adc0c883bd4a8128/firing/2026-02-03T18:00:00Z/0
	// duplicates: 2
}
