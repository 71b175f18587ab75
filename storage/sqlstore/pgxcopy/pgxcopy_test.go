package pgxcopy_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
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

// TestConformance runs the whole suite on a PostgreSQL store that loads
// its facts with COPY.
func TestConformance(t *testing.T) {
	db := sqltest.Postgres(t)
	var n atomic.Int64
	storagetest.Run(t, storagetest.Harness{
		Open: func(t *testing.T) storagetest.Opener {
			cfg := sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme", TablePrefix: fmt.Sprintf("c%d_", n.Add(1)), Copier: pgxcopy.Copier{}}
			sqltest.Store(t, db, cfg)
			return func(tenant string) storage.Store {
				c := cfg
				c.Tenant = tenant
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

// counting counts the rows a Copier was handed.
type counting struct {
	pgxcopy.Copier
	rows *atomic.Int64
}

func (c counting) CopyFrom(ctx context.Context, dc any, table string, columns []string, rows [][]any) (int64, error) {
	c.rows.Add(int64(len(rows)))
	return c.Copier.CopyFrom(ctx, dc, table, columns, rows)
}

// facts returns n seeded facts of every shape the store keeps: simple
// ones, split between two reps, over a range of days, with dimensions and
// text that needs quoting, and values of every size and sign.
func facts(r *rand.Rand, from, n int) []kpi.Fact {
	values := []decimal.Decimal{
		decimal.RequireFromString("0.01"), decimal.RequireFromString("-17.5"), decimal.RequireFromString("123456789012345678901.5678"),
		decimal.RequireFromString("1e12"), decimal.RequireFromString("-0.000000000001"), decimal.NewFromInt(3),
	}
	out := make([]kpi.Fact, n)
	for i := range out {
		k := from + i
		f := kpi.Fact{Key: fmt.Sprintf(`k"\,{%d}`, k), Metric: "revenue", Unit: fmt.Sprintf("r%d", r.IntN(4)),
			Date: date.New(2026, 1, 1) + date.Date(r.IntN(200)), Value: values[r.IntN(len(values))], Currency: "CNY"}
		switch r.IntN(4) {
		case 1:
			f.Credits = []kpi.Credit{{Unit: "r0", Share: decimal.RequireFromString("0.4")}, {Unit: "r3", Share: decimal.RequireFromString("0.6")}}
		case 2:
			f.End = f.Date + date.Date(1+r.IntN(60))
		case 3:
			f.Dims = map[string]string{"product": `a"b\c`}
		}
		out[i] = f
	}
	return out
}

// TestCopyMatchesArrays loads the same batches into a store with the
// Copier and one without: every batch goes through COPY, the one that
// repeats stored keys falls back to ON CONFLICT, and both stores end with
// the same facts and the same totals.
func TestCopyMatchesArrays(t *testing.T) {
	ctx := context.Background()
	db := sqltest.Postgres(t)
	r := rand.New(rand.NewPCG(7, 7))
	first, second := facts(r, 0, 300), facts(r, 300, 300)
	repeat := append(append([]kpi.Fact{}, first[100:150]...), second[:50]...)
	var copied atomic.Int64
	var got [2][]string
	for i, copier := range []sqlstore.Copier{nil, counting{rows: &copied}} {
		s := sqltest.Store(t, db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme", TablePrefix: fmt.Sprintf("m%d_", i), Copier: copier})
		units := []goal.Unit{{ID: "co"}}
		for u := range 4 {
			units = append(units, goal.Unit{ID: fmt.Sprintf("r%d", u), Parent: "co"})
		}
		require.NoError(t, s.PutUnits(ctx, units))
		_, err := s.AppendFacts(ctx, first)
		require.NoError(t, err)
		err = s.InTx(ctx, func(tx storage.Tx) error {
			if _, err := tx.AppendFacts(ctx, second); err != nil {
				return err
			}
			out, err := tx.AppendFacts(ctx, repeat)
			for _, o := range out {
				require.Equal(t, storage.Unchanged, o)
			}
			return err
		})
		require.NoError(t, err)
		stored, err := s.ListFacts(ctx, "", 0)
		require.NoError(t, err)
		require.Len(t, stored, 600)
		for _, f := range stored {
			got[i] = append(got[i], fmt.Sprintf("%+v", f))
		}
		var qs []storage.Query
		for _, u := range []string{"co", "r0", "r1", "r3"} {
			for _, p := range [][2]date.Date{{date.New(2026, 1, 1), date.New(2027, 1, 1)}, {date.New(2026, 2, 1), date.New(2026, 3, 1)}, {date.New(2026, 2, 10), date.New(2026, 4, 17)}} {
				qs = append(qs, storage.Query{Metric: "revenue", Unit: u, Subtree: u == "co", Start: p[0], End: p[1]})
			}
		}
		sums, err := s.SumMany(ctx, qs)
		require.NoError(t, err)
		for _, sum := range sums {
			got[i] = append(got[i], sum.Value.String()+"/"+sum.Count.String())
		}
	}
	require.Equal(t, got[0], got[1])
	// first and second through COPY; repeat tried with COPY, then ON CONFLICT.
	require.Equal(t, int64(len(first)+len(second)+len(repeat)), copied.Load())
}

// failing is a Copier that fails without writing.
type failing struct{}

var errBroken = errors.New("broken copier")

func (failing) CopyFrom(context.Context, any, string, []string, [][]any) (int64, error) {
	return 0, errBroken
}

// TestCopierFaultIsReported checks that a Copier that fails where no key
// is stored fails the write, naming its error, and leaves nothing behind,
// though the ON CONFLICT insert it falls back to would have succeeded.
func TestCopierFaultIsReported(t *testing.T) {
	ctx := context.Background()
	s := sqltest.Store(t, sqltest.Postgres(t), sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme", Copier: failing{}})
	require.NoError(t, s.PutUnits(ctx, []goal.Unit{{ID: "co"}, {ID: "r0", Parent: "co"}}))
	f := kpi.Fact{Key: "a", Metric: "revenue", Unit: "r0", Date: date.New(2026, 3, 1), Value: decimal.NewFromInt(5)}
	_, err := s.AppendFacts(ctx, []kpi.Fact{f})
	require.ErrorIs(t, err, errBroken)
	_, err = s.GetFact(ctx, "a")
	require.ErrorIs(t, err, storage.ErrNotFound)
	sums, err := s.SumMany(ctx, []storage.Query{{Metric: "revenue", Unit: "co", Subtree: true, Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1)}})
	require.NoError(t, err)
	require.True(t, sums[0].Value.IsZero())
}

// TestNotPgx checks the error on a connection of another driver.
func TestNotPgx(t *testing.T) {
	_, err := pgxcopy.Copier{}.CopyFrom(context.Background(), struct{}{}, "facts", []string{"a"}, [][]any{{"x"}})
	require.ErrorIs(t, err, pgxcopy.ErrNotPgx)
	require.ErrorContains(t, err, "struct {}")
}
