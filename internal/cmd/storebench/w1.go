package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The W1 workload of docs/BENCHMARKS.md: 1 company → 8 regions → 64 teams →
// 1,024 reps, calendar 2026, five metrics, facts from splitmix64(42).
const (
	reps    = 1024
	days    = 365
	metrics = 5
	// checkRevenue10M is FY2026 company revenue for 10,000,000 facts.
	checkRevenue10M = "25046040539.55"
)

var metricKeys = [metrics]string{"revenue", "won_deals", "calls", "meetings", "new_leads"}

var jan1 = date.New(2026, time.January, 1)

// gen is the W1 generator: splitmix64 seeded with 42.
type gen struct{ state uint64 }

func newGen() *gen { return &gen{state: 42} }

func (g *gen) next() uint64 {
	g.state += 0x9E3779B97F4A7C15
	z := g.state
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// raw is one fact in plain numbers.
type raw struct {
	rep, day, metric int
	cents            int64 // value × 100 for revenue; the count for the others
}

func draw(x uint64) raw {
	r := raw{rep: int(x % reps), day: int((x >> 10) % days)}
	switch m := (x >> 20) % 10; {
	case m == 0:
		r.metric, r.cents = 0, int64(10000+(x>>32)%4990001)
	case m == 1:
		r.metric, r.cents = 1, 1
	case m <= 5:
		r.metric, r.cents = 2, 1
	case m <= 7:
		r.metric, r.cents = 3, 1
	default:
		r.metric, r.cents = 4, 1
	}
	return r
}

func repID(r int) string { return "p" + strconv.Itoa(r) }

// fact turns fact i into a kpi.Fact.
func fact(i int, r raw) kpi.Fact {
	v := decimal.New(r.cents, 0)
	if r.metric == 0 {
		v = decimal.New(r.cents, -2)
	}
	return kpi.Fact{Key: strconv.Itoa(i), Metric: metricKeys[r.metric], Unit: repID(r.rep), Date: jan1 + date.Date(r.day), Value: v}
}

// org returns the 1,097 units, parents first.
func org() []goal.Unit {
	units := []goal.Unit{{ID: "co", Kind: "company"}}
	for g := 0; g < 8; g++ {
		units = append(units, goal.Unit{ID: fmt.Sprintf("r%d", g), Parent: "co", Kind: "region"})
	}
	for t := 0; t < 64; t++ {
		units = append(units, goal.Unit{ID: fmt.Sprintf("t%d", t), Parent: fmt.Sprintf("r%d", t/8), Kind: "team"})
	}
	for r := 0; r < reps; r++ {
		units = append(units, goal.Unit{ID: repID(r), Parent: fmt.Sprintf("t%d", r/16), Kind: "rep"})
	}
	return units
}

// period is FY, Q1–Q4 or M1–M12 of 2026 as day indexes [lo, hi).
type period struct{ lo, hi int }

func periods() []period {
	var ps []period
	month := func(m int) int { return int(date.New(2026, time.Month(m), 1) - jan1) }
	ps = append(ps, period{0, days})
	for q := 0; q < 4; q++ {
		ps = append(ps, period{month(3*q + 1), month(3*q + 4)})
	}
	for m := 1; m <= 12; m++ {
		ps = append(ps, period{month(m), month(m + 1)})
	}
	return ps
}

// queries returns Q1's 93,245 queries: every unit × period × metric,
// subtree totals.
func queries() []storage.Query {
	var qs []storage.Query
	for _, u := range org() {
		for _, p := range periods() {
			for _, m := range metricKeys {
				qs = append(qs, storage.Query{Metric: m, Unit: u.ID, Subtree: true, Start: jan1 + date.Date(p.lo), End: jan1 + date.Date(p.hi)})
			}
		}
	}
	return qs
}
