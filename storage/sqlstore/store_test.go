package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/goalkit/goalkit/storage/storagetest"
	"github.com/stretchr/testify/require"
)

// openSQLite and newStore are sqltest's, by the names this package's tests
// use.
var (
	openSQLite = sqltest.SQLite
	newStore   = sqltest.Store
)

// opener returns handles on one migrated schema, one per tenant.
func opener(t *testing.T, db *sql.DB, cfg sqlstore.Config) storagetest.Opener {
	base := newStore(t, db, cfg)
	return func(tenant string) storage.Store {
		c := cfg
		c.Tenant = tenant
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

func TestConformancePostgres(t *testing.T) {
	db := sqltest.Postgres(t)
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

// TestConformancePostgresRepeatableReadByDefault runs the suite on a server
// whose sessions default to REPEATABLE READ: write transactions still see
// what the writer before them committed, since they ask for READ COMMITTED.
func TestConformancePostgresRepeatableReadByDefault(t *testing.T) {
	dsn, drop, err := sqltest.Schema(context.Background(), sqltest.DSN(t), "goalkit_test_")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, drop()) })
	db, err := sql.Open("pgx", dsn+"&default_transaction_isolation=repeatable%20read")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	var level string
	require.NoError(t, db.QueryRow("SHOW default_transaction_isolation").Scan(&level))
	require.Equal(t, "repeatable read", level)
	var n atomic.Int64
	storagetest.Run(t, storagetest.Harness{
		Open: func(t *testing.T) storagetest.Opener {
			return opener(t, db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme", TablePrefix: fmt.Sprintf("rr%d_", n.Add(1))})
		},
		ConcurrentWriters: true,
		Parallel:          true,
	})
}

func BenchmarkSQLite(b *testing.B) {
	storagetest.Bench(b, func(b *testing.B, tenant string) storage.Store {
		return newStore(b, openSQLite(b), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: tenant})
	})
}

func BenchmarkPostgres(b *testing.B) {
	sqltest.DSN(b)
	storagetest.Bench(b, func(b *testing.B, tenant string) storage.Store {
		return newStore(b, sqltest.Postgres(b), sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: tenant})
	})
}
