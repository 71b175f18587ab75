package alert

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
)

// State is where an alert instance is in its lifecycle. The values are the lowercase strings
// hosts store.
type State string

// The lifecycle states. An alert starts inactive; when its condition holds it becomes pending;
// once the condition has held for the policy's For/ForPeriods it fires; once the condition has
// been clear for KeepFiringFor/KeepFiringForPeriods it is resolved. A resolved alert whose
// condition holds again starts a new episode (pending, or firing at once if there is no hold).
const (
	StateInactive State = "inactive"
	StatePending  State = "pending"
	StateFiring   State = "firing"
	StateResolved State = "resolved"
)

func (s State) valid() bool {
	switch s {
	case StateInactive, StatePending, StateFiring, StateResolved:
		return true
	}
	return false
}

// Instance is the persisted state of one alert instance: everything the lifecycle needs from one
// evaluation to the next. It is a plain value; the engine stores it (storage.AlertState) and
// passes it back to the next Evaluate unchanged. Times are the evaluation times passed to
// Evaluate; zero means "never" or "not in this episode".
type Instance struct {
	// Fingerprint is Labels.Fingerprint(): the instance's identity.
	Fingerprint string
	// Rule and Unit repeat the rule and unit labels.
	Rule, Unit string
	// Labels is the full label set (see Sample.Labels).
	Labels Labels

	// State is the current state, never StateInactive in a Result.
	State State
	// Severity is the severity of the latest evaluation.
	Severity Severity
	// Since is when the instance entered State.
	Since time.Time
	// LastEval is the time of the latest evaluation that updated the instance.
	LastEval time.Time
	// FiredAt is when the current firing episode started: the episode's identity in notification
	// keys. It is kept after resolution.
	FiredAt time.Time
	// ClearedAt is, while firing, when the condition was first clear in the current run of clear
	// evaluations (the start of KeepFiringFor); zero while the condition holds.
	ClearedAt time.Time
	// ResolvedAt is when the current episode resolved; zero unless State is StateResolved.
	ResolvedAt time.Time
	// LastNotified is the time of the latest evaluation that emitted a notification for it.
	LastNotified time.Time

	// ActiveEvals counts consecutive evaluations in which the condition held (the ForPeriods hold).
	ActiveEvals int
	// ClearEvals counts, while firing, consecutive evaluations in which the condition was clear.
	ClearEvals int
	// FiringEvals counts evaluations in the firing state in this episode, the first included.
	FiringEvals int
	// Reminders is the number of the latest reminder emitted in this episode (0: none).
	Reminders int
	// FiringNotified, ResolvedNotified and Escalated record which notifications of this episode
	// were emitted (not muted).
	FiringNotified, ResolvedNotified, Escalated bool

	// Value, Threshold and Message are those of the latest sample seen.
	Value, Threshold decimal.Decimal
	Message          string
}

// Sample is what one evaluation observed for one candidate alert.
type Sample struct {
	// Rule is the name of the rule evaluated; required. It selects the Policy.
	Rule string
	// Unit is the ID of the org unit the sample is about; required. It receives notifications.
	Unit string
	// Metric is the metric's name; optional.
	Metric string
	// Period is the period evaluated; optional (the zero Period).
	Period goal.Period
	// Extra holds further identity labels (a product, a stage). Names must match
	// [A-Za-z_][A-Za-z0-9_]* and not be one of the identity labels (rule, unit, metric, period).
	Extra Labels

	// Active reports whether the rule's condition holds now.
	Active bool
	// Severity overrides the policy's severity when not zero.
	Severity Severity
	// Value is what was observed and Threshold what it was compared with (the plan, the
	// expected value, the limit); both are carried to notifications.
	Value, Threshold decimal.Decimal
	// Message is a human sentence about the observation, carried to notifications.
	Message string
}

// Labels returns the sample's full label set: Extra plus rule, unit and, when set, metric and
// period (PeriodLabel).
func (s Sample) Labels() Labels {
	l := make(Labels, len(s.Extra)+4)
	for k, v := range s.Extra {
		l[k] = v
	}
	l[LabelRule] = s.Rule
	l[LabelUnit] = s.Unit
	if s.Metric != "" {
		l[LabelMetric] = s.Metric
	}
	if p := PeriodLabel(s.Period); p != "" {
		l[LabelPeriod] = p
	}
	return l
}

// Fingerprint returns s.Labels().Fingerprint(), without making the map.
func (s Sample) Fingerprint() string {
	var buf [8]label
	pairs := buf[:0]
	for k, v := range s.Extra {
		pairs = append(pairs, label{k, v})
	}
	set := func(name, value string) { // as in Labels, the fields win over Extra
		for i := range pairs {
			if pairs[i].name == name {
				pairs[i].value = value
				return
			}
		}
		pairs = append(pairs, label{name, value})
	}
	set(LabelRule, s.Rule)
	set(LabelUnit, s.Unit)
	if s.Metric != "" {
		set(LabelMetric, s.Metric)
	}
	if p := PeriodLabel(s.Period); p != "" {
		set(LabelPeriod, p)
	}
	return fingerprint(pairs)
}

func (s Sample) validate(field string) error {
	switch {
	case s.Rule == "":
		return invalid(field+".Rule", "must not be empty")
	case !utf8.ValidString(s.Rule):
		return invalid(field+".Rule", "must be valid UTF-8")
	case s.Unit == "":
		return invalid(field+".Unit", "must not be empty")
	case !utf8.ValidString(s.Unit):
		return invalid(field+".Unit", "must be valid UTF-8")
	case !utf8.ValidString(s.Metric):
		return invalid(field+".Metric", "must be valid UTF-8")
	case !s.Period.IsZero() && s.Period.End <= s.Period.Start:
		return invalid(field+".Period", "the end %s must be after the start %s", s.Period.End, s.Period.Start)
	}
	if err := s.Extra.validate(field + ".Extra"); err != nil {
		return err
	}
	identity := false
	for k := range s.Extra {
		identity = identity || isIdentityLabel(k)
	}
	if identity {
		for _, k := range s.Extra.names() { // the first identity label by name
			if isIdentityLabel(k) {
				return invalid(field+".Extra", "label %q is an identity label; set Sample.%s instead", k, identityField(k))
			}
		}
	}
	return s.Severity.validate(field + ".Severity")
}

func identityField(label string) string {
	return strings.ToUpper(label[:1]) + label[1:]
}

// StateChange records one instance changing state in an evaluation. To is StateInactive when the
// instance left the states (a pending alert whose condition cleared, a resolved alert past its
// retention).
type StateChange struct {
	Fingerprint string
	Rule, Unit  string
	From, To    State
	At          time.Time
}

// Result is the outcome of one evaluation.
type Result struct {
	// States is the complete new set of instances, pending, firing or resolved: it replaces the
	// previous set (an instance not in it is inactive and may be deleted). Sorted by rule, unit
	// and fingerprint.
	States []Instance
	// Notifications are the notifications to deliver, in the order of States and, for one
	// instance, firing, reminder, escalated, resolved.
	Notifications []Notification
	// Muted are the notifications that were due but silenced or inhibited, in the same order.
	// Their instances keep them due (see Evaluate), so a muted notification may be emitted, with
	// the same Key, by a later evaluation.
	Muted []Muted
	// StateChanges are the state changes of this evaluation, in the order of States.
	StateChanges []StateChange
}

// Evaluate advances every alert instance to time now and returns the new states and the
// notifications to send. It is pure and deterministic: it reads no clock, performs no I/O and
// returns the same Result for the same arguments, whatever their order.
//
// previous is the States of the preceding Result (instances with State StateInactive are
// ignored); samples are this evaluation's observations, at most one per fingerprint; silences
// are the host's silences (see Silence). An instance of previous with no sample in samples is
// evaluated as if its condition were false: a rule that stops reporting a unit (the unit left,
// the period closed, the rule was deleted) lets its alerts resolve through the normal
// keep-firing path rather than leaving them firing forever. A sample whose condition is false
// and which has no previous instance creates nothing.
//
// An instance whose LastEval is not before now is returned unchanged with no notification: a
// retried or repeated evaluation is idempotent.
//
// Notifications are emitted on the transition to firing (NotifyFiring), every
// Policy.RepeatInterval while firing (NotifyReminder), once per episode after
// Policy.EscalateAfter (NotifyEscalated, to the unit's parent) and on resolution
// (NotifyResolved, only if the firing was notified). A notification of an instance that is
// silenced or inhibited at now is not emitted but reported in Result.Muted; the instance still
// changes state, and its firing, escalation and resolution stay due, so they are emitted by the
// first later evaluation that is not muted (while still firing, or still resolved within
// Policy.ResolvedRetention). Reminders due while muted are skipped, not replayed.
//
// Inhibition: when LifecycleConfig.Org is set, an alert whose unit is below (a descendant of)
// the unit of a firing alert with the same labels other than unit — the same rule, metric,
// period and extras — is inhibited: a team's alert speaks for its reps while it fires, and the
// reps' alerts are notified when it resolves if they still fire.
//
// Errors match ErrInvalid and are *ValidationError naming the offending argument: a zero now,
// an invalid sample or silence, two samples or two previous instances with the same
// fingerprint, or a previous instance whose fingerprint, rule or unit disagrees with its labels.
func (l *Lifecycle) Evaluate(now time.Time, previous []Instance, samples []Sample, silences []Silence) (Result, error) {
	if now.IsZero() {
		return Result{}, invalid("now", "must not be the zero time; pass the evaluation time")
	}
	if err := validateSilences(silences); err != nil {
		return Result{}, err
	}
	type entry struct {
		prev   *Instance
		sample *Sample
		labels Labels // the sample's
		rule   string
		unit   string
		fp     string
	}
	entries := make([]entry, 0, len(previous)+len(samples))
	index := make(map[string]int, len(previous)+len(samples)) // fingerprint -> entry
	for i := range previous {
		p := &previous[i]
		if p.State == StateInactive {
			continue
		}
		field := "previous[" + strconv.Itoa(i) + "]"
		if err := p.validate(field); err != nil {
			return Result{}, err
		}
		if _, dup := index[p.Fingerprint]; dup {
			return Result{}, invalid(field+".Fingerprint", "%s appears twice; pass each instance once", p.Fingerprint)
		}
		index[p.Fingerprint] = len(entries)
		entries = append(entries, entry{prev: p, rule: p.Rule, unit: p.Unit, fp: p.Fingerprint})
	}
	for i := range samples {
		s := &samples[i]
		field := "samples[" + strconv.Itoa(i) + "]"
		if err := s.validate(field); err != nil {
			return Result{}, err
		}
		fp := s.Fingerprint()
		j, ok := index[fp]
		switch {
		case !ok:
			index[fp] = len(entries)
			entries = append(entries, entry{sample: s, rule: s.Rule, unit: s.Unit, fp: fp})
		case entries[j].sample != nil:
			return Result{}, invalid(field, "has the same labels %s as another sample; pass one sample per alert", s.Labels())
		default:
			entries[j].sample = s
		}
	}
	// An inactive sample without a previous instance creates nothing (see
	// advance): only the others are stepped, and only they need labels.
	order := make([]*entry, 0, len(entries))
	for i := range entries {
		e := &entries[i]
		if e.prev == nil && !e.sample.Active {
			continue
		}
		if e.sample != nil {
			e.labels = e.sample.Labels()
		}
		order = append(order, e)
	}
	slices.SortFunc(order, func(a, b *entry) int {
		return cmp.Or(strings.Compare(a.rule, b.rule), strings.Compare(a.unit, b.unit), strings.Compare(a.fp, b.fp))
	})

	steps := make([]step, 0, len(order))
	for _, e := range order {
		st := l.advance(e.prev, e.sample, e.labels, e.fp, now)
		if st.keep || st.from != st.to() {
			steps = append(steps, st)
		}
	}

	var res Result
	inh := l.inhibitions(steps)
	for i := range steps {
		st := &steps[i]
		if !st.stale && st.keep {
			l.notify(st, now, silences, inh, &res)
		}
		if st.keep {
			res.States = append(res.States, st.inst)
		}
		if to := st.to(); to != st.from {
			res.StateChanges = append(res.StateChanges, StateChange{
				Fingerprint: st.inst.Fingerprint, Rule: st.inst.Rule, Unit: st.inst.Unit,
				From: st.from, To: to, At: now,
			})
		}
	}
	return res, nil
}

func (in *Instance) validate(field string) error {
	switch {
	case !in.State.valid():
		return invalid(field+".State", "must be inactive, pending, firing or resolved, got %q", string(in.State))
	case in.Fingerprint != in.Labels.Fingerprint():
		return invalid(field+".Fingerprint", "%q is not the fingerprint of the labels %s; pass the instance as Evaluate returned it", in.Fingerprint, in.Labels)
	case in.Rule == "" || in.Rule != in.Labels[LabelRule]:
		return invalid(field+".Rule", "%q must be the non-empty rule label %q", in.Rule, in.Labels[LabelRule])
	case in.Unit == "" || in.Unit != in.Labels[LabelUnit]:
		return invalid(field+".Unit", "%q must be the non-empty unit label %q", in.Unit, in.Labels[LabelUnit])
	}
	return in.Severity.validate(field + ".Severity")
}

// step is one instance's evaluation.
type step struct {
	inst  Instance
	from  State // the state before the evaluation (StateInactive for a new instance)
	keep  bool  // whether inst is in the new states
	stale bool  // the evaluation was not after inst.LastEval: inst is unchanged
}

// to returns the state after the evaluation, StateInactive when the instance was dropped.
func (s *step) to() State {
	if !s.keep {
		return StateInactive
	}
	return s.inst.State
}

// advance runs the state machine of one instance: prev is its previous state (nil if none) and
// sample this evaluation's sample (nil if absent, read as condition false) with its labels.
func (l *Lifecycle) advance(prev *Instance, sample *Sample, labels Labels, fp string, now time.Time) step {
	var cur Instance
	from := StateInactive
	if prev != nil {
		cur = *prev
		from = prev.State
		if !now.After(prev.LastEval) {
			cur.Labels = cur.Labels.Clone()
			return step{inst: cur, from: from, keep: true, stale: true}
		}
	}
	if sample != nil {
		cur.Fingerprint = fp
		cur.Rule, cur.Unit = sample.Rule, sample.Unit
		cur.Labels = labels
		cur.Value, cur.Threshold, cur.Message = sample.Value, sample.Threshold, sample.Message
	} else {
		cur.Labels = cur.Labels.Clone()
	}
	pol := l.policy(cur.Rule)
	sev := pol.Severity.or(SeverityWarning)
	if sample != nil {
		sev = sample.Severity.or(sev)
	}
	cur.Severity = sev
	cur.LastEval = now
	active := sample != nil && sample.Active
	st := step{from: from, keep: true}

	switch from {
	case StateInactive, StateResolved:
		if !active {
			// A resolved alert is kept through its retention; nothing else is created.
			st.keep = from == StateResolved && now.Before(cur.ResolvedAt.Add(pol.ResolvedRetention))
			break
		}
		// A new episode.
		cur = Instance{
			Fingerprint: cur.Fingerprint, Rule: cur.Rule, Unit: cur.Unit, Labels: cur.Labels,
			State: StatePending, Severity: cur.Severity, Since: now, LastEval: now,
			LastNotified: cur.LastNotified, ActiveEvals: 1,
			Value: cur.Value, Threshold: cur.Threshold, Message: cur.Message,
		}
		if pol.held(&cur, now) {
			fire(&cur, now)
		}
	case StatePending:
		if !active {
			st.keep = false
			break
		}
		cur.ActiveEvals++
		if pol.held(&cur, now) {
			fire(&cur, now)
		}
	case StateFiring:
		if active {
			cur.ActiveEvals++
			cur.ClearedAt, cur.ClearEvals = time.Time{}, 0
		} else {
			cur.ActiveEvals = 0
			if cur.ClearEvals == 0 {
				cur.ClearedAt = now
			}
			cur.ClearEvals++
			if cur.ClearEvals > pol.KeepFiringForPeriods && now.Sub(cur.ClearedAt) >= pol.KeepFiringFor {
				cur.State, cur.Since, cur.ResolvedAt = StateResolved, now, now
				cur.ClearedAt, cur.ClearEvals = time.Time{}, 0
				break
			}
		}
		cur.FiringEvals++
	}
	st.inst = cur
	return st
}

// held reports whether a pending instance has met the policy's hold.
func (p Policy) held(in *Instance, now time.Time) bool {
	return in.ActiveEvals >= p.ForPeriods && now.Sub(in.Since) >= p.For
}

// fire moves a pending instance to firing: the start of an episode.
func fire(in *Instance, now time.Time) {
	in.State, in.Since, in.FiredAt, in.FiringEvals = StateFiring, now, now, 1
}
