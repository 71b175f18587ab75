package goal

import (
	"math"
	"math/big"
	"sort"

	"github.com/rickb777/date/v2"
)

// DayBasis says which days carry a period's weight over time: when a
// target is split over time (TimeRule.Basis) and when time progress is
// measured (kpi.Pace.Days).
type DayBasis uint8

const (
	// ByCalendarDays is the zero value: every day weighs the same.
	ByCalendarDays DayBasis = iota
	// ByWorkingDays weighs only the calendar's working days (its workweek,
	// less holidays, plus make-up days); days off get zero.
	ByWorkingDays
)

// String returns "calendar days" or "working days".
func (b DayBasis) String() string {
	if b == ByWorkingDays {
		return "working days"
	}
	return "calendar days"
}

// TimeRule says how a leaf unit's target is split over time.
//
// Every day d of the period gets a weight: 1 (calendar days) or 1 when d is a
// working day and 0 otherwise (working days). With a Seasonal profile, the
// days of each calendar month share that month's profile weight in
// proportion to their day weight, so the profile sets the month totals and
// the basis the split within each month; a month with no working days
// spreads its weight over its calendar days. Days on which the unit is not
// active weigh zero, so a rep who joins on 1 July gets nothing in June.
// A sub-period's weight is the sum of its days' weights, so the rule is the
// same at every grain, and partial weeks are weighed by the days they hold.
type TimeRule struct {
	// Steps are the grains to split through, coarsest first, each strictly
	// finer than the one before and than the root period's grain: e.g.
	// {Quarter, Month} or {Month, Day}. Empty means no split over time.
	// Periods that stick out of their parent are clipped (Calendar.Split).
	Steps []Grain
	// Basis weighs days: calendar days (the default) or working days.
	Basis DayBasis
	// Seasonal, when set, weighs calendar months before the basis weighs
	// the days within them.
	Seasonal *Profile
}

// timeNode is one period in the split of a leaf's period over time.
type timeNode struct {
	period      Period
	parent      int // -1 for the root
	first, last int // children are nodes [first, last)
}

// timeTree is the split of one root period through a TimeRule's steps. It
// depends only on the calendar, the period and the steps, so one tree serves
// every leaf unit.
type timeTree struct {
	nodes []timeNode
}

func validateSteps(root Period, steps []Grain) error {
	prev := root.Grain
	for i, g := range steps {
		if g < Day || g > Year {
			return invalid("time step", g.String(), "use goal.Day, Week, Month, Quarter, Half or Year")
		}
		if (i > 0 || prev != Range) && g >= prev {
			return invalid("time step", g.String(), "step %d must be finer than %s; list steps coarsest first, e.g. {goal.Quarter, goal.Month}", i+1, prev)
		}
		prev = g
	}
	return nil
}

// buildTimeTree splits root through steps. A period clipped by its parent (a
// week cut at a month's end) is labelled by its own label followed by the
// date range it keeps, e.g. "2026-W05[2026-01-26,2026-02-01)", since the week
// label alone would name two different goals of the same unit. The label of a
// period and of its clipped child never coincide: their grain labels differ.
func buildTimeTree(cal *Calendar, root Period, steps []Grain) (*timeTree, error) {
	if err := validateSteps(root, steps); err != nil {
		return nil, err
	}
	t := &timeTree{nodes: []timeNode{{period: root, parent: -1}}}
	level := []int{0}
	for _, g := range steps {
		var next []int
		for _, k := range level {
			kids, err := cal.Split(t.nodes[k].period, g)
			if err != nil {
				return nil, err
			}
			t.nodes[k].first = len(t.nodes)
			for _, q := range kids {
				if full := cal.periodOf(g, q.Start); full.Start != q.Start || full.End != q.End {
					q.Label += rangeLabel(q.Start, q.End)
				}
				next = append(next, len(t.nodes))
				t.nodes = append(t.nodes, timeNode{period: q, parent: k})
			}
			t.nodes[k].last = len(t.nodes)
		}
		level = next
	}
	return t, nil
}

// timeWeights are the weights of a time tree's nodes for one active window:
// every node's weight relative to its siblings, reduced per sibling group.
type timeWeights struct {
	big  []*big.Int // per node
	w64  []uint64   // per node, valid where the group fits
	sum  []uint64   // per parent node: sum of its children's w64
	fits []bool     // per parent node: the group's weights and sum fit uint64
}

type month struct {
	start, end date.Date
	weight     *big.Int // scaled profile weight, or nil without a profile
	days       int64    // basis days of the whole month
	calendar   bool     // the month falls back to calendar days
}

// weigh computes the node weights for a unit active in [from, to).
func (t *timeTree) weigh(cal *Calendar, rule TimeRule, from, to date.Date) *timeWeights {
	count := func(a, b date.Date, calendarDays bool) int64 {
		a, b = max(a, from), min(b, to)
		if b <= a {
			return 0
		}
		if calendarDays || rule.Basis == ByCalendarDays {
			return int64(b - a)
		}
		return int64(cal.WorkingDays(a, b))
	}
	root := t.nodes[0].period
	n := len(t.nodes)
	tw := &timeWeights{big: make([]*big.Int, n), w64: make([]uint64, n), sum: make([]uint64, n), fits: make([]bool, n)}
	var months []month
	lcm := big.NewInt(1)
	if rule.Seasonal != nil {
		scaled := scaleProfile(*rule.Seasonal)
		for m := date.New(root.Start.Year(), root.Start.Month(), 1); m < root.End; m = addMonths(m, 1) {
			mo := month{start: m, end: addMonths(m, 1), weight: scaled[m.Month()-1], days: int64(addMonths(m, 1) - m)}
			if rule.Basis == ByWorkingDays {
				if wd := int64(cal.WorkingDays(mo.start, mo.end)); wd > 0 {
					mo.days = wd
				} else {
					mo.calendar = true
				}
			}
			if mo.weight.Sign() > 0 {
				d := big.NewInt(mo.days)
				var g big.Int
				g.GCD(nil, nil, lcm, d)
				lcm.Mul(lcm, d.Quo(d, &g))
			}
			months = append(months, mo)
		}
	}
	for k := range t.nodes {
		q := t.nodes[k].period
		w := new(big.Int)
		if months == nil {
			w.SetInt64(count(q.Start, q.End, false))
		} else {
			i := sort.Search(len(months), func(i int) bool { return months[i].end > q.Start })
			var term big.Int
			for ; i < len(months) && months[i].start < q.End; i++ {
				mo := months[i]
				c := count(max(q.Start, mo.start), min(q.End, mo.end), mo.calendar)
				if c == 0 || mo.weight.Sign() == 0 {
					continue
				}
				term.Quo(lcm, big.NewInt(mo.days))
				term.Mul(&term, mo.weight)
				term.Mul(&term, big.NewInt(c))
				w.Add(w, &term)
			}
		}
		tw.big[k] = w
	}
	for k, nd := range t.nodes {
		if nd.last > nd.first {
			tw.reduce(k, nd.first, nd.last)
		}
	}
	return tw
}

// reduce divides the weights of the children [first, last) of node k by
// their greatest common divisor and records whether they fit 64 bits.
func (tw *timeWeights) reduce(k, first, last int) {
	var g big.Int
	for _, w := range tw.big[first:last] {
		g.GCD(nil, nil, &g, w)
	}
	if g.Sign() == 0 {
		tw.fits[k] = true // all zero
		return
	}
	var sum big.Int
	for _, w := range tw.big[first:last] {
		w.Quo(w, &g)
		sum.Add(&sum, w)
	}
	if !sum.IsUint64() {
		return
	}
	for c := first; c < last; c++ {
		tw.w64[c] = tw.big[c].Uint64()
	}
	tw.sum[k] = sum.Uint64()
	tw.fits[k] = true
}

// scaleProfile turns a profile's decimal weights into integers of the same
// ratios.
func scaleProfile(p Profile) [12]*big.Int {
	e := int32(math.MaxInt32)
	for _, w := range p {
		if w.Sign() != 0 {
			e = min(e, w.Exponent())
		}
	}
	var out [12]*big.Int
	for m, w := range p {
		out[m] = new(big.Int)
		if w.Sign() > 0 {
			out[m] = w.Shift(-e).BigInt()
		}
	}
	return out
}

// fallbackWeights weighs the children [first, last) by their calendar days
// within [from, to), or by their calendar days if that is all zero: used when
// a group's rule weights are all zero but its parent's target is not (a
// locked target on a weekend, a unit inactive for the whole period).
func (t *timeTree) fallbackWeights(first, last int, from, to date.Date) []uint64 {
	w := make([]uint64, last-first)
	total := uint64(0)
	for c := first; c < last; c++ {
		q := t.nodes[c].period
		if a, b := max(q.Start, from), min(q.End, to); b > a {
			w[c-first] = uint64(b - a)
			total += w[c-first]
		}
	}
	if total == 0 {
		for c := first; c < last; c++ {
			w[c-first] = uint64(t.nodes[c].period.Days())
		}
	}
	return w
}

// activeWindow clips p to the days unit u is active; empty when it never is.
func activeWindow(u Unit, p Period) (date.Date, date.Date) {
	from, to := p.Start, p.End
	if u.ActiveFrom != 0 {
		from = max(from, u.ActiveFrom)
	}
	if u.ActiveUntil != 0 {
		to = min(to, u.ActiveUntil)
	}
	if to < from {
		to = from
	}
	return from, to
}

func sumU64(w []uint64) uint64 {
	var s uint64
	for _, v := range w {
		s += v
	}
	return s
}
