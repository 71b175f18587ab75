package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/goalkit/goalkit/storage/sqlstore/pgxcopy"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	"github.com/rickb777/date/v2"
	_ "modernc.org/sqlite" // the "sqlite" driver
)

// errHelp ends a subcommand that printed its help.
var errHelp = errors.New("help")

// usageError is a wrong command line: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// dbFlags are the flags every subcommand that opens the database has.
type dbFlags struct {
	db, dsn, tenant, config string
}

func (d *dbFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.db, "db", "goalkit.db", "the SQLite database file")
	fs.StringVar(&d.dsn, "dsn", os.Getenv("GOALKIT_DSN"), "a PostgreSQL DSN (postgres://user@host:5432/db); overrides --db (default $GOALKIT_DSN)")
	fs.StringVar(&d.tenant, "tenant", "", "the tenant whose data to use (default: the config's, else \"default\")")
	fs.StringVar(&d.config, "config", "goalkit.json", "the JSON file with the metrics, funnels and alert rules")
}

// newFlags is a subcommand's flag set: errors and --help go to stderr, and
// the help lists the usage line and the flags.
func newFlags(e *env, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet("goalkit "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: goalkit %s %s\n\n%s\n\nflags:\n", name, args, about)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args with flags and positional arguments in any order and
// returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// configFile is the --config file:
//
//	{"tenant": "acme",
//	 "metrics": [{"key": "revenue", "kind": "amount", "currency": "CNY", "places": 2}],
//	 "funnels": [{"key": "sales", "stages": [{"key": "lead"}, {"key": "won"}], "won": "won", "lost": "lost"}],
//	 "rules": {"pace": {"revenue": {"alpha": 0.05, "dispersion": 1}}}}
//
// metrics are goal.Metric's JSON; funnels and rules are funnel.Funnel and
// goalkit.Rules with their Go field names (any case).
type configFile struct {
	Tenant  string          `json:"tenant"`
	Metrics []goal.Metric   `json:"metrics"`
	Funnels []funnel.Funnel `json:"funnels"`
	Rules   goalkit.Rules   `json:"rules"`
}

func readConfig(path string) (configFile, error) {
	var c configFile
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, fmt.Errorf("config %s does not exist; write it with your metrics, e.g. {\"metrics\": [{\"key\": \"revenue\", \"kind\": \"amount\", \"currency\": \"CNY\", \"places\": 2}]}, or name another with --config", path)
	}
	if err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("config %s: %w; fix the JSON (see goalkit --help)", path, err)
	}
	if len(c.Metrics) == 0 {
		return c, fmt.Errorf("config %s has no metrics; add the metrics your facts and plans use", path)
	}
	return c, nil
}

// openStore opens the store: SQLite unless d.dsn is set. The caller closes
// the returned *sql.DB.
func (d *dbFlags) openStore(tenant string) (*sqlstore.Store, *sql.DB, error) {
	cfg := sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: tenant}
	driver, dsn := "sqlite", "file:"+d.db
	if d.dsn != "" {
		// pgx's driver: new facts are loaded with COPY.
		cfg.Dialect, cfg.Copier, driver, dsn = sqlstore.PostgreSQL, pgxcopy.Copier{}, "pgx", d.dsn
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("open the database: %w", err)
	}
	s, err := sqlstore.New(db, cfg)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return s, db, nil
}

// openEngine reads the config and opens the engine on the migrated store.
func (d *dbFlags) openEngine(ctx context.Context) (*goalkit.Engine, io.Closer, error) {
	c, err := readConfig(d.config)
	if err != nil {
		return nil, nil, err
	}
	tenant := d.tenantOr(c.Tenant)
	if d.dsn == "" {
		if _, err := os.Stat(d.db); errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("database %s does not exist; create it with goalkit migrate --db %s", d.db, d.db)
		}
	}
	s, db, err := d.openStore(tenant)
	if err != nil {
		return nil, nil, err
	}
	e, err := goalkit.New(ctx, s, &goalkit.Config{Metrics: c.Metrics, Funnels: c.Funnels, Rules: c.Rules})
	if err != nil {
		db.Close()
		if errors.Is(err, goalkit.ErrInvalid) {
			return nil, nil, fmt.Errorf("config %s: %w", d.config, err)
		}
		return nil, nil, fmt.Errorf("%w (has the schema been created? run goalkit migrate)", err)
	}
	return e, db, nil
}

func (d *dbFlags) tenantOr(fromConfig string) string {
	switch {
	case d.tenant != "":
		return d.tenant
	case fromConfig != "":
		return fromConfig
	}
	return "default"
}

// registerAsOf adds the --as-of flag.
func registerAsOf(fs *flag.FlagSet, asOf *string) {
	fs.StringVar(asOf, "as-of", "", "the day, e.g. 2026-06-30 (default: today, UTC)")
}

// planDay are the flags of the commands that read one plan on one day.
type planDay struct{ plan, asOf string }

func (p *planDay) register(fs *flag.FlagSet) {
	fs.StringVar(&p.plan, "plan", "", "the plan's ID (required)")
	registerAsOf(fs, &p.asOf)
}

// check requires --plan and no arguments, and returns the day; example is
// the command line shown when they are wrong.
func (p *planDay) check(pos []string, example string) (date.Date, error) {
	if len(pos) > 0 || p.plan == "" {
		return 0, usagef("this needs --plan and no arguments, e.g. %s", example)
	}
	return day(p.asOf)
}

// day parses a --as-of flag; empty is today in UTC.
func day(s string) (date.Date, error) {
	if s == "" {
		return date.Today(), nil
	}
	d, err := date.ParseISO(s)
	if err != nil {
		return d, usagef("--as-of %q is not a date; write it as 2026-06-30", s)
	}
	return d, nil
}
