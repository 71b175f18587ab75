package messages

import "github.com/goalkit/goalkit/alert"

// KeyOf chooses the message for notification n about facts f: the outcome
// (KeyMet or KeyMissed) when n resolves an alert because the goal's period
// ended, KeyCleared for any other resolution, KeyEscalated for the
// manager, and, while firing, KeyBehind or KeyStillBehind for a pace rule
// that is behind plan, KeyFiring otherwise.
func KeyOf(n alert.Notification, ended bool, f Facts) Key {
	switch n.Kind {
	case alert.NotifyResolved:
		switch {
		case !ended:
			return KeyCleared
		case f.Met():
			return KeyMet
		default:
			return KeyMissed
		}
	case alert.NotifyEscalated:
		return KeyEscalated
	}
	if (n.Rule != alert.RulePace && n.Rule != alert.RuleLinearPace) || !f.Behind().IsPositive() {
		return KeyFiring
	}
	if n.Kind == alert.NotifyReminder {
		return KeyStillBehind
	}
	return KeyBehind
}
