package messages

import "github.com/goalkit/goalkit/alert"

// The kinds of the notifications of a plan's negotiation (goalkit's
// Engine.Negotiate and Engine.Remind), beside the alert kinds.
const (
	// NotifyReviewRequest asks a unit to confirm its target, or commit to
	// its own figure, when a review round opens.
	NotifyReviewRequest alert.NotificationKind = "review-request"
	// NotifyReviewReminder reminds a unit that its move is awaited.
	NotifyReviewReminder alert.NotificationKind = "review-reminder"
	// NotifyAnswerReminder reminds a manager that a commitment awaits an
	// answer.
	NotifyAnswerReminder alert.NotificationKind = "answer-reminder"
)

// KeyOf chooses the message for notification n about facts f: the
// negotiation's key for its kinds (KeyReviewRequest, KeyReviewReminder,
// KeyAnswerReminder), otherwise the outcome
// (KeyMet or KeyMissed) when n resolves an alert because the goal's period
// ended, KeyCleared for any other resolution, KeyEscalated for the
// manager, and, while firing, KeyBehind or KeyStillBehind for a pace rule
// that is behind plan, KeyFiring otherwise.
func KeyOf(n alert.Notification, ended bool, f Facts) Key {
	switch n.Kind {
	case NotifyReviewRequest:
		return KeyReviewRequest
	case NotifyReviewReminder:
		return KeyReviewReminder
	case NotifyAnswerReminder:
		return KeyAnswerReminder
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
