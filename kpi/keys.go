package kpi

import "hash/maphash"

// The idempotency index: every fact ever ingested keeps a fixed-size record
// in a slab of chunks, its key bytes in an arena of chunks, and an open
// addressing hash table of uint32 record numbers finds a record by key. At
// 10M facts that is 32 B a record, about 7 B of key text and 4–8 B of table
// a key, with no pointer the garbage collector has to scan and no
// allocation per fact (chunks and the table grow geometrically).

const (
	recChunkBits = 16 // 65,536 records (2 MiB) a chunk
	recChunk     = 1 << recChunkBits
	keyChunkBits = 20 // 1 MiB of key text a chunk
	keyChunk     = 1 << keyChunkBits
	maxRecords   = 1<<32 - 2
)

// Record flags.
const (
	flagLive    = 1 << iota // counted in the figures (not retracted)
	flagHasDims             // a fingerprint of Dims is kept in Ledger.dims
)

// record is what the ledger keeps of one fact: enough to detect a conflict
// and to take the fact's contribution out again exactly.
type record struct {
	keyOff uint64 // offset of the key in the arena
	value  int64  // the fact's whole value in minor units
	hash   uint32 // low 32 bits of the key's hash
	unit   int32  // the credited unit's index, or -1-i for a split stored at splits[i]
	day    int32  // days since the ledger's first day
	keyLen uint16
	metric uint8
	flags  uint8
}

// keyIndex maps fact keys to records. It is not safe for concurrent use;
// the Ledger's lock guards it.
type keyIndex struct {
	seed  maphash.Seed
	table []uint32 // 0 is empty, otherwise record number + 1
	used  int
	recs  [][]record
	n     uint32 // records in use
	keys  [][]byte
}

func newKeyIndex(capacity int) *keyIndex {
	size := 1 << 10
	for size*3/4 < capacity && size < 1<<32 {
		size <<= 1
	}
	return &keyIndex{seed: maphash.MakeSeed(), table: make([]uint32, size)}
}

func (x *keyIndex) hash(key string) uint32 { return uint32(maphash.String(x.seed, key)) }

func (x *keyIndex) rec(i uint32) *record { return &x.recs[i>>recChunkBits][i&(recChunk-1)] }

func (x *keyIndex) key(r *record) []byte {
	c := x.keys[r.keyOff>>keyChunkBits]
	o := r.keyOff & (keyChunk - 1)
	return c[o : o+uint64(r.keyLen)]
}

// find returns the record number of key and true, or the table slot where
// it would go and false.
func (x *keyIndex) find(key string, h uint32) (uint32, uint64, bool) {
	mask := uint64(len(x.table) - 1)
	for s := uint64(h) & mask; ; s = (s + 1) & mask {
		e := x.table[s]
		if e == 0 {
			return 0, s, false
		}
		r := x.rec(e - 1)
		if r.hash == h && int(r.keyLen) == len(key) && string(x.key(r)) == key {
			return e - 1, s, true
		}
	}
}

// add stores a new record for key at table slot s (from a failed find) and
// returns its number. The caller fills the record's other fields. The last
// chunk of records and of key text grows geometrically up to its full size,
// so a small ledger stays small.
func (x *keyIndex) add(key string, h uint32, s uint64) (uint32, *record) {
	n := x.n
	if len(x.recs) == 0 || len(x.recs[len(x.recs)-1]) == recChunk {
		x.recs = append(x.recs, make([]record, 0, min(recChunk, 64<<len(x.recs))))
	}
	last := &x.recs[len(x.recs)-1]
	*last = append(*last, record{})
	x.n++
	// Key text, never split across arena chunks.
	if len(x.keys) == 0 || len(x.keys[len(x.keys)-1])+len(key) > keyChunk {
		x.keys = append(x.keys, make([]byte, 0, min(keyChunk, 1024<<len(x.keys))))
	}
	kc := &x.keys[len(x.keys)-1]
	off := uint64(len(x.keys)-1)<<keyChunkBits | uint64(len(*kc))
	*kc = append(*kc, key...)

	r := x.rec(n)
	*r = record{keyOff: off, hash: h, keyLen: uint16(len(key))}
	x.table[s] = n + 1
	x.used++
	if x.used*4 > len(x.table)*3 {
		x.grow()
	}
	return n, r
}

func (x *keyIndex) grow() {
	old := x.table
	x.table = make([]uint32, 2*len(old))
	mask := uint64(len(x.table) - 1)
	for _, e := range old {
		if e == 0 {
			continue
		}
		s := uint64(x.rec(e-1).hash) & mask
		for x.table[s] != 0 {
			s = (s + 1) & mask
		}
		x.table[s] = e
	}
}

// popLast removes the most recently added record, which must be record n-1
// with key at its table slot, undoing add (used to roll back a batch).
func (x *keyIndex) popLast() {
	n := x.n - 1
	r := x.rec(n)
	mask := uint64(len(x.table) - 1)
	i := uint64(r.hash) & mask
	for x.table[i] != n+1 {
		i = (i + 1) & mask
	}
	// Backward-shift deletion keeps every probe chain unbroken.
	for j := i; ; {
		j = (j + 1) & mask
		e := x.table[j]
		if e == 0 {
			break
		}
		home := uint64(x.rec(e-1).hash) & mask
		if (i < j && (home <= i || home > j)) || (i > j && home <= i && home > j) {
			x.table[i] = e
			i = j
		}
	}
	x.table[i] = 0
	x.used--
	kc := &x.keys[r.keyOff>>keyChunkBits]
	*kc = (*kc)[:r.keyOff&(keyChunk-1)]
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
