package alert

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/goalkit/goalkit/goal"
)

// Policy is the lifecycle of one rule's alerts: how long the condition must hold before an alert
// fires, how long it keeps firing after the condition clears, how often it reminds, when it
// escalates and how long a resolved alert is kept. The zero Policy fires at the first evaluation
// in which the condition holds, resolves at the first in which it does not, raises warnings,
// never reminds and never escalates.
//
// Holds may be given as a duration, as a number of evaluations ("periods": the engine evaluates
// once per period of the rule's cadence), or both; when both are set, both must be met.
type Policy struct {
	// Severity of the rule's alerts; 0 means SeverityWarning. A Sample may override it.
	Severity Severity

	// For is how long the condition must hold, measured from the first evaluation in which it
	// held, before the alert fires; until then the alert is pending. 0 means no minimum.
	For time.Duration
	// ForPeriods is how many consecutive evaluations, counting the first, the condition must hold
	// before the alert fires. 0 and 1 both mean the first evaluation suffices.
	ForPeriods int

	// KeepFiringFor is how long a firing alert stays firing after the condition clears, measured
	// from the first evaluation in which it was clear; it resolves at the first clear evaluation
	// at least KeepFiringFor later. If the condition holds again meanwhile, the episode goes on.
	KeepFiringFor time.Duration
	// KeepFiringForPeriods is how many evaluations with the condition clear a firing alert stays
	// firing through; it resolves at the next clear one.
	KeepFiringForPeriods int

	// RepeatInterval is how often a firing alert is re-notified: reminder n is due at
	// FiredAt + n·RepeatInterval and sent by the first evaluation at or after that time (when
	// evaluations are sparser than the interval, only the latest due reminder is sent).
	// 0 means no reminders.
	RepeatInterval time.Duration

	// EscalateAfter and EscalateAfterPeriods enable escalation: once the alert has been firing for
	// EscalateAfter (measured from FiredAt) and through more than EscalateAfterPeriods
	// evaluations (so 1 means "at the evaluation after the one it fired in"), one escalation
	// notification goes to the unit's parent in the org; at most once per firing episode. Both 0
	// means never escalate; escalation needs LifecycleConfig.Org.
	EscalateAfter        time.Duration
	EscalateAfterPeriods int

	// ResolvedRetention is how long a resolved alert is kept in the states after ResolvedAt, so
	// that its resolution can still be notified if it was silenced or inhibited when it resolved.
	// The resolved alert is always kept through the evaluation that resolved it; it is dropped at
	// the first later evaluation at least ResolvedRetention after ResolvedAt.
	ResolvedRetention time.Duration
}

// Validate reports whether the policy is well formed: no negative durations or counts and a
// known severity. Errors match ErrInvalid and are *ValidationError.
func (p Policy) Validate() error { return p.validate("Policy") }

func (p Policy) validate(field string) error {
	if err := p.Severity.validate(field + ".Severity"); err != nil {
		return err
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"For", p.For},
		{"KeepFiringFor", p.KeepFiringFor},
		{"RepeatInterval", p.RepeatInterval},
		{"EscalateAfter", p.EscalateAfter},
		{"ResolvedRetention", p.ResolvedRetention},
	} {
		if d.v < 0 {
			return invalid(field+"."+d.name, "must not be negative, got %s; use 0 for none", d.v)
		}
	}
	for _, c := range []struct {
		name string
		v    int
	}{
		{"ForPeriods", p.ForPeriods},
		{"KeepFiringForPeriods", p.KeepFiringForPeriods},
		{"EscalateAfterPeriods", p.EscalateAfterPeriods},
	} {
		if c.v < 0 {
			return invalid(field+"."+c.name, "must not be negative, got %d; use 0 for none", c.v)
		}
	}
	return nil
}

// escalates reports whether the policy escalates at all.
func (p Policy) escalates() bool { return p.EscalateAfter > 0 || p.EscalateAfterPeriods > 0 }

// LifecycleConfig configures a Lifecycle. A nil *LifecycleConfig means: the zero Policy for every
// rule, no org (no inhibition, no escalation).
type LifecycleConfig struct {
	// Policies maps a rule's name to its policy. Rules not listed use Default.
	Policies map[string]Policy
	// Default is the policy of rules not in Policies.
	Default Policy
	// Org is the unit tree. With it, a firing alert inhibits the same alert of every unit below
	// (see Lifecycle.Evaluate), and escalations go to the unit's parent. nil disables both; a
	// policy that escalates then is an error.
	Org *goal.Org
	// DisableInhibition turns inhibition off even when Org is set (escalation still works).
	DisableInhibition bool
}

// Lifecycle evaluates alert instances through their states. It is immutable and safe for
// concurrent use. Build one with NewLifecycle.
type Lifecycle struct {
	policies map[string]Policy
	def      Policy
	org      *goal.Org
	inhibit  bool
}

// NewLifecycle validates cfg and returns a Lifecycle. It copies cfg.Policies, so later changes to
// the map do not affect it. Errors match ErrInvalid and are *ValidationError naming the field,
// e.g. `LifecycleConfig.Policies["pace"].For`.
func NewLifecycle(cfg *LifecycleConfig) (*Lifecycle, error) {
	if cfg == nil {
		cfg = &LifecycleConfig{}
	}
	if err := cfg.Default.validate("LifecycleConfig.Default"); err != nil {
		return nil, err
	}
	if cfg.Default.escalates() && cfg.Org == nil {
		return nil, invalid("LifecycleConfig.Org", "is required because LifecycleConfig.Default escalates to the unit's parent")
	}
	policies := make(map[string]Policy, len(cfg.Policies))
	for _, rule := range slices.Sorted(maps.Keys(cfg.Policies)) {
		p := cfg.Policies[rule]
		field := "LifecycleConfig.Policies[" + strconv.Quote(rule) + "]"
		if rule == "" {
			return nil, invalid(field, "the rule name must not be empty")
		}
		if err := p.validate(field); err != nil {
			return nil, err
		}
		if p.escalates() && cfg.Org == nil {
			return nil, invalid("LifecycleConfig.Org", "is required because rule %q escalates to the unit's parent", rule)
		}
		policies[rule] = p
	}
	return &Lifecycle{
		policies: policies,
		def:      cfg.Default,
		org:      cfg.Org,
		inhibit:  cfg.Org != nil && !cfg.DisableInhibition,
	}, nil
}

// policy returns the policy of the rule: its entry in LifecycleConfig.Policies, or the default.
func (l *Lifecycle) policy(rule string) Policy {
	if p, ok := l.policies[rule]; ok {
		return p
	}
	return l.def
}

// parent returns the ID of unit's parent in the org, or "" when there is no org, the unit is not
// in it, or it is a root.
func (l *Lifecycle) parent(unit string) string {
	if l.org == nil {
		return ""
	}
	i, ok := l.org.Index(unit)
	if !ok {
		return ""
	}
	p := l.org.ParentIndex(i)
	if p < 0 {
		return ""
	}
	return l.org.At(p).ID
}
