package pgxcopy

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Copier is a sqlstore.Copier for pgx's database/sql driver. It has no
// state and is safe for concurrent use.
type Copier struct{}

var _ sqlstore.Copier = Copier{}

// ErrNotPgx matches the error of CopyFrom on a connection of another
// driver.
var ErrNotPgx = errors.New("pgxcopy: the *sql.DB does not use pgx's stdlib driver; open it with sql.Open(\"pgx\", dsn), or leave sqlstore.Config.Copier nil")

// CopyFrom COPYs rows into table on driverConn, which must be a
// connection of github.com/jackc/pgx/v5/stdlib. It turns decimal.Decimal
// and date.Date values into pgx's NUMERIC and DATE values, in place.
func (Copier) CopyFrom(ctx context.Context, driverConn any, table string, columns []string, rows [][]any) (int64, error) {
	c, ok := driverConn.(interface{ Conn() *pgx.Conn })
	if !ok {
		return 0, fmt.Errorf("%w (the connection is a %T)", ErrNotPgx, driverConn)
	}
	for _, row := range rows {
		for j, v := range row {
			switch v := v.(type) {
			case decimal.Decimal:
				row[j] = numeric(v)
			case date.Date:
				row[j] = pgtype.Date{Time: v.MidnightUTC(), Valid: true}
			}
		}
	}
	n, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
	if err != nil {
		return n, fmt.Errorf("pgxcopy: copy into %s: %w", table, err)
	}
	return n, nil
}

// numeric is v as pgx's NUMERIC: its coefficient and exponent, exactly.
func numeric(v decimal.Decimal) pgtype.Numeric {
	var c *big.Int
	if v.NumDigits() <= 18 {
		c = big.NewInt(v.CoefficientInt64())
	} else {
		c = v.Coefficient()
	}
	return pgtype.Numeric{Int: c, Exp: v.Exponent(), Valid: true}
}
