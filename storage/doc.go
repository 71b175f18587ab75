// Package storage defines what goalkit persists and the contract every store
// keeps, so the engine can run on memory in a test and on the host's own
// database in production without a line of difference.
//
// # The idea
//
// The engine needs a few small things from storage, each an interface of a
// handful of methods: the org tree (Units), versioned plans with an audit
// log of every change to a target (Plans), every saved version of a plan
// and named snapshots of them (Versions), what-if copies of plans
// (Scenarios), actuals ingested idempotently by key (Facts) and totals over
// them answered by the store itself (Totals), deal histories (Deals),
// alert states (Alerts), an outbox of notifications (Outbox) and each
// plan's negotiation with the log of its moves (Negotiations). A Store bundles them, is bound to one tenant, and
// runs any mix of them atomically with InTx:
//
//	err := store.InTx(ctx, func(tx storage.Tx) error {
//		if _, err := tx.PutAlert(ctx, state, version); err != nil {
//			return err // rolls back
//		}
//		return tx.Enqueue(ctx, notification)
//	})
//
// Implementations: storage/memory (tests, demos, the quickstart) and
// storage/sqlstore (SQLite or PostgreSQL on the host's *sql.DB). Any other
// adapter proves it keeps the contract by running storage/storagetest, and
// calls the same rules goalkit's stores and kpi.Ledger call rather than
// copy them: kpi.SameFact (a duplicate or a conflict), Split (credit),
// goal.Chains (which subtree totals a fact counts in on its day) and
// storage/rollup (own bucket deltas, exact sums, SumMany along the org of
// each day).
//
// # Errors
//
// Every storage-level outcome matches a sentinel with errors.Is: ErrNotFound
// (no such record for this tenant), ErrConflict (a stale expected version,
// or a fact key stored with other content — never overwritten; errors.As
// gives a *ConflictError with the key), ErrDuplicate (an ID already taken)
// ErrInvalid (input the store cannot represent) and ErrOverflow (a total
// beyond the store's exact range; only SQLite has one). Errors are wrapped with
// the operation, e.g. `sqlstore: get plan "fy26": storage: not found`.
// A cancelled context makes an operation fail with an error matching
// ctx.Err().
//
// # Decisions
//
//   - Tenancy: a store handle is bound to one tenant when made; every record
//     carries the tenant in its key, so no ID can reach another tenant's data.
//   - Exact values: decimals keep every digit (values up to 21 integer digits
//     and MaxPlaces = 12 decimal places, exponents within ±goal.MaxExponent);
//     dates are date.Date within years 0001..9999; times are kept
//     in UTC with microsecond precision (what PostgreSQL stores), zero meaning
//     "never".
//   - One input rule for every store, checked before anything is written
//     and reported as ErrInvalid: identifiers (IDs, keys, tenant, metric
//     keys, currencies, stages, label and dimension keys) are 1 to
//     goal.MaxIDLen = 512 bytes, free text (names, kinds, period labels,
//     audit actors and reasons, label and dimension values) at most
//     goal.MaxTextLen = 4096 bytes, both valid UTF-8 without NUL bytes
//     (PostgreSQL cannot store NUL in text). Lookups by a key that breaks the
//     rule are ErrInvalid too, on every store. kpi.CheckFact applies the same
//     rule to facts, so the engine rejects a bad fact before the store sees
//     the batch.
//   - Totals beyond the exact range: one SQLite bucket (a metric's total for
//     a unit, or its subtree, on one day) holds up to about ±9.2×10^21; a
//     write that would take one beyond is refused whole with ErrOverflow.
//     Memory and PostgreSQL keep every total exact; sums over many buckets
//     are exact on every store.
//   - Idempotent facts: identity is (tenant, key); "identical" is
//     kpi.SameFact, the kpi ledger's rule too: every field, values as
//     decimals (1.5 equals 1.50), credits in any order. A batch is
//     all-or-nothing.
//     As in the kpi ledger, a retracted fact keeps its key (a replayed
//     message cannot resurrect it) and ReplaceFact is the one way to correct
//     a fact, so a ledger rebuilt from ListFacts agrees with the store.
//   - Range facts: a fact with End is credited on each day of [Date, End)
//     with the parts of the SplitFunc, each carrying its Day (default
//     Split: kpi.RangeDays and kpi.SpreadValue, after the credit split;
//     SplitOnCalendar for a calendar's working days); it is still one fact
//     to AppendFacts, RetractFact, ReplaceFact and ListFacts.
//   - Split credit: a fact with Credits is credited to each unit with the parts
//     of a SplitFunc (default Split: kpi.SplitValue, largest remainder in
//     units of the value's own last decimal place, so a value written with
//     its metric's places, as the engine writes every fact, splits in the
//     metric's minor units; SplitInPlaces for metric minor units whatever
//     the value's exponent); parts always sum exactly to the fact's Value
//     and are the kpi ledger's, ties included (the earlier credit wins in
//     both). Counts are
//     share-weighted like the kpi ledger's: 0.5 for each of two reps
//     sharing a deal, 1 for their team, never 2.
//   - Aggregation: stores keep daily totals per (metric, unit, day) for the
//     unit itself and, for units with descendants, for its subtree (a leaf's
//     subtree is itself), maintained in the ingest transaction: depth+1
//     buckets per fact credited to a rep. A subtree total is therefore one
//     range sum, never a walk of the tree at query time; PutUnits rebuilds
//     the subtree buckets when the tree changes. A fact counts for the
//     ancestors its unit had on the fact's date (goal.Unit.Earlier; the
//     chains are goal.Chains's, as in the kpi ledger), and
//     EditOrg moves a unit's subtree buckets to its new ancestors from the
//     move's date on.
//   - One org for all instances: the org has a version every org write
//     increments (OrgVersion); EditOrg names the version it was based on
//     and fails with ErrConflict if it moved.
//   - Optimistic concurrency: plans, alert states and negotiations carry a
//     version; a write names the version it read and fails with ErrConflict
//     if it moved.
//   - Outbox: re-enqueuing an identical notification is a no-op (a retried
//     transaction is harmless); a key reused with other content is
//     ErrDuplicate. The store numbers notifications in enqueue order (Seq),
//     and ListUndelivered returns them by CreatedAt, then Seq, so the
//     notifications one evaluation raises at one instant are delivered in
//     the order it raised them (an alert's "firing" before its
//     "escalated"), not in key order. Delivery is at least once.
//     Deliverers sharing the outbox claim what they send with a lease
//     (ClaimUndelivered): a claimed notification goes to no other
//     deliverer until the lease expires, so each is sent once unless a
//     deliverer crashes or overruns its lease.
//   - Serialised writes: every write transaction of a tenant sees
//     everything committed before it, as if the tenant had one writer
//     (the memory store's lock, SQLite's write lock, a per-tenant advisory
//     lock in PostgreSQL), so concurrent retracts, replaces and org
//     changes never count a delta twice or mix two orgs.
//   - Ordering is always deterministic and stated on each List method.
package storage
