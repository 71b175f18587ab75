package alert

import "github.com/goalkit/goalkit/goal"

// inhibitions indexes the firing instances of an evaluation for inhibition: by their labels other
// than unit (inhibitionKey), then by unit, to the fingerprint. A nil inhibitions
// inhibits nothing.
type inhibitions map[string]map[string]string

// inhibitions returns the index of the firing instances among steps, or nil when the lifecycle
// does not inhibit. A firing instance inhibits whether or not it is itself silenced or
// inhibited: muting a team's alert does not unmute its reps'.
func (l *Lifecycle) inhibitions(steps []step) inhibitions {
	if !l.inhibit {
		return nil
	}
	var inh inhibitions
	for i := range steps {
		in := &steps[i].inst
		if !steps[i].keep || in.State != StateFiring {
			continue
		}
		if inh == nil {
			inh = make(inhibitions)
		}
		k := inhibitionKey(in.Labels)
		if inh[k] == nil {
			inh[k] = make(map[string]string)
		}
		inh[k][in.Unit] = in.Fingerprint
	}
	return inh
}

// inhibitor returns the fingerprint of the firing instance that inhibits in — the one at the
// nearest proper ancestor of in's unit with the same labels other than unit — or "" if none.
func (inh inhibitions) inhibitor(org *goal.Org, in *Instance) string {
	if len(inh) == 0 || org == nil {
		return ""
	}
	units := inh[inhibitionKey(in.Labels)]
	if len(units) == 0 {
		return ""
	}
	i, ok := org.Index(in.Unit)
	if !ok {
		return ""
	}
	for p := org.ParentIndex(i); p >= 0; p = org.ParentIndex(p) {
		if fp, ok := units[org.At(p).ID]; ok {
			return fp
		}
	}
	return ""
}

// inhibitionKey returns the labels other than unit, encoded (see
// appendPairs): equal exactly when those labels are.
func inhibitionKey(l Labels) string {
	var buf [8]label
	pairs := buf[:0]
	for k, v := range l {
		if k != LabelUnit {
			pairs = append(pairs, label{k, v})
		}
	}
	var b [256]byte
	return string(appendPairs(b[:0], pairs))
}
