package memory_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/goalkit/goalkit/internal/w1"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage/memory"
)

// BenchmarkIngestW1 appends 200k W1 facts in batches of 4096 into a fresh
// store with the W1 org, as internal/cmd/e1 -quick does directly.
func BenchmarkIngestW1(b *testing.B) {
	const n, batch = 200_000, 4096
	ctx := context.Background()
	facts := make([]kpi.Fact, n)
	g := w1.NewGen()
	for i := range facts {
		rep, day, m, v := w1.Draw(g.Next())
		facts[i] = kpi.Fact{Key: strconv.Itoa(i), Metric: w1.MetricKeys[m], Unit: w1.RepID(rep), Date: w1.Date(day), Value: w1.Decimal(m, v)}
	}
	units := w1.OrgUnits()
	b.ReportAllocs()
	for b.Loop() {
		s, err := memory.New(memory.Config{Tenant: "w1"})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.PutUnits(ctx, units); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < n; i += batch {
			if _, err := s.AppendFacts(ctx, facts[i:min(i+batch, n)]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "facts/s")
}
