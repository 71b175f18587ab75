package pgxcopy_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/goalkit/goalkit/storage/sqlstore/pgxcopy"
	"github.com/goalkit/goalkit/storage/storagetest"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestConformance runs the whole suite on a PostgreSQL store that stages
// its batches with COPY.
func TestConformance(t *testing.T) {
	db := sqltest.Postgres(t)
	var n atomic.Int64
	storagetest.Run(t, storagetest.Harness{
		Open: func(t *testing.T) storagetest.Opener {
			cfg := sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme", TablePrefix: fmt.Sprintf("c%d_", n.Add(1)), Copier: pgxcopy.Copier{}}
			sqltest.Store(t, db, cfg)
			return func(tenant string, fault storage.FaultFunc) storage.Store {
				c := cfg
				c.Tenant, c.Fault = tenant, fault
				s, err := sqlstore.New(db, c)
				require.NoError(t, err)
				return s
			}
		},
		ConcurrentWriters: true,
		FaultInjection:    true,
		Parallel:          true,
	})
}

func fact(key, unit string, day date.Date, v int64) kpi.Fact {
	return kpi.Fact{Key: key, Metric: "revenue", Unit: unit, Date: day, Value: decimal.NewFromInt(v), Currency: "CNY"}
}

// TestCopyMatchesArrays checks that a batch staged with COPY leaves the
// same facts and totals as one staged with array parameters, including
// values that need quoting, a repeated batch and a second batch in the
// same transaction.
func TestCopyMatchesArrays(t *testing.T) {
	ctx := context.Background()
	db := sqltest.Postgres(t)
	day := date.New(2026, 3, 14)
	batch := []kpi.Fact{
		fact(`a"\,{}`, "u1", day, 5),
		fact("b", "u1", day, 7),
		fact("c", "u2", day+20, 11),
	}
	batch[1].Dims = map[string]string{"k": `va"l\ue`}
	var sums [2][]decimal.Decimal
	for i, copier := range []sqlstore.Copier{nil, pgxcopy.Copier{}} {
		s := sqltest.Store(t, db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme", TablePrefix: fmt.Sprintf("m%d_", i), Copier: copier})
		require.NoError(t, s.PutUnits(ctx, []goal.Unit{{ID: "root"}, {ID: "u1", Parent: "root"}, {ID: "u2", Parent: "root"}}))
		err := s.InTx(ctx, func(tx storage.Tx) error {
			if _, err := tx.AppendFacts(ctx, batch[:2]); err != nil {
				return err
			}
			out, err := tx.AppendFacts(ctx, batch)
			require.Equal(t, []storage.Outcome{storage.Unchanged, storage.Unchanged, storage.Inserted}, out)
			return err
		})
		require.NoError(t, err)
		got, err := s.GetFact(ctx, batch[1].Key)
		require.NoError(t, err)
		require.Equal(t, batch[1].Dims, got.Dims)
		_, err = s.GetFact(ctx, batch[0].Key)
		require.NoError(t, err)
		res, err := s.SumMany(ctx, []storage.Query{
			{Metric: "revenue", Unit: "root", Subtree: true, Start: day, End: day+60},
			{Metric: "revenue", Unit: "u1", Start: day, End: day+1},
			{Metric: "revenue", Unit: "root", Subtree: true, Start: date.New(2026, 4, 1), End: date.New(2026, 5, 1)},
		})
		require.NoError(t, err)
		for _, r := range res {
			sums[i] = append(sums[i], r.Value)
		}
	}
	require.Equal(t, "23 12 11", fmt.Sprint(sums[1][0], sums[1][1], sums[1][2]))
	require.Equal(t, fmt.Sprint(sums[0]), fmt.Sprint(sums[1]))
}
