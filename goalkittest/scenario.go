package goalkittest

import (
	"fmt"
	"math/rand/v2"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Scenario is a quickstart-sized story for measuring alerts as a new user
// meets them: six reps in two teams, a half year's revenue and visits
// plans, and 19 weeks of facts, each week evaluated on its Friday. Behind
// falls behind from the fourth week (fewer visits, fewer deals); the others
// keep about to plan.
type Scenario struct {
	// Org is company "acme" with teams "north" (li, wang, liu) and "south"
	// (zhao, chen, sun).
	Org []goal.Unit
	// Metrics are Revenue and Visits.
	Metrics []goal.Metric
	// Specs are the plans for 2026-H2: revenue even over the reps, then
	// quarters and months (¥600,000.00 a rep); visits even over the reps,
	// then quarters, months and weeks (390 a rep, 3 a working day).
	Specs []goal.Spec
	// Weeks are the 19 weeks, in order.
	Weeks []Week
	// Behind is the rep who falls behind, from the week of index
	// BehindFrom on.
	Behind     string
	BehindFrom int
}

// Week is one week of a Scenario: the facts of its working days, to ingest
// before evaluating as of AsOf, a Friday.
type Week struct {
	AsOf  date.Date
	Facts []kpi.Fact
}

// Visits returns the count metric of the scenario's activity plan.
func Visits() goal.Metric { return goal.Metric{Key: "visits", Name: "Visits", Kind: goal.Count} }

// QuickstartScenario returns the Scenario for cal (nil means
// goal.NewCalendar(nil)), with facts drawn from a fixed seed: the same
// scenario every call. Its errors are cal's.
func QuickstartScenario(cal *goal.Calendar) (*Scenario, error) {
	if cal == nil {
		cal, _ = goal.NewCalendar(nil)
	}
	h2, err := cal.Parse("2026-H2")
	if err != nil {
		return nil, fmt.Errorf("goalkittest: scenario: %w", err)
	}
	s := &Scenario{
		Org: []goal.Unit{
			{ID: Root, Kind: "company"},
			{ID: "north", Parent: Root, Kind: "team"}, {ID: "south", Parent: Root, Kind: "team"},
			{ID: "li", Parent: "north", Kind: "rep"}, {ID: "wang", Parent: "north", Kind: "rep"}, {ID: "liu", Parent: "north", Kind: "rep"},
			{ID: "zhao", Parent: "south", Kind: "rep"}, {ID: "chen", Parent: "south", Kind: "rep"}, {ID: "sun", Parent: "south", Kind: "rep"},
		},
		Metrics: []goal.Metric{Revenue(), Visits()},
		Specs: []goal.Spec{
			{PlanID: "revenue-2026-H2", Metric: Revenue(), Unit: Root, Period: h2, Target: decimal.RequireFromString("3600000.00"),
				Time: goal.TimeRule{Steps: []goal.Grain{goal.Quarter, goal.Month}, Basis: goal.ByWorkingDays}},
			{PlanID: "visits-2026-H2", Metric: Visits(), Unit: Root, Period: h2, Target: decimal.NewFromInt(6 * 390),
				Time: goal.TimeRule{Steps: []goal.Grain{goal.Quarter, goal.Month, goal.Week}, Basis: goal.ByWorkingDays}},
		},
		Behind: "wang", BehindFrom: 3,
	}
	reps := []string{"li", "wang", "liu", "zhao", "chen", "sun"}
	r := rand.New(rand.NewPCG(14, 2026))
	friday := date.New(2026, 7, 3)
	day := h2.Start
	for w := range 19 {
		asOf := friday.AddDate(0, 0, 7*w)
		var facts []kpi.Fact
		for ; day <= asOf; day++ {
			if !cal.IsWorkingDay(day) {
				continue
			}
			for _, rep := range reps {
				behind := rep == s.Behind && w >= s.BehindFrom
				visits, dealOdds := 2+r.IntN(3), 4 // 2 to 4 visits, a deal one day in 4
				if behind {
					visits, dealOdds = r.IntN(3), 10
				}
				facts = append(facts, kpi.Fact{Key: fmt.Sprintf("visits:%s:%s", rep, day), Metric: "visits", Unit: rep, Date: day,
					Value: decimal.NewFromInt(int64(visits))})
				if r.IntN(dealOdds) == 0 {
					facts = append(facts, kpi.Fact{Key: fmt.Sprintf("deal:%s:%s", rep, day), Metric: Revenue().Key, Unit: rep, Date: day,
						Value: decimal.New(1_000_000+r.Int64N(2_000_001), -2)})
				}
			}
		}
		s.Weeks = append(s.Weeks, Week{AsOf: asOf, Facts: facts})
	}
	return s, nil
}
