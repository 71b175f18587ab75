// Package storagetest is the conformance suite for goalkit stores: the same
// assertions run against the memory store, SQLite and PostgreSQL, and a host
// proves its own adapter keeps the storage contract by running them too:
//
//	func TestMyStore(t *testing.T) {
//		storagetest.Run(t, storagetest.Harness{
//			Open: func(t *testing.T) storagetest.Opener {
//				db := freshDatabase(t)
//				return func(tenant string) storage.Store {
//					return myStore(db, tenant)
//				}
//			},
//			ConcurrentWriters: true,
//		})
//	}
//
// The suite covers round trips of every record (a 20-digit decimal kept
// exactly, dates, times, nulls), not-found, duplicate and conflict mappings,
// optimistic concurrency, idempotent ingestion and retraction, half-open
// ranges and subtree totals, split credit, immutable plan versions and
// snapshots, scenarios with their own versions, tenant isolation, rollback of
// failed transactions, deterministic ordering, cancellation, and (when the
// harness declares it) concurrent writers and injected faults.
package storagetest
