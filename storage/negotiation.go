package storage

import (
	"context"
	"time"

	"github.com/goalkit/goalkit/goal"
)

// Negotiations stores the negotiation of each plan, one record per unit
// (goal.Negotiation: review state, exchange of figures, commitment), under
// an optimistic version, and the log of every move made. Every write of
// records and log entries is all-or-nothing.
type Negotiations interface {
	// ListNegotiations returns the plan's stored negotiations ordered by
	// unit; an empty slice (not an error) when none is stored. A plan the
	// store does not hold simply has none.
	ListNegotiations(ctx context.Context, planID string) ([]Negotiation, error)
	// PutNegotiations writes every record of ns for the plan, each if its
	// stored version equals its Version (0: none stored yet), and appends
	// the events; each record's version becomes Version+1. A mismatch is a
	// *ConflictError (Kind "negotiation", Key "plan/unit") matching
	// ErrConflict; a unit listed twice, or a record or event of another
	// plan, is ErrInvalid; on any error nothing is written.
	PutNegotiations(ctx context.Context, planID string, ns []Negotiation, events []NegotiationEvent) error
	// ListNegotiationEvents returns the plan's log ordered by At, then
	// Seq; an empty slice when there is none.
	ListNegotiationEvents(ctx context.Context, planID string) ([]NegotiationEvent, error)
}

// Negotiation is one unit's negotiation of a plan as a store keeps it.
type Negotiation struct {
	// Plan is the plan's ID; on input it may be empty, meaning the plan
	// written.
	Plan string
	goal.Negotiation
	// Version is the optimistic-concurrency version: on output the stored
	// one, on input the one the write expects (0: none stored yet).
	Version int64
}

// NegotiationEvent records one move: who made it on which unit, when, the
// unit's negotiation before and after it, and why. A move that changes
// several units (Open and Lock reach a subtree) writes one event per unit.
type NegotiationEvent struct {
	// Seq is assigned by the store on write, increasing in write order
	// within a tenant; it is ignored on input.
	Seq int64
	// Plan is the plan's ID; on input it may be empty, meaning the plan
	// written.
	Plan   string
	Unit   string
	Actor  string    // who made the move
	At     time.Time // when; stored in UTC with microsecond precision
	Move   goal.MoveKind
	Before goal.Negotiation
	After  goal.Negotiation
	Reason string
}
