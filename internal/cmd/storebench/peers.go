package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/w1"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// The skilled-user SQL of BENCHMARKS.md: the same facts in a plain table
// facts(id bigint primary key, rep int, day date, metric smallint,
// value numeric(14,2)), and Q1 as rep × month aggregates rolled up the tree.

const q1Postgres = `
WITH rm AS (
	SELECT rep, metric, extract(month FROM day)::int AS mon, sum(value) AS v
	FROM facts GROUP BY rep, metric, mon
), x AS (
	SELECT rep, rep / 16 AS team, rep / 128 AS region, metric, mon, (mon + 2) / 3 AS qtr, v FROM rm
)
SELECT rep, team, region, metric, mon, qtr, sum(v)::text
FROM x
GROUP BY GROUPING SETS (
	(rep, metric, mon), (rep, metric, qtr), (rep, metric),
	(team, metric, mon), (team, metric, qtr), (team, metric),
	(region, metric, mon), (region, metric, qtr), (region, metric),
	(metric, mon), (metric, qtr), (metric))`

// plainPostgres loads n facts with COPY, adds the primary key, and runs Q1.
func plainPostgres(ctx context.Context, dsn string, n int) (ingest, q1 time.Duration, rows int, err error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, 0, 0, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE TABLE facts (id bigint NOT NULL, rep int NOT NULL, day date NOT NULL, metric smallint NOT NULL, value numeric(14,2) NOT NULL)"); err != nil {
		return 0, 0, 0, err
	}
	start := time.Now()
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		rep, day, m, cents := w1.Fact(i)
		v := pgtype.Numeric{Int: big.NewInt(cents), Exp: 0, Valid: true}
		if m == 0 {
			v.Exp = -2
		}
		row := []any{int64(i), int32(rep), w1.Date(day).MidnightUTC(), int16(m), v}
		i++
		return row, nil
	})
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"facts"}, []string{"id", "rep", "day", "metric", "value"}, src); err != nil {
		return 0, 0, 0, err
	}
	if _, err := conn.Exec(ctx, "ALTER TABLE facts ADD PRIMARY KEY (id)"); err != nil {
		return 0, 0, 0, err
	}
	if _, err := conn.Exec(ctx, "ANALYZE facts"); err != nil {
		return 0, 0, 0, err
	}
	ingest = time.Since(start)
	start = time.Now()
	res, err := conn.Query(ctx, q1Postgres)
	if err != nil {
		return ingest, 0, 0, err
	}
	for res.Next() {
		rows++
	}
	if err := res.Err(); err != nil {
		return ingest, 0, 0, err
	}
	return ingest, time.Since(start), rows, nil
}

// plainSQLite does the same in SQLite: integer cents (what a skilled user
// stores, since SQLite has no exact decimal), ISO days, multi-row inserts in
// one transaction per 10,000 facts, and Q1 as the rep × month aggregate
// rolled up with UNION ALL (SQLite has no GROUPING SETS).
func plainSQLite(ctx context.Context, db *sql.DB, n, batch int) (ingest, q1 time.Duration, rows int, err error) {
	if _, err := db.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {
		return 0, 0, 0, err
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE facts (id INTEGER PRIMARY KEY, rep INTEGER NOT NULL, day TEXT NOT NULL, metric INTEGER NOT NULL, value INTEGER NOT NULL)"); err != nil {
		return 0, 0, 0, err
	}
	const per = 200
	stmt := "INSERT INTO facts (id, rep, day, metric, value) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", per), ", ")
	start := time.Now()
	args := make([]any, 0, per*5)
	for lo := 0; lo < n; lo += batch {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, 0, 0, err
		}
		ins, err := tx.PrepareContext(ctx, stmt)
		if err != nil {
			return 0, 0, 0, err
		}
		for i := lo; i < min(n, lo+batch); i++ {
			rep, day, m, cents := w1.Fact(i)
			args = append(args, i, rep, w1.Date(day).String(), m, cents)
			if len(args) == per*5 {
				if _, err := ins.ExecContext(ctx, args...); err != nil {
					return 0, 0, 0, err
				}
				args = args[:0]
			}
		}
		for k := 0; k < len(args); k += 5 {
			if _, err := tx.ExecContext(ctx, "INSERT INTO facts (id, rep, day, metric, value) VALUES (?, ?, ?, ?, ?)", args[k:k+5]...); err != nil {
				return 0, 0, 0, err
			}
		}
		args = args[:0]
		ins.Close()
		if err := tx.Commit(); err != nil {
			return 0, 0, 0, err
		}
	}
	ingest = time.Since(start)
	var parts []string
	for _, unit := range []string{"rep", "rep / 16", "rep / 128", "-1"} {
		for _, per := range []string{"mon", "100 + (mon + 2) / 3", "0"} {
			parts = append(parts, fmt.Sprintf("SELECT %s AS u, metric, %s AS p, sum(v) FROM rm GROUP BY u, metric, p", unit, per))
		}
	}
	q := "WITH rm AS MATERIALIZED (SELECT rep, metric, CAST(substr(day, 6, 2) AS INTEGER) AS mon, sum(value) AS v FROM facts GROUP BY rep, metric, mon) " +
		strings.Join(parts, " UNION ALL ")
	start = time.Now()
	res, err := db.QueryContext(ctx, q)
	if err != nil {
		return ingest, 0, 0, err
	}
	defer res.Close()
	for res.Next() {
		rows++
	}
	if err := res.Err(); err != nil {
		return ingest, 0, 0, err
	}
	return ingest, time.Since(start), rows, nil
}
