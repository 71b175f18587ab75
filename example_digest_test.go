package goalkit_test

import (
	"context"
	"fmt"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
)

// With Config.Grouping each recipient gets one digest per evaluation, and
// each rule runs on the goals its selection names (Rules.Goals): here pace
// on the calls of teams and reps, not of the company. Team north is behind,
// and so are its reps: north's alert covers theirs (inhibition), and each rep
// is still told, in his own language.
func ExampleConfig_grouping() {
	ctx := context.Background()
	clock := goalkittest.NewClock(date.New(2026, 3, 16).MidnightUTC())
	rec := &alert.DigestRecorder{}
	calls := goal.Metric{Key: "calls", Name: "calls", Kind: goal.Count}
	pace := alert.PaceRule{Dispersion: 1}
	engine := exampleEngine(ctx, &goalkit.Config{
		Metrics:  []goal.Metric{calls},
		Now:      clock.Now,
		Notifier: rec,
		Grouping: &alert.Grouping{},
		Rules: goalkit.Rules{Goals: []goalkit.GoalRule{
			{Select: alert.Selection{Metrics: []string{"calls"}, Levels: []string{"team", "rep"}}, Pace: &pace},
		}},
		Messages: &goalkit.Messages{Languages: map[string]language.Tag{"wang": language.MustParse("zh-CN")}},
	})
	march, _ := engine.Calendar().Parse("2026-03")
	_, err := engine.Decompose(ctx, goal.Spec{PlanID: "north-calls", Metric: calls, Unit: "north", Period: march, Target: decimal.NewFromInt(440)},
		goalkit.Change{Actor: "manager"})
	if err != nil {
		panic(err)
	}
	_, err = engine.Ingest(ctx, []kpi.Fact{{Key: "li-1", Metric: "calls", Unit: "li", Date: date.New(2026, 3, 2), Value: decimal.NewFromInt(30)}}, kpi.AllOrNothing)
	if err != nil {
		panic(err)
	}
	if _, err := engine.Evaluate(ctx, date.New(2026, 3, 16)); err != nil {
		panic(err)
	}
	if _, err := engine.Deliver(ctx); err != nil {
		panic(err)
	}
	for _, d := range rec.Digests() {
		fmt.Printf("to %s:\n%s\n", d.Recipient, d.Summary)
	}
	// Output:
	// to li:
	// li, alerts of 2026-03-16 · 1 covered by your team's alert
	// - li calls 2026-03: your team's alert covers this (north); you are behind plan by 80, and 18 a working day catches up
	// to north:
	// north, alerts of 2026-03-16 · 1 new
	// - north calls 2026-03: behind plan by 190; needs 38 a working day to catch up
	// to wang:
	// wang 2026-03-16 预警汇总 · 团队预警已涵盖 1 条
	// - wang calls 2026-03：你所在团队的预警已涵盖此项（north）；你落后计划 110，剩余每个工作日需完成 20 才能追上
}
