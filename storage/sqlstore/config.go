package sqlstore

import (
	"fmt"
	"regexp"
	"time"

	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
)

// Dialect is the SQL dialect of the database behind the *sql.DB.
type Dialect uint8

const (
	// SQLite is SQLite 3.35 or later (RETURNING, upserts, partial
	// indexes), e.g. through modernc.org/sqlite.
	SQLite Dialect = iota + 1
	// PostgreSQL is PostgreSQL 12 or later (or a compatible engine), e.g.
	// through github.com/jackc/pgx/v5/stdlib.
	PostgreSQL
)

// String returns "sqlite" or "postgres", the dialect's migrations directory.
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case PostgreSQL:
		return "postgres"
	}
	return fmt.Sprintf("Dialect(%d)", uint8(d))
}

// DefaultBusyTimeout is how long a SQLite writer waits for another
// connection's write transaction before failing, when Config.BusyTimeout is
// zero.
const DefaultBusyTimeout = 10 * time.Second

// Config configures a Store. Dialect and Tenant are required; every other
// zero value is a documented default.
type Config struct {
	// Dialect of the database; required.
	Dialect Dialect
	// Tenant the store is bound to; required.
	Tenant string
	// TablePrefix is prepended to every table and index name, so the
	// schema can live beside the host's tables: lower-case letters, digits
	// and underscores, starting with a letter or underscore, at most 32
	// characters. Empty means "goalkit_".
	TablePrefix string
	// BusyTimeout bounds how long a SQLite write transaction waits for
	// another one to finish; zero means DefaultBusyTimeout. Ignored for
	// PostgreSQL.
	BusyTimeout time.Duration
	// Split computes the parts of split-credit and range facts; nil means
	// storage.Split. Range facts over working days of a calendar with
	// holidays need storage.SplitOnCalendar.
	Split storage.SplitFunc
	// Copier, for PostgreSQL, loads AppendFacts' new facts with COPY
	// instead of an INSERT of array parameters; nil means array
	// parameters, which work with every driver. Package pgxcopy provides
	// one for github.com/jackc/pgx/v5/stdlib. Ignored for SQLite.
	Copier Copier
}

var prefixRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,31}$`)

// DefaultTablePrefix is the prefix used when Config.TablePrefix is empty.
const DefaultTablePrefix = "goalkit_"

func (c *Config) validate() error {
	switch {
	case c.Dialect != SQLite && c.Dialect != PostgreSQL:
		return storage.Invalid("dialect", c.Dialect.String(), "use sqlstore.SQLite or sqlstore.PostgreSQL")
	case c.Tenant == "":
		return storage.Invalid("tenant", "", "it is empty; bind the store to a tenant")
	case c.BusyTimeout < 0:
		return storage.Invalid("busy timeout", c.BusyTimeout.String(), "it is negative")
	}
	if err := record.CheckRef("tenant", c.Tenant); err != nil {
		return err
	}
	if c.TablePrefix == "" {
		c.TablePrefix = DefaultTablePrefix
	}
	if !prefixRE.MatchString(c.TablePrefix) {
		return storage.Invalid("table prefix", c.TablePrefix, "use at most 32 lower-case letters, digits and underscores, not starting with a digit")
	}
	if c.BusyTimeout == 0 {
		c.BusyTimeout = DefaultBusyTimeout
	}
	if c.Split == nil {
		c.Split = storage.Split
	}
	return nil
}
