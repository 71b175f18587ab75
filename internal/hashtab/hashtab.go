// Package hashtab is the open-addressing hash table behind the fact key
// indexes: it maps 64-bit key hashes to record numbers and leaves the keys
// with their owner, which says through a callback whether record n holds
// the key looked up. An entry is 8 bytes (32 bits of hash and the record
// number), so an index of 10M keys is 128–256 MiB less than a Go map of
// strings and has no pointer for the garbage collector to scan; linear
// probing touches one cache line in the common case, and Peek lets a batch
// read the slots of the keys ahead so their cache misses overlap.
package hashtab

// Table maps key hashes to record numbers (0 to 2^32-2). It is not safe
// for concurrent use.
type Table struct {
	slots []uint64 // 0 is empty, otherwise hash<<32 | record number + 1
	used  int
}

// New returns a table presized for capacity keys.
func New(capacity int) *Table {
	size := 1 << 10
	for size*3/4 < capacity && size < 1<<32 {
		size <<= 1
	}
	return &Table{slots: make([]uint64, size)}
}

// Len returns the number of entries.
func (t *Table) Len() int { return t.used }

// Find returns the record number stored under hash h for which same
// reports true, or the slot where such a record would go.
func (t *Table) Find(h uint64, same func(n uint32) bool) (n uint32, slot int, found bool) {
	mask := uint64(len(t.slots) - 1)
	for s := h & mask; ; s = (s + 1) & mask {
		e := t.slots[s]
		if e == 0 {
			return 0, int(s), false
		}
		if e>>32 == h&(1<<32-1) && same(uint32(e)-1) {
			return uint32(e) - 1, int(s), true
		}
	}
}

// Insert stores record n under hash h at slot, which a failed Find just
// returned.
func (t *Table) Insert(slot int, h uint64, n uint32) {
	t.slots[slot] = h<<32 | uint64(n+1)
	t.used++
	if t.used*4 > len(t.slots)*3 {
		t.grow()
	}
}

func (t *Table) grow() {
	old := t.slots
	t.slots = make([]uint64, 2*len(old))
	mask := uint64(len(t.slots) - 1)
	for _, e := range old {
		if e == 0 {
			continue
		}
		s := e >> 32 & mask
		for t.slots[s] != 0 {
			s = (s + 1) & mask
		}
		t.slots[s] = e
	}
}

// Delete removes record n stored under hash h, if it is there.
func (t *Table) Delete(h uint64, n uint32) {
	mask := uint64(len(t.slots) - 1)
	i := h & mask
	for t.slots[i] != h<<32|uint64(n+1) {
		if t.slots[i] == 0 {
			return
		}
		i = (i + 1) & mask
	}
	// Backward-shift deletion keeps every probe chain unbroken.
	for j := i; ; {
		j = (j + 1) & mask
		e := t.slots[j]
		if e == 0 {
			break
		}
		home := e >> 32 & mask
		if (i < j && (home <= i || home > j)) || (i > j && home <= i && home > j) {
			t.slots[i] = e
			i = j
		}
	}
	t.slots[i] = 0
	t.used--
}

// Peek reads the slot hash h starts probing at and returns it, so a caller
// can issue the reads of many lookups before making them.
func (t *Table) Peek(h uint64) uint64 { return t.slots[h&uint64(len(t.slots)-1)] }
