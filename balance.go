package goalkit

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
)

// ErrUnbalanced is matched by *UnbalancedError: a plan whose children do
// not sum to their parents was not saved.
var ErrUnbalanced = errors.New("goalkit: plan does not add up")

// UnbalancedError lists the parents whose children do not sum to them in a
// plan SavePlan or SetTarget refused (see Change.Unbalanced). It matches
// ErrUnbalanced.
type UnbalancedError struct {
	Plan          string
	Discrepancies []goal.Discrepancy // the new ones, in plan order
}

// Error says what was wrong and what to do.
func (e *UnbalancedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "goalkit: plan %q does not add up at %d parent(s):", e.Plan, len(e.Discrepancies))
	for i, d := range e.Discrepancies {
		if i == 3 {
			fmt.Fprintf(&b, " and %d more", len(e.Discrepancies)-i)
			break
		}
		fmt.Fprintf(&b, " %s", describe(d))
	}
	b.WriteString("; rebalance with goal.EditTarget, or set Change.Unbalanced to save it as it is")
	return b.String()
}

// Unwrap makes an UnbalancedError match ErrUnbalanced.
func (e *UnbalancedError) Unwrap() error { return ErrUnbalanced }

// describe says what is wrong with one parent.
func describe(d goal.Discrepancy) string {
	return fmt.Sprintf("%q is %s but its children sum to %s (%s unallocated)", d.Goal, d.Target, d.ChildrenSum, d.Unallocated)
}

// checkBalanceAt is checkBalance for an update expecting version expected
// of old: a stale update is left to the store, which reports the conflict
// first.
func (e *Engine) checkBalanceAt(old, p *goal.Plan, expected int64, ch Change) ([]storage.AuditEntry, error) {
	if old.Version != expected {
		return nil, nil
	}
	return e.checkBalance(old, p, ch)
}

// checkBalance returns the discrepancies of p that old (nil for a new plan)
// did not have already: an *UnbalancedError unless ch accepts them, and
// otherwise one audit entry per discrepancy recording that it was accepted,
// by whom and why.
func (e *Engine) checkBalance(old, p *goal.Plan, ch Change) ([]storage.AuditEntry, error) {
	for _, g := range p.Goals { // before adding them up: an extreme exponent is slow to add
		if err := p.Metric.CheckValue(g.Target); err != nil {
			return nil, fmt.Errorf("goal %q: %w", goal.Excerpt(g.ID), err)
		}
	}
	known := map[string]decimal.Decimal{}
	if old != nil {
		for _, d := range old.Check() {
			known[d.Goal] = d.Unallocated
		}
	}
	var fresh []goal.Discrepancy
	for _, d := range p.Check() {
		if was, ok := known[d.Goal]; !ok || !was.Equal(d.Unallocated) {
			fresh = append(fresh, d)
		}
	}
	if len(fresh) == 0 {
		return nil, nil
	}
	if !ch.Unbalanced {
		return nil, &UnbalancedError{Plan: p.ID, Discrepancies: fresh}
	}
	at := e.now().UTC()
	out := make([]storage.AuditEntry, len(fresh))
	for i, d := range fresh {
		target := decimal.NewNullDecimal(d.Target)
		out[i] = storage.AuditEntry{Plan: p.ID, Goal: d.Goal, Actor: ch.Actor, At: at, Old: target, New: target,
			Reason: "accepted unbalanced: " + describe(d) + "; " + ch.Reason}
		e.log.Warn("goalkit: plan saved unbalanced", "plan", p.ID, "goal", d.Goal, "unallocated", d.Unallocated.String(), "actor", ch.Actor)
	}
	return out, nil
}
