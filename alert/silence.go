package alert

import (
	"strconv"
	"time"
)

// Silence mutes the notifications of matching alerts during a time window. A silenced alert still
// changes state — it goes pending, fires, resolves, its episode and counters advance — so that
// when the silence ends (or is deleted) the alert is exactly where it would have been, and its
// firing, escalation or resolution, if not yet notified, is notified then (see
// Lifecycle.Evaluate). Silences are host data, passed to each evaluation.
type Silence struct {
	// ID identifies the silence; required and unique among the silences of an evaluation. It is
	// reported in Muted.SilencedBy.
	ID string
	// Matchers select the alerts: an alert matches when each matcher's label has exactly that
	// value in the alert's labels (see Labels.Matches). At least one matcher is required, so a
	// silence never mutes everything by accident; match e.g. {"unit": "rep-7"} or
	// {"rule": "pace", "period": PeriodLabel(q)}.
	Matchers Labels
	// Start and End bound the window [Start, End): active at Start, no longer at End.
	Start, End time.Time
}

// Validate reports whether the silence is well formed: an ID, at least one well-formed matcher,
// and End after Start. Errors match ErrInvalid and are *ValidationError.
func (s Silence) Validate() error { return s.validate("Silence") }

func (s Silence) validate(field string) error {
	switch {
	case s.ID == "":
		return invalid(field+".ID", "must not be empty")
	case len(s.Matchers) == 0:
		return invalid(field+".Matchers", "need at least one label to match, e.g. {\"unit\": \"rep-7\"}")
	case s.Start.IsZero() || s.End.IsZero():
		return invalid(field+".Start", "the window needs both Start and End")
	case !s.End.After(s.Start):
		return invalid(field+".End", "%s must be after Start %s (the window is [Start, End))", s.End.Format(time.RFC3339), s.Start.Format(time.RFC3339))
	}
	return s.Matchers.validate(field + ".Matchers")
}

// activeAt reports whether t falls in the window [Start, End).
func (s Silence) activeAt(t time.Time) bool {
	return !t.Before(s.Start) && t.Before(s.End)
}

// mutes reports whether the silence mutes an alert with the given labels at time t.
func (s Silence) mutes(labels Labels, t time.Time) bool {
	return len(s.Matchers) > 0 && s.activeAt(t) && labels.Matches(s.Matchers)
}

func validateSilences(silences []Silence) error {
	seen := make(map[string]int, len(silences))
	for i, s := range silences {
		field := "silences[" + strconv.Itoa(i) + "]"
		if err := s.validate(field); err != nil {
			return err
		}
		if j, dup := seen[s.ID]; dup {
			return invalid(field+".ID", "%q is also the ID of silences[%d]; IDs must be unique", s.ID, j)
		}
		seen[s.ID] = i
	}
	return nil
}

// silencedBy returns the smallest ID of the silences muting labels at t, or "" if none does. The
// smallest, not the first, so the result does not depend on the order of silences.
func silencedBy(silences []Silence, labels Labels, t time.Time) string {
	id := ""
	for _, s := range silences {
		if s.mutes(labels, t) && (id == "" || s.ID < id) {
			id = s.ID
		}
	}
	return id
}
