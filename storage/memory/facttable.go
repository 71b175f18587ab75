package memory

import (
	"bytes"
	"hash/maphash"
	"slices"
	"sync"

	"github.com/goalkit/goalkit/internal/hashtab"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The stored facts, kept as the kpi ledger keeps its keys: a fixed-size
// record per fact in a slab of chunks, the key text in an arena of chunks
// and a hash index from key to record number, so a fact costs about 60
// bytes and the garbage collector has no per-fact pointer to scan. What few
// facts carry (credits and their parts, dims, a currency's name, a value
// past 18 digits) lives beside, in extras.

const (
	recChunkBits = 16 // 65,536 records (2 MiB) a chunk
	recChunk     = 1 << recChunkBits
	keyChunkBits = 20 // 1 MiB of key text a chunk; longer keys get a chunk each
	keyChunk     = 1 << keyChunkBits
	maxKeyLen    = 1<<24 - 1
	maxRecords   = 1<<32 - 1
)

// Record flags.
const (
	flagRetracted = 1 << iota
	flagExtra     // extras holds more of the fact
)

// factRec is what the store keeps of one fact.
type factRec struct {
	coef   int64  // Value = coef × 10^exp (unless extras holds a big value)
	key    uint64 // key chunk << 44 | offset << 24 | length
	day    int32  // Date
	unit   int32  // Unit, interned
	metric uint16 // Metric, interned
	cur    uint16 // Currency, interned (0 is "")
	exp    int8
	flags  uint8
}

// factExtra is the rare content of a fact.
type factExtra struct {
	value   decimal.Decimal // when its coefficient has more than 18 digits
	big     bool
	credits []kpi.Credit
	parts   []part // the credited parts, as the SplitFunc gave them
	dims    map[string]string
	// A range fact's end and basis, and a converted fact's original.
	end       date.Date
	working   bool
	converted *kpi.Conversion
}

// part is a fact's credit to one unit (on one day, for a range fact).
type part struct {
	unit         int32
	value, share rollup.Sum
	day          int32 // 0: the fact's day
}

// on returns the day p counts on, given its fact's day.
func (p part) on(day int32) date.Date {
	if p.day != 0 {
		return date.Date(p.day)
	}
	return date.Date(day)
}

// factTable holds a tenant's facts. Writes hold the store's lock
// exclusively; ListFacts's sorted order is built under mu by the first
// reader after a change.
type factTable struct {
	seed   maphash.Seed
	index  *hashtab.Table // key hash → record number
	recs   [][]factRec
	n      uint32
	keys   [][]byte
	extras map[uint32]*factExtra
	gen    uint64 // changes with every added or removed record

	mu        sync.Mutex
	sorted    []uint32 // record numbers in key order, as of sortedGen
	sortedGen uint64
}

func newFactTable(capacity int) *factTable {
	return &factTable{seed: maphash.MakeSeed(), index: hashtab.New(capacity), extras: map[uint32]*factExtra{}}
}

func (t *factTable) rec(n uint32) *factRec { return &t.recs[n>>recChunkBits][n&(recChunk-1)] }

// keyBytes returns record r's key text in the arena; the caller must not
// keep or modify it.
func (t *factTable) keyBytes(r *factRec) []byte {
	c, off, n := r.key>>44, r.key>>24&(1<<20-1), r.key&(1<<24-1)
	return t.keys[c][off : off+n]
}

func (t *factTable) key(r *factRec) string { return string(t.keyBytes(r)) }

// keyEquals reports whether record r has key k, without copying.
func (t *factTable) keyEquals(r *factRec, k string) bool {
	b := t.keyBytes(r)
	return len(b) == len(k) && string(b) == k
}

func (t *factTable) hash(key string) uint64 { return maphash.String(t.seed, key) }

// find returns the record number of key.
func (t *factTable) find(key string) (uint32, bool) {
	n, _, ok := t.lookup(key, t.hash(key))
	return n, ok
}

// lookup returns the record number of key, whose hash is h, or the index
// slot where add puts it.
func (t *factTable) lookup(key string, h uint64) (n uint32, slot int, found bool) {
	return t.index.Find(h, func(n uint32) bool { return t.keyEquals(t.rec(n), key) })
}

// mark is the table's size, to truncate back to.
type mark struct {
	n    uint32
	keys int // key chunks
	last int // bytes in the last key chunk
}

func (t *factTable) mark() mark {
	m := mark{n: t.n, keys: len(t.keys)}
	if m.keys > 0 {
		m.last = len(t.keys[m.keys-1])
	}
	return m
}

// add appends a record for key, whose hash is h and index slot slot (from
// a failed lookup), with r's content (its key field is set here) and
// returns its number.
func (t *factTable) add(key string, h uint64, slot int, r factRec) (uint32, error) {
	if len(key) > maxKeyLen {
		return 0, storage.Invalid("fact key", key[:32]+"...", "longer than 16 MiB; hash a long natural key")
	}
	if t.n == maxRecords || len(t.keys) >= 1<<20-1 {
		return 0, storage.Invalid("fact key", key, "the memory store holds its most facts; use a database store")
	}
	n := t.n
	if len(t.recs) == 0 || len(t.recs[len(t.recs)-1]) == recChunk {
		t.recs = append(t.recs, make([]factRec, 0, chunkCap(len(t.recs), recChunk)))
	}
	last := &t.recs[len(t.recs)-1]
	if len(key) > keyChunk {
		t.keys = append(t.keys, []byte(key))
		r.key = uint64(len(t.keys)-1)<<44 | uint64(len(key))
	} else {
		if len(t.keys) == 0 || len(t.keys[len(t.keys)-1])+len(key) > keyChunk {
			t.keys = append(t.keys, make([]byte, 0, chunkCap(len(t.keys), keyChunk)))
		}
		kc := &t.keys[len(t.keys)-1]
		if len(*kc)+len(key) > cap(*kc) { // a small first chunk, grown
			*kc = slices.Grow(*kc, min(2*cap(*kc), keyChunk)-len(*kc))
		}
		r.key = uint64(len(t.keys)-1)<<44 | uint64(len(*kc))<<24 | uint64(len(key))
		*kc = append(*kc, key...)
	}
	*last = append(*last, r)
	t.n++
	t.index.Insert(slot, h, n)
	t.gen++
	return n, nil
}

// chunkCap is the capacity of chunk number i: small first chunks, so a
// store of a few facts stays small, then full ones.
func chunkCap(i, full int) int {
	if i > 0 {
		return full
	}
	return min(full, 1024)
}

// truncate removes the records added since m.
func (t *factTable) truncate(m mark) {
	for n := m.n; n < t.n; n++ {
		t.index.Delete(maphash.Bytes(t.seed, t.keyBytes(t.rec(n))), n)
		delete(t.extras, n)
	}
	for t.n > m.n {
		last := &t.recs[len(t.recs)-1]
		cut := min(len(*last), int(t.n-m.n))
		*last = (*last)[:len(*last)-cut]
		t.n -= uint32(cut)
		if len(*last) == 0 {
			t.recs = t.recs[:len(t.recs)-1]
		}
	}
	t.keys = t.keys[:m.keys]
	if m.keys > 0 {
		t.keys[m.keys-1] = t.keys[m.keys-1][:m.last]
	}
	t.gen++
}

// fact returns record n as a fact, copied out.
func (t *factTable) fact(n uint32, ns *tenantNames) storage.StoredFact {
	r := t.rec(n)
	f := kpi.Fact{
		Key:      t.key(r),
		Metric:   ns.metrics.list[r.metric],
		Unit:     ns.units.list[r.unit],
		Date:     date.Date(r.day),
		Value:    decimal.New(r.coef, int32(r.exp)),
		Currency: ns.currencies.list[r.cur],
	}
	if x := t.extras[n]; x != nil {
		if x.big {
			f.Value = x.value
		}
		f.Credits = slices.Clone(x.credits)
		f.End, f.WorkingDays = x.end, x.working
		if x.converted != nil {
			c := *x.converted
			f.Converted = &c
		}
		if x.dims != nil {
			f.Dims = make(map[string]string, len(x.dims))
			for k, v := range x.dims {
				f.Dims[k] = v
			}
		}
	}
	return storage.StoredFact{Fact: f, Retracted: r.flags&flagRetracted != 0}
}

// parts returns the parts record n is credited with.
func (t *factTable) parts(n uint32, r *factRec) []part {
	if r.flags&flagExtra != 0 {
		if x := t.extras[n]; x.parts != nil {
			return x.parts
		}
	}
	return []part{{unit: r.unit, value: t.value(n, r), share: rollup.SumOf(1, 0)}}
}

// value returns record n's value.
func (t *factTable) value(n uint32, r *factRec) rollup.Sum {
	if r.flags&flagExtra != 0 {
		if x := t.extras[n]; x.big {
			return rollup.Term(x.value)
		}
	}
	return rollup.SumOf(r.coef, int32(r.exp))
}

// inKeyOrder returns the record numbers sorted by key, sorting once after
// each change.
func (t *factTable) inKeyOrder() []uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.sortedGen == t.gen && len(t.sorted) == int(t.n) {
		return t.sorted
	}
	t.sorted = t.sorted[:0]
	for n := range t.n {
		t.sorted = append(t.sorted, n)
	}
	slices.SortFunc(t.sorted, func(a, b uint32) int { return bytes.Compare(t.keyBytes(t.rec(a)), t.keyBytes(t.rec(b))) })
	t.sortedGen = t.gen
	return t.sorted
}
