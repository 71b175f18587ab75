package goalkit

import (
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/kpi"
)

// unworded is a goal rule's sample judged without its message (the rules'
// Judge): the sample's index among the samples, the status it judged and the
// rule that judged it, pace or projected miss.
type unworded struct {
	at     int
	status *kpi.Status
	pace   *alert.PaceRule
	miss   *alert.ProjectedMissRule
}

// word writes the messages of the goal samples the lifecycle reads: the
// active ones and those of live alerts (previous). alert.Lifecycle.Evaluate
// drops an inactive sample without a previous instance unread, so wording
// it would be wasted: on W1 most of the 140,000 samples over all goals are
// such. The messages written are those the rules' Check writes.
func word(samples []alert.Sample, later []unworded, previous []alert.Instance) {
	live := make(map[string]bool, len(previous))
	for _, in := range previous {
		if in.State != alert.StateInactive {
			live[in.Fingerprint] = true
		}
	}
	for _, u := range later {
		s := &samples[u.at]
		if !s.Active && (len(live) == 0 || !live[s.Fingerprint()]) {
			continue
		}
		if u.pace != nil {
			s.Message = u.pace.Describe(*u.status)
		} else {
			s.Message = u.miss.Describe(*u.status)
		}
	}
}
