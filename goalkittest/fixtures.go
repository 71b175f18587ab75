package goalkittest

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// ErrInvalid is matched (errors.Is) by the errors of the fixture builders
// when their arguments are unusable.
var ErrInvalid = errors.New("goalkittest: invalid fixture arguments")

// Root is the ID of the root unit of Org.
const Root = "acme"

// Revenue returns the amount metric of the fixtures: "revenue" in CNY with
// two decimal places.
func Revenue() goal.Metric {
	return goal.Metric{Key: "revenue", Name: "Revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
}

// Org returns a small org: company "acme" with teams "north" (reps "li" and
// "wang") and "south" (reps "zhao" and "chen"). Each call returns a new
// slice.
func Org() []goal.Unit {
	return []goal.Unit{
		{ID: Root, Kind: "company"},
		{ID: "north", Parent: Root, Kind: "team"},
		{ID: "south", Parent: Root, Kind: "team"},
		{ID: "li", Parent: "north", Kind: "rep"},
		{ID: "wang", Parent: "north", Kind: "rep"},
		{ID: "zhao", Parent: "south", Kind: "rep"},
		{ID: "chen", Parent: "south", Kind: "rep"},
	}
}

// Reps returns the IDs of Org's leaf units, in Org's order.
func Reps() []string { return []string{"li", "wang", "zhao", "chen"} }

// Spec returns the decomposition of target revenue for Org's root over
// period: even over the units, then over the period's months. Pass it to
// Engine.Decompose, or use Plan for a plan without an engine.
func Spec(planID string, period goal.Period, target decimal.Decimal) goal.Spec {
	return goal.Spec{
		PlanID: planID, Metric: Revenue(), Unit: Root, Period: period, Target: target,
		Time: goal.TimeRule{Steps: []goal.Grain{goal.Month}},
	}
}

// Plan decomposes Spec(planID, period, target) on Org with cal (nil means
// goal.NewCalendar(nil)). Its errors are goal.Decompose's.
func Plan(cal *goal.Calendar, planID string, period goal.Period, target decimal.Decimal) (*goal.Plan, error) {
	org, err := goal.NewOrg(Org())
	if err != nil {
		return nil, err
	}
	return goal.Decompose(org, cal, Spec(planID, period, target))
}

// Facts returns n revenue facts for Org's reps dated in [start, end), keyed
// "goalkittest:fact:<i>", each between ¥1,000.00 and ¥50,000.00. The same
// seed and arguments always give the same facts. It fails with ErrInvalid
// when n is negative or the range is empty.
func Facts(seed uint64, n int, start, end date.Date) ([]kpi.Fact, error) {
	if err := checkStream(n, start, end); err != nil {
		return nil, fmt.Errorf("goalkittest: facts: %w", err)
	}
	r := rand.New(rand.NewPCG(seed, 0))
	reps, days := Reps(), int(end-start)
	out := make([]kpi.Fact, n)
	for i := range out {
		out[i] = kpi.Fact{
			Key:    fmt.Sprintf("goalkittest:fact:%d", i),
			Metric: Revenue().Key,
			Unit:   reps[r.IntN(len(reps))],
			Date:   start.AddDate(0, 0, r.IntN(days)),
			Value:  decimal.New(100_000+r.Int64N(4_900_001), -2),
		}
	}
	return out, nil
}

// Funnel returns the funnel of Deals: "crm", stages "lead" then
// "opportunity", outcomes "won" and "lost".
func Funnel() funnel.Funnel {
	return funnel.Funnel{Key: "crm", Won: "won", Lost: "lost",
		Stages: []funnel.Stage{{Key: "lead"}, {Key: "opportunity"}}}
}

// Deals returns n deals of Funnel for Org's reps, keyed "D<i>", in CNY: each
// enters as a lead on a day in [start, end), half of them move on to
// opportunity within 20 days, and of those half close (won or lost) within
// 30 more; a step that would fall on or after end is not taken, so the deals
// are as a host would see them on end. The same seed and arguments always
// give the same deals. It fails with ErrInvalid when n is negative or the
// range is empty.
func Deals(seed uint64, n int, start, end date.Date) ([]funnel.Deal, error) {
	if err := checkStream(n, start, end); err != nil {
		return nil, fmt.Errorf("goalkittest: deals: %w", err)
	}
	r := rand.New(rand.NewPCG(seed, 1))
	f, reps, days := Funnel(), Reps(), int(end-start)
	out := make([]funnel.Deal, n)
	for i := range out {
		d := funnel.Deal{ID: fmt.Sprintf("D%d", i), Funnel: f.Key, Unit: reps[r.IntN(len(reps))],
			Value: decimal.New(100_000+r.Int64N(4_900_001), -2), Currency: Revenue().Currency}
		on := start.AddDate(0, 0, r.IntN(days))
		d.Transitions = []funnel.Transition{{Stage: "lead", Date: on}}
		steps := []struct {
			stage  string
			within int
		}{{"opportunity", 20}, {f.Won, 30}}
		for _, s := range steps {
			next := on.AddDate(0, 0, 1+r.IntN(s.within))
			if r.IntN(2) == 0 || next >= end {
				break
			}
			if s.stage == f.Won && r.IntN(2) == 0 {
				s.stage = f.Lost
			}
			d.Transitions = append(d.Transitions, funnel.Transition{Stage: s.stage, Date: next})
			on = next
		}
		out[i] = d
	}
	return out, nil
}

// checkStream checks the arguments common to Facts and Deals.
func checkStream(n int, start, end date.Date) error {
	if n < 0 {
		return fmt.Errorf("%w: n is %d, want 0 or more", ErrInvalid, n)
	}
	if start >= end {
		return fmt.Errorf("%w: range [%s, %s) is empty; pass a start before the end", ErrInvalid, start, end)
	}
	return nil
}
