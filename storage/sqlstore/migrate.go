package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"testing/fstest"
	"time"
)

//go:embed migrations
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the dialect's migrations in order, with the prefix
// substituted.
func migrations(d Dialect, prefix string) ([]migration, error) {
	dir := path.Join("migrations", d.String())
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("sqlstore: migration %q is not named NNNN_name.sql", name)
		}
		b, err := fs.ReadFile(migrationFiles, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("sqlstore: read migration %q: %w", name, err)
		}
		out = append(out, migration{version: v, name: name, sql: strings.ReplaceAll(string(b), "{{prefix}}", prefix)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// Migrations returns the schema migrations for a dialect and table prefix
// (empty: DefaultTablePrefix) as plain SQL files named NNNN_name.sql, for
// hosts that apply migrations with their own tool instead of Migrate. A host
// doing so must record nothing else: Migrate keeps its own bookkeeping in
// the table <prefix>schema_migrations, which such hosts do not need.
func Migrations(d Dialect, prefix string) (fs.FS, error) {
	cfg := Config{Dialect: d, Tenant: "-", TablePrefix: prefix}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("sqlstore: migrations: %w", err)
	}
	ms, err := migrations(d, cfg.TablePrefix)
	if err != nil {
		return nil, err
	}
	out := fstest.MapFS{}
	for _, m := range ms {
		out[m.name] = &fstest.MapFile{Data: []byte(m.sql), Mode: 0o444}
	}
	return out, nil
}

// Migrate brings the schema up to date: it applies, each in its own
// transaction, the embedded migrations not yet recorded in
// <prefix>schema_migrations, and returns how many it applied. It is safe to
// call on every start and from several processes at once (they serialise on
// the bookkeeping table). For SQLite it also switches a file database to
// write-ahead logging (journal_mode=WAL, a persistent setting), so readers
// never block the writer.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	table := s.cfg.TablePrefix + "schema_migrations"
	if s.cfg.Dialect == SQLite {
		var mode string
		if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode); err != nil {
			return 0, fmt.Errorf("sqlstore: migrate: enable WAL: %w", err)
		}
	}
	create := "CREATE TABLE IF NOT EXISTS " + table + " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
	if _, err := s.db.ExecContext(ctx, create); err != nil {
		return 0, fmt.Errorf("sqlstore: migrate: create %s: %w", table, err)
	}
	ms, err := migrations(s.cfg.Dialect, s.cfg.TablePrefix)
	if err != nil {
		return 0, err
	}
	applied := 0
	for _, m := range ms {
		did, err := s.applyMigration(ctx, table, m)
		if err != nil {
			return applied, err
		}
		if did {
			applied++
		}
	}
	return applied, nil
}

func (s *Store) applyMigration(ctx context.Context, table string, m migration) (bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("sqlstore: migrate %s: %w", m.name, err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	// Take the write lock first, so concurrent migrators wait here.
	lock := "DELETE FROM " + table + " WHERE version < 0"
	if s.cfg.Dialect == PostgreSQL {
		lock = "LOCK TABLE " + table + " IN EXCLUSIVE MODE"
	} else if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", s.cfg.BusyTimeout.Milliseconds())); err != nil {
		return false, fmt.Errorf("sqlstore: migrate %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, lock); err != nil {
		return false, fmt.Errorf("sqlstore: migrate %s: lock: %w", m.name, err)
	}
	var n int
	err = tx.QueryRowContext(ctx, s.d.rebind("SELECT COUNT(*) FROM "+table+" WHERE version = ?"), m.version).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("sqlstore: migrate %s: %w", m.name, err)
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, fmt.Errorf("sqlstore: migrate %s: %w", m.name, err)
	}
	_, err = tx.ExecContext(ctx, s.d.rebind("INSERT INTO "+table+" (version, name, applied_at) VALUES (?, ?, ?)"),
		m.version, m.name, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return false, fmt.Errorf("sqlstore: migrate %s: record: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("sqlstore: migrate %s: commit: %w", m.name, err)
	}
	return true, nil
}
