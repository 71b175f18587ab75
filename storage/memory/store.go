package memory

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
	"github.com/goalkit/goalkit/storage/internal/txn"
)

// Config configures a Store. The zero value of every field but Tenant is a
// sensible default.
type Config struct {
	// Tenant is the tenant the store is bound to; required.
	Tenant string
	// Split computes the parts of split-credit and range facts; nil means
	// storage.Split (which credits a fact without Credits or End wholly to
	// its Unit on its Date, so the store skips the call for those). Range
	// facts over working days of a calendar with holidays need
	// storage.SplitOnCalendar.
	Split storage.SplitFunc
	// Capacity is the number of facts a tenant is expected to hold; it
	// presizes the tenant's key index, as kpi.LedgerConfig.Capacity does.
	// Zero is fine: the index grows as needed.
	Capacity int
}

func (c *Config) validate() error {
	if c.Tenant == "" {
		return fmt.Errorf("memory: new store: %w", storage.Invalid("tenant", "", "it is empty; bind the store to a tenant"))
	}
	if err := record.CheckRef("tenant", c.Tenant); err != nil {
		return fmt.Errorf("memory: new store: %w", err)
	}
	if c.Capacity < 0 {
		return fmt.Errorf("memory: new store: %w", storage.Invalid("capacity", fmt.Sprint(c.Capacity), "it is negative; give the facts expected, or 0"))
	}
	return nil
}

// Store is an in-memory storage.Store. It is safe for concurrent use: reads
// share a lock, writes and transactions hold it exclusively, so a
// transaction sees no other writer and is seen by no reader before it
// commits. Values are copied in and out; a caller never aliases the store's
// memory. Nothing survives the process.
//
// Outside InTx, each method of storage.Tx (PutUnits, AppendFacts, Sum, …)
// runs as a transaction of its own.
type Store struct {
	auto // the storage.Tx methods, each in its own transaction
	b    *backend
	cfg  Config
}

// auto embeds txn.Auto under an unexported name: its methods are Store's,
// its fields are not the host's to change.
type auto = txn.Auto

var _ storage.Store = (*Store)(nil)

// backend is the data shared by every tenant handle made from one New.
type backend struct {
	mu      sync.RWMutex
	tenants map[string]*data
	seq     int64 // last audit sequence number
	noteSeq int64 // last outbox sequence number
}

// data is one tenant's records.
type data struct {
	units   []goal.Unit
	names   tenantNames
	org     *orgIndex // the units' ancestors by index and day, for the totals
	version int64     // org version: one more for every org write
	plans   map[string]*goal.Plan
	audit   map[string][]storage.AuditEntry // plan -> entries in write order
	history history                         // plan versions, snapshots and scenarios
	facts   *factTable
	totals  *totals
	deals   map[string]funnel.Deal
	alerts  map[string]storage.AlertState
	outbox  map[string]storage.Notification
	claims  map[string]claim // outbox key -> its latest claim
	// negotiations holds plan -> unit -> record, events plan -> log in
	// write order.
	negotiations map[string]map[string]storage.Negotiation
	events       map[string][]storage.NegotiationEvent
}

func newData(capacity int) *data {
	d := &data{
		org:    &orgIndex{},
		plans:  map[string]*goal.Plan{},
		audit:  map[string][]storage.AuditEntry{},
		facts:  newFactTable(capacity),
		totals: &totals{},
		deals:  map[string]funnel.Deal{},
		alerts: map[string]storage.AlertState{},
		outbox: map[string]storage.Notification{},
		claims: map[string]claim{},

		negotiations: map[string]map[string]storage.Negotiation{},
		events:       map[string][]storage.NegotiationEvent{},
	}
	d.names.currencies.intern("", "currency", 1) // index 0: no currency
	return d
}

// New returns an empty store bound to cfg.Tenant. It fails only when the
// configuration is invalid.
func New(cfg Config) (*Store, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return newStore(&backend{tenants: map[string]*data{}}, cfg), nil
}

// newStore returns a handle on b bound to cfg.Tenant.
func newStore(b *backend, cfg Config) *Store {
	s := &Store{b: b, cfg: cfg}
	s.auto = txn.Auto{Read: s.read, Write: s.InTx}
	return s
}

// ForTenant returns a handle on the same data bound to another tenant, as a
// multi-tenant host makes one per request. The handles share nothing a
// tenant can see.
func (s *Store) ForTenant(tenant string) (*Store, error) {
	cfg := s.cfg
	cfg.Tenant = tenant
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return newStore(s.b, cfg), nil
}

// Tenant returns the tenant the store is bound to.
func (s *Store) Tenant() string { return s.cfg.Tenant }

// errFinished reports the use of a Tx after its InTx returned.
var errFinished = errors.New("memory: the transaction is finished; use the Tx only inside the function given to InTx")

// tx carries out every operation on one tenant's data with the backend lock
// already held: shared for a read, exclusive for a write. Writes record how
// to undo themselves, and InTx undoes them all if the transaction fails.
type tx struct {
	s        *Store
	d        *data
	writable bool
	undo     []func()
	state    txn.State
}

// InTx runs fn holding the store exclusively and commits if it returns nil
// and ctx is not done; otherwise it undoes every change fn made.
func (s *Store) InTx(ctx context.Context, fn func(tx storage.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memory: begin transaction: %w", err)
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	t := &tx{s: s, d: s.data(), writable: true}
	err := fn(t)
	if err == nil {
		if cerr := ctx.Err(); cerr != nil {
			err = fmt.Errorf("memory: commit: %w", cerr)
		}
	}
	t.state.End()
	if err != nil {
		for i := len(t.undo) - 1; i >= 0; i-- {
			t.undo[i]()
		}
		return err
	}
	return nil
}

// data returns the tenant's records, creating them; the lock must be held
// exclusively, or shared when only reading (then nil may be returned).
func (s *Store) data() *data {
	d := s.b.tenants[s.cfg.Tenant]
	if d == nil {
		d = newData(s.cfg.Capacity)
		s.b.tenants[s.cfg.Tenant] = d
	}
	return d
}

// read runs fn with the store shared.
func (s *Store) read(ctx context.Context, fn func(t storage.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.b.mu.RLock()
	defer s.b.mu.RUnlock()
	d := s.b.tenants[s.cfg.Tenant]
	if d == nil {
		d = newData(0) // empty view; not stored under a shared lock
	}
	t := &tx{s: s, d: d}
	defer t.state.End()
	return fn(t)
}

// check is called first by every operation.
func (t *tx) check(ctx context.Context) error { return t.state.Check(ctx, errFinished) }

func (t *tx) onUndo(f func()) { t.undo = append(t.undo, f) }

// settle makes one operation atomic inside a larger transaction: if it
// failed, the changes it made since mark are undone, so a caller that goes
// on after the error (and commits) keeps nothing of the failed operation.
func (t *tx) settle(mark int, err error) {
	if err == nil {
		return
	}
	for i := len(t.undo) - 1; i >= mark; i-- {
		t.undo[i]()
	}
	t.undo = t.undo[:mark]
}
