// Package sqltest opens the databases of goalkit's SQL tests: SQLite in a
// temporary file, and PostgreSQL in a fresh schema of the database at
// GOALKIT_POSTGRES_DSN, dropped when the test ends. Without that variable a
// PostgreSQL test is skipped with a message saying how to run it, except in
// CI (CI=true), where that is a failure. Schema makes such a schema outside
// tests (the storebench command uses it).
package sqltest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/storage/sqlstore"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite" // the "sqlite" driver
)

// DSNVar names the environment variable holding the PostgreSQL DSN.
const DSNVar = "GOALKIT_POSTGRES_DSN"

// DSN returns $GOALKIT_POSTGRES_DSN. When it is unset, it skips tb, or fails
// it when CI=true.
func DSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(DSNVar)
	if dsn == "" {
		msg := DSNVar + " is not set; to run the PostgreSQL tests, point it at a database you may create schemas in, e.g. " +
			DSNVar + "='postgres://postgres@127.0.0.1:5432/goalkit?sslmode=disable' (.ci/run starts one)"
		if os.Getenv("CI") == "true" {
			tb.Fatal(msg + " — and CI=true, so the PostgreSQL tests must run")
		}
		tb.Skip(msg)
	}
	return dsn
}

// Postgres returns a handle on the database at $GOALKIT_POSTGRES_DSN whose
// search_path is a fresh schema, dropped when tb ends (see DSN for when
// the variable is unset). At most 8 connections are open at once.
func Postgres(tb testing.TB) *sql.DB {
	tb.Helper()
	dsn := DSN(tb)
	sdsn, drop, err := Schema(context.Background(), dsn, "goalkit_test_")
	require.NoError(tb, err, "create a test schema in %s", dsn)
	tb.Cleanup(func() { require.NoError(tb, drop()) })
	db, err := sql.Open("pgx", sdsn)
	require.NoError(tb, err)
	db.SetMaxOpenConns(8)
	tb.Cleanup(func() { db.Close() })
	return db
}

// Schema creates a schema named prefix and 12 random hex digits in the
// PostgreSQL database at dsn, and returns dsn with that search_path and a
// function dropping the schema (with all it holds).
func Schema(ctx context.Context, dsn, prefix string) (schemaDSN string, drop func() error, err error) {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := prefix + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return "", nil, err
	}
	drop = func() error {
		defer admin.Close()
		return dropSchema(context.WithoutCancel(ctx), admin, schema)
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema, drop, nil
}

// dropSchema drops schema and what it holds. A conformance run leaves
// hundreds of tables in one schema, and one DROP SCHEMA ... CASCADE locks
// every one of them in one transaction, more than a default server's lock
// table holds (max_locks_per_transaction 64 × max_connections 100: "out of
// shared memory"); so the tables go first, dropTables at a time.
func dropSchema(ctx context.Context, db *sql.DB, schema string) error {
	const dropTables = 50
	rows, err := db.QueryContext(ctx, "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = $1", schema)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, schema+"."+t)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for len(tables) > 0 {
		n := min(dropTables, len(tables))
		if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+strings.Join(tables[:n], ", ")+" CASCADE"); err != nil {
			return err
		}
		tables = tables[n:]
	}
	_, err = db.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
	return err
}

// SQLite returns a handle on a fresh SQLite database file in a temporary
// directory, closed when tb ends.
func SQLite(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(tb.TempDir(), "goalkit.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { db.Close() })
	return db
}

// Store returns a sqlstore.Store on db with cfg, migrated.
func Store(tb testing.TB, db *sql.DB, cfg sqlstore.Config) *sqlstore.Store {
	tb.Helper()
	s, err := sqlstore.New(db, cfg)
	require.NoError(tb, err)
	_, err = s.Migrate(context.Background())
	require.NoError(tb, err)
	return s
}
