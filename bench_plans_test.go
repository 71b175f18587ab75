package goalkit_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/procstat"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// BenchmarkPlanScale measures Statuses and Evaluate over one plan of about
// 10k, 100k and 1M goals on every store: a year of calls for R reps split
// to months and days (378 goals per rep), with a fact per rep and month,
// evaluated as of 2026-06-15 with the pace rule. Divide ns/op by the goals
// metric to compare sizes: linear growth keeps ns/goal flat. Run one store
// and size at a time, e.g.
//
//	go test -run '^$' -bench 'PlanScale/sqlite/100k' -benchtime 3x .
//
// PostgreSQL needs GOALKIT_POSTGRES_DSN. Setting up 1M goals takes minutes.
func BenchmarkPlanScale(b *testing.B) {
	for _, store := range []string{"memory", "sqlite", "postgres"} {
		for _, size := range []struct {
			name string
			reps int
		}{{"10k", 27}, {"100k", 265}, {"1M", 2646}} {
			b.Run(store+"/"+size.name, func(b *testing.B) {
				fx := scaleSetup(b, store, size.reps)
				ctx := context.Background()
				b.Run("Statuses", func(b *testing.B) {
					e, err := goalkit.New(ctx, fx.store, fx.cfg)
					require.NoError(b, err)
					b.ReportAllocs()
					n := 0
					cpu := procstat.CPUTime()
					for b.Loop() {
						got, err := e.Statuses(ctx, "calls", scaleAsOf)
						if err != nil {
							b.Fatal(err)
						}
						n = len(got)
					}
					reportPerGoal(b, fx.goals, cpu)
					b.ReportMetric(float64(n), "statuses")
				})
				b.Run("Evaluate", func(b *testing.B) {
					e, err := goalkit.New(ctx, e1Rollback{fx.store}, fx.cfg)
					require.NoError(b, err)
					b.ReportAllocs()
					cpu := procstat.CPUTime()
					for b.Loop() {
						if _, err := e.Evaluate(ctx, scaleAsOf); !errors.Is(err, errE1Rollback) {
							b.Fatal(err)
						}
					}
					reportPerGoal(b, fx.goals, cpu)
				})
			})
		}
	}
}

var scaleAsOf = date.MustParseISO("2026-06-15")

// reportPerGoal reports the plan's size, the wall time per goal and the
// process's CPU time per goal since cpu0 (on a shared machine the CPU time
// is steadier; it leaves out PostgreSQL's own work).
func reportPerGoal(b *testing.B, goals int, cpu0 time.Duration) {
	per := float64(b.N) * float64(goals)
	b.ReportMetric(float64(goals), "goals")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/per, "ns/goal")
	b.ReportMetric(float64((procstat.CPUTime()-cpu0).Nanoseconds())/per, "cpu-ns/goal")
}

type scaleFixture struct {
	store storage.Store
	cfg   *goalkit.Config
	goals int
}

var (
	scaleMu       sync.Mutex
	scaleFixtures = map[string]*scaleFixture{}
)

// scaleSetup builds the store, org, plan and facts once per store and size
// in a test binary.
func scaleSetup(b *testing.B, kind string, reps int) *scaleFixture {
	b.Helper()
	scaleMu.Lock()
	defer scaleMu.Unlock()
	key := kind + strconv.Itoa(reps)
	if fx, ok := scaleFixtures[key]; ok {
		return fx
	}
	fx, err := newScaleFixture(storeOfKind(b, kind, "scale"), reps)
	require.NoError(b, err)
	scaleFixtures[key] = fx
	return fx
}

func newScaleFixture(store storage.Store, reps int) (*scaleFixture, error) {
	ctx := context.Background()
	cal, err := goal.NewCalendar(nil)
	if err != nil {
		return nil, err
	}
	metric := goal.Metric{Key: "calls", Kind: goal.Count}
	cfg := &goalkit.Config{
		Metrics:  []goal.Metric{metric},
		Calendar: cal,
		Now:      func() time.Time { return scaleAsOf.MidnightUTC().Add(12 * time.Hour) },
		Rules:    goalkit.Rules{Pace: map[string]alert.PaceRule{"calls": {Dispersion: 1}}},
	}
	units := []goal.Unit{{ID: "co"}}
	for t := range (reps + 15) / 16 {
		units = append(units, goal.Unit{ID: fmt.Sprintf("t%d", t), Parent: "co"})
	}
	for r := range reps {
		units = append(units, goal.Unit{ID: fmt.Sprintf("r%d", r), Parent: fmt.Sprintf("t%d", r/16)})
	}
	e, err := goalkit.New(ctx, store, cfg)
	if err != nil {
		return nil, err
	}
	if err := e.SetOrg(ctx, units); err != nil {
		return nil, err
	}
	p, err := scalePlan(cal, reps)
	if err != nil {
		return nil, err
	}
	if _, err := store.CreatePlan(ctx, p, nil); err != nil {
		return nil, err
	}
	var facts []kpi.Fact
	for r := range reps {
		for m := range 6 {
			facts = append(facts, kpi.Fact{Key: fmt.Sprintf("f%d-%d", r, m), Metric: "calls", Unit: fmt.Sprintf("r%d", r),
				Date: date.New(2026, time.Month(m+1), 10), Value: decimal.NewFromInt(int64(150 + r%100))})
		}
	}
	if _, err := e.Ingest(ctx, facts, kpi.AllOrNothing); err != nil {
		return nil, err
	}
	return &scaleFixture{store: store, cfg: cfg, goals: len(p.Goals)}, nil
}

// scalePlan is 2026's calls for co split over reps, each rep's year over
// months, each month over days: 10 calls a day.
func scalePlan(cal *goal.Calendar, reps int) (*goal.Plan, error) {
	year, err := cal.Parse("2026")
	if err != nil {
		return nil, err
	}
	months, err := cal.Split(year, goal.Month)
	if err != nil {
		return nil, err
	}
	days := make([][]goal.Period, len(months))
	for i, m := range months {
		if days[i], err = cal.Split(m, goal.Day); err != nil {
			return nil, err
		}
	}
	ten := decimal.NewFromInt(10)
	rootID := goal.GoalID("calls", "co", year)
	goals := []goal.Goal{{ID: rootID, Metric: "calls", Unit: "co", Period: year, Target: decimal.NewFromInt(int64(3650 * reps))}}
	for r := range reps {
		unit := fmt.Sprintf("r%d", r)
		yid := goal.GoalID("calls", unit, year)
		goals = append(goals, goal.Goal{ID: yid, Parent: rootID, Metric: "calls", Unit: unit, Period: year, Target: decimal.NewFromInt(3650)})
		for i, m := range months {
			mid := goal.GoalID("calls", unit, m)
			goals = append(goals, goal.Goal{ID: mid, Parent: yid, Metric: "calls", Unit: unit, Period: m, Target: decimal.NewFromInt(int64(10 * len(days[i])))})
			for _, d := range days[i] {
				goals = append(goals, goal.Goal{ID: goal.GoalID("calls", unit, d), Parent: mid, Metric: "calls", Unit: unit, Period: d, Target: ten})
			}
		}
	}
	return goal.NewPlan("calls", goal.Metric{Key: "calls", Kind: goal.Count}, goals)
}
