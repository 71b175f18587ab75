package goal

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Review is the negotiation of a whole plan: one Negotiation per unit that
// holds a goal in the plan, each at the unit's topmost goal, linked as the
// plan links those goals (a rep's negotiation is a child of its team's).
// It is a pure value: Apply says what a move changes and never changes the
// Review itself. A Review is safe for concurrent reads.
type Review struct {
	plan  *Plan
	units []Negotiation // in plan order of their goals
	index map[string]int
	kids  [][]int
}

// NewReview builds the review of plan p from the negotiations stored for
// it; a unit of the plan without one is a Draft. Goal and Parent are taken
// from the plan, and a stored negotiation of a unit the plan no longer
// holds is left out. An unindexed plan is ErrInvalid (see NewPlan).
func NewReview(p *Plan, stored []Negotiation) (*Review, error) {
	if p == nil || !p.indexed() {
		return nil, invalid("plan", "", "it is nil or not indexed; build it with goal.NewPlan")
	}
	r := &Review{plan: p, index: map[string]int{}}
	byUnit := make(map[string]Negotiation, len(stored))
	for _, n := range stored {
		byUnit[n.Unit] = n
	}
	owner := make([]int, len(p.Goals)) // the negotiation each goal belongs to
	for i, g := range p.Goals {
		parent := -1
		if i > 0 {
			pi, _ := p.lookup(g.Parent)
			parent = owner[pi]
			if r.units[parent].Unit == g.Unit {
				owner[i] = parent
				continue
			}
		}
		if _, seen := r.index[g.Unit]; seen {
			// A unit with goals under two others' (unusual): the first,
			// topmost one is negotiated; the later ones follow it.
			owner[i] = r.index[g.Unit]
			continue
		}
		n := byUnit[g.Unit].Clone()
		n.Unit, n.Goal, n.Parent = g.Unit, g.ID, ""
		if parent >= 0 {
			n.Parent = r.units[parent].Unit
			r.kids[parent] = append(r.kids[parent], len(r.units))
		}
		owner[i] = len(r.units)
		r.index[g.Unit] = len(r.units)
		r.units = append(r.units, n)
		r.kids = append(r.kids, nil)
	}
	return r, nil
}

// Negotiations returns every unit's negotiation, in the plan order of the
// units' topmost goals (parents before children).
func (r *Review) Negotiations() []Negotiation {
	out := make([]Negotiation, len(r.units))
	for i, n := range r.units {
		out[i] = n.Clone()
	}
	return out
}

// Negotiation returns the negotiation of unit, if the plan holds a goal of
// it.
func (r *Review) Negotiation(unit string) (Negotiation, bool) {
	i, ok := r.index[unit]
	if !ok {
		return Negotiation{}, false
	}
	return r.units[i].Clone(), true
}

// Children returns the units whose negotiations are children of unit's.
func (r *Review) Children(unit string) []string {
	i, ok := r.index[unit]
	if !ok {
		return nil
	}
	out := make([]string, len(r.kids[i]))
	for n, k := range r.kids[i] {
		out[n] = r.units[k].Unit
	}
	return out
}

// Apply checks move m against the review and returns the negotiations it
// changes, as they are after it (the moved unit first, then its subtree in
// plan order), and, for Accept and AcceptCounter, the edit that makes the
// agreed figure the unit's target (apply it with Review.Edit). The rules:
//
//   - Open: the unit and every unit below it are draft or confirmed, and
//     its parent (if any) is not confirmed or locked; they all go in
//     review, awaiting commitments, in a new round due on m.Due.
//   - Commit: the unit is in review and has not agreed; the figure is
//     within the metric's places and the reason is given. A commitment
//     waiting for an answer may be replaced.
//   - Accept, Reject, Counter: a commitment waits for an answer. Reject and
//     Counter need a reason; Counter a figure within the metric's places.
//   - AcceptCounter: a counter-proposal waits for the unit's answer.
//   - Confirm: the unit is in review, awaiting (it takes the top-down
//     target as it is) or agreed, and every child is confirmed or locked.
//   - Lock: the unit is confirmed; it and its subtree are locked.
//
// A move the state does not allow is a *MoveError matching ErrWrongState;
// a bad figure or a missing reason is ErrInvalid; an unknown unit is
// ErrNotFound.
func (r *Review) Apply(m Move) ([]Negotiation, *Edit, error) {
	i, ok := r.index[m.Unit]
	if !ok {
		return nil, nil, fmt.Errorf("goal: %s %q: the plan holds no goal of that unit: %w", m.Kind, m.Unit, ErrNotFound)
	}
	n := r.units[i].Clone()
	refuse := func(reason string, args ...any) error {
		return &MoveError{Move: m.Kind, Unit: m.Unit, State: n.State, Exchange: n.Exchange, Reason: fmt.Sprintf(reason, args...)}
	}
	bad := func(reason string, args ...any) error {
		err := refuse(reason, args...).(*MoveError)
		err.invalid = true
		return err
	}
	if n.State == Locked {
		return nil, nil, refuse("the unit is locked; its round is closed")
	}
	if m.Kind != Open && m.Kind != Lock && n.State != InReview {
		if m.Kind == Confirm && n.State == Confirmed {
			return nil, nil, refuse("the unit is already confirmed")
		}
		return nil, nil, refuse("no review round is open on the unit; Open one first")
	}
	needsAnswer := func() error {
		if n.Exchange != Submitted {
			return refuse("no commitment waits for an answer; the unit must Commit first")
		}
		return nil
	}
	var edit *Edit
	switch m.Kind {
	case Open:
		return r.open(i, m, refuse)
	case Commit:
		if n.Exchange == Agreed {
			return nil, nil, refuse("the unit already agreed to its target; Confirm it, or Open a new round")
		}
		if err := r.checkFigure(m.Commitment.Figure, "commitment"); err != nil {
			return nil, nil, bad("%v", err)
		}
		if err := checkCommitmentText(m.Commitment); err != "" {
			return nil, nil, bad("%s", err)
		}
		c := m.Commitment
		c.Evidence = append([]Evidence(nil), c.Evidence...)
		n.Commitment, n.Exchange, n.Note = &c, Submitted, ""
	case Accept:
		if err := needsAnswer(); err != nil {
			return nil, nil, err
		}
		n.Exchange = Agreed
		edit = &Edit{Goal: n.Goal, Target: n.Commitment.Figure, Mode: m.Mode}
	case Reject, Counter:
		if err := needsAnswer(); err != nil {
			return nil, nil, err
		}
		if p := TextProblem(m.Reason, MaxTextLen); m.Reason == "" || p != "" {
			return nil, nil, bad("give the reason (%s)", orText(p, "it is empty"))
		}
		n.Exchange, n.Note = Rejected, m.Reason
		if m.Kind == Counter {
			if err := r.checkFigure(m.Figure, "counter-proposal"); err != nil {
				return nil, nil, bad("%v", err)
			}
			n.Exchange, n.Counter = Countered, decimal.NewNullDecimal(m.Figure)
		}
	case AcceptCounter:
		if n.Exchange != Countered {
			return nil, nil, refuse("no counter-proposal waits for the unit's answer")
		}
		n.Exchange = Agreed
		edit = &Edit{Goal: n.Goal, Target: n.Counter.Decimal, Mode: m.Mode}
	case Confirm:
		if n.Exchange != Awaiting && n.Exchange != Agreed {
			return nil, nil, refuse("the exchange of figures is not settled; answer it (Accept, Reject, Counter, AcceptCounter) first")
		}
		for _, k := range r.kids[i] {
			if c := r.units[k]; c.State < Confirmed {
				return nil, nil, refuse("child %q is %s; a unit confirms after all its children did", c.Unit, c.State)
			}
		}
		n.State = Confirmed
	case Lock:
		if n.State != Confirmed {
			return nil, nil, refuse("only a confirmed unit can be locked; Confirm it first")
		}
		out := []Negotiation{}
		for _, k := range r.subtree(i) {
			c := r.units[k].Clone()
			c.State = Locked
			out = append(out, c)
		}
		return out, nil, nil
	default:
		return nil, nil, bad("unknown move; use goal.Open, Commit, Accept, Reject, Counter, AcceptCounter, Confirm or Lock")
	}
	return []Negotiation{n}, edit, nil
}

// open opens a round on unit i's subtree.
func (r *Review) open(i int, m Move, refuse func(string, ...any) error) ([]Negotiation, *Edit, error) {
	if m.Due != 0 && !InDateRange(m.Due) {
		err := refuse("the due date is outside the years 0001 to 9999").(*MoveError)
		err.invalid = true
		return nil, nil, err
	}
	if p, ok := r.index[r.units[i].Parent]; ok && r.units[i].Parent != "" && r.units[p].State >= Confirmed {
		return nil, nil, refuse("parent %q is %s; Open the round on it instead", r.units[p].Unit, r.units[p].State)
	}
	var out []Negotiation
	for _, k := range r.subtree(i) {
		c := r.units[k].Clone()
		if c.State != Draft && c.State != Confirmed {
			return nil, nil, refuse("unit %q is %s; a round opens on draft or confirmed units only", c.Unit, c.State)
		}
		c.State, c.Exchange, c.Round, c.Due = InReview, Awaiting, c.Round+1, m.Due
		c.Commitment, c.Counter, c.Note = nil, decimal.NullDecimal{}, ""
		out = append(out, c)
	}
	return out, nil, nil
}

// subtree lists negotiation i and every one below it, in plan order.
func (r *Review) subtree(i int) []int {
	out := []int{i}
	for n := 0; n < len(out); n++ {
		out = append(out, r.kids[out[n]]...)
	}
	return out
}

func (r *Review) checkFigure(v decimal.Decimal, what string) error {
	if err := CheckDecimal(what, v); err != nil {
		return err
	}
	if err := r.plan.Metric.CheckValue(v); err != nil {
		return fmt.Errorf("the %s %s: %w", what, ShowDecimal(v), err)
	}
	return nil
}

// checkCommitmentText returns what is wrong with c's reason and evidence,
// or "".
func checkCommitmentText(c Commitment) string {
	if c.Reason == "" {
		return "give the reason for the commitment"
	}
	if p := TextProblem(c.Reason, MaxTextLen); p != "" {
		return "the reason: " + p
	}
	for n, e := range c.Evidence {
		if p := TextProblem(e.Text, MaxTextLen); p != "" {
			return fmt.Sprintf("evidence %d: %s", n+1, p)
		}
		if e.Kind > LostKeyAccount {
			return fmt.Sprintf("evidence %d: unknown kind %s", n+1, e.Kind)
		}
		if e.Amount.Valid {
			if err := CheckDecimal("evidence amount", e.Amount.Decimal); err != nil {
				return fmt.Sprintf("evidence %d: %v", n+1, err)
			}
		}
	}
	return ""
}

func orText(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// Edit applies e to the review's plan as EditTarget does, with the topmost
// goals of the other units that agreed, confirmed or locked held at their
// targets, so that settling one unit's figure never moves a figure another
// unit already settled. The returned plan keeps the Locked flags the plan
// had (plus e.Lock on the edited goal).
func (r *Review) Edit(e Edit) (*Plan, []string, error) {
	held := r.plan
	if goals := r.held(e.Goal); goals != nil {
		var err error
		if held, err = NewPlan(r.plan.ID, r.plan.Metric, goals); err != nil {
			return nil, nil, err
		}
	}
	np, changed, err := EditTarget(held, e)
	if err != nil {
		return nil, nil, err
	}
	for i := range np.Goals {
		np.Goals[i].Locked = r.plan.Goals[i].Locked || (e.Lock && np.Goals[i].ID == e.Goal)
	}
	np.Version = r.plan.Version
	return np, changed, nil
}

// held returns the plan's goals with the settled units' topmost goals
// locked, or nil when none is.
func (r *Review) held(edited string) []Goal {
	var goals []Goal
	for _, n := range r.units {
		if n.Goal == edited || (n.Exchange != Agreed && n.State < Confirmed) {
			continue
		}
		if goals == nil {
			goals = append([]Goal(nil), r.plan.Goals...)
		}
		gi, _ := r.plan.lookup(n.Goal)
		goals[gi].Locked = true
	}
	return goals
}
