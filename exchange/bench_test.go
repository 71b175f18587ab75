package exchange_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/internal/w1"
	"github.com/goalkit/goalkit/kpi"
	"github.com/stretchr/testify/require"
)

// benchFacts is how many W1 facts the import benchmarks load.
const benchFacts = 100_000

// BenchmarkImportFacts loads the first benchFacts W1 facts into a fresh
// engine on each store three ways: Engine.Ingest of the facts in batches of
// 10,000 (the peer), ImportFacts from a CSV file with kpi.KeepGood (one
// pass) and with kpi.AllOrNothing (a checking pass, then the writing pass).
// The ratio import ÷ ingest is what reading CSV adds.
func BenchmarkImportFacts(b *testing.B) {
	facts := make([]kpi.Fact, benchFacts)
	for i := range facts {
		rep, day, metric, value := w1.Fact(i)
		facts[i] = kpi.Fact{Key: strconv.Itoa(i), Metric: w1.MetricKeys[metric], Unit: w1.RepID(rep), Date: w1.Date(day), Value: w1.Decimal(metric, value)}
	}
	path := filepath.Join(b.TempDir(), "facts.csv")
	out, err := os.Create(path)
	require.NoError(b, err)
	fw := exchange.NewFactWriter(out, exchange.CSV)
	for _, f := range facts {
		require.NoError(b, fw.Write(f))
	}
	require.NoError(b, fw.Flush())
	require.NoError(b, out.Close())

	ways := []struct {
		name string
		load func(ctx context.Context, e *goalkit.Engine) error
	}{
		{"ingest", func(ctx context.Context, e *goalkit.Engine) error {
			for i := 0; i < len(facts); i += 10_000 {
				if _, err := e.Ingest(ctx, facts[i:min(i+10_000, len(facts))], kpi.AllOrNothing); err != nil {
					return err
				}
			}
			return nil
		}},
		{"csv-keepgood", func(ctx context.Context, e *goalkit.Engine) error { return importFile(ctx, e, path, kpi.KeepGood) }},
		{"csv-allornothing", func(ctx context.Context, e *goalkit.Engine) error { return importFile(ctx, e, path, kpi.AllOrNothing) }},
	}
	for _, store := range storeKinds {
		for _, way := range ways {
			b.Run(store.name+"/"+way.name, func(b *testing.B) {
				ctx := context.Background()
				b.ReportAllocs()
				for b.Loop() {
					b.StopTimer()
					e, err := goalkit.New(ctx, store.open(b), &goalkit.Config{Metrics: w1.Metrics()})
					require.NoError(b, err)
					require.NoError(b, e.SetOrg(ctx, w1.OrgUnits()))
					b.StartTimer()
					require.NoError(b, way.load(ctx, e))
				}
				b.ReportMetric(float64(benchFacts)*float64(b.N)/b.Elapsed().Seconds(), "facts/s")
			})
		}
	}
}

func importFile(ctx context.Context, e *goalkit.Engine, path string, mode kpi.BatchMode) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := exchange.ImportFacts(ctx, e, f, exchange.CSV, &exchange.Options{Mode: mode})
	if err == nil && res.Imported != benchFacts {
		err = os.ErrInvalid
	}
	return err
}
