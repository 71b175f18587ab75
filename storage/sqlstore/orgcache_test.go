package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestOrgCacheFollowsVersions checks that a store's subtree sums follow
// the org another handle on the same database (another app instance)
// commits, and never an org a rolled-back transaction wrote, though the
// org committed after it has the same version number.
func TestOrgCacheFollowsVersions(t *testing.T) {
	for _, tc := range dialects {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := tc.open(t)
			cfg := sqlstore.Config{Dialect: tc.dialect, Tenant: "acme"}
			a := newStore(t, db, cfg)
			b, err := sqlstore.New(db, cfg)
			require.NoError(t, err)
			org := func(parentOfR0 string) []goal.Unit {
				return []goal.Unit{{ID: "co"}, {ID: "t0", Parent: "co"}, {ID: "t1", Parent: "co"}, {ID: "r0", Parent: parentOfR0}}
			}
			require.NoError(t, a.PutUnits(ctx, org("t0")))
			_, err = a.AppendFacts(ctx, []kpi.Fact{{Key: "k", Metric: "revenue", Unit: "r0", Date: date.New(2026, 3, 1), Value: decimal.NewFromInt(5)}})
			require.NoError(t, err)
			sums := func(s storage.Totals) string {
				var qs []storage.Query
				for _, u := range []string{"co", "t0", "t1"} {
					qs = append(qs, storage.Query{Metric: "revenue", Unit: u, Subtree: true, Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1)})
				}
				tots, err := s.SumMany(ctx, qs)
				require.NoError(t, err)
				return tots[0].Value.String() + " " + tots[1].Value.String() + " " + tots[2].Value.String()
			}
			require.Equal(t, "5 5 0", sums(a))

			require.NoError(t, b.PutUnits(ctx, org("t1")))
			require.Equal(t, "5 0 5", sums(a), "the org another handle committed")

			rollback := errors.New("roll back")
			err = a.InTx(ctx, func(tx storage.Tx) error {
				require.NoError(t, tx.PutUnits(ctx, org("t0")))
				require.Equal(t, "5 5 0", sums(tx), "the transaction's own org")
				return rollback
			})
			require.ErrorIs(t, err, rollback)
			require.NoError(t, b.PutUnits(ctx, org("co")))
			require.Equal(t, "5 0 0", sums(a), "the org committed after it, at the version it had used")
		})
	}
}

// TestOrgCacheSavesUnitReads checks that a second subtree sum on an
// unchanged org reads no unit: one statement fewer than the first.
func TestOrgCacheSavesUnitReads(t *testing.T) {
	ctx := context.Background()
	s, n := countingStore(t, repOrg(2, 2))
	count := func() int64 {
		before := n.Load()
		_, err := s.Sum(ctx, storage.Query{Metric: "revenue", Unit: "co", Subtree: true, Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1)})
		require.NoError(t, err)
		return n.Load() - before
	}
	first := count()
	require.Equal(t, first-1, count())
	require.NoError(t, s.PutUnits(ctx, repOrg(2, 3)))
	require.Equal(t, first, count(), "a new org version is read again")
}
