// Package sweep is benchmark E1 over all of its goals (docs BENCHMARKS.md:
// "run the pace and projection rules over all 93,245 goals as of
// 2026-09-15"), shared by the e1 and storebench commands: every plan is
// handed to Engine.Statuses whole, which gives a status to each goal that
// has started by the day (71,305 of W1's 93,245: the closed and the open)
// and skips the others (Q4 and its months, 21,940) with a date comparison,
// since a goal that has not started has no actual, no time progress and
// nothing a rule could say; both rules then run over every status, judged,
// and worded only when active, as Evaluate does on a first evaluation
// (messages are written only for what the alert lifecycle reads).
package sweep

import (
	"context"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
)

// Result is what one sweep saw.
type Result struct {
	Goals   int // goals handed in: every goal of every plan
	Started int // goals with a status (started by the day)
	Active  int // active rule samples (each worded)
}

// Run sweeps every goal of plans (stored under their IDs) as of asOf with
// the pace rule of each metric and the projected-miss rule.
func Run(ctx context.Context, e *goalkit.Engine, plans []*goal.Plan, asOf date.Date, pace map[string]alert.PaceRule, miss *alert.ProjectedMissRule) (Result, error) {
	var r Result
	for _, p := range plans {
		r.Goals += len(p.Goals)
		sts, err := e.Statuses(ctx, p.ID, asOf)
		if err != nil {
			return Result{}, err
		}
		r.Started += len(sts)
		for _, s := range sts {
			rule := pace[s.Metric]
			smp, err := rule.Judge(s)
			if err != nil {
				return Result{}, err
			}
			if smp.Active {
				smp.Message = rule.Describe(s)
				r.Active++
			}
			if smp, err = miss.Judge(s); err != nil {
				return Result{}, err
			}
			if smp.Active {
				smp.Message = miss.Describe(s)
				r.Active++
			}
		}
	}
	return r, nil
}
