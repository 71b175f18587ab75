package kpi

import (
	"fmt"
	"math"
	"sync"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Scope says whether a unit's actual includes its sub-units.
type Scope uint8

const (
	// Subtree is the zero value: the unit's own facts plus those of every
	// unit below it. This is what a team's or a region's actual means.
	Subtree Scope = iota
	// Own is only the facts credited to the unit itself.
	Own
)

// String names the value in words (what %v prints).
func (s Scope) String() string {
	if s == Own {
		return "own"
	}
	return "subtree"
}

// MaxBuckets bounds metrics × units × days of a ledger (each bucket costs 18
// bytes, 36 for units with sub-units): 2^28 buckets is 4.5 GiB.
const MaxBuckets = 1 << 28

// LedgerConfig configures a Ledger.
type LedgerConfig struct {
	Org     *goal.Org     // the unit tree; required
	Metrics []goal.Metric // the metrics facts may carry; 1 to 255, validated
	// Span is the range of days the ledger holds, e.g. a fiscal year or the
	// current and the previous one (for YoY). Facts dated outside it are
	// rejected and queries must lie within it.
	Span goal.Period
	// Capacity is the number of facts expected; it presizes the key index.
	// Zero is fine: the index grows as needed.
	Capacity int
}

// Ledger holds actuals bucketed by (metric, unit, day) and answers the
// actual of any unit over any range of days, with or without its
// sub-units, in O(1) (at most 2×7 buckets and two block sums). Ingesting a
// fact costs one bucket write per level of the unit's path and allocates
// nothing (amortized; split facts and facts with Dims excepted).
//
// Internally every (metric, unit) has a daily series of int64 minor units
// and share-weighted counts in millionths of a fact, summed over the unit's
// subtree; units with sub-units get a second series for their own facts.
// Each series keeps prefix sums per block of 8 days, rebuilt lazily by the
// first query after a change, so a stream of facts costs no query work and
// a query after one new fact rebuilds at most the blocks after its day.
// Totals are exact: a fact that could overflow an int64 is rejected with
// ErrOverflow.
//
// A Ledger is safe for concurrent use: queries share a read lock, changes
// take the write lock.
type Ledger struct {
	mu sync.RWMutex

	org       *goal.Org
	metrics   []goal.Metric
	metricIdx map[string]int
	start     date.Date
	days      int
	nu        int

	chains  *goal.Chains // the org over time: u's ancestors on each day
	ownSlot []int32      // index into own trees for units with sub-units (on any day), else -1
	nOwn    int

	sub *series // series metric*nu + unit: the unit's subtree
	own *series // series metric*nOwn + ownSlot: own facts of units with sub-units
	abs []int64

	keys   *keyIndex
	splits []splitEntry
	dims   map[uint32]uint64 // fingerprints of Dims, by record number
	conv   map[uint32]uint64 // fingerprints of Converted, by record number
	live   int

	scratch splitScratch
	ahead   []ahead // IngestBatch's look-ahead
	sink    int64   // keeps look-ahead reads alive
}

// splitEntry stores a split fact's credits: a header {unit: n} followed by
// n credits sorted by unit index.
type splitEntry struct {
	unit   int32
	share  uint32 // millionths
	amount int64  // allocated minor units
}

type splitScratch struct {
	units   []int32  // credited units, sorted by index
	shares  []uint32 // their shares in millionths
	pos     []int32  // their positions in the fact's Credits
	amts    []int64  // their allocated minor units
	weights []uint64 // shares in the fact's order, for SplitMinor
	split   []int64  // SplitMinor's parts in the fact's order
}

// NewLedger validates cfg and returns an empty Ledger.
func NewLedger(cfg LedgerConfig) (*Ledger, error) {
	if cfg.Org == nil || cfg.Org.Len() == 0 {
		return nil, queryErr(ErrInvalid, "ledger config: Org is nil or empty; build one with goal.NewOrg")
	}
	if len(cfg.Metrics) == 0 || len(cfg.Metrics) > math.MaxUint8 {
		return nil, queryErr(ErrInvalid, "ledger config: %d metrics; give 1 to 255", len(cfg.Metrics))
	}
	if cfg.Span.End <= cfg.Span.Start {
		return nil, queryErr(ErrInvalid, "ledger config: Span %q is empty; give the days the ledger holds, e.g. a year from goal.Calendar.PeriodOf", cfg.Span.Label)
	}
	if cfg.Capacity < 0 {
		return nil, queryErr(ErrInvalid, "ledger config: Capacity %d is negative", cfg.Capacity)
	}
	l := &Ledger{
		org:       cfg.Org,
		metrics:   append([]goal.Metric(nil), cfg.Metrics...),
		metricIdx: make(map[string]int, len(cfg.Metrics)),
		start:     cfg.Span.Start,
		days:      cfg.Span.Days(),
		nu:        cfg.Org.Len(),
		dims:      make(map[uint32]uint64),
		conv:      make(map[uint32]uint64),
	}
	for i, m := range l.metrics {
		if err := m.Validate(); err != nil {
			return nil, fmt.Errorf("%w: ledger config: %w", ErrInvalid, err)
		}
		if _, dup := l.metricIdx[m.Key]; dup {
			return nil, queryErr(ErrInvalid, "ledger config: metric %q appears twice", m.Key)
		}
		l.metricIdx[m.Key] = i
	}
	if buckets := uint64(len(l.metrics)) * uint64(l.nu) * uint64(l.days); buckets > MaxBuckets {
		return nil, queryErr(ErrInvalid, "ledger config: %d metrics × %d units × %d days = %d buckets is more than %d; shorten the span or split the ledger", len(l.metrics), l.nu, l.days, buckets, MaxBuckets)
	}
	l.chains = cfg.Org.Chains()
	l.ownSlot = make([]int32, l.nu)
	for u := range l.nu {
		l.ownSlot[u] = -1
		if l.chains.Internal(int32(u)) {
			l.ownSlot[u] = int32(l.nOwn)
			l.nOwn++
		}
	}
	l.sub = newSeries(len(l.metrics)*l.nu, l.days)
	l.own = newSeries(len(l.metrics)*l.nOwn, l.days)
	l.abs = make([]int64, len(l.metrics))
	l.keys = newKeyIndex(cfg.Capacity)
	return l, nil
}

// Span returns the range of days the ledger holds.
func (l *Ledger) Span() goal.Period {
	p, _ := goal.NewRange(l.start, l.start+date.Date(l.days))
	return p
}

// Org returns the ledger's unit tree.
func (l *Ledger) Org() *goal.Org { return l.org }

// Metric returns the metric with the given key.
func (l *Ledger) Metric(key string) (goal.Metric, bool) {
	i, ok := l.metricIdx[key]
	if !ok {
		return goal.Metric{}, false
	}
	return l.metrics[i], true
}

// Len returns the number of facts that count (ingested and not retracted).
func (l *Ledger) Len() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.live
}

// credit adds v minor units and c millionths of a fact to unit u on day d:
// to u's own series and to the subtree series of u and of every unit above
// it on that day (goal.Chains: a fact dated before a move counts for the
// old chain).
func (l *Ledger) credit(m, u, d int, v, c int64) {
	if s := l.ownSlot[u]; s >= 0 {
		l.own.add(m*l.nOwn+int(s), d, v, c)
	}
	base := m * l.nu
	l.sub.add(base+u, d, v, c)
	for _, a := range l.chains.Ancestors(int32(u), l.start+date.Date(d)) {
		l.sub.add(base+int(a), d, v, c)
	}
}

// peek reads the buckets credit(m, u, d, ...) will write.
func (l *Ledger) peek(m, u, d int) int64 {
	var x int64
	if s := l.ownSlot[u]; s >= 0 {
		x += l.own.cell[(m*l.nOwn+int(s))*l.days+d].sum
	}
	base := m * l.nu
	x += l.sub.cell[(base+u)*l.days+d].sum
	for _, a := range l.chains.Ancestors(int32(u), l.start+date.Date(d)) {
		x += l.sub.cell[(base+int(a))*l.days+d].sum
	}
	return x
}

// contribute adds (sign +1) or removes (sign −1) the record's contribution.
func (l *Ledger) contribute(r *record, sign int64) {
	m, d := r.metric(), int(r.day)
	if r.unit >= 0 {
		l.credit(m, int(r.unit), d, sign*r.value, sign*shareScale)
		l.abs[m] += sign * int64(uabs(r.value))
		return
	}
	h := int(-1 - r.unit)
	n := int(l.splits[h].unit)
	for _, e := range l.splits[h+1 : h+1+n] {
		l.credit(m, int(e.unit), d, sign*e.amount, sign*int64(e.share))
	}
	l.abs[m] += sign * int64(uabs(r.value))
}

// rangeSum returns the sum over days [a, b) of the ledger's span.
func (l *Ledger) rangeSum(m, u, a, b int, scope Scope) node {
	if s := l.ownSlot[u]; scope == Own && s >= 0 {
		return l.own.rangeSum(m*l.nOwn+int(s), a, b)
	}
	return l.sub.rangeSum(m*l.nu+u, a, b) // a leaf's own facts are its subtree
}

// locate resolves a query's metric, unit and period to indexes and a day
// range [a, b) within the span.
func (l *Ledger) locate(metric, unit string, p goal.Period) (m, u, a, b int, err error) {
	m, ok := l.metricIdx[metric]
	if !ok {
		return 0, 0, 0, 0, queryErr(ErrNotFound, "metric %q is not in the ledger; add it to LedgerConfig.Metrics", metric)
	}
	u, ok = l.org.Index(unit)
	if !ok {
		return 0, 0, 0, 0, queryErr(ErrNotFound, "unit %q is not in the ledger's org", unit)
	}
	a, b, err = l.days2(p)
	return m, u, a, b, err
}

func (l *Ledger) days2(p goal.Period) (a, b int, err error) {
	if p.End <= p.Start {
		return 0, 0, queryErr(ErrInvalid, "period %q is empty; build periods with goal.Calendar or goal.NewRange", p.Label)
	}
	end := l.start + date.Date(l.days)
	if p.Start < l.start || p.End > end {
		return 0, 0, queryErr(ErrInvalid, "period %s [%s, %s) is not within the ledger's span [%s, %s); widen LedgerConfig.Span", p.Label, p.Start, p.End, l.start, end)
	}
	return int(p.Start - l.start), int(p.End - l.start), nil
}

// Actual returns the sum of the metric's facts credited to unit (with or
// without its sub-units, by scope) dated within p, which must lie within the
// ledger's span. Split facts count with the share allocated to each unit.
func (l *Ledger) Actual(metric, unit string, p goal.Period, scope Scope) (decimal.Decimal, error) {
	m, u, a, b, err := l.locate(metric, unit, p)
	if err != nil {
		return decimal.Decimal{}, err
	}
	l.mu.RLock()
	s := l.rangeSum(m, u, a, b, scope)
	l.mu.RUnlock()
	return fromMinor(s.sum, l.metrics[m].Places), nil
}

// Count returns the number of the metric's facts credited to unit (with or
// without its sub-units, by scope) dated within p. A split fact counts its
// share for each credited unit (0.5 for each rep of a 50/50 split) and 1
// for any unit above them all, so counts roll up like sums; without split
// facts the count is a whole number.
func (l *Ledger) Count(metric, unit string, p goal.Period, scope Scope) (decimal.Decimal, error) {
	m, u, a, b, err := l.locate(metric, unit, p)
	if err != nil {
		return decimal.Decimal{}, err
	}
	l.mu.RLock()
	s := l.rangeSum(m, u, a, b, scope)
	l.mu.RUnlock()
	return fromMinor(s.cnt, SharePlaces), nil
}
