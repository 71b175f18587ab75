package kpi

import (
	"hash/maphash"

	"github.com/goalkit/goalkit/internal/hashtab"
)

// The idempotency index: every fact ever ingested keeps a fixed-size record
// in a slab of chunks, its key bytes in an arena of chunks, and an open
// addressing hash table finds a record by key. A table entry holds the
// record number and 32 bits of the key's hash, so probing compares hashes
// in the table and touches a record only on a likely match. At 10M facts
// that is 24 B a record, about 7 B of key text and 11–21 B of table a key
// (W1 measures about 490 MiB of heap for 10M facts, the buckets included),
// with no pointer the garbage collector has to scan and no allocation per
// fact (chunks and the table grow geometrically).

const (
	recChunkBits = 16 // 65,536 records (1.5 MiB) a chunk
	recChunk     = 1 << recChunkBits
	keyChunkBits = 20 // 1 MiB of key text a chunk
	keyChunk     = 1 << keyChunkBits
	maxRecords   = 1<<32 - 2
)

// Record flags.
const (
	flagLive     = 1 << iota // counted in the figures (not retracted)
	flagHasDims              // a fingerprint of Dims is kept in Ledger.dims
	flagCurrency             // the fact named its currency (the metric's)
)

// record is what the ledger keeps of one fact: enough to detect a conflict
// and to take the fact's contribution out again exactly.
type record struct {
	value int64  // the fact's whole value in minor units
	ref   uint64 // the key's arena offset, the metric, flags and the key's length: see refKeyOff
	unit  int32  // the credited unit's index, or -1-i for a split stored at splits[i]
	day   int32  // days since the ledger's first day
}

// The fields of record.ref, from the top bit down.
const (
	refKeyOffShift = 21 // 43 bits (8 TiB) of key arena offset
	refFlagsShift  = 18 // 3 bits of flags
	refMetricShift = 10 // 8 bits of metric index
	refKeyLenMask  = 1<<10 - 1
	refMaxKeyOff   = 1<<(64-refKeyOffShift) - 1
)

func (r *record) keyOff() uint64 { return r.ref >> refKeyOffShift }
func (r *record) keyLen() int    { return int(r.ref & refKeyLenMask) }
func (r *record) metric() int    { return int(r.ref >> refMetricShift & 0xff) }
func (r *record) flags() uint8   { return uint8(r.ref >> refFlagsShift & 7) }

func (r *record) setMetric(m int) {
	r.ref = r.ref&^(0xff<<refMetricShift) | uint64(uint8(m))<<refMetricShift
}
func (r *record) set(f uint8)   { r.ref |= uint64(f) << refFlagsShift }
func (r *record) clear(f uint8) { r.ref &^= uint64(f) << refFlagsShift }

// keyIndex maps fact keys to records. It is not safe for concurrent use;
// the Ledger's lock guards it.
type keyIndex struct {
	seed  maphash.Seed
	table *hashtab.Table // key hash → record number
	recs  [][]record
	n     uint32 // records in use
	keys  [][]byte
}

func newKeyIndex(capacity int) *keyIndex {
	return &keyIndex{seed: maphash.MakeSeed(), table: hashtab.New(capacity)}
}

func (x *keyIndex) hash(key string) uint64 { return maphash.String(x.seed, key) }

func (x *keyIndex) rec(i uint32) *record { return &x.recs[i>>recChunkBits][i&(recChunk-1)] }

func (x *keyIndex) key(r *record) []byte {
	off := r.keyOff()
	c := x.keys[off>>keyChunkBits]
	o := off & (keyChunk - 1)
	return c[o : o+uint64(r.keyLen())]
}

// find returns the record number of key and true, or the table slot where
// it would go and false.
func (x *keyIndex) find(key string, h uint64) (uint32, int, bool) {
	return x.table.Find(h, func(n uint32) bool {
		r := x.rec(n)
		return r.keyLen() == len(key) && string(x.key(r)) == key
	})
}

// room reports whether a record for a key of n bytes fits.
func (x *keyIndex) room(n int) bool {
	return x.n < maxRecords && uint64(len(x.keys)+1)<<keyChunkBits+uint64(n) <= refMaxKeyOff
}

// add stores a new record for key at table slot s (from a failed find) and
// returns its number. The caller fills the record's other fields.
func (x *keyIndex) add(key string, h uint64, s int) (uint32, *record) {
	n := x.n
	if len(x.recs) == 0 || len(x.recs[len(x.recs)-1]) == recChunk {
		x.recs = append(x.recs, make([]record, 0, chunkCap(64, recChunk, len(x.recs))))
	}
	last := &x.recs[len(x.recs)-1]
	*last = append(*last, record{})
	x.n++
	// Key text, never split across arena chunks.
	if len(x.keys) == 0 || len(x.keys[len(x.keys)-1])+len(key) > keyChunk {
		x.keys = append(x.keys, make([]byte, 0, chunkCap(1024, keyChunk, len(x.keys))))
	}
	kc := &x.keys[len(x.keys)-1]
	off := uint64(len(x.keys)-1)<<keyChunkBits | uint64(len(*kc))
	*kc = append(*kc, key...)

	r := x.rec(n)
	*r = record{ref: off<<refKeyOffShift | uint64(len(key))}
	x.table.Insert(s, h, n)
	return n, r
}

// popLast removes the most recently added record, which must be record n-1
// with key at its table slot, undoing add (used to roll back a batch).
func (x *keyIndex) popLast() {
	n := x.n - 1
	r := x.rec(n)
	x.table.Delete(maphash.Bytes(x.seed, x.key(r)), n)
	kc := &x.keys[r.keyOff()>>keyChunkBits]
	*kc = (*kc)[:r.keyOff()&(keyChunk-1)]
	if len(*kc) == 0 {
		x.keys = x.keys[:len(x.keys)-1]
	}
	rc := &x.recs[n>>recChunkBits]
	*rc = (*rc)[:n&(recChunk-1)]
	if len(*rc) == 0 {
		x.recs = x.recs[:len(x.recs)-1]
	}
	x.n = n
}

// chunkCap is the initial capacity of chunk number n: the first chunk starts
// small and grows by append (so a small ledger stays small), the others are
// allocated whole.
func chunkCap(first, full, n int) int {
	if n == 0 {
		return first
	}
	return full
}
