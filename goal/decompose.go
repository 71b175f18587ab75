package goal

import (
	"fmt"
	"maps"
	"slices"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Bounds limits one goal's target during decomposition. Either side may be
// missing.
type Bounds struct {
	Min, Max decimal.NullDecimal
}

// Spec describes a decomposition: a target for a unit over a period, and the
// rules to split it over the unit's subtree and over time.
type Spec struct {
	PlanID string
	Metric Metric
	// Unit is the ID of the root unit; Period is the root period, e.g. the
	// fiscal year from Calendar.PeriodOf(goal.Year, day).
	Unit   string
	Period Period
	// Target is the root's target, with at most Metric.Places decimal
	// places. It may be negative (every share then mirrors the split of its
	// absolute value).
	Target decimal.Decimal
	// Stretch and Floor, when set, are split down with the target: each
	// child's is its parent's split in proportion to the children's targets,
	// so sums stay exact and a child's stretch is never below its target
	// when the parent's is not (nor a floor above).
	Stretch, Floor decimal.NullDecimal
	// Units are the rules per level below the root: Units[0] splits the root
	// over its children, Units[1] those children over theirs, and so on; the
	// last rule repeats for deeper levels. Empty means EvenSplit throughout.
	Units []UnitRule
	// Depth is how many levels of units below the root to plan; zero means
	// all the way to the leaves of the org.
	Depth int
	// Time splits each leaf unit's target over time.
	Time TimeRule
	// Locks fixes targets by goal ID (see GoalID): decomposition keeps a
	// locked target and spreads the rest over its unlocked siblings. The
	// root cannot be locked (its target is Target).
	Locks map[string]decimal.Decimal
	// Bounds holds minimum and maximum targets by goal ID; a goal may not
	// be both locked and bounded.
	Bounds map[string]Bounds
}

// Decompose builds a plan from spec: the root unit's target over the root
// period, split down the org tree and then over time. A nil cal means
// NewCalendar(nil).
//
// The plan is one tree, so that every parent is exactly the sum of its
// children (Plan.Check is empty):
//
//   - first the units: the root unit's goal for the root period has one
//     child goal per child unit for the same period, level by level down to
//     the leaves (or Depth levels), each level split by its UnitRule;
//   - then time: each leaf unit's goal is split through Time.Steps, e.g.
//     year → months → days, and only leaf goals are split over time.
//
// A parent unit's target for a sub-period (a region's March) is not a goal
// of the plan: it is the sum of its leaves' goals for that sub-period, exact
// by construction. Goals are listed parents first: the unit goals in
// breadth-first order, then each leaf's periods level by level. IDs are
// GoalID(metric, unit, period); a period clipped by its parent (a week cut by
// a month's end) is labelled by its grain's label followed by the date range
// it keeps, e.g. "2026-W05[2026-01-26,2026-02-01)", since the week label alone
// would name two goals of the same unit.
//
// Decompose reads org, cal and spec and changes none of them, so it is safe
// to call concurrently; the plan it returns belongs to the caller.
//
// Every split is an Allocate: largest remainder in the metric's minor units,
// so rounding never leaks and the same spec always gives the same plan.
// Errors: a *ValidationError (ErrInvalid) for bad input — an unknown unit, a
// bad rule or step, a value with too many places, a lock or bound on a goal
// the plan does not have — and an error matching ErrInfeasible when locks and
// bounds cannot hold together, naming the goal being split.
func Decompose(org *Org, cal *Calendar, spec Spec) (*Plan, error) {
	d, err := newDecomposer(org, cal, spec)
	if err != nil {
		return nil, err
	}
	if err := d.units(); err != nil {
		return nil, err
	}
	if err := d.time(); err != nil {
		return nil, err
	}
	p, ok := newBuiltPlan(spec.PlanID, spec.Metric, d.goals, d.parents)
	if !ok {
		// Only possible when unit IDs contain "/" and GoalID concatenates
		// two different (unit, period) pairs to the same string.
		return nil, invalid("plan", spec.PlanID, "two goals would share an ID; avoid \"/\" in unit IDs")
	}
	if err := d.checkKeys(p); err != nil {
		return nil, err
	}
	if spec.Stretch.Valid || spec.Floor.Valid {
		if err := spreadLevels(p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

type decomposer struct {
	org     *Org
	cal     *Calendar
	spec    Spec
	places  int32
	root    int
	order   []int // planned units, breadth first
	level   []int // per position in order: levels below the root
	leaves  []int // planned units without planned children
	isLeaf  map[int]bool
	goals   []Goal
	parents []int32                 // per goal: the index of its parent goal, -1 for the root
	pos     map[int]int32           // per unit index: the index of its goal
	target  map[int]decimal.Decimal // per unit index
	ids     map[int]string          // per unit index
	cache   map[int64]decimal.Decimal
	al      allocator
}

func newDecomposer(org *Org, cal *Calendar, s Spec) (*decomposer, error) {
	if org == nil {
		return nil, invalid("org", "", "it is nil; build one with goal.NewOrg")
	}
	if cal == nil {
		cal, _ = NewCalendar(nil)
	}
	if err := s.Metric.Validate(); err != nil {
		return nil, err
	}
	root, ok := org.Index(s.Unit)
	if !ok {
		return nil, fmt.Errorf("goal: decompose: root %w", org.notFound(s.Unit))
	}
	if s.Period.End <= s.Period.Start {
		return nil, invalid("period", s.Period.Label, "the root period is empty; build it with a Calendar")
	}
	if err := s.Metric.CheckValue(s.Target); err != nil {
		return nil, fmt.Errorf("goal: decompose: target: %w", err)
	}
	for _, v := range []decimal.NullDecimal{s.Stretch, s.Floor} {
		if v.Valid {
			if err := s.Metric.CheckValue(v.Decimal); err != nil {
				return nil, fmt.Errorf("goal: decompose: stretch or floor: %w", err)
			}
		}
	}
	if s.Depth < 0 {
		return nil, invalid("depth", fmt.Sprint(s.Depth), "give 0 (to the leaves) or a positive number of levels")
	}
	for i, r := range s.Units {
		if err := r.validate(org, i); err != nil {
			return nil, err
		}
	}
	if s.Time.Basis > ByWorkingDays {
		return nil, invalid("day basis", s.Time.Basis.String(), "use goal.ByCalendarDays or goal.ByWorkingDays")
	}
	if s.Time.Seasonal != nil {
		if err := s.Time.Seasonal.Validate(); err != nil {
			return nil, err
		}
	}
	if err := validateSteps(s.Period, s.Time.Steps); err != nil {
		return nil, err
	}
	rootID := GoalID(s.Metric.Key, s.Unit, s.Period)
	if _, ok := s.Locks[rootID]; ok {
		return nil, invalid("lock", rootID, "the root goal cannot be locked; its target is Spec.Target")
	}
	for id, v := range s.Locks {
		if _, ok := s.Bounds[id]; ok {
			return nil, invalid("lock", id, "the goal is both locked and bounded; keep one")
		}
		if err := s.Metric.CheckValue(v); err != nil {
			return nil, fmt.Errorf("goal: decompose: lock %q: %w", id, err)
		}
	}
	d := &decomposer{org: org, cal: cal, spec: s, places: s.Metric.Places, root: root,
		target: map[int]decimal.Decimal{root: s.Target}, ids: map[int]string{}, pos: map[int]int32{}, isLeaf: map[int]bool{}, cache: map[int64]decimal.Decimal{}}
	d.order, d.level = []int{root}, []int{0}
	for k := 0; k < len(d.order); k++ {
		i := d.order[k]
		if s.Depth > 0 && d.level[k] >= s.Depth || len(org.children[i]) == 0 {
			d.leaves = append(d.leaves, i)
			d.isLeaf[i] = true
			continue
		}
		for _, c := range org.children[i] {
			d.order = append(d.order, c)
			d.level = append(d.level, d.level[k]+1)
		}
	}
	return d, nil
}

// rule returns the unit rule for a unit level levels below the root.
func (d *decomposer) rule(level int) UnitRule {
	if len(d.spec.Units) == 0 {
		return UnitRule{}
	}
	return d.spec.Units[min(level, len(d.spec.Units)-1)]
}

// share returns the Share of the goal id with weight w, with its lock or
// bounds.
func (d *decomposer) share(id string, w decimal.Decimal) Share {
	s := Share{Weight: w}
	if v, ok := d.spec.Locks[id]; ok {
		s.Lock = decimal.NewNullDecimal(v)
	}
	if b, ok := d.spec.Bounds[id]; ok {
		s.Min, s.Max = b.Min, b.Max
	}
	return s
}

func (d *decomposer) units() error {
	s := d.spec
	// Subtree sums include units below Depth, so walk the full subtree.
	full := []int{d.root}
	for k := 0; k < len(full); k++ {
		full = append(full, d.org.children[full[k]]...)
	}
	weighters := map[int]*unitWeighter{}
	for k, i := range d.order {
		u := d.org.units[i]
		id := GoalID(s.Metric.Key, u.ID, s.Period)
		d.ids[i] = id
		g := Goal{ID: id, Metric: s.Metric.Key, Unit: u.ID, Period: s.Period, Target: d.target[i]}
		parent := int32(-1)
		if p := d.org.parent[i]; i != d.root {
			g.Parent = d.ids[p]
			_, g.Locked = s.Locks[id]
			parent = d.pos[p]
		} else {
			g.Stretch, g.Floor = s.Stretch, s.Floor
		}
		d.pos[i] = int32(len(d.goals))
		d.goals = append(d.goals, g)
		d.parents = append(d.parents, parent)
		if d.isLeaf[i] {
			continue
		}
		lv := min(d.level[k], max(len(s.Units)-1, 0))
		uw, ok := weighters[lv]
		if !ok {
			uw = newUnitWeighter(d.org, d.rule(lv), s.Period, full)
			weighters[lv] = uw
		}
		kids := d.org.children[i]
		w := uw.weights(kids)
		shares := make([]Share, len(kids))
		for j, c := range kids {
			shares[j] = d.share(GoalID(s.Metric.Key, d.org.units[c].ID, s.Period), w[j])
		}
		if err := d.checkActive(g, kids, shares); err != nil {
			return err
		}
		got, err := Allocate(Allocation{Total: g.Target, Places: d.places, Shares: shares})
		if err != nil {
			return fmt.Errorf("goal: decompose: splitting %s (target %s) over its %d child units by %s: %w", id, g.Target, len(kids), uw.rule.By, err)
		}
		for j, c := range kids {
			d.target[c] = got[j]
		}
	}
	return nil
}

// checkActive reports a target that no child unit can take because none of
// them is active in the period and none is locked.
func (d *decomposer) checkActive(g Goal, kids []int, shares []Share) error {
	if g.Target.IsZero() {
		return nil
	}
	for j, c := range kids {
		if shares[j].Lock.Valid || d.org.units[c].ActiveDays(g.Period.Start, g.Period.End) > 0 {
			return nil
		}
	}
	return infeasible("decompose: none of the %d child units of %s is active in %s, so its target %s has nowhere to go; set ActiveFrom/ActiveUntil right, lock a child's target, or plan a zero target", len(kids), g.ID, g.Period, g.Target)
}

// dec returns v minor units as a decimal, sharing one value per amount.
// Decimals are immutable, so sharing is safe and saves an allocation per
// goal.
func (d *decomposer) dec(v int64) decimal.Decimal {
	if x, ok := d.cache[v]; ok {
		return x
	}
	x := decimal.New(v, -d.places)
	d.cache[v] = x
	return x
}

func (d *decomposer) time() error {
	s := d.spec
	if len(s.Time.Steps) == 0 {
		return nil
	}
	tt, err := buildTimeTree(d.cal, s.Period, s.Time.Steps)
	if err != nil {
		return err
	}
	n := len(tt.nodes)
	d.goals = slices.Grow(d.goals, len(d.leaves)*(n-1))
	d.parents = slices.Grow(d.parents, len(d.leaves)*(n-1))
	weights := map[[2]int64]*timeWeights{}
	vals := make([]int64, n)
	ids := make([]string, n)
	ends := make([]int, n)
	var buf []byte
	checkKeys := len(s.Locks)+len(s.Bounds) > 0
	for _, leaf := range d.leaves {
		u := d.org.units[leaf]
		from, to := activeWindow(u, s.Period)
		key := [2]int64{int64(from), int64(to)}
		tw, ok := weights[key]
		if !ok {
			tw = tt.weigh(d.cal, s.Time, from, to)
			weights[key] = tw
		}
		ids[0] = d.ids[leaf]
		// All of a leaf's IDs share one string: one allocation, not n.
		buf = buf[:0]
		for k := 1; k < n; k++ {
			ends[k-1] = len(buf)
			buf = append(append(append(append(buf, s.Metric.Key...), '/'), u.ID...), '/')
			buf = append(buf, tt.nodes[k].period.Label...)
		}
		all := string(buf)
		slow := false
		for k := 1; k < n; k++ {
			if k+1 < n {
				ids[k] = all[ends[k-1]:ends[k]]
			} else {
				ids[k] = all[ends[k-1]:]
			}
			if checkKeys {
				_, l := s.Locks[ids[k]]
				_, b := s.Bounds[ids[k]]
				slow = slow || l || b
			}
		}
		var total int64
		if !slow {
			total, ok = minor64(d.target[leaf], d.places)
			slow = !ok || !allFit(tw, tt)
		}
		base := len(d.goals)
		for k := 1; k < n; k++ {
			nd := tt.nodes[k]
			_, locked := s.Locks[ids[k]]
			d.goals = append(d.goals, Goal{ID: ids[k], Parent: ids[nd.parent], Metric: s.Metric.Key, Unit: u.ID, Period: nd.period, Locked: locked})
			if nd.parent == 0 {
				d.parents = append(d.parents, d.pos[leaf])
			} else {
				d.parents = append(d.parents, int32(base+nd.parent-1))
			}
		}
		if slow {
			if err := d.timeSlow(tt, tw, leaf, ids, from, to, base); err != nil {
				return err
			}
			continue
		}
		vals[0] = total
		for k, nd := range tt.nodes {
			if nd.last == nd.first {
				continue
			}
			out := vals[nd.first:nd.last]
			switch {
			case vals[k] == 0:
				clear(out)
			case tw.sum[k] == 0:
				fb := tt.fallbackWeights(nd.first, nd.last, from, to)
				d.al.splitSigned(vals[k], fb, sumU64(fb), out)
			default:
				d.al.splitSigned(vals[k], tw.w64[nd.first:nd.last], tw.sum[k], out)
			}
		}
		for k := 1; k < n; k++ {
			d.goals[base+k-1].Target = d.dec(vals[k])
		}
	}
	return nil
}

func allFit(tw *timeWeights, tt *timeTree) bool {
	for k, nd := range tt.nodes {
		if nd.last > nd.first && !tw.fits[k] {
			return false
		}
	}
	return true
}

// timeSlow splits one leaf over time with Allocate: used when the leaf has
// locks or bounds below it, or amounts too large for 64 bits.
func (d *decomposer) timeSlow(tt *timeTree, tw *timeWeights, leaf int, ids []string, from, to date.Date, base int) error {
	vals := make([]decimal.Decimal, len(tt.nodes))
	vals[0] = d.target[leaf]
	for k, nd := range tt.nodes {
		if nd.last == nd.first {
			continue
		}
		w := make([]decimal.Decimal, nd.last-nd.first)
		zero := true
		for c := nd.first; c < nd.last; c++ {
			w[c-nd.first] = decimal.NewFromBigInt(tw.big[c], 0)
			zero = zero && tw.big[c].Sign() == 0
		}
		if zero {
			for j, v := range tt.fallbackWeights(nd.first, nd.last, from, to) {
				w[j] = decimal.NewFromUint64(v)
			}
		}
		shares := make([]Share, len(w))
		for c := nd.first; c < nd.last; c++ {
			shares[c-nd.first] = d.share(ids[c], w[c-nd.first])
		}
		got, err := Allocate(Allocation{Total: vals[k], Places: d.places, Shares: shares})
		if err != nil {
			return fmt.Errorf("goal: decompose: splitting %s (target %s) over its %d periods: %w", ids[k], vals[k], len(w), err)
		}
		copy(vals[nd.first:nd.last], got)
	}
	for k := 1; k < len(tt.nodes); k++ {
		d.goals[base+k-1].Target = vals[k]
	}
	return nil
}

// checkKeys rejects locks and bounds on goals the plan does not have, so a
// typo in a goal ID is not silently ignored.
func (d *decomposer) checkKeys(p *Plan) error {
	for _, id := range slices.Sorted(maps.Keys(d.spec.Locks)) {
		if _, ok := p.index[id]; !ok {
			return invalid("lock", id, "no goal of the plan has this ID; IDs are goal.GoalID(metric, unit, period)")
		}
	}
	for _, id := range slices.Sorted(maps.Keys(d.spec.Bounds)) {
		if _, ok := p.index[id]; !ok {
			return invalid("bounds", id, "no goal of the plan has this ID; IDs are goal.GoalID(metric, unit, period)")
		}
	}
	return nil
}

// spreadLevels splits every parent's Stretch and Floor over its children in
// proportion to the children's targets (evenly when those are all zero).
func spreadLevels(p *Plan) error {
	for i := range p.Goals {
		g := p.Goals[i]
		kids := p.childIndexes(i)
		if len(kids) == 0 {
			continue
		}
		for _, field := range []func(*Goal) *decimal.NullDecimal{
			func(g *Goal) *decimal.NullDecimal { return &g.Stretch },
			func(g *Goal) *decimal.NullDecimal { return &g.Floor },
		} {
			v := *field(&p.Goals[i])
			if !v.Valid {
				continue
			}
			shares := make([]Share, len(kids))
			for j, k := range kids {
				shares[j] = Share{Weight: p.Goals[k].Target.Abs()}
			}
			got, err := Allocate(Allocation{Total: v.Decimal, Places: p.Metric.Places, Shares: shares, EvenIfZeroWeights: true})
			if err != nil {
				return fmt.Errorf("goal: decompose: splitting the stretch or floor of %s: %w", g.ID, err)
			}
			for j, k := range kids {
				*field(&p.Goals[k]) = decimal.NewNullDecimal(got[j])
			}
		}
	}
	return nil
}
