package storage

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// MaxPlaces is the largest number of decimal places a stored value may have.
// It equals goal.MaxPlaces: facts and targets of any valid metric fit.
const MaxPlaces = goal.MaxPlaces

// AuditEntry records one change to a target: who changed which goal of which
// plan, when, from what to what, and why. A store writes audit entries in the
// same transaction as the plan they describe.
type AuditEntry struct {
	// Seq is assigned by the store on write, increasing in write order
	// within a tenant; it is ignored on input.
	Seq int64
	// Plan is the plan's ID. On input it may be empty, meaning the plan
	// being written; any other value than that plan's ID is ErrInvalid.
	Plan   string
	Goal   string    // the goal's ID within the plan
	Actor  string    // who made the change (a user, a job)
	At     time.Time // when; stored in UTC with microsecond precision
	Old    decimal.NullDecimal
	New    decimal.NullDecimal // invalid (null) when the goal was removed
	Reason string
}

// PlanSummary describes a stored plan without its goals.
type PlanSummary struct {
	ID      string
	Metric  goal.Metric
	Version int64
	Goals   int // number of goals
}

// Outcome is what AppendFacts did with one fact of a batch.
type Outcome uint8

const (
	// Inserted means the fact was new and is now stored and counted.
	Inserted Outcome = iota + 1
	// Unchanged means a fact with the same key and identical content was
	// already stored (or earlier in the same batch); it is counted once.
	Unchanged
	// Conflicting means a fact with the same key but different content was
	// already stored (retracted or not) or earlier in the batch; the whole
	// batch was rejected.
	Conflicting
)

// String returns "inserted", "unchanged" or "conflicting".
func (o Outcome) String() string {
	switch o {
	case Inserted:
		return "inserted"
	case Unchanged:
		return "unchanged"
	case Conflicting:
		return "conflicting"
	}
	return "Outcome(?)"
}

// Query asks for the total of one metric for one unit over the half-open
// date range [Start, End). With Subtree set the total includes the facts
// credited to every unit below Unit in the org last stored with PutUnits;
// otherwise only those credited to Unit itself.
type Query struct {
	Metric  string
	Unit    string
	Subtree bool
	Start   date.Date // first day counted
	End     date.Date // first day not counted
}

// Total is the answer to a Query: the exact sum of the values credited and
// the number of facts that contributed to it, a split fact weighted by its
// shares (as the kpi ledger counts): a deal split half-half between two reps
// counts 0.5 for each and 1 for their team, so averages stay right at every
// level.
type Total struct {
	Value decimal.Decimal
	Count decimal.Decimal
}

// StoredFact is a fact as the store holds it.
type StoredFact struct {
	kpi.Fact
	// Retracted is set once the fact was retracted: it counts in no total,
	// but its key stays known.
	Retracted bool
}

// DealFilter selects deals for ListDeals. Empty fields match everything.
type DealFilter struct {
	Funnel string // funnel key
	Unit   string // owning unit
	// ExcludeStages drops deals whose latest transition entered one of
	// these stages. Pass a funnel's outcome stages (won, lost, ...) to list
	// only open deals.
	ExcludeStages []string
}

// AlertKind says what an AlertState holds.
type AlertKind uint8

const (
	// AlertInstance is the state of an alert instance: a rule applied to
	// one set of labels, pending, firing or resolved. It is the zero value.
	AlertInstance AlertKind = iota
	// AlertDetector is the state of a detector that an alert stream keeps
	// between evaluations (a conversion stream's CUSUM, say), apart from
	// the instances it raises.
	AlertDetector
)

// String returns "instance" or "detector", the names stores write.
func (k AlertKind) String() string {
	switch k {
	case AlertInstance:
		return "instance"
	case AlertDetector:
		return "detector"
	}
	return fmt.Sprintf("AlertKind(%d)", uint8(k))
}

// ParseAlertKind parses "instance" or "detector"; anything else is
// ErrInvalid.
func ParseAlertKind(s string) (AlertKind, error) {
	switch s {
	case "instance":
		return AlertInstance, nil
	case "detector":
		return AlertDetector, nil
	}
	return 0, Invalid("alert kind", s, "use instance or detector")
}

// AlertState is the stored state of one alert instance (a rule applied to
// one set of labels) or of one stream's detector, owned by the alert
// engine. Times are stored in UTC with microsecond precision; a zero time
// means "never".
type AlertState struct {
	Fingerprint  string            // stable identity of rule + labels
	Kind         AlertKind         // an instance (the zero value) or a detector
	Rule         string            // the rule's name
	Labels       map[string]string // e.g. unit, metric, period
	State        string            // e.g. "pending", "firing", "resolved"
	Since        time.Time         // when State was entered
	LastEval     time.Time
	FiredAt      time.Time
	ResolvedAt   time.Time
	LastNotified time.Time
	// Retired is when the state stopped being live; zero while it is.
	// ListLiveAlerts leaves retired states out, and PruneAlerts deletes
	// them once their retention is over. Until then the row keeps its
	// version, so a state that comes back continues from it.
	Retired time.Time
	// Detector is the engine's opaque, versioned encoding of the state:
	// the alert lifecycle's instance, or a stream's detector (see the
	// root package's alertstate.go). Stores keep it as is.
	Detector []byte
	// Version is the optimistic-concurrency version kept by the store:
	// 0 for a state never stored, incremented by every PutAlert.
	Version int64
}

// Notification is one message in the outbox, written in the same
// transaction as the alert state change that caused it and delivered by the
// host afterwards (at least once: a crash after delivery and before
// MarkDelivered delivers it again, so consumers de-duplicate by Key).
type Notification struct {
	// Seq is assigned by the store on Enqueue, increasing in enqueue order
	// within a tenant (the notifications of one transaction in the order
	// they were enqueued); it is ignored on input, and re-enqueuing an
	// identical notification keeps the first one's Seq. ListUndelivered
	// orders notifications created at the same time by it.
	Seq         int64
	Key         string // stable and unique per tenant
	Fingerprint string // the alert it is about
	Payload     []byte
	CreatedAt   time.Time
	DeliveredAt time.Time // zero until delivered
}
