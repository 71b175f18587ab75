package sqlstore_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// countingDB opens the test schema of db's DSN through a driver wrapper
// that counts the statements sent to the server (executions and queries,
// prepared or not).
func countingDB(t *testing.T) (*sql.DB, *atomic.Int64) {
	dsn := sqltest.DSN(t)
	sdsn, drop, err := sqltest.Schema(context.Background(), dsn, "goalkit_test_")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, drop()) })
	inner, err := stdlib.GetDefaultDriver().(driver.DriverContext).OpenConnector(sdsn)
	require.NoError(t, err)
	n := new(atomic.Int64)
	db := sql.OpenDB(countingConnector{inner, n})
	t.Cleanup(func() { db.Close() })
	return db, n
}

// countingStore returns a migrated PostgreSQL store on a countingDB with
// the org units, and the statement counter.
func countingStore(t *testing.T, units []goal.Unit) (*sqlstore.Store, *atomic.Int64) {
	ctx := context.Background()
	db, n := countingDB(t)
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme"})
	require.NoError(t, err)
	_, err = s.Migrate(ctx)
	require.NoError(t, err)
	require.NoError(t, s.PutUnits(ctx, units))
	return s, n
}

type countingConnector struct {
	driver.Connector
	n *atomic.Int64
}

func (c countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return countingConn{conn.(innerConn), c.n}, nil
}

// innerConn is what pgx's stdlib connection implements and the wrapper
// forwards.
type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.NamedValueChecker
}

type countingConn struct {
	innerConn
	n *atomic.Int64
}

func (c countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	c.n.Add(1)
	return c.innerConn.ExecContext(ctx, q, args)
}

func (c countingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	c.n.Add(1)
	return c.innerConn.QueryContext(ctx, q, args)
}

func (c countingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	st, err := c.innerConn.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return countingStmt{st.(innerStmt), c.n}, nil
}

type innerStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

type countingStmt struct {
	innerStmt
	n *atomic.Int64
}

func (s countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.n.Add(1)
	return s.innerStmt.ExecContext(ctx, args)
}

func (s countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.n.Add(1)
	return s.innerStmt.QueryContext(ctx, args)
}

// repOrg is a company of teams of reps: 1 + teams + teams×reps units.
func repOrg(teams, reps int) []goal.Unit {
	units := []goal.Unit{{ID: "co", Kind: "company"}}
	for i := range teams {
		units = append(units, goal.Unit{ID: fmt.Sprintf("t%d", i), Parent: "co", Kind: "team"})
		for j := range reps {
			units = append(units, goal.Unit{ID: fmt.Sprintf("t%d-r%d", i, j), Parent: fmt.Sprintf("t%d", i), Kind: "rep"})
		}
	}
	return units
}

// spread returns n facts from key from on, over the reps of repOrg(8, 8)
// and the days of 2026.
func spread(from, n int) []kpi.Fact {
	fs := make([]kpi.Fact, n)
	for i := range fs {
		k := from + i
		fs[i] = kpi.Fact{Key: fmt.Sprintf("f%07d", k), Metric: "revenue", Unit: fmt.Sprintf("t%d-r%d", k%8, k/8%8),
			Date: date.New(2026, 1, 1) + date.Date(k*7%365), Value: decimal.New(int64(k%10000), -2)}
	}
	return fs
}

// TestPostgresBatchIsAFewStatements checks that a PostgreSQL ingest sends
// as many statements for 5,000 facts as for 50: the batch is staged in one
// statement per table, not in chunks of rows.
func TestPostgresBatchIsAFewStatements(t *testing.T) {
	ctx := context.Background()
	s, n := countingStore(t, repOrg(8, 8))
	count := func(facts []kpi.Fact) int64 {
		before := n.Load()
		out, err := s.AppendFacts(ctx, facts)
		require.NoError(t, err)
		for _, o := range out {
			require.Equal(t, storage.Inserted, o)
		}
		return n.Load() - before
	}
	small := count(spread(0, 50))
	large := count(spread(50, 5000))
	require.Equal(t, small, large, "statements for 50 facts, for 5,000")
	tot, err := s.Sum(ctx, storage.Query{Metric: "revenue", Unit: "co", Subtree: true, Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1)})
	require.NoError(t, err)
	want := decimal.Zero
	for _, f := range spread(0, 5050) {
		want = want.Add(f.Value)
	}
	require.True(t, want.Equal(tot.Value), "want %s, got %s", want, tot.Value)
}

// TestArrayStagingKeepsText ingests facts whose text fields hold what an
// array literal must escape, and reads them back unchanged.
func TestArrayStagingKeepsText(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, sqltest.Postgres(t), sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme"})
	texts := []string{`a"b`, `c\d`, `e,f`, `{g}`, `NULL`, ` h `, "", `\"`, "日本", `'`, "x\ty\nz"}
	var facts []kpi.Fact
	for i, x := range texts {
		facts = append(facts, kpi.Fact{Key: "k" + x, Metric: "m" + x, Unit: "u" + x, Date: date.New(2026, 1, 1),
			Value: decimal.NewFromInt(int64(i)), Currency: x, Dims: map[string]string{"d" + x: x}})
	}
	out, err := s.AppendFacts(ctx, facts)
	require.NoError(t, err)
	for i, f := range facts {
		require.Equal(t, storage.Inserted, out[i], f.Key)
		got, err := s.GetFact(ctx, f.Key)
		require.NoError(t, err, f.Key)
		require.Equal(t, f.Metric, got.Metric)
		require.Equal(t, f.Unit, got.Unit)
		require.Equal(t, f.Currency, got.Currency)
		require.Equal(t, f.Dims, got.Dims)
		require.True(t, f.Value.Equal(got.Value))
	}
	out, err = s.AppendFacts(ctx, facts)
	require.NoError(t, err)
	for i := range facts {
		require.Equal(t, storage.Unchanged, out[i], "redelivered %q", facts[i].Key)
	}
}

// dialects opens a database of each dialect, for tests run on both.
var dialects = []struct {
	name    string
	open    func(testing.TB) *sql.DB
	dialect sqlstore.Dialect
}{{"SQLite", sqltest.SQLite, sqlstore.SQLite}, {"PostgreSQL", func(tb testing.TB) *sql.DB { return sqltest.Postgres(tb) }, sqlstore.PostgreSQL}}

// TestOwnBucketsOnly checks the layout of migrations 0008 and 0013 in both
// dialects: a batch of simple facts writes no daily row (simple facts are
// their own daily buckets), none for the ancestors, and an org move writes
// no totals while the subtree totals follow it from its day on.
func TestOwnBucketsOnly(t *testing.T) {
	for _, tc := range dialects {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := tc.open(t)
			s := newStore(t, db, sqlstore.Config{Dialect: tc.dialect, Tenant: "acme"})
			require.NoError(t, s.PutUnits(ctx, repOrg(8, 8)))
			facts := spread(0, 500)
			_, err := s.AppendFacts(ctx, facts)
			require.NoError(t, err)
			rows := func() []string {
				r, err := db.QueryContext(ctx, "SELECT * FROM goalkit_daily ORDER BY unit, day")
				require.NoError(t, err)
				defer r.Close()
				cols, err := r.Columns()
				require.NoError(t, err)
				var out []string
				for r.Next() {
					vals := make([]any, len(cols))
					ptrs := make([]any, len(cols))
					for i := range vals {
						ptrs[i] = &vals[i]
					}
					require.NoError(t, r.Scan(ptrs...))
					out = append(out, fmt.Sprint(vals...))
				}
				require.NoError(t, r.Err())
				return out
			}
			before := rows()
			require.Empty(t, before, "simple facts are their own daily buckets")

			jul := date.New(2026, 7, 1)
			v, err := s.OrgVersion(ctx)
			require.NoError(t, err)
			_, err = s.EditOrg(ctx, goal.MoveUnit("t0-r0", "t1", jul), v)
			require.NoError(t, err)
			require.Equal(t, before, rows(), "a move writes no totals")

			sum := func(unit string, start, end date.Date) decimal.Decimal {
				tot, err := s.Sum(ctx, storage.Query{Metric: "revenue", Unit: unit, Subtree: true, Start: start, End: end})
				require.NoError(t, err)
				return tot.Value
			}
			want := func(team string, start, end date.Date) decimal.Decimal {
				w := decimal.Zero
				for _, f := range facts {
					in := f.Unit[:2] == team
					if f.Unit == "t0-r0" && f.Date >= jul {
						in = team == "t1"
					}
					if in && f.Date >= start && f.Date < end {
						w = w.Add(f.Value)
					}
				}
				return w
			}
			jan, dec := date.New(2026, 1, 1), date.New(2027, 1, 1)
			for _, team := range []string{"t0", "t1"} {
				for _, r := range [][2]date.Date{{jan, dec}, {jan, jul}, {jul, dec}, {date.New(2026, 6, 20), date.New(2026, 7, 10)}} {
					require.True(t, want(team, r[0], r[1]).Equal(sum(team, r[0], r[1])), "%s [%s, %s)", team, r[0], r[1])
				}
			}
		})
	}
}

// TestStoredKeyLateInBatch redelivers one stored fact at the end of a batch
// of new ones longer than a statement's chunk: the plain insert of the
// batch fails on it after earlier chunks went in, the store rolls them back
// and inserts again skipping the stored key, so every new fact is inserted
// once, the stored one is unchanged, and the totals count each fact once.
func TestStoredKeyLateInBatch(t *testing.T) {
	for _, tc := range dialects {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := newStore(t, tc.open(t), sqlstore.Config{Dialect: tc.dialect, Tenant: "acme"})
			require.NoError(t, s.PutUnits(ctx, repOrg(8, 8)))
			stored := spread(0, 1)
			_, err := s.AppendFacts(ctx, stored)
			require.NoError(t, err)
			batch := append(spread(1, 1200), stored[0])
			out, err := s.AppendFacts(ctx, batch)
			require.NoError(t, err)
			for i, o := range out[:len(out)-1] {
				require.Equal(t, storage.Inserted, o, batch[i].Key)
			}
			require.Equal(t, storage.Unchanged, out[len(out)-1])
			tot, err := s.Sum(ctx, storage.Query{Metric: "revenue", Unit: "co", Subtree: true, Start: date.New(2026, 1, 1), End: date.New(2026, 2, 10)})
			require.NoError(t, err)
			want, n := decimal.Zero, 0
			for _, f := range spread(0, 1201) {
				if f.Date < date.New(2026, 2, 10) {
					want, n = want.Add(f.Value), n+1
				}
			}
			require.True(t, want.Equal(tot.Value), "want %s, got %s", want, tot.Value)
			require.True(t, decimal.NewFromInt(int64(n)).Equal(tot.Count), "want %d facts, got %s", n, tot.Count)
		})
	}
}
