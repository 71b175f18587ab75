package memory

import (
	"context"
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
	"github.com/goalkit/goalkit/storage/internal/rollup"
	"github.com/goalkit/goalkit/storage/internal/txn"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

type buckets = map[rollup.Series]map[date.Date]*bucket

func (t *tx) PutUnits(ctx context.Context, units []goal.Unit) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("memory: put units: %w", err)
	}
	if err := record.CheckUnits(units); err != nil {
		return fmt.Errorf("memory: put units: %w", err)
	}
	units = record.CloneUnits(units)
	org, err := rollup.NewOrg(units, nil)
	if err != nil {
		return fmt.Errorf("memory: put units: %w", err)
	}
	oldUnits, oldOrg, oldTree, oldVersion := t.d.units, t.d.org, t.d.tree, t.d.version
	t.d.units, t.d.org = units, org
	if !record.SameTree(oldUnits, units) {
		t.rebuildTree()
	}
	t.d.version++
	t.d.sums.clear()
	t.onUndo(func() {
		t.d.units, t.d.org, t.d.tree, t.d.version = oldUnits, oldOrg, oldTree, oldVersion
		t.d.sums.clear()
	})
	return nil
}

// rebuildTree recomputes the subtree buckets from the stored facts.
func (t *tx) rebuildTree() {
	d := rollup.Deltas{}
	for _, r := range t.d.facts {
		if !r.retracted {
			d.AddFact(r.fact.Metric, r.fact.Date, r.parts, t.d.org, 1)
		}
	}
	t.d.tree = buckets{}
	for k, v := range d {
		if k.Scope == rollup.Tree {
			apply(t.d.tree, k.Series, k.Day, v.Value, v.Count, 1)
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
	out := make([]storage.Outcome, len(facts))
	batch := make(map[string]int, len(facts)) // key -> index of first occurrence
	parts := make([][]storage.Part, len(facts))
	var conflict error
	for i, f := range facts {
		if err := record.CheckFact(f); err != nil {
			return nil, fmt.Errorf("memory: append facts: %w", err)
		}
		prev, inBatch := facts[0], false
		if j, ok := batch[f.Key]; ok {
			prev, inBatch = facts[j], true
		} else if r, ok := t.d.facts[f.Key]; ok {
			prev, inBatch = r.fact, true
		}
		switch {
		case !inBatch:
			p, err := t.s.cfg.Split(f)
			if err != nil {
				return nil, fmt.Errorf("memory: append facts: %w", err)
			}
			parts[i] = p
			batch[f.Key] = i
			out[i] = storage.Inserted
		case record.SameFact(prev, f):
			out[i] = storage.Unchanged
		default:
			out[i] = storage.Conflicting
			if conflict == nil {
				conflict = &storage.ConflictError{Kind: "fact", Key: f.Key, Reason: "the key is stored with other content; retract it first to correct a fact"}
			}
		}
	}
	if conflict != nil {
		return out, fmt.Errorf("memory: append facts: %w", conflict)
	}
	added := make([]string, 0, len(facts))
	for i, f := range facts {
		if out[i] != storage.Inserted {
			continue
		}
		t.d.facts[f.Key] = factRec{fact: record.CloneFact(f), parts: parts[i]}
		added = append(added, f.Key)
	}
	t.onUndo(func() {
		for _, k := range added {
			delete(t.d.facts, k)
		}
	})
	if err := t.fault(storage.FaultFactsWritten); err != nil {
		return nil, fmt.Errorf("memory: append facts: %w", err)
	}
	drop := t.d.sums.any()
	for i, f := range facts {
		if out[i] == storage.Inserted {
			t.addFact(f.Metric, f.Date, parts[i], 1, drop)
		}
	}
	// Undone before the facts are deleted, and after any later change to
	// them in the transaction is undone: the stored records are as added.
	t.onUndo(func() {
		for _, k := range added {
			r := t.d.facts[k]
			t.addFact(r.fact.Metric, r.fact.Date, r.parts, -1, true)
		}
	})
	return out, nil
}

func (t *tx) GetFact(ctx context.Context, key string) (storage.StoredFact, error) {
	if err := t.check(ctx); err != nil {
		return storage.StoredFact{}, fmt.Errorf("memory: get fact %q: %w", key, err)
	}
	if err := record.CheckRef("fact key", key); err != nil {
		return storage.StoredFact{}, fmt.Errorf("memory: get fact: %w", err)
	}
	r, ok := t.d.facts[key]
	if !ok {
		return storage.StoredFact{}, fmt.Errorf("memory: get fact %q: %w", key, storage.ErrNotFound)
	}
	return storage.StoredFact{Fact: record.CloneFact(r.fact), Retracted: r.retracted}, nil
}

func (t *tx) ListFacts(ctx context.Context, after string, limit int) ([]storage.StoredFact, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: list facts: %w", err)
	}
	if err := record.CheckRef("fact key", after); err != nil {
		return nil, fmt.Errorf("memory: list facts: %w", err)
	}
	keys := make([]string, 0, len(t.d.facts))
	for k := range t.d.facts {
		if k > after {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	if limit > 0 && len(keys) > limit {
		keys = keys[:limit]
	}
	out := make([]storage.StoredFact, len(keys))
	for i, k := range keys {
		r := t.d.facts[k]
		out[i] = storage.StoredFact{Fact: record.CloneFact(r.fact), Retracted: r.retracted}
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
	r, ok := t.d.facts[key]
	if !ok {
		return fmt.Errorf("memory: retract fact %q: %w", key, storage.ErrNotFound)
	}
	if r.retracted {
		return nil
	}
	t.d.facts[key] = factRec{fact: r.fact, retracted: true}
	t.onUndo(func() { t.d.facts[key] = r })
	t.addFact(r.fact.Metric, r.fact.Date, r.parts, -1, true)
	t.onUndo(func() { t.addFact(r.fact.Metric, r.fact.Date, r.parts, 1, true) })
	return nil
}

func (t *tx) ReplaceFact(ctx context.Context, f kpi.Fact) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("memory: replace fact %q: %w", f.Key, err)
	}
	if err := record.CheckFact(f); err != nil {
		return fmt.Errorf("memory: replace fact: %w", err)
	}
	r, ok := t.d.facts[f.Key]
	if !ok {
		return fmt.Errorf("memory: replace fact %q: %w", f.Key, storage.ErrNotFound)
	}
	parts, err := t.s.cfg.Split(f)
	if err != nil {
		return fmt.Errorf("memory: replace fact: %w", err)
	}
	nf := record.CloneFact(f)
	t.d.facts[f.Key] = factRec{fact: nf, parts: parts}
	t.onUndo(func() { t.d.facts[f.Key] = r })
	if !r.retracted {
		t.addFact(r.fact.Metric, r.fact.Date, r.parts, -1, true)
	}
	t.addFact(nf.Metric, nf.Date, parts, 1, true)
	t.onUndo(func() {
		t.addFact(nf.Metric, nf.Date, parts, -1, true)
		if !r.retracted {
			t.addFact(r.fact.Metric, r.fact.Date, r.parts, 1, true)
		}
	})
	return nil
}

// addFact adds (sign +1) or removes (sign -1) a fact's parts to the
// buckets as rollup.Deltas.AddFact describes, and with drop set forgets the
// cached sums of the series it touches.
func (t *tx) addFact(metric string, day date.Date, parts []storage.Part, sign int, drop bool) {
	o := t.d.org
	for _, p := range parts {
		s := rollup.Series{Scope: rollup.Self, Metric: metric, Unit: p.Unit}
		apply(t.d.self, s, day, p.Value, p.Share, sign)
		if drop {
			t.d.sums.dropSeries(s)
		}
		s.Scope = rollup.Tree
		if o.Internal(p.Unit) {
			apply(t.d.tree, s, day, p.Value, p.Share, sign)
			if drop {
				t.d.sums.dropSeries(s)
			}
		}
		for _, a := range o.AncestorsAt(p.Unit, day) {
			s.Unit = a
			apply(t.d.tree, s, day, p.Value, p.Share, sign)
			if drop {
				t.d.sums.dropSeries(s)
			}
		}
	}
}

// apply adds sign × (v, n) to one bucket, dropping buckets that fall to
// zero facts.
func apply(m buckets, s rollup.Series, day date.Date, v, n decimal.Decimal, sign int) {
	days := m[s]
	if days == nil {
		days = map[date.Date]*bucket{}
		m[s] = days
	}
	c := days[day]
	if c == nil {
		c = &bucket{}
		c.value.set(v, sign)
		c.count.set(n, sign)
		days[day] = c
		return
	}
	c.value.add(v, sign)
	c.count.add(n, sign)
	if c.count.isZero() && c.value.isZero() {
		delete(days, day)
	}
}

func (t *tx) Sum(ctx context.Context, q storage.Query) (storage.Total, error) {
	return txn.Sum(ctx, q, t.SumMany)
}

func (t *tx) SumMany(ctx context.Context, qs []storage.Query) ([]storage.Total, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: sum: %w", err)
	}
	if err := record.CheckQueries(qs); err != nil {
		return nil, fmt.Errorf("memory: sum: %w", err)
	}
	// Each series read gets prefix sums over its days once (kept until a
	// write touches it), so every query is two binary searches.
	out := make([]storage.Total, len(qs))
	var (
		last rollup.Series
		p    *prefix
	)
	for k, q := range qs {
		out[k] = storage.Total{Value: decimal.Zero, Count: decimal.Zero}
		if q.End <= q.Start {
			continue
		}
		series := rollup.Series{Scope: t.d.org.ScopeOf(q), Metric: q.Metric, Unit: q.Unit}
		if k == 0 || series != last {
			m := t.d.self
			if series.Scope == rollup.Tree {
				m = t.d.tree
			}
			p, last = nil, series
			if days := m[series]; len(days) > 0 {
				p = t.d.sums.get(series, days)
			}
		}
		if p != nil {
			out[k].Value, out[k].Count = p.sum(q.Start, q.End)
		}
	}
	return out, nil
}
