// Package rollup is the roll-up core every goalkit store shares: how a
// fact's credited parts become own bucket deltas, and how a batch of range
// queries is answered from own buckets, rolled up the org tree as it was on
// each day. The memory store and the SQL store call it, and so can a host
// that writes its own store (see package storage), without copying goalkit
// code.
//
// The rules themselves live in the domain, where kpi.Ledger calls them
// too: which units a fact credited to a unit on a day counts for is
// goal.Chains (Org wraps it by unit ID), the credit split is kpi.SplitMinor
// (through storage.Split) and a duplicate is kpi.SameFact. This package adds
// what only a store of own buckets needs: deltas, exact decimal sums
// (Sum) and the segments a batch of queries is summed over.
//
// # The idea
//
// A store keeps own buckets only: per (metric, unit, day), the sum of the
// values credited to that unit itself and the share-weighted count of the
// facts (Cell, Delta). Subtree totals are not stored; they are summed from
// own buckets when read, along the org as it was on each day, so an org
// edit never rewrites history.
//
// Writing a batch of facts:
//
//	deltas := rollup.Deltas{}
//	for _, f := range facts {
//		parts, _ := storage.Split(f) // or the store's SplitFunc
//		deltas.AddFact(f.Metric, f.Date, parts, +1)
//	}
//	for _, c := range deltas.Sorted() {
//		// upsert own bucket c: value += deltas[c].Value, count += deltas[c].Count
//	}
//
// Answering SumMany:
//
//  1. bounds := Bounds(qs): every query start and end, sorted.
//  2. For subtree queries, load the units, build NewOrg(units, nil), add
//     Below(units, subtrees) to the units to read and cut the bounds with
//     CutAtMoves(bounds, units), so no parent changes within a segment.
//  3. segs := NewSegments(bounds); for every own bucket of the units read,
//     segs.Add(Series{Self, metric, unit}, Segment(bounds, day), v, n) — a
//     database can group by segment and Add the sums.
//  4. segs.RollUp(org, subtrees), then segs.Answer(qs).
//
// Sum adds decimals exactly in int64 while they fit and in decimal.Decimal
// beyond, giving what decimal.Decimal.Add gives, exponent included.
//
// Org edits: NewEdit validates an edit against the stored units and says
// which subtree totals change (Edit); StaleOrg is the conflict of an edit
// based on an old org version.
//
// The types are values a store builds per batch; none is safe for
// concurrent use while it is being written.
package rollup
