package storage

import (
	"context"
	"time"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
)

// Units stores the tenant's org tree and its history (goal.Unit.Earlier),
// under a version that every org write increments, so that every engine
// sharing the store can tell cheaply whether the org it holds is current.
type Units interface {
	// PutUnits replaces the whole org of the tenant with units: units not
	// in the list are removed. Storage checks only that IDs are non-empty
	// and unique, that dates are representable and that no chain is deeper
	// than goal.MaxDepth; the tree itself is the engine's to validate
	// (goal.NewOrg). Subtree totals follow the new tree and its history at
	// once, for facts ingested before and after. The org version goes up
	// by one.
	PutUnits(ctx context.Context, units []goal.Unit) error
	// ListUnits returns the units in the order last given to PutUnits
	// (units added by EditOrg last), or an empty slice when none were
	// stored.
	ListUnits(ctx context.Context) ([]goal.Unit, error)
	// OrgVersion returns the version of the stored org: 0 before the first
	// org write, then one more for every PutUnits and EditOrg. It reads one
	// row, whatever the size of the org.
	OrgVersion(ctx context.Context) (int64, error)
	// EditOrg applies one incremental edit (goal.AddUnit, goal.MoveUnit,
	// goal.DeactivateUnit) if the stored org version equals expected, and
	// returns the new version (expected+1). A different stored version is a
	// *ConflictError (Kind "org") matching ErrConflict; an edit that would
	// leave an invalid org (goal.Org.Apply) matches ErrInvalid and the goal
	// sentinel; nothing is written on error. After a move at day D, facts
	// dated before D count in the subtree totals of the unit's earlier
	// ancestors and facts dated D or later in those of its new ones; the
	// totals are moved bucket by bucket, without reading facts.
	EditOrg(ctx context.Context, e goal.OrgEdit, expected int64) (version int64, err error)
}

// Plans stores versioned plans and the audit log of changes to their
// targets. Every write of a plan and its audit entries is all-or-nothing.
type Plans interface {
	// CreatePlan stores a new plan at version 1 with its audit entries and
	// returns that version; the plan's own Version field is ignored. A
	// plan ID already stored is ErrDuplicate.
	CreatePlan(ctx context.Context, p *goal.Plan, audit []AuditEntry) (version int64, err error)
	// GetPlan returns the plan with its goals in stored order and its
	// Version; ErrNotFound when there is none with that ID.
	GetPlan(ctx context.Context, id string) (*goal.Plan, error)
	// UpdatePlan replaces the plan's metric and goals if the stored
	// version equals expected, appends the audit entries and returns the
	// new version (expected+1). A different stored version is a
	// *ConflictError matching ErrConflict and nothing is written; an
	// unknown ID is ErrNotFound.
	UpdatePlan(ctx context.Context, p *goal.Plan, expected int64, audit []AuditEntry) (version int64, err error)
	// ListPlans returns a summary of every plan, ordered by ID.
	ListPlans(ctx context.Context) ([]PlanSummary, error)
	// ListAudit returns the plan's audit entries ordered by At, then Seq;
	// an empty slice (not an error) for a plan without entries.
	ListAudit(ctx context.Context, planID string) ([]AuditEntry, error)
}

// Facts stores actuals, idempotently by key.
type Facts interface {
	// AppendFacts stores a batch of facts all-or-nothing and returns one
	// Outcome per fact, in input order. A fact whose key is stored (or
	// appears earlier in the batch) with identical content — same metric,
	// unit, date, currency, dims, credits in the same order, values equal
	// as decimals — is Unchanged and counted once; if the stored fact was
	// retracted it stays retracted (a replayed message cannot resurrect
	// it). A key with different content is Conflicting: the whole batch is
	// rejected with a *ConflictError matching ErrConflict naming the first
	// such key, and the returned outcomes mark every conflicting fact.
	// Split facts are credited with the parts computed by the store's
	// SplitFunc.
	AppendFacts(ctx context.Context, facts []kpi.Fact) ([]Outcome, error)
	// GetFact returns the fact stored with that key, retracted or not, or
	// ErrNotFound for a key never appended.
	GetFact(ctx context.Context, key string) (StoredFact, error)
	// ListFacts returns up to limit stored facts with keys greater than
	// after, ordered by key (limit <= 0: no limit), so a host can page
	// through every fact to rebuild a kpi.Ledger.
	ListFacts(ctx context.Context, after string, limit int) ([]StoredFact, error)
	// RetractFact takes a fact out of every total. Its key stays known
	// (see AppendFacts); ReplaceFact brings it back. Retracting a retracted
	// fact does nothing; a key never appended is ErrNotFound.
	RetractFact(ctx context.Context, key string) error
	// ReplaceFact corrects the fact stored with f.Key in one step: the old
	// content leaves every total and f counts instead, retracted or not
	// before. A key never appended is ErrNotFound.
	ReplaceFact(ctx context.Context, f kpi.Fact) error
}

// Totals answers aggregate queries over the stored facts without shipping
// facts to the process.
type Totals interface {
	// Sum returns the total of q over [q.Start, q.End). An empty range
	// (End == Start) and a metric or unit never seen are a zero Total, not
	// an error; End before Start is ErrInvalid.
	Sum(ctx context.Context, q Query) (Total, error)
	// SumMany answers many queries at once, in input order, with the same
	// rules as Sum. Stores answer it in a bounded number of round trips
	// however many queries there are.
	SumMany(ctx context.Context, qs []Query) ([]Total, error)
}

// Deals stores deal histories.
type Deals interface {
	// PutDeal inserts or replaces the deal with that ID, transitions
	// included.
	PutDeal(ctx context.Context, d funnel.Deal) error
	// PutDeals inserts or replaces many deals in one transaction, each by
	// PutDeal's rules. Every deal is checked before any is written: an
	// invalid deal (named in the error) or an ID listed twice (ErrInvalid)
	// writes none. An empty list writes nothing and is not an error.
	PutDeals(ctx context.Context, ds []funnel.Deal) error
	// GetDeal returns the deal with that ID, or ErrNotFound.
	GetDeal(ctx context.Context, id string) (funnel.Deal, error)
	// ListDeals returns the deals matching f, ordered by ID.
	ListDeals(ctx context.Context, f DealFilter) ([]funnel.Deal, error)
}

// Alerts stores alert states with optimistic concurrency.
type Alerts interface {
	// GetAlert returns the state with that fingerprint, or ErrNotFound.
	GetAlert(ctx context.Context, fingerprint string) (AlertState, error)
	// PutAlert writes s if the stored version equals expected (0: no state
	// stored yet) and returns the new version. A mismatch, including an
	// expected 0 for a state that exists, is a *ConflictError matching
	// ErrConflict; nothing is written. s.Version is ignored.
	PutAlert(ctx context.Context, s AlertState, expected int64) (version int64, err error)
	// ListAlerts returns every state, live or retired, of every kind,
	// ordered by fingerprint.
	ListAlerts(ctx context.Context) ([]AlertState, error)
	// ListLiveAlerts returns the states of kind k that are not retired
	// (Retired is zero), ordered by fingerprint: what an evaluation needs,
	// at a cost that follows the live states, not every state ever stored.
	ListLiveAlerts(ctx context.Context, k AlertKind) ([]AlertState, error)
	// PruneAlerts deletes every state retired before cutoff (Retired not
	// zero and earlier than cutoff) and returns how many it deleted. Live
	// states are never pruned.
	PruneAlerts(ctx context.Context, cutoff time.Time) (int, error)
}

// AlertBatch is an optional interface of a Tx that reads and writes many
// alert states and notifications in a few statements: what an evaluation
// writes at its end. Engine.Evaluate uses it when the transaction it is
// given has it, and GetAlert, PutAlert and Enqueue one at a time otherwise,
// with the same result. The stores of this module implement it.
type AlertBatch interface {
	// AlertVersions returns the stored version of each state with one of
	// the fingerprints, live or retired; fingerprints with no state are
	// left out.
	AlertVersions(ctx context.Context, fingerprints []string) (map[string]int64, error)
	// PutAlerts writes every put as PutAlert(ctx, p.State, p.Expected)
	// would, in order; a fingerprint may appear once (twice is ErrInvalid,
	// and nothing is written). On an error, a *ConflictError for the first
	// stale put or what PutAlert would return, some puts may have been
	// written: the transaction must be rolled back, as InTx does when its
	// function fails.
	PutAlerts(ctx context.Context, puts []AlertPut) error
	// EnqueueAll enqueues every notification as Enqueue would, in order,
	// so their sequence numbers follow the order given. On an error some
	// may have been enqueued, as for PutAlerts.
	EnqueueAll(ctx context.Context, ns []Notification) error
}

// AlertPut is one write of PutAlerts: State if the stored version equals
// Expected (0: no state stored yet).
type AlertPut struct {
	State    AlertState
	Expected int64
}

// Outbox stores notifications to deliver, written in the same transaction
// as the state change that caused them.
type Outbox interface {
	// Enqueue adds n and gives it the next sequence number (n.Seq is
	// ignored). Enqueuing a key again with identical fingerprint, payload
	// and creation time is a no-op that keeps the first Seq (so a retried
	// transaction is harmless); with other content it is ErrDuplicate.
	// DeliveredAt is ignored: new notifications are undelivered.
	Enqueue(ctx context.Context, n Notification) error
	// ListUndelivered returns up to limit undelivered notifications,
	// ordered by CreatedAt, then Seq: notifications created at the same
	// time come back in the order they were enqueued, whatever their keys.
	// limit <= 0 means no limit.
	ListUndelivered(ctx context.Context, limit int) ([]Notification, error)
	// ClaimUndelivered claims up to limit undelivered notifications for
	// owner until now+lease and returns them in ListUndelivered's order,
	// so that several deliverers sharing the outbox each send different
	// ones. A notification claimed by another owner is skipped until its
	// lease has expired (its claim ends at or before now): then anyone may
	// claim it, so the notifications of a deliverer that crashed come back.
	// Notifications claimed by owner itself come back to it with their
	// lease renewed, so an owner that stopped part way resumes at once; an
	// owner must therefore not claim from two goroutines at once.
	// MarkDelivered ends a claim. limit <= 0 means no limit; an empty owner
	// or a lease <= 0 is ErrInvalid.
	ClaimUndelivered(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]Notification, error)
	// MarkDelivered records delivery at the given time. An unknown key is
	// ErrNotFound; marking a delivered notification again keeps the first
	// time and returns nil.
	MarkDelivered(ctx context.Context, key string, at time.Time) error
}

// Tx is everything a store can do, inside one transaction or outside of any
// (each call is then its own transaction). A Tx must not be used after the
// function given to InTx returns.
type Tx interface {
	Units
	Plans
	Versions
	Scenarios
	Facts
	Totals
	Deals
	Alerts
	Outbox
	Negotiations
}

// Store is a handle on a tenant's data. A Store is bound to one tenant when
// it is made and can neither read nor change another tenant's data, whatever
// IDs it is given. Implementations in this module are safe for concurrent
// use.
type Store interface {
	Tx
	// Tenant returns the tenant this handle is bound to.
	Tenant() string
	// InTx runs fn in a transaction: if fn returns nil the transaction
	// commits, otherwise (or if ctx is done, or commit fails) nothing fn
	// wrote is visible to anyone, and the error is returned. fn runs once.
	// An operation of tx that fails leaves nothing of itself even if fn
	// goes on and commits. fn must work through tx only: calling the Store
	// itself from inside fn waits for the transaction to end (the memory
	// store deadlocks, SQLite fails after its busy timeout).
	InTx(ctx context.Context, fn func(tx Tx) error) error
}
