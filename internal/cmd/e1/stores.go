package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/goalkit/goalkit/storage/sqlstore/pgxcopy"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	_ "modernc.org/sqlite"             // the "sqlite" driver
)

// openStore returns an empty store of the named kind for tenant e1, and a
// function that closes it and removes its data.
func openStore(ctx context.Context, kind, dsn string) (storage.Store, func() error, error) {
	nothing := func() error { return nil }
	switch kind {
	case "memory":
		s, err := memory.New(memory.Config{Tenant: "e1"})
		return s, nothing, err
	case "sqlite":
		dir, err := os.MkdirTemp("", "e1")
		if err != nil {
			return nil, nil, err
		}
		db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "goalkit.db"))
		if err != nil {
			return nil, nil, err
		}
		closer := func() error { return errors.Join(db.Close(), os.RemoveAll(dir)) }
		s, err := migrated(ctx, db, sqlstore.SQLite)
		return s, closer, err
	case "postgres":
		if dsn == "" {
			return nil, nil, errors.New("-store postgres needs -dsn or GOALKIT_POSTGRES_DSN")
		}
		sdsn, drop, err := sqltest.Schema(ctx, dsn, "e1_")
		if err != nil {
			return nil, nil, err
		}
		db, err := sql.Open("pgx", sdsn)
		if err != nil {
			return nil, nil, errors.Join(err, drop())
		}
		closer := func() error { return errors.Join(db.Close(), drop()) }
		s, err := migrated(ctx, db, sqlstore.PostgreSQL)
		return s, closer, err
	}
	return nil, nil, fmt.Errorf("unknown store %q: want memory, sqlite or postgres", kind)
}

func migrated(ctx context.Context, db *sql.DB, d sqlstore.Dialect) (*sqlstore.Store, error) {
	cfg := sqlstore.Config{Dialect: d, Tenant: "e1"}
	if d == sqlstore.PostgreSQL {
		cfg.Copier = pgxcopy.Copier{} // pgx's driver: facts are loaded with COPY
	}
	s, err := sqlstore.New(db, cfg)
	if err != nil {
		return nil, err
	}
	_, err = s.Migrate(ctx)
	return s, err
}
