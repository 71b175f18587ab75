package main

import (
	"github.com/goalkit/goalkit/internal/w1"
	"github.com/goalkit/goalkit/storage"
)

// The W1 workload of docs/BENCHMARKS.md (package internal/w1) as the stores
// take it.

// period is FY, Q1–Q4 or M1–M12 of 2026 as day indexes [lo, hi).
type period struct{ lo, hi int }

func periods() []period {
	var ps []period
	for _, p := range w1.Periods() {
		ps = append(ps, period{int(p.Start - w1.Start), int(p.End - w1.Start)})
	}
	return ps
}

// queries returns Q1's 93,245 queries: every unit × period × metric,
// subtree totals.
func queries() []storage.Query {
	var qs []storage.Query
	for _, u := range w1.OrgUnits() {
		for _, p := range w1.Periods() {
			for _, m := range w1.MetricKeys {
				qs = append(qs, storage.Query{Metric: m, Unit: u.ID, Subtree: true, Start: p.Start, End: p.End})
			}
		}
	}
	return qs
}
