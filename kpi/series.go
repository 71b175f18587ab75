package kpi

import (
	"sync"
	"sync/atomic"
)

// node is a bucket: a sum of minor units and a share-weighted count of facts
// in millionths.
type node struct{ sum, cnt int64 }

// blockDays is the number of days a block of a series' prefix sums covers:
// 8 cells of 16 bytes are two cache lines.
const blockDays = 8

// series holds n daily series of the same length: per series a cell per
// day, written by every fact (one add, like a plain array), and block prefix
// sums — the sum of the days before each block of blockDays days — built
// lazily by the first query that needs them. A prefix sum over days [0, x)
// is then a block prefix plus at most blockDays−1 cells, and a range two of
// those.
//
// stale[t] = k says that the block prefixes pre[t][0..k] are up to date: a
// change on day d lowers it to d/blockDays (only the blocks after day d
// move), and a query needing pre[t][j] with j > k first rebuilds them from
// k to j, in O((j − k)·blockDays). So ingest costs one cell write per series
// and nothing else, and a query O(blockDays) once its series is clean.
//
// Changes happen under the Ledger's write lock. Queries run under its read
// lock, concurrently, and may rebuild: rebuilds take mu, and a query reads
// pre[t][j] only after seeing stale[t] ≥ j, which no one can lower while it
// holds the read lock (the atomic load orders the read after the rebuild
// that wrote it).
type series struct {
	days   int
	blocks int            // days / blockDays, rounded up
	cell   []node         // series t, day d at t*days + d
	pre    []node         // series t at t*(blocks+1) + j: the sum of days [0, j*blockDays)
	stale  []atomic.Int32 // per series: pre is valid up to this index
	mu     sync.Mutex     // serializes rebuilds under the read lock
}

func newSeries(n, days int) *series {
	s := &series{
		days:   days,
		blocks: (days + blockDays - 1) / blockDays,
		cell:   make([]node, n*days),
		stale:  make([]atomic.Int32, n),
	}
	s.pre = make([]node, n*(s.blocks+1))
	for t := range s.stale {
		s.stale[t].Store(int32(s.blocks))
	}
	return s
}

// add adds (v, c) to day d of series t. The caller holds the write lock.
func (s *series) add(t, d int, v, c int64) {
	x := &s.cell[t*s.days+d]
	x.sum += v
	x.cnt += c
	if st, k := &s.stale[t], int32(d/blockDays); st.Load() > k {
		st.Store(k)
	}
}

// rangeSum returns the sum of days [a, b) of series t. The caller holds the
// read or the write lock.
func (s *series) rangeSum(t, a, b int) node {
	ka, kb := a/blockDays, b/blockDays
	if int(s.stale[t].Load()) < kb {
		s.rebuild(t, kb)
	}
	pre := s.pre[t*(s.blocks+1) : (t+1)*(s.blocks+1)]
	cell := s.cell[t*s.days : (t+1)*s.days]
	r := node{pre[kb].sum - pre[ka].sum, pre[kb].cnt - pre[ka].cnt}
	for _, c := range cell[kb*blockDays : b] {
		r.sum += c.sum
		r.cnt += c.cnt
	}
	for _, c := range cell[ka*blockDays : a] {
		r.sum -= c.sum
		r.cnt -= c.cnt
	}
	return r
}

// rebuild brings series t's block prefixes up to date up to pre[t][upTo]
// (no further: a query after a new fact rebuilds what it reads).
func (s *series) rebuild(t, upTo int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from := int(s.stale[t].Load())
	if from >= upTo {
		return
	}
	pre := s.pre[t*(s.blocks+1) : (t+1)*(s.blocks+1)]
	cell := s.cell[t*s.days : (t+1)*s.days]
	acc := pre[from]
	for j := from; j < upTo; j++ {
		for _, c := range cell[j*blockDays : min((j+1)*blockDays, s.days)] {
			acc.sum += c.sum
			acc.cnt += c.cnt
		}
		pre[j+1] = acc
	}
	s.stale[t].Store(int32(upTo))
}
