package goal

import (
	"errors"
	"fmt"
	"slices"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// ErrWrongState reports a negotiation move that the unit's negotiation does
// not allow in its current state, such as accepting a commitment nobody
// submitted or confirming a unit whose children have not confirmed. It is
// matched by *MoveError.
var ErrWrongState = errors.New("goal: move not allowed in this state")

// ReviewState is where one unit's part of a plan stands: draft until a
// manager opens a review round, in review while targets and commitments are
// exchanged, confirmed once the unit and all its children agreed, and
// locked when the top of the subtree closes it. Each unit of a plan has its
// own state, so a region can confirm while another is still in review.
type ReviewState uint8

const (
	// Draft is the zero value: no review round has been opened.
	Draft ReviewState = iota
	// InReview: a round is open; the unit commits, its manager answers.
	InReview
	// Confirmed: the unit agreed to its target and so did all its children.
	Confirmed
	// Locked: the round is closed; no move changes the unit any more.
	Locked
)

var reviewStateNames = []string{"draft", "in review", "confirmed", "locked"}

// String returns "draft", "in review", "confirmed" or "locked".
func (s ReviewState) String() string { return enumName(reviewStateNames, s, "ReviewState") }

// MarshalText returns the state's String; an unknown state is an error.
func (s ReviewState) MarshalText() ([]byte, error) {
	return enumText(reviewStateNames, s, "review state")
}

// UnmarshalText reads a state's String.
func (s *ReviewState) UnmarshalText(b []byte) error {
	return enumParse(reviewStateNames, s, b, "review state")
}

// Exchange says whose move a unit in review waits for.
type Exchange uint8

const (
	// Awaiting is the zero value: the unit has not committed yet; its move.
	Awaiting Exchange = iota
	// Submitted: a commitment waits for the manager's answer.
	Submitted
	// Countered: the manager proposed another figure; the unit's move
	// (accept the counter or commit again).
	Countered
	// Rejected: the manager rejected the commitment; the unit's move.
	Rejected
	// Agreed: both sides agreed and the plan holds the agreed figure.
	Agreed
)

var exchangeNames = []string{"awaiting", "submitted", "countered", "rejected", "agreed"}

// String returns "awaiting", "submitted", "countered", "rejected" or
// "agreed".
func (x Exchange) String() string { return enumName(exchangeNames, x, "Exchange") }

// MarshalText returns the exchange's String; an unknown value is an error.
func (x Exchange) MarshalText() ([]byte, error) { return enumText(exchangeNames, x, "exchange") }

// UnmarshalText reads an exchange's String.
func (x *Exchange) UnmarshalText(b []byte) error { return enumParse(exchangeNames, x, b, "exchange") }

// EvidenceKind classifies a note that backs a commitment.
type EvidenceKind uint8

const (
	// OtherEvidence is the zero value: anything the kinds below do not
	// name.
	OtherEvidence EvidenceKind = iota
	// CustomerDemand: a customer's plans, a tender, a renewal.
	CustomerDemand
	// CompetitorMove: a competitor's price cut, launch or win.
	CompetitorMove
	// LostKeyAccount: a key account that left or shrank.
	LostKeyAccount
)

var evidenceNames = []string{"other", "customer demand", "competitor move", "lost key account"}

// String returns "other", "customer demand", "competitor move" or "lost
// key account".
func (k EvidenceKind) String() string { return enumName(evidenceNames, k, "EvidenceKind") }

// MarshalText returns the kind's String; an unknown kind is an error.
func (k EvidenceKind) MarshalText() ([]byte, error) {
	return enumText(evidenceNames, k, "evidence kind")
}

// UnmarshalText reads a kind's String.
func (k *EvidenceKind) UnmarshalText(b []byte) error {
	return enumParse(evidenceNames, k, b, "evidence kind")
}

// Evidence is one structured note behind a commitment.
type Evidence struct {
	Kind EvidenceKind `json:"kind"`
	Text string       `json:"text"`
	// Amount is the money or count the note speaks of, if any.
	Amount decimal.NullDecimal `json:"amount"`
}

// Commitment is the figure a unit (a rep, or a manager for their unit)
// commits to for its goal, with the reason and the evidence behind it.
type Commitment struct {
	Figure   decimal.Decimal `json:"figure"`
	Reason   string          `json:"reason"`
	Evidence []Evidence      `json:"evidence"`
}

// Negotiation is the state of one unit's part of a plan: the unit's
// topmost goal in the plan, its review state, the exchange of figures in
// the current round and the latest commitment and counter-proposal.
type Negotiation struct {
	Unit string `json:"unit"`
	// Goal is the unit's topmost goal in the plan, the one negotiated.
	Goal string `json:"goal"`
	// Parent is the unit whose goal holds Goal; empty at the top.
	Parent   string      `json:"parent"`
	State    ReviewState `json:"state"`
	Exchange Exchange    `json:"exchange"`
	// Round counts the review rounds opened on the unit.
	Round int `json:"round"`
	// Due is the last day of the round to answer on; zero means none.
	Due date.Date `json:"due"`
	// Commitment is the latest figure the unit committed to; nil before
	// the first.
	Commitment *Commitment `json:"commitment"`
	// Counter is the manager's latest counter-proposal, and Note the
	// reason given with the latest rejection or counter.
	Counter decimal.NullDecimal `json:"counter"`
	Note    string              `json:"note"`
}

// Clone returns a copy of n that shares no memory with it.
func (n Negotiation) Clone() Negotiation {
	if n.Commitment != nil {
		c := *n.Commitment
		c.Evidence = slices.Clone(c.Evidence)
		n.Commitment = &c
	}
	return n
}

// Turn is the unit whose move the negotiation waits for: the unit itself
// while it has to commit or answer a counter or a rejection, the parent
// while a commitment waits for an answer or the unit may confirm once its
// children did; empty when it waits for nobody (draft, confirmed, locked).
func (n Negotiation) Turn() string {
	if n.State != InReview {
		return ""
	}
	if n.Exchange == Submitted && n.Parent != "" {
		return n.Parent
	}
	return n.Unit
}

// MoveKind names a step of a negotiation.
type MoveKind uint8

const (
	// Open opens a review round on a unit and every unit below it, from
	// draft or confirmed (a new round), with a due date.
	Open MoveKind = iota + 1
	// Commit submits the unit's own figure (a commitment or forecast).
	Commit
	// Accept makes the submitted commitment the unit's target.
	Accept
	// Reject refuses the submitted commitment, with a reason.
	Reject
	// Counter answers the submitted commitment with another figure and a
	// reason.
	Counter
	// AcceptCounter is the unit's acceptance of the counter-proposal: the
	// counter becomes its target.
	AcceptCounter
	// Confirm confirms the unit's target once its children all confirmed.
	Confirm
	// Lock closes a confirmed unit and everything below it.
	Lock
)

var moveNames = []string{"", "open", "commit", "accept", "reject", "counter", "accept counter", "confirm", "lock"}

// String returns the move's name: "open", "commit", "accept", "reject",
// "counter", "accept counter", "confirm" or "lock".
func (k MoveKind) String() string { return enumName(moveNames, k, "MoveKind") }

// MarshalText returns the move's String; an unknown move is an error.
func (k MoveKind) MarshalText() ([]byte, error) { return enumText(moveNames, k, "move") }

// UnmarshalText reads a move's String.
func (k *MoveKind) UnmarshalText(b []byte) error { return enumParse(moveNames, k, b, "move") }

// Move is one step of a negotiation on one unit.
type Move struct {
	Kind MoveKind
	Unit string
	// Commitment is the figure a Commit submits.
	Commitment Commitment
	// Figure is a Counter's proposal.
	Figure decimal.Decimal
	// Reason says why; required for Reject and Counter.
	Reason string
	// Due is the last day to answer of the round an Open starts.
	Due date.Date
	// Mode says how the plan absorbs a figure that Accept or AcceptCounter
	// makes the target: the siblings rebalance, or the change rolls up.
	Mode EditMode
}

// MoveError says which move was refused on which unit and why. It matches
// ErrWrongState, or ErrInvalid for a move whose own content is bad.
type MoveError struct {
	Move     MoveKind
	Unit     string
	State    ReviewState
	Exchange Exchange
	Reason   string // what is wrong and what to do instead
	invalid  bool
}

// Error says what was wrong and what to do.
func (e *MoveError) Error() string {
	return fmt.Sprintf("goal: %s %q (%s, %s): %s", e.Move, e.Unit, e.State, e.Exchange, e.Reason)
}

// Unwrap makes a MoveError match ErrWrongState (or ErrInvalid).
func (e *MoveError) Unwrap() error {
	if e.invalid {
		return ErrInvalid
	}
	return ErrWrongState
}

// enumName, enumText and enumParse are the String, MarshalText and
// UnmarshalText of the word-valued enums of this file.
func enumName[T ~uint8](names []string, v T, typ string) string {
	if int(v) < len(names) && names[v] != "" {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", typ, uint8(v))
}

func enumText[T ~uint8](names []string, v T, field string) ([]byte, error) {
	if int(v) >= len(names) || names[v] == "" {
		return nil, invalid(field, enumName(names, v, field), "it is not one of %q", names)
	}
	return []byte(names[v]), nil
}

func enumParse[T ~uint8](names []string, v *T, b []byte, field string) error {
	if i := slices.Index(names, string(b)); i >= 0 && names[i] != "" {
		*v = T(i)
		return nil
	}
	return invalid(field, string(b), "use one of %q", names)
}
