package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/goalkit/goalkit/storage/storagetest"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)

// openSQLite opens a fresh SQLite database file in a temporary directory.
func openSQLite(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "goalkit.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// newStore makes a store on db and migrates it.
func newStore(t testing.TB, db *sql.DB, cfg sqlstore.Config) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.New(db, cfg)
	require.NoError(t, err)
	_, err = s.Migrate(context.Background())
	require.NoError(t, err)
	return s
}

// opener returns handles on one migrated schema, one per tenant, with the
// fault hook set per handle.
func opener(t *testing.T, db *sql.DB, cfg sqlstore.Config) storagetest.Opener {
	base := newStore(t, db, cfg)
	return func(tenant string, fault storage.FaultFunc) storage.Store {
		c := cfg
		c.Tenant, c.Fault = tenant, fault
		s, err := sqlstore.New(db, c)
		require.NoError(t, err)
		_ = base
		return s
	}
}

func TestConformanceSQLite(t *testing.T) {
	storagetest.Run(t, storagetest.Harness{
		Open: func(t *testing.T) storagetest.Opener {
			return opener(t, openSQLite(t), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"})
		},
		ConcurrentWriters: true,
		FaultInjection:    true,
		Parallel:          true,
	})
}

// postgres returns a database handle whose search_path is a fresh schema,
// dropped when the test ends. Without GOALKIT_POSTGRES_DSN the test is
// skipped, except in CI (CI=true), where that is a failure.
func postgres(t *testing.T) *sql.DB {
	t.Helper()
	dsn := os.Getenv("GOALKIT_POSTGRES_DSN")
	if dsn == "" {
		msg := "GOALKIT_POSTGRES_DSN is not set; to run the PostgreSQL tests, point it at a database you may create schemas in, e.g. " +
			"GOALKIT_POSTGRES_DSN='postgres://postgres@127.0.0.1:5432/goalkit?sslmode=disable' (.ci/run starts one)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " — and CI=true, so the PostgreSQL tests must run")
		}
		t.Skip(msg)
	}
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "goalkit_test_" + hex.EncodeToString(b)
	_, err = admin.Exec("CREATE SCHEMA " + schema)
	require.NoError(t, err, "create a test schema in %s", dsn)
	t.Cleanup(func() {
		_, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		require.NoError(t, err)
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	db, err := sql.Open("pgx", dsn+sep+"search_path="+schema)
	require.NoError(t, err)
	db.SetMaxOpenConns(8)
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformancePostgres(t *testing.T) {
	db := postgres(t)
	var n atomic.Int64
	storagetest.Run(t, storagetest.Harness{
		Open: func(t *testing.T) storagetest.Opener {
			// A fresh set of tables per test, by table prefix.
			prefix := fmt.Sprintf("t%d_", n.Add(1))
			return opener(t, db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme", TablePrefix: prefix})
		},
		ConcurrentWriters: true,
		FaultInjection:    true,
		Parallel:          true,
	})
}

func BenchmarkSQLite(b *testing.B) {
	storagetest.Bench(b, func(b *testing.B, tenant string) storage.Store {
		return newStore(b, openSQLite(b), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: tenant})
	})
}

func BenchmarkPostgres(b *testing.B) {
	dsn := os.Getenv("GOALKIT_POSTGRES_DSN")
	if dsn == "" {
		b.Skip("set GOALKIT_POSTGRES_DSN to benchmark PostgreSQL")
	}
	var n atomic.Int64
	storagetest.Bench(b, func(b *testing.B, tenant string) storage.Store {
		db, err := sql.Open("pgx", dsn)
		require.NoError(b, err)
		b.Cleanup(func() { db.Close() })
		prefix := fmt.Sprintf("bench%d_%d_", os.Getpid(), n.Add(1))
		s := newStore(b, db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: tenant, TablePrefix: prefix})
		b.Cleanup(func() {
			for _, tbl := range []string{"units", "ancestors", "plans", "goals", "audit", "facts", "daily", "deals", "alerts", "outbox", "schema_migrations"} {
				_, _ = db.Exec("DROP TABLE IF EXISTS " + prefix + tbl)
			}
		})
		return s
	})
}
