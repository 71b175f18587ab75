// Package pgxcopy is sqlstore's COPY path for hosts whose *sql.DB runs on
// github.com/jackc/pgx/v5/stdlib: set Config.Copier to Copier{} and a
// PostgreSQL store stages each AppendFacts batch with COPY instead of
// array parameters. Everything else about the store is unchanged; see
// sqlstore.Copier.
//
//	db, _ := sql.Open("pgx", dsn)
//	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme", Copier: pgxcopy.Copier{}})
package pgxcopy

import (
	"context"
	"fmt"

	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/jackc/pgx/v5"
)

// Copier is a sqlstore.Copier for pgx's database/sql driver. It has no
// state and is safe for concurrent use.
type Copier struct{}

var _ sqlstore.Copier = Copier{}

// ErrNotPgx matches the error of CopyFrom on a connection of another
// driver.
var ErrNotPgx = fmt.Errorf("pgxcopy: the *sql.DB does not use pgx's stdlib driver; open it with sql.Open(\"pgx\", dsn) or leave sqlstore.Config.Copier nil")

// CopyFrom COPYs rows into table on driverConn, which must be a
// connection of github.com/jackc/pgx/v5/stdlib.
func (Copier) CopyFrom(ctx context.Context, driverConn any, table string, columns []string, rows [][]any) error {
	c, ok := driverConn.(interface{ Conn() *pgx.Conn })
	if !ok {
		return fmt.Errorf("%w (the connection is a %T)", ErrNotPgx, driverConn)
	}
	n, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("pgxcopy: copy into %s: %w", table, err)
	}
	if n != int64(len(rows)) {
		return fmt.Errorf("pgxcopy: copy into %s: wrote %d of %d rows", table, n, len(rows))
	}
	return nil
}
