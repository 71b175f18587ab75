package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/txn"
)

// Store is a storage.Store on a *sql.DB the host owns. It is safe for
// concurrent use; it opens no connections of its own and starts no
// goroutines. Make it with New, create the schema with Migrate.
//
// Outside InTx, each method of storage.Tx (PutUnits, AppendFacts, Sum, …)
// runs as a database transaction of its own.
type Store struct {
	auto // the storage.Tx methods, each in its own transaction
	db   *sql.DB
	cfg  Config
	d    dialect
	t    tables
	// lock is the first statement of every write transaction: it
	// serialises the tenant's writers (see lock.go).
	lock func(ctx context.Context, c *sql.Tx) error
	orgs *orgCache // the units as of an org version (see rollupOrg)
}

// auto embeds txn.Auto under an unexported name: its methods are Store's,
// its fields are not the host's to change.
type auto = txn.Auto

var _ storage.Store = (*Store)(nil)

// tables holds the prefixed table names.
type tables struct {
	lock, units, org, plans, goals, audit, facts, daily, monthly, deals, alerts, outbox string
	negotiations, events                                                                string
}

// New returns a store on db bound to cfg.Tenant. It does not touch the
// database; call Migrate before first use. For SQLite, db must reach one
// database from every connection: use a file (not ":memory:", which gives
// each connection its own database) or db.SetMaxOpenConns(1).
func New(db *sql.DB, cfg Config) (*Store, error) {
	if db == nil {
		return nil, fmt.Errorf("sqlstore: new store: %w", storage.Invalid("db", "", "it is nil"))
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("sqlstore: new store: %w", err)
	}
	p := cfg.TablePrefix
	s := &Store{db: db, cfg: cfg, d: dialect{cfg.Dialect}, t: tables{
		lock: p + "lock", units: p + "units", org: p + "org", plans: p + "plans", goals: p + "goals",
		audit: p + "audit", facts: p + "facts", daily: p + "daily", monthly: p + "monthly", deals: p + "deals", alerts: p + "alerts", outbox: p + "outbox",
		negotiations: p + "negotiations", events: p + "negotiation_events",
	}, orgs: &orgCache{}}
	s.auto = txn.Auto{Read: s.read, Write: s.write}
	s.lock = s.lockSQLite
	if cfg.Dialect == PostgreSQL {
		s.lock = s.lockPostgres
	}
	return s, nil
}

// ForTenant returns a handle on the same database and schema bound to
// another tenant.
func (s *Store) ForTenant(tenant string) (*Store, error) {
	cfg := s.cfg
	cfg.Tenant = tenant
	return New(s.db, cfg)
}

// Tenant returns the tenant the store is bound to.
func (s *Store) Tenant() string { return s.cfg.Tenant }

// conn is what a tx runs statements on.
type conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tx carries out every operation inside one database transaction.
type tx struct {
	s *Store
	c conn
	// nested is set inside a host's InTx: an operation that fails part way
	// then rolls back to a savepoint, so the host's transaction keeps
	// nothing of it.
	nested bool
	state  txn.State
	sp     int
	// read is set in a read-only snapshot (Store.read).
	read bool
	// raw is the connection of a write transaction that loads facts with
	// the Copier (Config.Copier), nil otherwise.
	raw *sql.Conn
	// stmts caches the statements a transaction runs many times (the
	// full-size chunks of a batch), so SQLite parses each once.
	stmts map[string]*sql.Stmt
}

var errFinished = errors.New("sqlstore: the transaction is finished; use the Tx only inside the function given to InTx")

// InTx runs fn in one database transaction: it commits if fn returns nil and
// ctx is not done, and rolls back otherwise. Before fn runs, the transaction
// waits for the other write transactions of the tenant to end (the
// database's write lock in SQLite, a per-tenant advisory lock in
// PostgreSQL; see the package doc), so fn sees everything they committed.
func (s *Store) InTx(ctx context.Context, fn func(tx storage.Tx) error) error {
	return s.inTx(ctx, true, func(t *tx) error { return fn(t) })
}

// write runs one operation as its own write transaction.
func (s *Store) write(ctx context.Context, fn func(t storage.Tx) error) error {
	return s.inTx(ctx, false, func(t *tx) error { return fn(t) })
}

func (s *Store) inTx(ctx context.Context, nested bool, fn func(t *tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	var opts *sql.TxOptions
	if s.cfg.Dialect == PostgreSQL {
		// Whatever the server's default: each statement after the lock must
		// see the commits of the writers before (see lockPostgres).
		opts = &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	var raw *sql.Conn
	begin := s.db.BeginTx
	if s.copying() {
		// The Copier needs the driver's connection of the transaction.
		if raw, err = s.db.Conn(ctx); err != nil {
			return fmt.Errorf("sqlstore: begin: %w", err)
		}
		defer raw.Close()
		begin = raw.BeginTx
	}
	sqlTx, err := begin(ctx, opts)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	t := &tx{s: s, c: sqlTx, nested: nested, raw: raw}
	defer func() {
		t.state.End()
		t.closeStmts()
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err := s.lock(ctx, sqlTx); err != nil {
		return err
	}
	if err := fn(t); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}

// read runs fn in a read-only snapshot: a deferred transaction in SQLite
// (with WAL, it never blocks the writer), REPEATABLE READ in PostgreSQL, so
// a plan and its goals come from the same commit.
func (s *Store) read(ctx context.Context, fn func(t storage.Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	var opts *sql.TxOptions
	if s.cfg.Dialect == PostgreSQL {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	sqlTx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("sqlstore: begin read: %w", err)
	}
	t := &tx{s: s, c: sqlTx, read: true}
	defer func() {
		t.state.End()
		_ = sqlTx.Rollback()
	}()
	return fn(t)
}

// check is called first by every operation.
func (t *tx) check(ctx context.Context) error { return t.state.Check(ctx, errFinished) }

// atomic runs a multi-statement operation so that it keeps nothing of
// itself if it fails: inside a host's transaction, under a savepoint.
func (t *tx) atomic(ctx context.Context, fn func() error) error {
	if !t.nested {
		return fn() // the operation's own transaction rolls back
	}
	t.sp++
	name := fmt.Sprintf("goalkit_op_%d", t.sp)
	if _, err := t.c.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("sqlstore: savepoint: %w", err)
	}
	if err := fn(); err != nil {
		if _, rerr := t.c.ExecContext(context.WithoutCancel(ctx), "ROLLBACK TO SAVEPOINT "+name); rerr != nil {
			return errors.Join(err, fmt.Errorf("sqlstore: roll back to savepoint: %w", rerr))
		}
		return err
	}
	if _, err := t.c.ExecContext(ctx, "RELEASE SAVEPOINT "+name); err != nil {
		return fmt.Errorf("sqlstore: release savepoint: %w", err)
	}
	return nil
}

// prepared runs a statement the transaction will run again, prepared once.
func (t *tx) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := t.stmts[q]; ok {
		return st, nil
	}
	sqlTx, ok := t.c.(*sql.Tx)
	if !ok {
		return nil, errors.New("sqlstore: no transaction to prepare on")
	}
	st, err := sqlTx.PrepareContext(ctx, t.s.d.rebind(q))
	if err != nil {
		return nil, err
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[q] = st
	return st, nil
}

func (t *tx) closeStmts() {
	for _, st := range t.stmts {
		st.Close()
	}
	t.stmts = nil
}

// execMany runs a statement that a batch runs chunk after chunk: prepared
// once per transaction when the chunk is full size.
func (t *tx) execMany(ctx context.Context, full bool, q string, args ...any) (sql.Result, error) {
	if !full {
		return t.exec(ctx, q, args...)
	}
	st, err := t.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// queryMany is execMany for a statement that returns rows.
func (t *tx) queryMany(ctx context.Context, full bool, q string, args ...any) (*sql.Rows, error) {
	if !full {
		return t.query(ctx, q, args...)
	}
	st, err := t.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// exec runs a statement written with ? placeholders.
func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.c.ExecContext(ctx, t.s.d.rebind(q), args...)
}

func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.c.QueryContext(ctx, t.s.d.rebind(q), args...)
}

func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.c.QueryRowContext(ctx, t.s.d.rebind(q), args...)
}

// chunk calls fn for consecutive slices of at most size of n items.
func chunk(n, size int, fn func(lo, hi int) error) error {
	for lo := 0; lo < n; lo += size {
		if err := fn(lo, min(n, lo+size)); err != nil {
			return err
		}
	}
	return nil
}
