package alert

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"slices"
	"strings"
	"time"
)

// Grouping gathers the notifications of one evaluation into digests: one
// per recipient (and per value of the By labels), saying what fired, what
// cleared and what is still firing, each alert inside with its stable key.
// It is Alertmanager's grouping adapted to evaluations, which already come
// in steps (a day, a week):
//
//   - group_by is By, with the recipient always part of the group;
//   - group_wait is the evaluation: everything one evaluation raises for a
//     group goes out together, and nothing waits for a later one;
//   - group_interval is one evaluation: a group gets at most one digest an
//     evaluation, and only when something changed (an alert fired, cleared,
//     escalated, or is reminded; or an alert of the recipient's own started
//     firing under a covering team alert);
//   - repeat_interval is each rule's Policy.RepeatInterval: a reminder due
//     sends the digest again, with everything still firing.
//
// Grouping needs no state beyond the alert instances': a digest is a view
// of one evaluation's Result. The zero Grouping groups by recipient alone.
type Grouping struct {
	// By lists the labels (LabelMetric, "plan", ...) whose values split a
	// recipient's digest: []string{LabelMetric} sends one digest per
	// recipient and metric. Empty means one digest per recipient.
	By []string
}

// Validate checks By: label names valid and listed once. The error is a
// *ValidationError matching ErrInvalid.
func (g Grouping) Validate() error {
	for i, name := range g.By {
		if !isLabelName(name) {
			return invalid("Grouping.By", "label name %q must match [A-Za-z_][A-Za-z0-9_]*", name)
		}
		if slices.Contains(g.By[:i], name) {
			return invalid("Grouping.By", "label %q is listed twice; list it once", name)
		}
	}
	return nil
}

// Digest is one recipient's notifications of one evaluation, grouped.
type Digest struct {
	// Key identifies the digest: "digest/<recipient>/<At in RFC 3339, UTC>/<hash>",
	// the hash of the group and of the keys of the notifications that made
	// it due, so a retried evaluation makes the same Key. Use it to
	// de-duplicate.
	Key string
	// Recipient is the unit notified; Group the values of Grouping.By.
	Recipient string
	Group     Labels
	// At is the time of the evaluation.
	At time.Time
	// Fired are the alerts that started firing (NotifyFiring) or were
	// escalated to the recipient (NotifyEscalated) at this evaluation.
	Fired []Notification
	// Cleared are the alerts that stopped firing (NotifyResolved): back on
	// track, or, for a goal whose period ended, met or missed.
	Cleared []Notification
	// Firing are the alerts still firing that were notified before: a
	// reminder due now (NotifyReminder), or, as a reminder of the state,
	// the firing notification of the episode, with its Key.
	Firing []Notification
	// Covered are the recipient's own alerts muted by inhibition: a firing
	// alert of a unit above (the team's) covers them. They are said as
	// such, "your team's alert covers this", rather than left out.
	Covered []Covered
	// Summary words the whole digest for the recipient in Language (a BCP 47
	// tag); goalkit's Engine.Deliver sets them and each notification's own.
	Summary, Language string
}

// Covered is an alert of the recipient's own that was due but inhibited.
type Covered struct {
	Notification Notification
	// By is the unit of the firing alert that covers it (the team's),
	// InhibitedBy that alert's fingerprint.
	By, InhibitedBy string
}

// DigestNotifier delivers digests. A host's Notifier that also implements
// it gets one call per digest; goalkit's Engine.Deliver falls back to one
// Notify per notification a digest carries (Fired, Cleared and reminders)
// for a Notifier that does not.
type DigestNotifier interface {
	// NotifyDigest delivers d. A non-nil error means d was not delivered
	// and may be retried, with the same Key.
	NotifyDigest(ctx context.Context, d Digest) error
}

// Digests groups the notifications of res, the Result of an evaluation at
// now, into the digests that are due, ordered by recipient and group.
// Silenced notifications stay out; a recipient's own firing alerts muted by
// inhibition are Covered, and the still-firing alerts go along as Firing.
func (g Grouping) Digests(now time.Time, res Result) []Digest {
	groups := map[string]*Digest{}
	var order []*Digest
	get := func(recipient string, labels Labels) *Digest {
		k := g.key(recipient, labels)
		d := groups[k]
		if d == nil {
			d = &Digest{Recipient: recipient, At: now, Group: g.values(labels)}
			groups[k] = d
			order = append(order, d)
		}
		return d
	}
	due := map[*Digest][]string{} // the keys that make a digest due
	told := map[string]bool{}     // recipient + fingerprint already in a digest
	for _, n := range res.Notifications {
		d := get(n.Recipient, n.Labels)
		switch n.Kind {
		case NotifyFiring, NotifyEscalated:
			d.Fired = append(d.Fired, n)
		case NotifyResolved:
			d.Cleared = append(d.Cleared, n)
		default:
			d.Firing = append(d.Firing, n)
		}
		due[d] = append(due[d], n.Key)
		told[n.Recipient+"\x00"+n.Fingerprint] = true
	}
	units := make(map[string]string, len(res.States)) // fingerprint -> unit
	for i := range res.States {
		units[res.States[i].Fingerprint] = res.States[i].Unit
	}
	for _, m := range res.Muted {
		n := m.Notification
		if m.InhibitedBy == "" || n.Kind != NotifyFiring {
			continue
		}
		d := get(n.Recipient, n.Labels)
		d.Covered = append(d.Covered, Covered{Notification: n, By: units[m.InhibitedBy], InhibitedBy: m.InhibitedBy})
		if n.FiredAt.Equal(now) {
			due[d] = append(due[d], n.Key)
		}
		told[n.Recipient+"\x00"+n.Fingerprint] = true
	}
	for i := range res.States {
		in := &res.States[i]
		if in.State != StateFiring || !in.FiringNotified || told[in.Unit+"\x00"+in.Fingerprint] {
			continue
		}
		if d := groups[g.key(in.Unit, in.Labels)]; d != nil {
			d.Firing = append(d.Firing, notification(in, NotifyFiring, in.Unit, 0, now))
		}
	}
	var out []Digest
	for _, d := range order {
		if len(due[d]) == 0 {
			continue
		}
		d.Key = digestKey(d, due[d])
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b Digest) int {
		return cmp.Or(strings.Compare(a.Recipient, b.Recipient), strings.Compare(g.key("", a.Group), g.key("", b.Group)))
	})
	return out
}

// key is the group of a recipient's notification with labels.
func (g Grouping) key(recipient string, labels Labels) string {
	var b strings.Builder
	b.WriteString(recipient)
	for _, name := range g.By {
		b.WriteByte(0)
		b.WriteString(labels[name])
	}
	return b.String()
}

// values are the labels' values of By, nil when By is empty.
func (g Grouping) values(labels Labels) Labels {
	if len(g.By) == 0 {
		return nil
	}
	out := make(Labels, len(g.By))
	for _, name := range g.By {
		out[name] = labels[name]
	}
	return out
}

// digestKey is d's Key: its recipient and time, and a hash of its group
// and of the keys that made it due.
func digestKey(d *Digest, due []string) string {
	h := fnv.New64a()
	write := func(s string) {
		var n [binary.MaxVarintLen64]byte
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		h.Write([]byte(s))
	}
	names := make([]string, 0, len(d.Group))
	for name := range d.Group {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		write(name)
		write(d.Group[name])
	}
	for _, k := range due {
		write(k)
	}
	return "digest/" + d.Recipient + "/" + d.At.UTC().Format(time.RFC3339Nano) + "/" + hex.EncodeToString(h.Sum(nil))
}
