package funnel

import (
	"fmt"
	"math/rand/v2"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// randomDeals generates n deal histories in salesFunnel from rng: deals
// enter at lead (sometimes at a later stage), move forward with skips, now
// and then move back, and end won, lost, invalid or stay open. Units are
// rep1, rep2 and rep3 (see handOrg). Dates start in 2026.
func randomDeals(rng *rand.Rand, n int) []Deal {
	f := salesFunnel()
	start := date.New(2026, 1, 1)
	deals := make([]Deal, n)
	for i := range deals {
		d := Deal{
			ID:       fmt.Sprintf("g%d", i),
			Unit:     fmt.Sprintf("rep%d", 1+rng.IntN(3)),
			Value:    decimal.New(rng.Int64N(1_000_000), -2),
			Currency: "USD",
		}
		day := start + date.Date(rng.IntN(365))
		s := 0
		if rng.IntN(5) == 0 {
			s = rng.IntN(len(f.Stages))
		}
		d.Transitions = append(d.Transitions, Transition{Stage: f.Stages[s].Key, Date: day})
		for {
			day += date.Date(rng.IntN(30))
			switch r := rng.IntN(10); {
			case r == 0: // stays open
			case r == 1:
				d.Transitions = append(d.Transitions, Transition{Stage: f.Lost, Date: day})
			case r == 2:
				d.Transitions = append(d.Transitions, Transition{Stage: f.Invalid, Date: day})
			case r == 3 && s > 0: // moves back
				s = rng.IntN(s)
				d.Transitions = append(d.Transitions, Transition{Stage: f.Stages[s].Key, Date: day})
				continue
			default:
				s += 1 + rng.IntN(2) // sometimes skips a stage
				if s >= len(f.Stages) {
					d.Transitions = append(d.Transitions, Transition{Stage: f.Won, Date: day})
					break
				}
				d.Transitions = append(d.Transitions, Transition{Stage: f.Stages[s].Key, Date: day})
				continue
			}
			break
		}
		deals[i] = d
	}
	return deals
}

// randomModel returns a model of salesFunnel with rates of up to three
// decimal places in [0.05, 1], durations up to 60 days and an average won
// value from 1.00 to 100,000.00, so that targets up to a million stay well
// below MaxCount.
func randomModel(rng *rand.Rand) Model {
	m := Model{Funnel: salesFunnel(), Currency: "USD", AvgWonValue: decimal.New(100+rng.Int64N(10_000_000-99), -2)}
	for range m.Funnel.Stages {
		m.Stages = append(m.Stages, StageModel{
			Advance: decimal.New(50+rng.Int64N(951), -3),
			Win:     decimal.New(rng.Int64N(1001), -3),
			Days:    rng.IntN(61),
		})
	}
	return m
}
