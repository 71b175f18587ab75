package alert

import (
	"context"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// NotificationKind says why a notification is sent.
type NotificationKind string

// The notification kinds.
const (
	// NotifyFiring: the alert started firing (or, if that was muted, the first unmuted
	// evaluation of the episode).
	NotifyFiring NotificationKind = "firing"
	// NotifyReminder: the alert is still firing, Policy.RepeatInterval after the last reminder.
	NotifyReminder NotificationKind = "reminder"
	// NotifyEscalated: the alert has fired for Policy.EscalateAfter; sent to the unit's parent.
	NotifyEscalated NotificationKind = "escalated"
	// NotifyResolved: the alert stopped firing.
	NotifyResolved NotificationKind = "resolved"
)

// Notification is one message the host should deliver. Hosts deliver each Key at most once: a
// retried or repeated evaluation, or a muted notification emitted later, carries the same Key.
type Notification struct {
	// Key identifies the event: "<fingerprint>/<kind>/<FiredAt in RFC 3339, UTC>/<reminder>", a
	// function of the instance, the kind, the firing episode and the reminder number only, so it
	// is the same whenever and however often the event is computed. Use it to de-duplicate.
	Key string
	// Kind says why the notification is sent.
	Kind NotificationKind
	// Fingerprint, Rule, Unit and Labels identify the alert instance (Unit is what it is about).
	Fingerprint string
	Rule, Unit  string
	Labels      Labels
	// Recipient is the unit to notify: Unit, or for NotifyEscalated the parent of Unit.
	Recipient string
	// Severity is the instance's severity at the evaluation.
	Severity Severity
	// Message, Value and Threshold are those of the latest sample of the instance. Message is
	// the rule's sentence with its statistics: the details under Summary.
	Message          string
	Value, Threshold decimal.Decimal
	// FiredAt is the start of the firing episode; ResolvedAt its end (NotifyResolved only).
	FiredAt, ResolvedAt time.Time
	// Reminder is the reminder's number, 1 for the first (NotifyReminder only).
	Reminder int
	// At is the time of the evaluation that emitted the notification. It is not part of Key.
	At time.Time
	// Summary says what happened in plain words, in the recipient's language (Language, a BCP 47
	// tag such as "zh-CN"): "wang visits 2026-W29: missed by 15, 5 of 20 (25.0%)". The Lifecycle
	// leaves both empty; goalkit's Engine.Deliver words them (package messages). Neither is part
	// of Key.
	Summary, Language string
}

// NotificationKey returns the Key of the notification of the given kind for the episode of the
// instance with the given fingerprint that fired at firedAt; reminder is 0 except for reminders.
func NotificationKey(fingerprint string, kind NotificationKind, firedAt time.Time, reminder int) string {
	return fingerprint + "/" + string(kind) + "/" + firedAt.UTC().Format(time.RFC3339Nano) + "/" + strconv.Itoa(reminder)
}

// Muted is a notification that was due but not emitted.
type Muted struct {
	Notification Notification
	// SilencedBy is the ID of the silence that matched, or "".
	SilencedBy string
	// InhibitedBy is the fingerprint of the firing alert that inhibited it, or "".
	InhibitedBy string
}

// Notifier delivers notifications; the host implements it (e-mail, chat, a task in its CRM).
//
// The pure Lifecycle never calls a Notifier: Evaluate only returns notifications. The engine
// calls Notify for each, after it has saved the new states with the notifications (an outbox),
// and retries failed ones; Notify may therefore be called more than once with the same Key, and
// an implementation should deliver a Key at most once (see Recorder). It is the one method of
// this package that takes a context, because it is the host's I/O.
type Notifier interface {
	// Notify delivers n. A non-nil error means n was not delivered and may be retried.
	Notify(ctx context.Context, n Notification) error
}

// NotifierFunc adapts a function to the Notifier interface.
type NotifierFunc func(ctx context.Context, n Notification) error

// Notify calls f(ctx, n).
func (f NotifierFunc) Notify(ctx context.Context, n Notification) error { return f(ctx, n) }

// notify decides the notifications due for one evaluated instance, emits them into res or, when
// the instance is silenced or inhibited, records them in res.Muted, and updates the instance's
// bookkeeping for those emitted.
func (l *Lifecycle) notify(st *step, now time.Time, silences []Silence, inh inhibitions, res *Result) {
	in := &st.inst
	pol := l.policy(in.Rule)
	var due []Notification
	reminder := 0
	switch in.State {
	case StateFiring:
		if pol.RepeatInterval > 0 {
			reminder = int(now.Sub(in.FiredAt) / pol.RepeatInterval)
		}
		if !in.FiringNotified {
			due = append(due, notification(in, NotifyFiring, in.Unit, 0, now))
		} else if reminder > in.Reminders {
			due = append(due, notification(in, NotifyReminder, in.Unit, reminder, now))
		}
		if pol.escalates() && !in.Escalated && in.FiringEvals > pol.EscalateAfterPeriods && now.Sub(in.FiredAt) >= pol.EscalateAfter {
			// A unit outside the org or at its root has nobody to escalate to.
			if parent := l.parent(in.Unit); parent != "" {
				due = append(due, notification(in, NotifyEscalated, parent, 0, now))
			}
		}
	case StateResolved:
		if in.FiringNotified && !in.ResolvedNotified {
			due = append(due, notification(in, NotifyResolved, in.Unit, 0, now))
		}
	}
	if len(due) == 0 {
		return
	}
	m := Muted{SilencedBy: silencedBy(silences, in.Labels, now)}
	if m.SilencedBy == "" {
		m.InhibitedBy = inh.inhibitor(l.org, in)
	}
	if m.SilencedBy != "" || m.InhibitedBy != "" {
		for _, n := range due {
			m.Notification = n
			res.Muted = append(res.Muted, m)
		}
	} else {
		for _, n := range due {
			switch n.Kind {
			case NotifyFiring:
				in.FiringNotified = true
			case NotifyEscalated:
				in.Escalated = true
			case NotifyResolved:
				in.ResolvedNotified = true
			}
		}
		in.LastNotified = now
		res.Notifications = append(res.Notifications, due...)
	}
	// Reminders due by now are done: sent, made moot by a firing notification sent now, or
	// skipped because muted. Before the firing notification is sent there are none.
	if in.FiringNotified && reminder > in.Reminders {
		in.Reminders = reminder
	}
}

func notification(in *Instance, kind NotificationKind, recipient string, reminder int, now time.Time) Notification {
	n := Notification{
		Key:         NotificationKey(in.Fingerprint, kind, in.FiredAt, reminder),
		Kind:        kind,
		Fingerprint: in.Fingerprint,
		Rule:        in.Rule,
		Unit:        in.Unit,
		Labels:      in.Labels.Clone(),
		Recipient:   recipient,
		Severity:    in.Severity,
		Message:     in.Message,
		Value:       in.Value,
		Threshold:   in.Threshold,
		FiredAt:     in.FiredAt,
		Reminder:    reminder,
		At:          now,
	}
	if kind == NotifyResolved {
		n.ResolvedAt = in.ResolvedAt
	}
	return n
}
