package sqlstore_test

import (
	"context"
	"io/fs"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestSumsOverWholeAndPartialMonths checks SumMany over ranges made of
// whole months, of parts of months and of both (PostgreSQL reads the first
// from its monthly totals and the rest from the daily ones) against sums of
// the live facts, after ingest, retraction, a replacement that moves a fact
// to another month, and an org change that rebuilds the subtree totals.
func TestSumsOverWholeAndPartialMonths(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) *sqlstore.Store{
		"sqlite": func(t *testing.T) *sqlstore.Store {
			return newStore(t, openSQLite(t), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"})
		},
		"postgres": func(t *testing.T) *sqlstore.Store {
			return newStore(t, sqltest.Postgres(t), sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme"})
		},
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			units := repOrg(8, 8)
			require.NoError(t, s.PutUnits(ctx, units))
			live := map[string]kpi.Fact{}
			facts := spread(0, 3000)
			_, err := s.AppendFacts(ctx, facts)
			require.NoError(t, err)
			for _, f := range facts {
				live[f.Key] = f
			}
			check := func(step string) {
				t.Helper()
				checkSums(t, s, units, live, step)
			}
			check("ingest")
			for _, k := range []string{"f0000000", "f0000100", "f0002999"} {
				require.NoError(t, s.RetractFact(ctx, k))
				delete(live, k)
			}
			check("retract")
			moved := live["f0000001"]
			moved.Date = date.New(2026, 11, 30)
			moved.Value = decimal.RequireFromString("1234.56")
			require.NoError(t, s.ReplaceFact(ctx, moved))
			live[moved.Key] = moved
			check("replace")
			units[2].Parent = "t1" // rep t0-r0 moves to team t1
			require.NoError(t, s.PutUnits(ctx, units))
			check("reparent")
		})
	}
}

// checkSums compares SumMany with sums of the live facts for every unit,
// subtree or own, over ranges of whole months, partial months and both.
func checkSums(t *testing.T, s storage.Store, units []goal.Unit, live map[string]kpi.Fact, step string) {
	t.Helper()
	d := func(m time.Month, day int) date.Date { return date.New(2026, m, day) }
	ranges := [][2]date.Date{
		{d(1, 1), d(2, 1)}, {d(1, 1), d(4, 1)}, {d(1, 1), date.New(2027, 1, 1)}, {d(2, 1), d(2, 2)},
		{d(1, 15), d(3, 10)}, {d(3, 10), d(3, 20)}, {d(2, 28), d(12, 2)}, {d(6, 1), d(6, 30)}, {d(11, 30), d(12, 1)},
		{date.New(2025, 12, 1), d(1, 31)},
	}
	parent := map[string]string{}
	for _, u := range units {
		parent[u.ID] = u.Parent
	}
	under := func(u, anc string) bool {
		for ; u != ""; u = parent[u] {
			if u == anc {
				return true
			}
		}
		return false
	}
	var qs []storage.Query
	var want []decimal.Decimal
	for _, u := range units {
		for _, subtree := range []bool{false, true} {
			for _, r := range ranges {
				qs = append(qs, storage.Query{Metric: "revenue", Unit: u.ID, Subtree: subtree, Start: r[0], End: r[1]})
				w := decimal.Zero
				for _, f := range live {
					if f.Date >= r[0] && f.Date < r[1] && (f.Unit == u.ID || subtree && under(f.Unit, u.ID)) {
						w = w.Add(f.Value)
					}
				}
				want = append(want, w)
			}
		}
	}
	got, err := s.SumMany(context.Background(), qs)
	require.NoError(t, err)
	for i, q := range qs {
		require.True(t, want[i].Equal(got[i].Value), "%s: %s subtree=%v [%s, %s): want %s, got %s",
			step, q.Unit, q.Subtree, q.Start, q.End, want[i], got[i].Value)
	}
}

// TestMigration0006KeepsTotals loads facts and their buckets as the layout
// before 0006 holds them (own and subtree days), applies 0006 as a host's migration
// tool would, and checks the sums are unchanged though whole months now
// come from the monthly rows, and still after 0008 dropped the subtree rows
// and 0013 the simple facts' daily rows.
func TestMigration0006KeepsTotals(t *testing.T) {
	ctx := context.Background()
	db := sqltest.Postgres(t)
	fsys, err := sqlstore.Migrations(sqlstore.PostgreSQL, "")
	require.NoError(t, err)
	apply := func(name string) {
		b, err := fs.ReadFile(fsys, name)
		require.NoError(t, err)
		_, err = db.Exec(string(b))
		require.NoError(t, err, name)
	}
	names, err := fs.Glob(fsys, "*.sql")
	require.NoError(t, err)
	for _, name := range names {
		if name < "0006" {
			apply(name)
		}
	}
	for _, q := range []string{
		"INSERT INTO goalkit_facts (tenant, fact_key, metric, unit, day, value, currency, retracted) VALUES " +
			"('acme', 'f1', 'm', 'a', '2026-01-05', 10, '', false), ('acme', 'f2', 'm', 'a', '2026-02-03', 5.5, '', false), ('acme', 'f3', 'm', 'co', '2026-02-04', 1, '', false)",
		// f4 is split half and half between a and co: its parts stay daily rows.
		"INSERT INTO goalkit_facts (tenant, fact_key, metric, unit, day, value, currency, credits, parts, retracted) VALUES " +
			`('acme', 'f4', 'm', 'a', '2026-02-05', 4, '', '[{"u":"a","s":"0.5"},{"u":"co","s":"0.5"}]', '[{"u":"a","v":"2","s":"0.5"},{"u":"co","v":"2","s":"0.5"}]', false)`,
		"INSERT INTO goalkit_units (tenant, id, pos, parent, kind, name, active_from, active_until, internal) VALUES " +
			"('acme', 'co', 0, '', 'company', '', '0001-01-01', '9999-12-31', TRUE), ('acme', 'a', 1, 'co', 'rep', '', '0001-01-01', '9999-12-31', FALSE)",
		"INSERT INTO goalkit_daily VALUES ('acme', 's', 'm', 'a', '2026-01-05', 10, 1), ('acme', 't', 'm', 'co', '2026-01-05', 10, 1), " +
			"('acme', 's', 'm', 'a', '2026-02-03', 5.5, 1), ('acme', 't', 'm', 'co', '2026-02-03', 5.5, 1), " +
			"('acme', 's', 'm', 'co', '2026-02-04', 1, 1), ('acme', 't', 'm', 'co', '2026-02-04', 1, 1), " +
			"('acme', 's', 'm', 'a', '2026-02-05', 2, 0.5), ('acme', 's', 'm', 'co', '2026-02-05', 2, 0.5), ('acme', 't', 'm', 'co', '2026-02-05', 4, 1)",
	} {
		_, err := db.Exec(q)
		require.NoError(t, err, q)
	}
	apply("0006_monthly.sql")
	var n int
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM goalkit_monthly WHERE scope = 't'").Scan(&n))
	require.Equal(t, 2, n, "the subtree months of co: January and February")
	// The later migrations (0008 keeps own buckets only) keep the totals.
	for _, name := range names {
		if name >= "0007" {
			apply(name)
		}
	}
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme"})
	require.NoError(t, err)
	q := func(unit string, subtree bool, start, end date.Date) storage.Query {
		return storage.Query{Metric: "m", Unit: unit, Subtree: subtree, Start: start, End: end}
	}
	jan, feb, feb10, mar := date.New(2026, 1, 1), date.New(2026, 2, 1), date.New(2026, 2, 10), date.New(2026, 3, 1)
	got, err := s.SumMany(ctx, []storage.Query{
		q("co", true, jan, feb), q("co", true, jan, feb10), q("co", true, feb, mar), q("co", false, jan, mar), q("a", true, jan, feb10),
	})
	require.NoError(t, err)
	for i, want := range []string{"10", "20.5", "10.5", "3", "17.5"} {
		require.True(t, decimal.RequireFromString(want).Equal(got[i].Value), "query %d: want %s, got %s", i, want, got[i].Value)
	}
}
