package funnel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func BenchmarkMeasure(b *testing.B) {
	deals := randomDeals(rand.New(rand.NewPCG(1, 1)), 10_000)
	o := MeasureOptions{AsOf: date.New(2026, 12, 31)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Measure(salesFunnel(), deals, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMeasureByUnit(b *testing.B) {
	deals := randomDeals(rand.New(rand.NewPCG(1, 1)), 10_000)
	org := handOrg(b)
	o := MeasureOptions{AsOf: date.New(2026, 12, 31)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MeasureByUnit(salesFunnel(), deals, org, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReverse plans a year of monthly targets for 30 reps into weekly
// stage and activity targets.
func BenchmarkReverse(b *testing.B) {
	cal, err := goal.NewCalendar(nil)
	if err != nil {
		b.Fatal(err)
	}
	year, _ := cal.Parse("2026")
	months, _ := cal.Split(year, goal.Month)
	var targets []Target
	for r := range 30 {
		for _, p := range months {
			targets = append(targets, Target{Unit: fmt.Sprintf("rep%d", r), Period: p, Revenue: decimal.NewFromInt(int64(50_000 + 1000*r))})
		}
	}
	opts := &ReverseOptions{Calendar: cal, Grain: goal.Week, Activities: []Activity{
		{Metric: "calls", Stage: "lead", PerDeal: decimal.NewFromInt(5)},
		{Metric: "visits", Stage: "qualified", PerDeal: decimal.NewFromInt(3)},
	}}
	m := handModel(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Reverse(m, targets, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPipeline(b *testing.B) {
	deals := randomDeals(rand.New(rand.NewPCG(1, 1)), 10_000)
	m := handModel(b)
	opts := &PipelineOptions{Org: handOrg(b)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Pipeline(m, deals, date.New(2026, 9, 30), opts); err != nil {
			b.Fatal(err)
		}
	}
}
