package goalkit_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/shopspring/decimal"
)

// Negotiate runs a plan's two-way target setting: the director opens a
// round, a rep commits to their own figure with evidence, the manager
// accepts it (rolling the change up, so the plan stays exact) and the rep
// confirms; a rep cannot accept their own figure. Reconcile shows each
// level's target beside what the level below commits to.
func ExampleEngine_Negotiate() {
	ctx := context.Background()
	engine := exampleEngine(ctx, &goalkit.Config{Metrics: []goal.Metric{goalkittest.Revenue()}})
	q3, _ := engine.Calendar().Parse("2026-Q3")
	if _, err := engine.Decompose(ctx, goalkittest.Spec("q3", q3, decimal.NewFromInt(1_200_000)), goalkit.Change{Actor: "director"}); err != nil {
		panic(err)
	}
	director := goalkit.Actor{ID: "director", Unit: goalkittest.Root}
	manager := goalkit.Actor{ID: "north-manager", Unit: "north"}
	li := goalkit.Actor{ID: "li", Unit: "li"}
	move := func(by goalkit.Actor, m goal.Move) error {
		r, err := engine.Review(ctx, "q3")
		if err != nil {
			return err
		}
		_, err = engine.Negotiate(ctx, "q3", by, m, r.Version(m.Unit))
		return err
	}
	steps := []struct {
		by goalkit.Actor
		m  goal.Move
	}{
		{director, goal.Move{Kind: goal.Open, Unit: goalkittest.Root}},
		{li, goal.Move{Kind: goal.Commit, Unit: "li", Commitment: goal.Commitment{
			Figure: decimal.NewFromInt(330_000), Reason: "a new key account",
			Evidence: []goal.Evidence{{Kind: goal.CustomerDemand, Text: "Jinlong signs in July"}}}}},
	}
	for _, s := range steps {
		if err := move(s.by, s.m); err != nil {
			panic(err)
		}
	}
	err := move(li, goal.Move{Kind: goal.Accept, Unit: "li"})
	fmt.Println("li accepts li's figure:", errors.Is(err, goalkit.ErrForbidden))
	for _, s := range []struct {
		by goalkit.Actor
		m  goal.Move
	}{
		{manager, goal.Move{Kind: goal.Accept, Unit: "li", Mode: goal.RollUp}},
		{li, goal.Move{Kind: goal.Confirm, Unit: "li"}},
	} {
		if err := move(s.by, s.m); err != nil {
			panic(err)
		}
	}
	r, err := engine.Review(ctx, "q3")
	if err != nil {
		panic(err)
	}
	fmt.Println("discrepancies:", len(r.Plan.Check()))
	fmt.Print(r.Reconcile())
	// Output:
	// li accepts li's figure: true
	// discrepancies: 0
	// unit      state      exchange  target      commitment  bottom-up   gap   pending
	// acme      in review  awaiting  1230000.00  -           1230000.00  0.00  3
	//   north   in review  awaiting  630000.00   -           630000.00   0.00  1
	//   south   in review  awaiting  600000.00   -           600000.00   0.00  2
	//     li    confirmed  agreed    330000.00   330000.00   330000.00   0.00  0
	//     wang  in review  awaiting  300000.00   -           300000.00   0.00  1
	//     zhao  in review  awaiting  300000.00   -           300000.00   0.00  1
	//     chen  in review  awaiting  300000.00   -           300000.00   0.00  1
}
