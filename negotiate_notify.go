package goalkit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/messages"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
)

// LabelDue is the label of a negotiation's notification holding the last
// day of its round (ISO), when the round has one.
const LabelDue = "due"

// ruleNegotiation is the Rule of a negotiation's notifications.
const ruleNegotiation = "negotiation"

// requestReviews queues a review request to every unit a round opened on.
func (e *Engine) requestReviews(ctx context.Context, tx storage.Tx, p *goal.Plan, opened []goal.Negotiation, at time.Time) error {
	for _, n := range opened {
		key := fmt.Sprintf("review/%s/%s/%d/request", p.ID, n.Unit, n.Round)
		if err := e.enqueueReview(ctx, tx, p, n, messages.NotifyReviewRequest, n.Unit, key, at); err != nil {
			return err
		}
	}
	return nil
}

// Remind queues a reminder for every negotiation of the plan that waits
// for a move (goal.Negotiation.Turn): to the unit when it has to commit or
// answer a counter or a rejection, to its manager's unit when its
// commitment waits for an answer. It queues at most one reminder per unit,
// round and day asOf, however often it is called, and returns how many are
// due that day (queued now, or by an earlier call with the same content). Deliver sends them through the Notifier, worded for the
// recipient (messages.KeyReviewReminder, messages.KeyAnswerReminder). The
// host decides when to remind (a daily job, or as a round's due date
// nears).
func (e *Engine) Remind(ctx context.Context, planID string, asOf date.Date) (int, error) {
	sent := 0
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		sent = 0
		r, err := reviewIn(ctx, tx, planID)
		if err != nil {
			return err
		}
		at := e.now().UTC()
		for _, n := range r.Negotiations() {
			to := n.Turn()
			if to == "" {
				continue
			}
			kind := messages.NotifyReviewReminder
			if to != n.Unit {
				kind = messages.NotifyAnswerReminder
			}
			key := fmt.Sprintf("review/%s/%s/%d/remind/%s", planID, n.Unit, n.Round, asOf)
			switch err := e.enqueueReview(ctx, tx, r.Plan, n, kind, to, key, at); {
			case errors.Is(err, storage.ErrDuplicate): // reminded today already
			case err != nil:
				return err
			default:
				sent++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("goalkit: remind plan %q as of %s: %w", planID, asOf, err)
	}
	return sent, nil
}

// enqueueReview queues one notification about n's negotiation to
// recipient: the target as Threshold, the latest commitment as Value.
func (e *Engine) enqueueReview(ctx context.Context, tx storage.Tx, p *goal.Plan, n goal.Negotiation, kind alert.NotificationKind, recipient, key string, at time.Time) error {
	g, err := p.Goal(n.Goal)
	if err != nil {
		return err
	}
	labels := alert.Labels{LabelPlan: p.ID, alert.LabelMetric: p.Metric.Key, alert.LabelPeriod: g.Period.Label}
	if n.Due != 0 {
		labels[LabelDue] = n.Due.String()
	}
	note := alert.Notification{Key: key, Kind: kind, Fingerprint: fmt.Sprintf("review/%s/%s", p.ID, n.Unit), Rule: ruleNegotiation,
		Unit: n.Unit, Labels: labels, Recipient: recipient, Threshold: g.Target, At: at,
		Message: fmt.Sprintf("%s %s: round %d, %s, %s", n.Unit, g.Period.Label, n.Round, n.State, n.Exchange)}
	if n.Commitment != nil {
		note.Value = n.Commitment.Figure
	}
	payload, err := json.Marshal(note)
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, storage.Notification{Key: key, Fingerprint: note.Fingerprint, Payload: payload, CreatedAt: at})
}

// isReview reports whether k is the kind of a negotiation's notification,
// worded from its own figures.
func isReview(k alert.NotificationKind) bool {
	return k == messages.NotifyReviewRequest || k == messages.NotifyReviewReminder || k == messages.NotifyAnswerReminder
}
