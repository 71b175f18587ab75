package kpi

// BatchMode says what IngestBatch does with a batch that holds bad facts.
type BatchMode uint8

const (
	// AllOrNothing is the zero value: a batch with any bad fact is rejected
	// whole, with a *BatchError listing every bad fact, and nothing of it is
	// applied.
	AllOrNothing BatchMode = iota
	// KeepGood applies the good facts and returns the bad ones in
	// BatchResult.Rejected, with a nil error.
	KeepGood
)

// BatchResult says what a batch did.
type BatchResult struct {
	Added      int         // new facts applied
	Duplicates int         // facts identical to ones ingested before (or earlier in the batch)
	Rejected   []Rejection // bad facts not applied (KeepGood only)
}

// IngestBatch adds facts as one operation: readers see all of it or none of
// it. Duplicates within the batch or of earlier facts count once. With
// AllOrNothing (the default) a batch holding any bad fact changes nothing
// and returns a *BatchError naming every bad fact; with KeepGood the good
// facts are applied and the bad ones reported in the result.
//
// A batch is faster than as many calls of Ingest: the ledger validates and
// looks up a few dozen facts ahead of applying them, so that their memory
// accesses overlap.
func (l *Ledger) IngestBatch(facts []Fact, mode BatchMode) (BatchResult, error) {
	return ingestBatch(l, factBatch(facts), mode)
}

// batchOf is a batch of facts of some shape.
type batchOf interface {
	len() int
	key(i int) string
	// prepare validates fact i. With early set it may decline (ok false) a
	// fact it cannot prepare ahead of the facts before it.
	prepare(l *Ledger, i int, early bool) (p prepared, err *FactError, ok bool)
}

type factBatch []Fact

func (b factBatch) len() int         { return len(b) }
func (b factBatch) key(i int) string { return b[i].Key }

func (b factBatch) prepare(l *Ledger, i int, early bool) (prepared, *FactError, bool) {
	// A split fact's credits live in l.scratch until it is applied.
	if early && len(b[i].Credits) > 0 {
		return prepared{}, nil, false
	}
	p, err := l.prepare(&b[i])
	return p, err, true
}

func ingestBatch[B batchOf](l *Ledger, facts B, mode BatchMode) (BatchResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var res BatchResult
	firstNew, splits0, live0 := l.keys.n, len(l.splits), l.live
	if l.ahead == nil {
		l.ahead = make([]ahead, batchAhead)
	}
	n := facts.len()
	for i0 := 0; i0 < n; i0 += batchAhead {
		k := min(batchAhead, n-i0)
		lookAhead(l, facts, i0, k)
		for j := range k {
			a := &l.ahead[j]
			if !a.prepared {
				a.p, a.err, _ = facts.prepare(l, i0+j, false)
			}
			added, err := false, a.err
			if err == nil {
				added, err = l.apply(a.key, &a.p, a.h)
			}
			switch {
			case err != nil:
				res.Rejected = append(res.Rejected, Rejection{Index: i0 + j, Err: err})
			case added:
				res.Added++
			default:
				res.Duplicates++
			}
		}
	}
	clear(l.ahead) // hold no keys or errors of the caller's
	if mode == KeepGood || len(res.Rejected) == 0 {
		return res, nil
	}
	// Roll back: only new records were touched, and they are the last ones.
	for l.keys.n > firstNew {
		n := l.keys.n - 1
		r := l.keys.rec(n)
		l.contribute(r, -1)
		delete(l.dims, n)
		delete(l.conv, n)
		l.keys.popLast()
	}
	l.splits = l.splits[:splits0]
	l.live = live0
	return BatchResult{}, &BatchError{Size: n, Rejected: res.Rejected}
}

// batchAhead is how many facts a batch validates and looks up ahead of
// applying them.
const batchAhead = 64

// ahead is a fact of a batch validated and hashed ahead of applying it.
type ahead struct {
	key      string
	p        prepared
	err      *FactError
	h        uint64
	prepared bool
}

// lookAhead validates and hashes facts [i0, i0+k) into l.ahead and reads the
// key table slot and the buckets each will touch. The reads are
// independent, so the CPU overlaps their cache and TLB misses, where
// applying the facts one by one would wait for each in turn: on a large
// ledger that is most of the cost of ingest.
func lookAhead[B batchOf](l *Ledger, facts B, i0, k int) {
	for j := range k {
		a := &l.ahead[j]
		a.key = facts.key(i0 + j)
		a.h = l.keys.hash(a.key)
		a.p, a.err, a.prepared = facts.prepare(l, i0+j, true)
	}
	// The reads alone, in a loop short enough for the CPU to have many of
	// them in flight at once.
	var sink int64
	for j := range k {
		a := &l.ahead[j]
		sink += int64(l.keys.table.Peek(a.h))
		if a.prepared && a.err == nil && a.p.unit >= 0 {
			sink += l.peek(a.p.metric, int(a.p.unit), int(a.p.day))
		}
	}
	l.sink = sink
}
