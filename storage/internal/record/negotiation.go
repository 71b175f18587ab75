package record

import (
	"errors"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
)

// CheckNegotiations checks the storage rules of a write of negotiation
// records and events for plan and returns them with Plan filled in, At
// normalised, Seq cleared and no memory shared with the input.
func CheckNegotiations(plan string, ns []storage.Negotiation, events []storage.NegotiationEvent) ([]storage.Negotiation, []storage.NegotiationEvent, error) {
	if err := CheckID("plan", plan); err != nil {
		return nil, nil, err
	}
	seen := make(map[string]bool, len(ns))
	out := make([]storage.Negotiation, len(ns))
	for i, n := range ns {
		if n.Plan != "" && n.Plan != plan {
			return nil, nil, storage.Invalid("negotiation plan", n.Plan, fmt.Sprintf("it is written with plan %q", plan))
		}
		if n.Version < 0 {
			return nil, nil, storage.Invalid("negotiation version", fmt.Sprint(n.Version), "it is negative")
		}
		if err := CheckNegotiation(n.Negotiation); err != nil {
			return nil, nil, err
		}
		if seen[n.Unit] {
			return nil, nil, storage.Invalid("negotiation unit", n.Unit, "it is listed twice")
		}
		seen[n.Unit] = true
		n.Plan, n.Negotiation = plan, n.Negotiation.Clone()
		out[i] = n
	}
	evs := make([]storage.NegotiationEvent, len(events))
	for i, e := range events {
		if e.Plan != "" && e.Plan != plan {
			return nil, nil, storage.Invalid("negotiation event plan", e.Plan, fmt.Sprintf("it is written with plan %q", plan))
		}
		if _, err := e.Move.MarshalText(); err != nil {
			return nil, nil, fmt.Errorf("%w: negotiation event: %w", storage.ErrInvalid, err)
		}
		err := errors.Join(CheckID("negotiation event unit", e.Unit), CheckText("negotiation event actor", e.Actor),
			CheckText("negotiation event reason", e.Reason), CheckNegotiation(e.Before), CheckNegotiation(e.After))
		if err != nil {
			return nil, nil, err
		}
		e.Plan, e.At, e.Seq = plan, Time(e.At), 0
		e.Before, e.After = e.Before.Clone(), e.After.Clone()
		evs[i] = e
	}
	return out, evs, nil
}

// CheckNegotiation checks the storage rules of one negotiation record. The
// zero Negotiation (an event's Before of a unit never negotiated) is fine.
func CheckNegotiation(n goal.Negotiation) error {
	if n.Unit != "" || n.Goal != "" {
		if err := errors.Join(CheckID("negotiation unit", n.Unit), CheckID("negotiation goal", n.Goal)); err != nil {
			return err
		}
	}
	err := errors.Join(CheckRef("negotiation parent", n.Parent), CheckText("negotiation note", n.Note))
	if err != nil {
		return err
	}
	if _, err := n.State.MarshalText(); err != nil {
		return fmt.Errorf("%w: negotiation %q: %w", storage.ErrInvalid, goal.Excerpt(n.Unit), err)
	}
	if _, err := n.Exchange.MarshalText(); err != nil {
		return fmt.Errorf("%w: negotiation %q: %w", storage.ErrInvalid, goal.Excerpt(n.Unit), err)
	}
	if n.Round < 0 {
		return storage.Invalid("negotiation round", fmt.Sprint(n.Round), "it is negative")
	}
	if n.Due != 0 {
		if err := CheckDate("negotiation due date", n.Due); err != nil {
			return err
		}
	}
	values := []decimal.NullDecimal{n.Counter}
	if c := n.Commitment; c != nil {
		values = append(values, decimal.NewNullDecimal(c.Figure))
		if err := CheckText("commitment reason", c.Reason); err != nil {
			return err
		}
		for _, e := range c.Evidence {
			if _, err := e.Kind.MarshalText(); err != nil {
				return fmt.Errorf("%w: evidence: %w", storage.ErrInvalid, err)
			}
			if err := CheckText("evidence text", e.Text); err != nil {
				return err
			}
			values = append(values, e.Amount)
		}
	}
	for _, v := range values {
		if v.Valid {
			if err := CheckValue("negotiation figure", v.Decimal); err != nil {
				return err
			}
		}
	}
	return nil
}

// NegotiationConflict is the error of a write of plan's negotiation of
// unit expecting version expected where stored is stored.
func NegotiationConflict(plan, unit string, stored, expected int64) error {
	return &storage.ConflictError{Kind: "negotiation", Key: plan + "/" + unit,
		Reason: fmt.Sprintf("stored version is %d, expected %d; read the negotiation again and redo the move", stored, expected)}
}
