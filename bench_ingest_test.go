package goalkit_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/internal/cmd/e1/world"
	"github.com/goalkit/goalkit/internal/w1"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
)

// The host's path at a small scale, beside the ledger on the same facts:
// W1's first 200,000 facts through Engine.Ingest into the memory store (and
// into kpi.Ledger), in batches of 4096, and Q1's 93,245 actuals through
// SumMany (and Ledger.Actual). internal/cmd/w1 measures both at 10M facts.

const ingestBenchFacts, ingestBenchBatch = 200_000, 4096

func ingestBenchWorld(b *testing.B) (*world.World, []kpi.Fact) {
	b.Helper()
	w, err := world.New()
	if err != nil {
		b.Fatal(err)
	}
	facts := make([]kpi.Fact, ingestBenchFacts)
	g := world.NewGen()
	for i := range facts {
		w.Fact(&facts[i], i, g.Next())
	}
	return w, facts
}

// newMemoryEngine returns an engine over a fresh memory store presized for
// capacity facts, as the ledger beside it is.
func newMemoryEngine(b *testing.B, w *world.World, capacity int) (*memory.Store, *goalkit.Engine) {
	b.Helper()
	ctx := context.Background()
	s, err := memory.New(memory.Config{Tenant: "w1", Capacity: capacity})
	if err != nil {
		b.Fatal(err)
	}
	e, err := goalkit.New(ctx, s, &goalkit.Config{Metrics: w.Metrics, Calendar: w.Cal})
	if err != nil {
		b.Fatal(err)
	}
	if err := e.SetOrg(ctx, w.Units); err != nil {
		b.Fatal(err)
	}
	return s, e
}

func BenchmarkIngestEngineMemory(b *testing.B) {
	w, facts := ingestBenchWorld(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, e := newMemoryEngine(b, w, len(facts))
		for i := 0; i < len(facts); i += ingestBenchBatch {
			if _, err := e.Ingest(ctx, facts[i:min(i+ingestBenchBatch, len(facts))], kpi.AllOrNothing); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(facts)*b.N)/b.Elapsed().Seconds(), "facts/s")
}

func BenchmarkIngestLedger(b *testing.B) {
	w, facts := ingestBenchWorld(b)
	b.ReportAllocs()
	for b.Loop() {
		l, err := kpi.NewLedger(kpi.LedgerConfig{Org: w.Org, Metrics: w.Metrics, Span: w.Year, Capacity: len(facts)})
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < len(facts); i += ingestBenchBatch {
			if _, err := l.IngestBatch(facts[i:min(i+ingestBenchBatch, len(facts))], kpi.AllOrNothing); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(facts)*b.N)/b.Elapsed().Seconds(), "facts/s")
}

func q1Queries(w *world.World) []storage.Query {
	var qs []storage.Query
	for _, u := range w.Units {
		for _, p := range w.Periods {
			for _, m := range w1.MetricKeys {
				qs = append(qs, storage.Query{Metric: m, Unit: u.ID, Subtree: true, Start: p.Start, End: p.End})
			}
		}
	}
	return qs
}

func BenchmarkQ1SumManyMemory(b *testing.B) {
	w, facts := ingestBenchWorld(b)
	ctx := context.Background()
	s, e := newMemoryEngine(b, w, len(facts))
	if _, err := e.Ingest(ctx, facts, kpi.AllOrNothing); err != nil {
		b.Fatal(err)
	}
	benchQ1(b, s, w)
}

// benchQ1 times Q1's queries through s.SumMany.
func benchQ1(b *testing.B, s storage.Totals, w *world.World) {
	ctx := context.Background()
	qs := q1Queries(w)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.SumMany(ctx, qs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQ1Ledger(b *testing.B) {
	w, facts := ingestBenchWorld(b)
	l, err := kpi.NewLedger(kpi.LedgerConfig{Org: w.Org, Metrics: w.Metrics, Span: w.Year})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := l.IngestBatch(facts, kpi.AllOrNothing); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, u := range w.Units {
			for _, p := range w.Periods {
				for _, m := range w1.MetricKeys {
					if _, err := l.Actual(m, u.ID, p, kpi.Subtree); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	}
}
