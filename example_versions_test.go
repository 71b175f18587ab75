package goalkit_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
)

// Every save of a plan is kept as a version; a snapshot names one ("board
// approved"). Later the plan is read as it stood on a date, and the diff
// between the snapshot and the live plan says which targets moved, by how
// much, and who moved them.
func ExampleEngine_DiffVersions() {
	ctx := context.Background()
	clock := goalkittest.NewClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	engine := exampleEngine(ctx, &goalkit.Config{Metrics: []goal.Metric{goalkittest.Revenue()}, Now: clock.Now})
	q1, _ := engine.Calendar().Parse("2026-Q1")
	p, err := engine.Decompose(ctx, goalkittest.Spec("q1", q1, decimal.NewFromInt(1_200_000)), goalkit.Change{Actor: "director", Reason: "Q1 plan"})
	if err != nil {
		panic(err)
	}
	if _, err := engine.Snapshot(ctx, "q1", "board approved", goalkit.Change{Actor: "ceo"}); err != nil {
		panic(err)
	}

	clock.Set(time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC))
	march, _ := engine.Calendar().Parse("2026-03")
	p, err = engine.SetTarget(ctx, "q1", goal.GoalID("revenue", "li", march), decimal.NewFromInt(150000), p.Version,
		goalkit.Change{Unbalanced: true, Actor: "north-manager", Reason: "li takes the big account"})
	if err != nil {
		panic(err)
	}

	then, err := engine.PlanAsOf(ctx, "q1", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	g, _ := then.Goal(goal.GoalID("revenue", "li", march))
	fmt.Println("on 1 February li's March target was", g.Target.StringFixed(2), "(version", then.Version, "of", p.Version, "now)")

	d, err := engine.DiffVersions(ctx, "q1", goalkit.VersionRef{Snapshot: "board approved"}, goalkit.VersionRef{Version: p.Version})
	if err != nil {
		panic(err)
	}
	for _, c := range d.Changes {
		fmt.Printf("%s %s: %s → %s (%s) by %s: %s\n", c.Unit, c.Period.Label, c.Before.StringFixed(2), c.After.StringFixed(2),
			c.Delta.StringFixed(2), c.By[0].Actor, c.By[0].Reason)
	}
	// Output:
	// on 1 February li's March target was 103333.33 (version 1 of 2 now)
	// li 2026-03: 103333.33 → 150000.00 (46666.67) by north-manager: li takes the big account
}

// A scenario is a what-if copy of a plan: edited, compared with the live
// plan and promoted to it, which stays untouched until then. Promoting a
// scenario copied from a version that is no longer live is a conflict.
func ExampleEngine_PromoteScenario() {
	ctx := context.Background()
	engine := exampleEngine(ctx, &goalkit.Config{Metrics: []goal.Metric{goalkittest.Revenue()}})
	q1, _ := engine.Calendar().Parse("2026-Q1")
	p, err := engine.Decompose(ctx, goalkittest.Spec("q1", q1, decimal.NewFromInt(1_200_000)), goalkit.Change{Actor: "director"})
	if err != nil {
		panic(err)
	}
	sc, err := engine.NewScenario(ctx, "q1", "li up", goalkit.Change{Actor: "analyst", Reason: "what if li takes the big account"})
	if err != nil {
		panic(err)
	}
	march, _ := engine.Calendar().Parse("2026-03")
	edit := goal.Edit{Goal: goal.GoalID("revenue", "li", march), Target: decimal.NewFromInt(150000), Mode: goal.RollUp}
	if _, _, err := engine.EditScenario(ctx, "q1", sc.Name, edit, sc.Version, goalkit.Change{Actor: "analyst"}); err != nil {
		panic(err)
	}
	changes, err := engine.CompareScenario(ctx, "q1", sc.Name)
	if err != nil {
		panic(err)
	}
	for _, c := range changes {
		fmt.Printf("%s %s %s\n", c.Unit, c.Period.Label, c.Delta.StringFixed(2))
	}
	live, _ := engine.Plan(ctx, "q1")
	fmt.Println("live plan still at version", live.Version)

	p, err = engine.PromoteScenario(ctx, "q1", sc.Name, goalkit.Change{Actor: "director", Reason: "approved"})
	if err != nil {
		panic(err)
	}
	fmt.Println("promoted as version", p.Version, "with", len(p.Check()), "unbalanced parents")

	// A scenario copied before someone else's save cannot be promoted.
	stale, _ := engine.NewScenario(ctx, "q1", "cut", goalkit.Change{Actor: "analyst"})
	if _, err := engine.SetTarget(ctx, "q1", edit.Goal, decimal.NewFromInt(140000), p.Version, goalkit.Change{Unbalanced: true, Actor: "north-manager"}); err != nil {
		panic(err)
	}
	_, err = engine.PromoteScenario(ctx, "q1", stale.Name, goalkit.Change{Actor: "director"})
	var conflict *storage.ConflictError
	fmt.Println("stale scenario:", errors.As(err, &conflict) && conflict.Kind == "scenario")
	// Output:
	// acme 2026-Q1 46666.67
	// north 2026-Q1 46666.67
	// li 2026-Q1 46666.67
	// li 2026-03 46666.67
	// live plan still at version 1
	// promoted as version 2 with 0 unbalanced parents
	// stale scenario: true
}
