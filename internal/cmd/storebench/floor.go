package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/cmd/e1/world"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage/sqlstore/pgxcopy"
	"github.com/jackc/pgx/v5"
)

// The floors: the store's own fact rows, loaded plainly into copies of its
// facts table, one transaction per batch, with nothing checked and no
// total kept. "keys" has only the table's primary key (tenant, fact_key),
// which idempotency by the host's text keys needs; "floor" has every index
// the store keeps on facts (also the days index partial-month reads use).
// I1 ÷ floor is what the store adds to storing its facts; floor ÷ plain is
// what its fact row and indexes cost against the skilled user's narrow row
// with an integer key built after the load.

// floorColumns are the columns of the store's facts table a simple fact
// fills (see sqlstore's copyFacts).
var floorColumns = []string{"tenant", "fact_key", "metric", "unit", "day", "value", "currency", "credits", "dims", "parts", "retracted", "extra"}

// floorRow is a simple fact as the store writes its row.
func floorRow(f *kpi.Fact) []any {
	return []any{"w1", f.Key, f.Metric, f.Unit, f.Date, f.Value, f.Currency, nil, nil, nil, false, nil}
}

// pgxConn hands a pgx connection to pgxcopy.Copier as stdlib's does.
type pgxConn struct{ c *pgx.Conn }

func (p pgxConn) Conn() *pgx.Conn { return p.c }

// floorPostgres loads n W1 facts in batches into a copy of the store's
// facts table (named facts, in the current schema) with COPY: with all its
// indexes, or with only its primary key.
func floorPostgres(ctx context.Context, dsn, facts string, n, batch int, allIndexes bool) (time.Duration, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	table, ddl := "floor_keys", "CREATE TABLE floor_keys (LIKE "+facts+" INCLUDING DEFAULTS); ALTER TABLE floor_keys ADD PRIMARY KEY (tenant, fact_key)"
	if allIndexes {
		table, ddl = "floor_all", "CREATE TABLE floor_all (LIKE "+facts+" INCLUDING ALL)"
	}
	if _, err := conn.Exec(ctx, ddl); err != nil {
		return 0, err
	}
	w, err := world.New()
	if err != nil {
		return 0, err
	}
	start := time.Now()
	err = w.Batches(n, batch, func(fs []kpi.Fact) error {
		rows := make([][]any, len(fs))
		for i := range fs {
			rows[i] = floorRow(&fs[i])
		}
		tx, err := conn.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx) //nolint:errcheck // after Commit, a no-op
		if _, err := (pgxcopy.Copier{}).CopyFrom(ctx, pgxConn{conn}, table, floorColumns, rows); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
	return time.Since(start), err
}

// floorSQLite loads n W1 facts in batches into a copy of the store's facts
// table (named facts) with all its indexes, with prepared multi-row
// INSERTs as the plain peer does; days and values are text, and the value
// pair a simple fact keeps in SQLite (v_hi, v_lo: value·10^12 = hi·10^15 +
// lo) is written as the store writes it.
func floorSQLite(ctx context.Context, db *sql.DB, facts string, n, batch int) (time.Duration, error) {
	rows, err := db.QueryContext(ctx, "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL", facts)
	if err != nil {
		return 0, err
	}
	var ddl []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return 0, err
		}
		ddl = append(ddl, strings.ReplaceAll(s, facts, "floor_all"))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, s := range ddl {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return 0, fmt.Errorf("%s: %w", s, err)
		}
	}
	cols := append(append([]string{}, floorColumns...), "v_hi", "v_lo")
	const per = 200
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	stmt := "INSERT INTO floor_all (" + strings.Join(cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+", ", per), ", ")
	w, err := world.New()
	if err != nil {
		return 0, err
	}
	start := time.Now()
	err = w.Batches(n, batch, func(fs []kpi.Fact) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
		ins, err := tx.PrepareContext(ctx, stmt)
		if err != nil {
			return err
		}
		defer ins.Close()
		args := make([]any, 0, per*len(cols))
		for i := range fs {
			f := &fs[i]
			row := floorRow(f)
			row[4], row[5] = f.Date.String(), f.Value.String()
			c := f.Value.Shift(12).IntPart() // W1's values fit: below 10^6
			args = append(append(args, row...), c/1e15, c%1e15)
			if len(args) == cap(args) {
				if _, err := ins.ExecContext(ctx, args...); err != nil {
					return err
				}
				args = args[:0]
			}
		}
		for k := 0; k < len(args); k += len(cols) {
			if _, err := tx.ExecContext(ctx, "INSERT INTO floor_all ("+strings.Join(cols, ", ")+") VALUES "+one, args[k:k+len(cols)]...); err != nil {
				return err
			}
		}
		return tx.Commit()
	})
	return time.Since(start), err
}
