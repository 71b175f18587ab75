package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/internal/cmd/e1/world"
	"github.com/goalkit/goalkit/internal/w1"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/goalkit/goalkit/storage/sqlstore/pgxcopy"
)

// instances is how many app instances -stores multi runs.
var instances = flag.Int("instances", 4, "app instances of -stores multi: engines on their own *sql.DB pools, loading W1 from one queue at once")

// multi measures I1 as several instances of one host run it on one
// PostgreSQL database: k engines, each over its own *sql.DB pool and
// store (with COPY), take W1's batches from one queue at once, as app
// servers working off an import queue do. "multi1 I1" has them all write
// tenant w1, whose write lock serialises their transactions; "multiN I1"
// gives each its own tenant, so they write in parallel. The first is
// checked by all of Q1's answers; the second by the company's totals
// summed over the tenants.
func multi(ctx context.Context, t timings, dsn string, n, batch, k int, expect []int64) error {
	for _, shared := range []bool{true, false} {
		name, prefix := "multiN I1", "multin_"
		if shared {
			name, prefix = "multi1 I1", "multi1_"
		}
		engines := make([]*goalkit.Engine, k)
		stores := make([]storage.Store, k)
		for i := range k {
			db, err := sql.Open("pgx", dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			tenant := "w1"
			if !shared {
				tenant = fmt.Sprintf("w1-%d", i)
			}
			s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: tenant, TablePrefix: prefix, Copier: pgxcopy.Copier{}})
			if err != nil {
				return err
			}
			if i == 0 {
				if _, err := s.Migrate(ctx); err != nil {
					return err
				}
			}
			if engines[i], _, err = newEngine(ctx, s, i == 0 || !shared); err != nil {
				return err
			}
			stores[i] = s
		}
		w, err := world.New()
		if err != nil {
			return err
		}
		queue := make(chan []kpi.Fact, k)
		errs := make([]error, k)
		var wg sync.WaitGroup
		start := time.Now()
		for i, e := range engines {
			wg.Go(func() {
				for facts := range queue {
					if errs[i] != nil {
						continue // drain, so the producer ends
					}
					if _, err := e.Ingest(ctx, facts, kpi.AllOrNothing); err != nil {
						errs[i] = fmt.Errorf("%s: instance %d: %w", name, i, err)
					}
				}
			})
		}
		err = w.Batches(n, batch, func(facts []kpi.Fact) error {
			queue <- slices.Clone(facts)
			return nil
		})
		close(queue)
		wg.Wait()
		d := time.Since(start)
		for _, e := range append(errs, err) {
			if e != nil {
				return e
			}
		}
		t.add(name, d)
		if err := checkMulti(ctx, name, stores, shared, expect); err != nil {
			return err
		}
	}
	return nil
}

// checkMulti checks a multi run: with one tenant, all of Q1's answers;
// with a tenant per instance, each yearly company total summed over them.
func checkMulti(ctx context.Context, name string, stores []storage.Store, shared bool, expect []int64) error {
	qs := queries()
	if !shared {
		qs = qs[:w1.NumMetrics] // the company's FY totals come first
	}
	sums := make([]storage.Total, len(qs))
	for _, s := range stores {
		tots, err := s.SumMany(ctx, qs)
		if err != nil {
			return fmt.Errorf("%s: Q1: %w", name, err)
		}
		for i, tot := range tots {
			sums[i].Value = sums[i].Value.Add(tot.Value)
		}
		if shared {
			break
		}
	}
	for i, tot := range sums {
		if w := w1.Decimal(i%w1.NumMetrics, expect[i]); !w.Equal(tot.Value) {
			return fmt.Errorf("%s: figure %d (%s %s) is %s, want %s", name, i, qs[i].Unit, qs[i].Metric, tot.Value, w)
		}
	}
	return nil
}
