// Package memory is the in-memory goalkit store: the default for tests,
// demos and the quickstart, and the reference the SQL store is checked
// against.
//
// It keeps the same contract as every store (see package storage and the
// storagetest conformance suite): exact decimals, deterministic ordering,
// versions, idempotent facts with daily totals kept per unit and per subtree,
// tenant isolation, and all-or-nothing transactions. A transaction holds the
// store exclusively and records how to undo each change; if its function
// fails, or its context is done before it commits, every change is undone.
// Values are copied in and out, so a caller can never change stored data by
// mutating a slice or map it passed or received.
//
// Facts and totals are kept as the kpi ledger keeps them, so the host's
// path (Engine.Ingest into this store) runs near the ledger's speed, at
// about 100 bytes a fact. Split facts are credited by kpi.SplitMinor's rule
// and rolled up the org through kpi.Ancestry.
//
//	s, err := memory.New(memory.Config{Tenant: "acme"})
//
// Nothing is persisted; data lives as long as the Store.
package memory
