// Package sqlstore keeps goalkit's data in the host's own SQL database:
// SQLite (a file, nothing to run) or PostgreSQL (many processes, large
// tenants), through the *sql.DB the host already has. It imports no driver:
// the host picks one (modernc.org/sqlite, github.com/jackc/pgx/v5/stdlib, …).
//
//	db, _ := sql.Open("sqlite", "file:goalkit.db")
//	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"})
//	_, err = s.Migrate(ctx) // create or upgrade the schema
//
// The store keeps the contract of package storage, checked by the same
// conformance suite as the memory store (storage/storagetest).
//
// # Schema
//
// Migrations are embedded and applied by an explicit Migrate call, or handed
// to the host's own migration tool as plain SQL files by Migrations. Every
// table and index name starts with Config.TablePrefix ("goalkit_" by
// default), so the schema can live beside the host's tables, and every table
// has the tenant as the first column of its primary key (of its unique key
// and indexes for the audit log, the negotiation log and the outbox, whose
// rows are numbered by a sequence): a Store bound to one tenant puts it in every statement, so no
// ID reaches another tenant's rows.
//
// The outbox's seq (AUTOINCREMENT in SQLite, an identity column in
// PostgreSQL) numbers notifications in the order they were inserted, which
// orders those created at the same instant. Within a transaction that is
// enqueue order; in PostgreSQL two transactions enqueueing concurrently
// may commit in the other order than their numbers.
//
// Values are exact: decimals are TEXT in SQLite (its NUMERIC would silently
// become floating point) and NUMERIC in PostgreSQL; days are ISO TEXT in
// SQLite and DATE in PostgreSQL; times are microseconds in SQLite and
// TIMESTAMPTZ in PostgreSQL.
//
// # Aggregation in the database
//
// Ingesting a batch aggregates, in Go, what its facts add to every own
// bucket (metric, unit, day: the facts credited to the unit itself) and
// writes each touched bucket once, in key order, in the same transaction as
// the facts. Only own buckets are stored: a fact credited to a rep writes
// one daily row, not one per ancestor, and ingest reads nothing of the org.
// Subtree totals are summed when read: SumMany reads the units (one
// statement, O(units), skipped while the org version is one the store has
// read before), cuts the requested ranges at every day a unit
// changed parent as well, and adds each unit's own segment sums to the unit
// and to the ancestors it had in that segment, in Go. So a fact counts for
// the ancestors its unit had on the fact's date, and PutUnits and EditOrg
// write unit rows only, never totals.
//
// Both dialects keep the buckets per day and per calendar month (table
// monthly); a simple fact (no credits, no range) is its own daily bucket,
// read from its row through a partial index, so table daily holds only the
// parts of the other facts and a batch of simple facts writes its rows and
// its monthly buckets. SQLite writes with multi-row statements prepared
// once per transaction. PostgreSQL takes a batch in a fixed
// number of statements (each up to 50,000 rows) whatever its size: the
// facts as one INSERT … SELECT FROM unnest of array parameters (passed as
// array literals, so any database/sql driver works and the store imports
// none), plainly under a savepoint and with ON CONFLICT DO NOTHING,
// returning the keys that were already stored, only if that fails; and all
// buckets, daily and monthly, as one upsert from unnest. With a Copier
// (Config.Copier; package pgxcopy for pgx's driver) the new facts go in by
// binary COPY instead of the plain INSERT.
//
// SumMany sums every own series once per segment in one statement, so the
// 93,245 figures of the W1 benchmark take one statement (and one for the
// units); the whole months are monthly rows read as stored, and only
// partial months read daily rows and simple facts.
//
// In SQLite the totals are integers at scale 10^-12 split into a high and a
// low part (value = hi·10^15 + lo), so SUM stays exact in int64; should a
// sum still overflow, SQLite fails loudly and the store sums the rows in Go.
// Monthly rows, which SQLite never sums, use hi·10^17 + lo, so a month of
// one metric and unit holds up to ±9.2×10^23 (a day of daily ±9.2×10^21);
// a write beyond fails whole with storage.ErrOverflow.
//
// # Concurrency
//
// The Store is safe for concurrent use, from goroutines and from several
// processes on one database. Every write transaction of a tenant (each
// operation outside InTx, and InTx itself) runs after the previous one
// ended, as if the tenant had one writer, so a write never applies a delta
// computed from what another writer was changing. In PostgreSQL its first
// statement takes a transaction-level advisory lock on a hash of the
// schema, the table prefix and the tenant (pg_advisory_xact_lock of
// hashtextextended), released at commit or rollback; the transaction runs
// at READ COMMITTED, so each statement after the lock sees everything
// committed before it. Tenants do not wait for each other. Versions are still checked in the UPDATE
// itself, so a stale edit is ErrConflict, never a lost update.
// Multi-statement reads (a plan and its goals) run in a REPEATABLE READ
// snapshot and never wait for a writer. The outbox's claims
// (ClaimUndelivered) also lock the rows they take with FOR UPDATE SKIP
// LOCKED.
//
// SQLite allows one writer at a time. A deferred SQLite transaction that
// reads before it writes can fail at once with SQLITE_BUSY when another
// connection commits in between, whatever the busy timeout. So every write
// transaction here first sets busy_timeout (Config.BusyTimeout) and writes a
// row of the table <prefix>lock: it holds the write lock from its first
// statement, and concurrent writers — goroutines or processes — queue for up
// to BusyTimeout instead of failing. Migrate switches the database to WAL,
// so readers never wait for the writer. A pool of several connections is
// fine; with ":memory:" use db.SetMaxOpenConns(1), since each connection to
// ":memory:" is a different database.
//
// # Transactions
//
// InTx runs a function in one database transaction; inside it, each
// multi-statement operation runs under a savepoint, so an operation that
// fails (a rejected batch, a stale version) leaves nothing of itself behind
// even if the function goes on and commits.
package sqlstore
