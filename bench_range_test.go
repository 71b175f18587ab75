package goalkit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// What a range fact costs against its peer, the same amounts written as
// one fact a day (spread by hand with kpi.SpreadDays, so both write the
// same buckets): a year of weekly totals for 256 reps in 16 teams,
// through Engine.Ingest in batches of 4096 facts (days), on memory and
// SQLite. And what conversion costs: the same daily facts booked in USD
// and converted, against them booked in CNY.

const rangeBenchReps, rangeBenchWeeks = 256, 52

func rangeBenchOrg() []goal.Unit {
	units := []goal.Unit{{ID: "co"}}
	for t := range 16 {
		units = append(units, goal.Unit{ID: fmt.Sprint("t", t), Parent: "co"})
	}
	for r := range rangeBenchReps {
		units = append(units, goal.Unit{ID: fmt.Sprint("r", r), Parent: fmt.Sprint("t", r%16)})
	}
	return units
}

// rangeBenchFacts returns the weekly range facts and the same as daily
// facts in currency cur.
func rangeBenchFacts(b *testing.B, cur string) (weekly, daily []kpi.Fact) {
	monday := date.New(2025, 12, 29)
	for r := range rangeBenchReps {
		for w := range rangeBenchWeeks {
			start := monday + date.Date(7*w)
			v := decimal.New(int64(100_000+(r*7919+w*104729)%900_000), -2)
			key := fmt.Sprintf("r%d/w%d", r, w)
			weekly = append(weekly, kpi.Fact{Key: key, Metric: "revenue", Unit: fmt.Sprint("r", r), Date: start, End: start + 7, Value: v, Currency: cur})
			days, parts, err := kpi.SpreadDays(v, 2, start, start+7, false, nil)
			if err != nil {
				b.Fatal(err)
			}
			for i, d := range days {
				daily = append(daily, kpi.Fact{Key: fmt.Sprintf("%s/%d", key, i), Metric: "revenue", Unit: fmt.Sprint("r", r), Date: d, Value: parts[i], Currency: cur})
			}
		}
	}
	return weekly, daily
}

func benchIngest(b *testing.B, open func(b *testing.B) storage.Store, rates goalkit.RateSource, facts []kpi.Fact, batch int) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		e, err := goalkit.New(ctx, open(b), &goalkit.Config{Metrics: []goal.Metric{{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}}, Rates: rates})
		if err != nil {
			b.Fatal(err)
		}
		if err := e.SetOrg(ctx, rangeBenchOrg()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for i := 0; i < len(facts); i += batch {
			if _, err := e.Ingest(ctx, facts[i:min(i+batch, len(facts))], kpi.AllOrNothing); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(facts)), "facts/op")
}

var rangeBenchStores = []struct {
	name string
	open func(b *testing.B) storage.Store
}{
	{"memory", func(b *testing.B) storage.Store {
		s, err := memory.New(memory.Config{Tenant: "acme"})
		if err != nil {
			b.Fatal(err)
		}
		return s
	}},
	{"sqlite", func(b *testing.B) storage.Store {
		return sqltest.Store(b, sqltest.SQLite(b), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"})
	}},
}

func BenchmarkIngestRange(b *testing.B) {
	weekly, daily := rangeBenchFacts(b, "")
	for _, s := range rangeBenchStores {
		// A batch of 4096 days: 585 weeks.
		b.Run(s.name+"/weekly-range", func(b *testing.B) { benchIngest(b, s.open, nil, weekly, 4096/7) })
		b.Run(s.name+"/daily-peer", func(b *testing.B) { benchIngest(b, s.open, nil, daily, 4096) })
	}
}

func BenchmarkIngestConverted(b *testing.B) {
	_, usd := rangeBenchFacts(b, "USD")
	_, cny := rangeBenchFacts(b, "CNY")
	rates := &goalkit.RateTable{}
	for m := range 12 {
		if err := rates.Set("USD", "CNY", date.New(2025, 12, 1).AddDate(0, m, 0), decimal.New(7100+int64(m), -3)); err != nil {
			b.Fatal(err)
		}
	}
	for _, s := range rangeBenchStores {
		b.Run(s.name+"/usd-converted", func(b *testing.B) { benchIngest(b, s.open, rates, usd, 4096) })
		b.Run(s.name+"/cny-peer", func(b *testing.B) { benchIngest(b, s.open, rates, cny, 4096) })
	}
}
