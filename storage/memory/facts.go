package memory

import (
	"context"
	"fmt"
	"maps"
	"math"
	"sort"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/fault"
	"github.com/goalkit/goalkit/storage/internal/record"
	"github.com/goalkit/goalkit/storage/internal/txn"
	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// tenantNames interns a tenant's unit IDs, metric keys and currencies.
type tenantNames struct{ units, metrics, currencies names }

func (t *tx) PutUnits(ctx context.Context, units []goal.Unit) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("memory: put units: %w", err)
	}
	if err := record.CheckUnits(units); err != nil {
		return fmt.Errorf("memory: put units: %w", err)
	}
	units = record.CloneUnits(units)
	rorg, err := rollup.NewOrg(units, nil)
	if err != nil {
		return fmt.Errorf("memory: put units: %w", err)
	}
	org, err := newOrgIndex(&t.d.names.units, rorg, units)
	if err != nil {
		return fmt.Errorf("memory: put units: %w", err)
	}
	oldUnits, oldOrg, oldTree, oldVersion := t.d.units, t.d.org, t.d.totals.tree, t.d.version
	t.d.units, t.d.org = units, org
	if !record.SameTree(oldUnits, units) {
		t.rerollTree()
	}
	t.d.version++
	t.onUndo(func() {
		t.d.units, t.d.org, t.d.totals.tree, t.d.version = oldUnits, oldOrg, oldTree, oldVersion
	})
	return nil
}

// rerollTree recomputes the subtree series from the stored facts for the
// current org.
func (t *tx) rerollTree() {
	ft := t.d.facts
	t.d.totals.tree = nil
	for n := range ft.n {
		r := ft.rec(n)
		if r.flags&flagRetracted != 0 {
			continue
		}
		for _, p := range ft.parts(n, r) {
			t.d.totals.roll(t.d.org, int32(r.metric), p.unit, p.on(r.day), p.value, p.share, false)
		}
	}
}

func (t *tx) ListUnits(ctx context.Context) ([]goal.Unit, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: list units: %w", err)
	}
	out := record.CloneUnits(t.d.units)
	if out == nil {
		out = []goal.Unit{}
	}
	return out, nil
}

func (t *tx) AppendFacts(ctx context.Context, facts []kpi.Fact) ([]storage.Outcome, error) {
	mark := len(t.undo)
	out, err := t.appendFacts(ctx, facts)
	t.settle(mark, err)
	return out, err
}

func (t *tx) appendFacts(ctx context.Context, facts []kpi.Fact) ([]storage.Outcome, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: append facts: %w", err)
	}
	ft := t.d.facts
	start := ft.mark()
	out := make([]storage.Outcome, len(facts))
	var conflict error
	// New facts are added as they come, so a key repeated later in the
	// batch finds them; a failed batch is truncated away. Keys are hashed
	// and their index slots read a block ahead, so the cache misses of a
	// block overlap.
	var hashes [block]uint64
	for b := 0; b < len(facts); b += block {
		e := min(b+block, len(facts))
		for i := b; i < e; i++ {
			hashes[i-b] = ft.hash(facts[i].Key)
			t.d.totals.sink += int64(ft.index.Peek(hashes[i-b]))
		}
		for i := b; i < e; i++ {
			f := &facts[i]
			n, slot, found := ft.lookup(f.Key, hashes[i-b])
			if found {
				if err := record.CheckFact(*f); err != nil {
					ft.truncate(start)
					return nil, fmt.Errorf("memory: append facts: %w", err)
				}
				out[i] = storage.Unchanged
				if !kpi.SameFact(ft.fact(n, &t.d.names).Fact, *f) {
					out[i] = storage.Conflicting
					if conflict == nil {
						conflict = record.FactConflict(f.Key)
					}
				}
				continue
			}
			if err := t.addFact(f, hashes[i-b], slot); err != nil {
				ft.truncate(start)
				return nil, fmt.Errorf("memory: append facts: %w", err)
			}
			out[i] = storage.Inserted
		}
	}
	if conflict != nil {
		ft.truncate(start)
		return out, fmt.Errorf("memory: append facts: %w", conflict)
	}
	end := ft.n
	t.onUndo(func() { ft.truncate(start) })
	if err := fault.At(ctx, fault.FactsWritten); err != nil {
		return nil, fmt.Errorf("memory: append facts: %w", err)
	}
	// The cells of a block of facts are listed first (their addresses, see
	// totals.cells), then read in a loop short enough for the CPU to have
	// many reads in flight, then written: the memory latency of the block
	// overlaps, as in the kpi ledger's batches.
	for b := start.n; b < end; b += block {
		e := min(b+block, end)
		ahead := t.d.totals.ahead[:0]
		for n := b; n < e; n++ {
			r := ft.rec(n)
			ahead = t.d.totals.cells(ahead, t.d.org, int32(r.metric), r.unit, date.Date(r.day))
		}
		t.d.totals.ahead = ahead
		t.d.totals.peek()
		for n := b; n < e; n++ {
			t.contribute(n, 1)
		}
	}
	// Undone before the facts are truncated, and after any later change to
	// them in the transaction is undone: the records are as added.
	t.onUndo(func() {
		for n := start.n; n < end; n++ {
			t.contribute(n, -1)
		}
	})
	return out, nil
}

// block is how many facts a batch reads ahead.
const block = 64

// addFact validates f and adds its record with key hash h at index slot
// slot.
func (t *tx) addFact(f *kpi.Fact, h uint64, slot int) error {
	r, x, err := t.newRecord(f, false)
	if err != nil {
		return err
	}
	n, err := t.d.facts.add(f.Key, h, slot, r)
	if err != nil {
		return err
	}
	if x != nil {
		t.d.facts.extras[n] = x
	}
	return nil
}

// newRecord returns f's record (all but the key) and, if f needs one, its
// extra content, with its credited parts from the configured SplitFunc.
// Unless checked, it checks f first (record.CheckFact): its metric, unit
// and currency when it first interns them, the rest every time.
func (t *tx) newRecord(f *kpi.Fact, checked bool) (factRec, *factExtra, error) {
	ns := &t.d.names
	intern := func(n *names, field, s string, limit int) (int32, error) {
		if i, ok := n.index(s); ok && s != "" { // "" is a unit only with credits
			return i, nil
		}
		if !checked {
			if err := record.CheckFactName(*f, field, s); err != nil {
				return 0, err
			}
		}
		return n.intern(s, field, limit)
	}
	metric, err := intern(&ns.metrics, "fact metric", f.Metric, maxMetrics)
	if err != nil {
		return factRec{}, nil, err
	}
	unit, err := intern(&ns.units, "fact unit", f.Unit, maxUnits)
	if err != nil {
		return factRec{}, nil, err
	}
	var cur int32 // 0 is no currency
	if f.Currency != "" {
		if cur, err = intern(&ns.currencies, "fact currency", f.Currency, maxMetrics); err != nil {
			return factRec{}, nil, err
		}
	}
	if !checked {
		if err := record.CheckFactNamed(*f); err != nil {
			return factRec{}, nil, err
		}
	}
	r := factRec{day: int32(f.Date), unit: unit, metric: uint16(metric), cur: uint16(cur)}
	var x *factExtra
	if e := f.Value.Exponent(); f.Value.NumDigits() <= 18 && e >= math.MinInt8 && e <= math.MaxInt8 {
		r.coef, r.exp = f.Value.CoefficientInt64(), int8(e)
	} else {
		x = &factExtra{value: f.Value, big: true}
	}
	split := t.s.cfg.Split
	if split == nil && (len(f.Credits) > 0 || f.End != 0) {
		split = storage.Split
	}
	if split != nil { // a host's SplitFunc sees every fact, as in every store
		ps, err := split(*f)
		if err != nil {
			return factRec{}, nil, err
		}
		if x == nil {
			x = &factExtra{}
		}
		x.credits = record.CloneSlice(f.Credits)
		x.parts = make([]part, len(ps))
		for i, p := range ps {
			// A host's SplitFunc may name units the fact does not: every
			// interned name is checked once (SumMany relies on it).
			u, ok := ns.units.index(p.Unit)
			if !ok {
				if err := record.CheckRef("fact credit unit", p.Unit); err != nil {
					return factRec{}, nil, err
				}
				if u, err = ns.units.intern(p.Unit, "fact credit unit", maxUnits); err != nil {
					return factRec{}, nil, err
				}
			}
			x.parts[i] = part{unit: u, value: rollup.Term(p.Value), share: rollup.Term(p.Share), day: int32(p.Day)}
		}
	}
	if f.End != 0 || f.WorkingDays || f.Converted != nil {
		if x == nil {
			x = &factExtra{}
		}
		x.end, x.working = f.End, f.WorkingDays
		if f.Converted != nil {
			c := *f.Converted
			x.converted = &c
		}
	}
	if len(f.Dims) > 0 {
		if x == nil {
			x = &factExtra{}
		}
		x.dims = maps.Clone(f.Dims)
	}
	if x != nil {
		r.flags |= flagExtra
	}
	return r, x, nil
}

// contribute adds (sign +1) or takes out (sign −1) record n's parts to the
// totals.
func (t *tx) contribute(n uint32, sign int64) {
	ft := t.d.facts
	r := ft.rec(n)
	day := date.Date(r.day)
	if r.flags&flagExtra == 0 {
		v := rollup.SumOf(sign*r.coef, int32(r.exp))
		t.d.totals.roll(t.d.org, int32(r.metric), r.unit, day, v, rollup.SumOf(sign, 0), true)
		return
	}
	for _, p := range ft.parts(n, r) {
		t.d.totals.roll(t.d.org, int32(r.metric), p.unit, p.on(r.day), times(p.value, sign), times(p.share, sign), true)
	}
}

func (t *tx) GetFact(ctx context.Context, key string) (storage.StoredFact, error) {
	if err := t.check(ctx); err != nil {
		return storage.StoredFact{}, fmt.Errorf("memory: get fact %q: %w", key, err)
	}
	if err := record.CheckRef("fact key", key); err != nil {
		return storage.StoredFact{}, fmt.Errorf("memory: get fact: %w", err)
	}
	n, ok := t.d.facts.find(key)
	if !ok {
		return storage.StoredFact{}, fmt.Errorf("memory: get fact %q: %w", key, storage.ErrNotFound)
	}
	return t.d.facts.fact(n, &t.d.names), nil
}

func (t *tx) ListFacts(ctx context.Context, after string, limit int) ([]storage.StoredFact, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: list facts: %w", err)
	}
	if err := record.CheckRef("fact key", after); err != nil {
		return nil, fmt.Errorf("memory: list facts: %w", err)
	}
	ft := t.d.facts
	order := ft.inKeyOrder()
	i := sort.Search(len(order), func(i int) bool { return string(ft.keyBytes(ft.rec(order[i]))) > after })
	order = order[i:]
	if limit > 0 && len(order) > limit {
		order = order[:limit]
	}
	out := make([]storage.StoredFact, len(order))
	for k, n := range order {
		out[k] = ft.fact(n, &t.d.names)
	}
	return out, nil
}

func (t *tx) RetractFact(ctx context.Context, key string) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("memory: retract fact %q: %w", key, err)
	}
	if err := record.CheckRef("fact key", key); err != nil {
		return fmt.Errorf("memory: retract fact: %w", err)
	}
	n, ok := t.d.facts.find(key)
	if !ok {
		return fmt.Errorf("memory: retract fact %q: %w", key, storage.ErrNotFound)
	}
	r := t.d.facts.rec(n)
	if r.flags&flagRetracted != 0 {
		return nil
	}
	t.contribute(n, -1)
	r.flags |= flagRetracted
	t.onUndo(func() {
		t.d.facts.rec(n).flags &^= flagRetracted
		t.contribute(n, 1)
	})
	return nil
}

func (t *tx) ReplaceFact(ctx context.Context, f kpi.Fact) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("memory: replace fact %q: %w", f.Key, err)
	}
	if err := record.CheckFact(f); err != nil {
		return fmt.Errorf("memory: replace fact: %w", err)
	}
	ft := t.d.facts
	n, ok := ft.find(f.Key)
	if !ok {
		return fmt.Errorf("memory: replace fact %q: %w", f.Key, storage.ErrNotFound)
	}
	nr, nx, err := t.newRecord(&f, true)
	if err != nil {
		return fmt.Errorf("memory: replace fact: %w", err)
	}
	r := ft.rec(n)
	old, oldX := *r, ft.extras[n]
	wasLive := old.flags&flagRetracted == 0
	if wasLive {
		t.contribute(n, -1)
	}
	nr.key = old.key
	t.setRecord(n, nr, nx)
	t.contribute(n, 1)
	t.onUndo(func() {
		t.contribute(n, -1)
		t.setRecord(n, old, oldX)
		if wasLive {
			t.contribute(n, 1)
		}
	})
	return nil
}

// setRecord overwrites record n and its extra content.
func (t *tx) setRecord(n uint32, r factRec, x *factExtra) {
	*t.d.facts.rec(n) = r
	if x != nil {
		t.d.facts.extras[n] = x
	} else {
		delete(t.d.facts.extras, n)
	}
}

func (t *tx) Sum(ctx context.Context, q storage.Query) (storage.Total, error) {
	return txn.Sum(ctx, q, t.SumMany)
}

func (t *tx) SumMany(ctx context.Context, qs []storage.Query) ([]storage.Total, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: sum: %w", err)
	}
	ns := &t.d.names
	out := make([]storage.Total, len(qs))
	var (
		m, u     int32
		okM, okU bool
	)
	tot := t.d.totals
	tot.mu.Lock()
	defer tot.mu.Unlock()
	for k, q := range qs {
		// Batches list many ranges of one unit and metric in a row. A name
		// the store knows passed record.CheckQueries's rule when it was
		// interned; only others are checked (as CheckQueries would, in order).
		if k == 0 || q.Metric != qs[k-1].Metric {
			if m, okM = ns.metrics.index(q.Metric); !okM {
				if err := record.CheckRef("query metric", q.Metric); err != nil {
					return nil, fmt.Errorf("memory: sum: %w", err)
				}
			}
		}
		if k == 0 || q.Unit != qs[k-1].Unit {
			if u, okU = ns.units.index(q.Unit); !okU {
				if err := record.CheckRef("query unit", q.Unit); err != nil {
					return nil, fmt.Errorf("memory: sum: %w", err)
				}
			}
		}
		if err := record.CheckQueryRange(q); err != nil {
			return nil, fmt.Errorf("memory: sum: %w", err)
		}
		out[k] = storage.Total{Value: decimal.Zero, Count: decimal.Zero}
		if okM && okU && q.Start < q.End {
			out[k].Value, out[k].Count = tot.sumLocked(t.d.org, m, u, q.Subtree, q.Start, q.End)
		}
	}
	return out, nil
}
