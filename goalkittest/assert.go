package goalkittest

import (
	"testing"

	"github.com/goalkit/goalkit/alert"
)

// RequireFired fails t now unless rec holds a firing notification of rule
// (alert.RulePace, ...) about unit, and returns the first such notification.
func RequireFired(t testing.TB, rec *alert.Recorder, rule, unit string) alert.Notification {
	t.Helper()
	ns := rec.Notifications()
	for _, n := range ns {
		if n.Kind == alert.NotifyFiring && n.Rule == rule && n.Unit == unit {
			return n
		}
	}
	t.Fatalf("goalkittest: no %s notification of rule %q about unit %q among the %d recorded: %s",
		alert.NotifyFiring, rule, unit, len(ns), describe(ns))
	return alert.Notification{}
}

// RequireNotFired fails t now if rec holds a firing notification of rule
// about unit.
func RequireNotFired(t testing.TB, rec *alert.Recorder, rule, unit string) {
	t.Helper()
	for _, n := range rec.Notifications() {
		if n.Kind == alert.NotifyFiring && n.Rule == rule && n.Unit == unit {
			t.Fatalf("goalkittest: rule %q fired about unit %q (key %s), want no firing notification", rule, unit, n.Key)
		}
	}
}

// RequireNoDuplicates fails t now if rec was sent a notification Key it had
// already recorded: a host's Notifier would have delivered it twice had it
// not de-duplicated by Key.
func RequireNoDuplicates(t testing.TB, rec *alert.Recorder) {
	t.Helper()
	if d := rec.Duplicates(); d > 0 {
		t.Fatalf("goalkittest: %d notification(s) were sent again with a Key already recorded; deliver each Key once", d)
	}
}

// describe lists notifications as "kind rule unit" for a failure message.
func describe(ns []alert.Notification) string {
	return list(ns, func(n alert.Notification) string { return string(n.Kind) + " " + n.Rule + " " + n.Unit })
}

// list names items for a failure message, "none" for none.
func list[T any](items []T, name func(T) string) string {
	if len(items) == 0 {
		return "none"
	}
	out := ""
	for i, x := range items {
		if i > 0 {
			out += ", "
		}
		out += name(x)
	}
	return out
}

// RequireTold fails t now unless rec holds a digest to unit that tells him
// of an alert of rule about himself: fired, still firing, or covered by his
// team's alert. It returns the first such digest.
func RequireTold(t testing.TB, rec *alert.DigestRecorder, rule, unit string) alert.Digest {
	t.Helper()
	ds := rec.Digests()
	for _, d := range ds {
		if d.Recipient != unit {
			continue
		}
		for _, n := range append(append([]alert.Notification(nil), d.Fired...), d.Firing...) {
			if n.Rule == rule && n.Unit == unit {
				return d
			}
		}
		for _, c := range d.Covered {
			if c.Notification.Rule == rule && c.Notification.Unit == unit {
				return d
			}
		}
	}
	t.Fatalf("goalkittest: no digest to unit %q tells of its %q alert among the %d recorded (to: %s)", unit, rule, len(ds), list(ds, func(d alert.Digest) string { return d.Recipient }))
	return alert.Digest{}
}
