package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestNewValidatesConfig(t *testing.T) {
	db := openSQLite(t)
	for name, cfg := range map[string]sqlstore.Config{
		"no dialect":      {Tenant: "a"},
		"no tenant":       {Dialect: sqlstore.SQLite},
		"upper prefix":    {Dialect: sqlstore.SQLite, Tenant: "a", TablePrefix: "Goal_"},
		"injected prefix": {Dialect: sqlstore.SQLite, Tenant: "a", TablePrefix: "x; DROP TABLE y; --"},
		"digit first":     {Dialect: sqlstore.SQLite, Tenant: "a", TablePrefix: "1x_"},
		"negative busy":   {Dialect: sqlstore.SQLite, Tenant: "a", BusyTimeout: -1},
		"NUL in tenant":   {Dialect: sqlstore.PostgreSQL, Tenant: "a\x00"},
		"bad UTF-8":       {Dialect: sqlstore.PostgreSQL, Tenant: "a\xff"},
	} {
		_, err := sqlstore.New(db, cfg)
		require.ErrorIs(t, err, storage.ErrInvalid, name)
	}
	_, err := sqlstore.New(nil, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "a"})
	require.ErrorIs(t, err, storage.ErrInvalid)
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "a"})
	require.NoError(t, err)
	_, err = s.ForTenant("")
	require.ErrorIs(t, err, storage.ErrInvalid)
	_, err = s.ForTenant("a\x00")
	require.ErrorIs(t, err, storage.ErrInvalid)
}

func TestMigrateIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "a"})
	require.NoError(t, err)
	files, err := sqlstore.Migrations(sqlstore.SQLite, "")
	require.NoError(t, err)
	all, err := fs.Glob(files, "*.sql")
	require.NoError(t, err)
	n, err := s.Migrate(ctx)
	require.NoError(t, err)
	require.Equal(t, len(all), n, "every migration is applied")
	n, err = s.Migrate(ctx)
	require.NoError(t, err)
	require.Equal(t, 0, n, "nothing left to apply")
	var mode string
	require.NoError(t, db.QueryRow("PRAGMA journal_mode").Scan(&mode))
	require.Equal(t, "wal", mode)
}

func TestMigrationsAsFiles(t *testing.T) {
	for _, d := range []sqlstore.Dialect{sqlstore.SQLite, sqlstore.PostgreSQL} {
		fsys, err := sqlstore.Migrations(d, "crm_goalkit_")
		require.NoError(t, err)
		names, err := fs.Glob(fsys, "*.sql")
		require.NoError(t, err)
		require.Equal(t, "0001_init.sql", names[0])
		require.Contains(t, names, "0002_outbox_claims.sql")
		require.Contains(t, names, "0003_org_history.sql")
		require.Contains(t, names, "0004_alert_state.sql")
		if d == sqlstore.PostgreSQL {
			require.Contains(t, names, "0006_monthly.sql")
		}
		b, err := fs.ReadFile(fsys, "0001_init.sql")
		require.NoError(t, err)
		require.Contains(t, string(b), "CREATE TABLE crm_goalkit_facts")
		require.NotContains(t, string(b), "{{prefix}}")
	}
	_, err := sqlstore.Migrations(sqlstore.SQLite, "Bad-Prefix")
	require.ErrorIs(t, err, storage.ErrInvalid)
}

// TestHostMigrationTool applies the files as a host's tool would and uses
// the store without Migrate.
func TestHostMigrationTool(t *testing.T) {
	db := openSQLite(t)
	fsys, err := sqlstore.Migrations(sqlstore.SQLite, "")
	require.NoError(t, err)
	files, err := fs.Glob(fsys, "*.sql") // in order: NNNN_name.sql
	require.NoError(t, err)
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		require.NoError(t, err)
		_, err = db.Exec(string(b))
		require.NoError(t, err, f)
	}
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "a"})
	require.NoError(t, err)
	_, err = s.AppendFacts(context.Background(), []kpi.Fact{{Key: "k", Metric: "m", Unit: "u", Date: date.New(2026, 1, 1), Value: decimal.NewFromInt(1)}})
	require.NoError(t, err)
}

func TestPrefixesLiveSideBySide(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	_, err := db.Exec("CREATE TABLE facts (id INTEGER PRIMARY KEY, note TEXT)") // the host's own table
	require.NoError(t, err)
	a := newStore(t, db, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "t", TablePrefix: "a_"})
	b := newStore(t, db, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "t", TablePrefix: "b_"})
	f := kpi.Fact{Key: "k", Metric: "m", Unit: "u", Date: date.New(2026, 1, 1), Value: decimal.NewFromInt(1)}
	_, err = a.AppendFacts(ctx, []kpi.Fact{f})
	require.NoError(t, err)
	_, err = b.GetFact(ctx, "k")
	require.ErrorIs(t, err, storage.ErrNotFound)
	var n int
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM facts").Scan(&n))
	require.Zero(t, n, "the host's table is untouched")
}

// TestSQLiteSumOverflowFallsBack stores values whose high parts overflow
// SQLite's int64 SUM and checks the exact total still comes back.
func TestSQLiteSumOverflowFallsBack(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, openSQLite(t), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "a"})
	big := decimal.RequireFromString("999999999999999999999.999999999999")
	var facts []kpi.Fact
	want := decimal.Zero
	for i := 0; i < 40; i++ {
		facts = append(facts, kpi.Fact{Key: strings.Repeat("k", i+1), Metric: "m", Unit: "u", Date: date.New(2026, 1, 1) + date.Date(i), Value: big})
		want = want.Add(big)
	}
	_, err := s.AppendFacts(ctx, facts)
	require.NoError(t, err)
	tot, err := s.Sum(ctx, storage.Query{Metric: "m", Unit: "u", Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1)})
	require.NoError(t, err)
	require.True(t, want.Equal(tot.Value), "want %s, got %s", want, tot.Value)
	require.True(t, decimal.NewFromInt(40).Equal(tot.Count))
	// Whole months are monthly rows, which SQLite does not sum; a range of
	// two partial months sums 38 days' rows, beyond int64.
	tot, err = s.Sum(ctx, storage.Query{Metric: "m", Unit: "u", Start: date.New(2026, 1, 2), End: date.New(2026, 2, 9)})
	require.NoError(t, err)
	want = big.Mul(decimal.NewFromInt(38))
	require.True(t, want.Equal(tot.Value), "want %s, got %s", want, tot.Value)
	require.True(t, decimal.NewFromInt(38).Equal(tot.Count))
}

// TestSQLiteMonthOverflow writes more into one month of one unit than a
// SQLite monthly bucket holds exactly (±9.2×10^23): the write fails whole
// with ErrOverflow, naming the month, and every total stays exact.
func TestSQLiteMonthOverflow(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, openSQLite(t), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "a"})
	big := decimal.RequireFromString("999999999999999999999.999999999999")
	batch := func(from, n int) []kpi.Fact {
		var facts []kpi.Fact
		for i := from; i < from+n; i++ {
			facts = append(facts, kpi.Fact{Key: fmt.Sprint("k", i), Metric: "m", Unit: "u", Date: date.New(2026, 3, 1+i%31), Value: big})
		}
		return facts
	}
	year := storage.Query{Metric: "m", Unit: "u", Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1)}
	requireTotal := func(n int64, what string) {
		t.Helper()
		tot, err := s.Sum(ctx, year)
		require.NoError(t, err, what)
		require.Truef(t, big.Mul(decimal.NewFromInt(n)).Equal(tot.Value), "%s: want %d facts' total, got %s", what, n, tot.Value)
		require.Truef(t, decimal.NewFromInt(n).Equal(tot.Count), "%s: want count %d, got %s", what, n, tot.Count)
	}
	// One batch beyond the range: refused before SQLite sees it.
	_, err := s.AppendFacts(ctx, batch(0, 1000))
	require.ErrorIs(t, err, storage.ErrOverflow)
	require.Contains(t, err.Error(), "month")
	_, err = s.GetFact(ctx, "k0")
	require.ErrorIs(t, err, storage.ErrNotFound, "nothing was written")
	requireTotal(0, "after the refused batch")
	// Within the range, then a batch that takes the stored month beyond
	// it: SQLite refuses the bucket, and the batch goes whole.
	_, err = s.AppendFacts(ctx, batch(0, 900))
	require.NoError(t, err)
	_, err = s.AppendFacts(ctx, batch(900, 100))
	require.ErrorIs(t, err, storage.ErrOverflow)
	require.Contains(t, err.Error(), "month")
	_, err = s.GetFact(ctx, "k950")
	require.ErrorIs(t, err, storage.ErrNotFound, "nothing of the second batch was written")
	requireTotal(900, "after the refused second batch")
	// Spread over another month, the same facts are taken.
	next := batch(900, 100)
	for i := range next {
		next[i].Date = date.New(2026, 4, 1+i%30)
	}
	_, err = s.AppendFacts(ctx, next)
	require.NoError(t, err)
	requireTotal(1000, "after the facts of April")
}

// TestNativeErrorsAreWrapped checks a database failure comes back with the
// operation named, not as a bare driver error.
func TestNativeErrorsAreWrapped(t *testing.T) {
	db := openSQLite(t)
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "a"})
	require.NoError(t, err) // not migrated: every table is missing
	_, err = s.GetPlan(context.Background(), "p")
	require.Error(t, err)
	require.True(t, strings.HasPrefix(err.Error(), `sqlstore: `), err.Error())
	require.Contains(t, err.Error(), "no such table")
	require.NotErrorIs(t, err, storage.ErrNotFound)
	_ = sql.ErrNoRows
}
