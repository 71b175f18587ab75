package goalkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
)

// ErrInvalid reports a bad engine configuration or a bad argument to an
// engine method. Errors from the domain packages keep their own sentinels
// (goal.ErrInvalid, kpi.ErrInvalid, ...) and storage errors theirs
// (storage.ErrNotFound, storage.ErrConflict, ...); the engine wraps them with
// the operation and %w, so errors.Is still finds them.
var ErrInvalid = errors.New("goalkit: invalid input")

// Config configures an Engine. A nil *Config is not allowed: at least the
// metrics must be given. Zero values of the other fields are documented
// defaults.
type Config struct {
	// Metrics are the metrics the tenant tracks; required, keys unique.
	Metrics []goal.Metric
	// Calendar turns dates into periods and counts working days; nil means
	// goal.NewCalendar(nil): calendar years, ISO weeks, Monday to Friday.
	Calendar *goal.Calendar
	// Now is the clock; nil means time.Now. Tests inject a fake clock.
	Now func() time.Time
	// Location is the time zone in which "today" is read from Now; nil
	// means time.UTC. A sale at 23:30 in Shanghai counts on that day in
	// Shanghai, not on the previous day in UTC.
	Location *time.Location
	// Logger receives the engine's debug and warning records; nil discards
	// them.
	Logger *slog.Logger
	// Notifier delivers notifications; nil keeps them in the store's outbox
	// (Deliver then fails with ErrInvalid).
	Notifier alert.Notifier
	// Funnels are the funnels deals may belong to; PutDeal validates each
	// deal against its funnel (funnel.Deal.Validate) and, for a funnel with
	// a Derive, stores the facts the deal implies; their metrics must be
	// among Metrics.
	Funnels []funnel.Funnel
	// Rules are the alert rules Evaluate runs; a rule left empty does not
	// run, so the zero value raises no alerts.
	Rules Rules
	// DeliveryLease is how long notifications claimed by Deliver stay this
	// engine's to send: other engines sharing the store skip them until
	// the lease expires, and send them after that if this engine crashed
	// or stalled. It should exceed the time to notify one batch of
	// DeliveryBatch notifications. Zero means DefaultDeliveryLease;
	// negative is ErrInvalid.
	DeliveryLease time.Duration
	// Lifecycle configures holds, reminders and escalation per rule; nil
	// means the zero policy (fire at the first failing evaluation, resolve
	// at the first passing one). Its Org field is ignored: the engine sets
	// the stored org.
	Lifecycle *alert.LifecycleConfig
	// AlertRetention is how long Evaluate keeps the state of an alert
	// instance after it retired (the lifecycle dropped it: resolved past
	// its policy's ResolvedRetention, or pending and cleared) before it
	// deletes it, so stored alert state stays bounded by the alerts of
	// that window. Zero means DefaultAlertRetention; negative is
	// ErrInvalid.
	AlertRetention time.Duration
	// Grouping, when set, gathers each evaluation's notifications into one
	// digest per recipient (and group; see alert.Grouping): what fired,
	// what cleared, what is still firing, and the recipient's own alerts a
	// firing team alert covers (inhibited, yet said). The outbox then holds
	// digests; Deliver hands each to a Notifier that implements
	// alert.DigestNotifier, or sends the notifications it carries one by
	// one to any other. nil sends every notification on its own, as
	// before; &alert.Grouping{} (by recipient) is the recommended setting.
	Grouping *alert.Grouping
	// Messages chooses each recipient's language and may reword any
	// notification; nil means English and the built-in wording (see
	// Messages and package messages).
	Messages *Messages
	// Rates converts facts booked in another currency into their metric's
	// currency on ingest (see Engine.Convert); nil means no conversion: a
	// fact in another currency is refused, as before.
	Rates RateSource
	// Authorizer decides who may propose, confirm or edit a unit's targets
	// in a plan's negotiation (Negotiate); nil means ManagerAuthorizer: a
	// manager for their subtree.
	Authorizer Authorizer
}

// DefaultAlertRetention is the AlertRetention of a Config that sets none:
// retired alert states are kept 30 days, long enough for a host to look
// back over a month of alerts with Store().ListAlerts.
const DefaultAlertRetention = 30 * 24 * time.Hour

// DefaultDeliveryLease is the lease of Deliver's claims when
// Config.DeliveryLease is zero.
const DefaultDeliveryLease = 5 * time.Minute

// DeliveryBatch is how many notifications Deliver claims at a time.
const DeliveryBatch = 100

// Engine is goalkit's shell around a host's store: it loads and validates
// the org, decomposes and re-plans targets, ingests facts and deal updates,
// reads any goal's status, evaluates alert rules and delivers notifications.
// Every write goes through the store in one transaction. An Engine is safe
// for concurrent use.
type Engine struct {
	store     storage.Store
	metrics   map[string]goal.Metric
	order     []goal.Metric
	cal       *goal.Calendar
	now       func() time.Time
	loc       *time.Location
	log       *slog.Logger
	notifier  alert.Notifier
	funnels   map[string]funnel.Funnel
	rules     Rules
	goalRules goalRules // rules.Goals, Pace and ProjectedMiss by precedence
	life      alert.LifecycleConfig
	keep      time.Duration   // AlertRetention
	words     wording         // Config.Messages
	grouping  *alert.Grouping // Config.Grouping, copied
	rates     RateSource      // Config.Rates, nil for none
	auth      Authorizer      // Config.Authorizer

	calibrator alert.Calibrator // remembers detector calibrations

	// owner names this engine's claims on the outbox; deliverMu keeps its
	// Deliver calls one at a time, since an owner gets its own claims back.
	owner     string
	lease     time.Duration
	deliverMu sync.Mutex

	// mu guards org alone and is never held while waiting for the store,
	// whose transactions (holding the tenant's write lock) read the org.
	mu         sync.RWMutex
	org        *goal.Org // the stored org as last read (see orgIn)
	orgVersion int64     // its version in the store

	plans planCache // the plans Evaluate read, by version (see planIn)
}

// New binds an engine to store with cfg and loads the stored org (an empty
// org when none was stored yet). It fails with ErrInvalid on a bad
// configuration, and with the store's error when the org cannot be read.
func New(ctx context.Context, store storage.Store, cfg *Config) (*Engine, error) {
	if store == nil {
		return nil, fmt.Errorf("goalkit: new engine: the store is nil; pass memory.New(...) or sqlstore.New(...): %w", ErrInvalid)
	}
	if cfg == nil || len(cfg.Metrics) == 0 {
		return nil, fmt.Errorf("goalkit: new engine: no metrics; list the metrics the tenant tracks in Config.Metrics: %w", ErrInvalid)
	}
	e := &Engine{
		store:    store,
		metrics:  make(map[string]goal.Metric, len(cfg.Metrics)),
		order:    append([]goal.Metric(nil), cfg.Metrics...),
		cal:      cfg.Calendar,
		now:      cfg.Now,
		loc:      cfg.Location,
		log:      cfg.Logger,
		notifier: cfg.Notifier,
		rules:    cfg.Rules,
		owner:    newOwner(),
		lease:    cfg.DeliveryLease,
		rates:    cfg.Rates,
		auth:     cfg.Authorizer,
	}
	if e.auth == nil {
		e.auth = ManagerAuthorizer{}
	}
	switch {
	case e.lease < 0:
		return nil, fmt.Errorf("goalkit: new engine: delivery lease %s is negative; leave it zero for %s: %w", e.lease, DefaultDeliveryLease, ErrInvalid)
	case e.lease == 0:
		e.lease = DefaultDeliveryLease
	}
	e.funnels = make(map[string]funnel.Funnel, len(cfg.Funnels))
	for _, f := range cfg.Funnels {
		if err := f.Validate(); err != nil {
			return nil, fmt.Errorf("goalkit: new engine: %w", configError{err})
		}
		if _, dup := e.funnels[f.Key]; dup {
			return nil, fmt.Errorf("goalkit: new engine: funnel %q is listed twice: %w", f.Key, ErrInvalid)
		}
		e.funnels[f.Key] = f
	}
	for _, m := range cfg.Metrics {
		if err := m.Validate(); err != nil {
			return nil, fmt.Errorf("goalkit: new engine: %w", configError{err})
		}
		if _, dup := e.metrics[m.Key]; dup {
			return nil, fmt.Errorf("goalkit: new engine: metric %q is listed twice: %w", m.Key, ErrInvalid)
		}
		e.metrics[m.Key] = m
	}
	for _, f := range cfg.Funnels {
		if err := e.checkDerivation(f); err != nil {
			return nil, fmt.Errorf("goalkit: new engine: %w", err)
		}
	}
	if e.cal == nil {
		e.cal, _ = goal.NewCalendar(nil)
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.loc == nil {
		e.loc = time.UTC
	}
	if e.log == nil {
		e.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var err error
	if e.goalRules, err = e.rules.validate(); err != nil {
		return nil, fmt.Errorf("goalkit: new engine: %w", configError{err})
	}
	if cfg.Lifecycle != nil {
		e.life = *cfg.Lifecycle
	}
	if g := cfg.Grouping; g != nil {
		if err := g.Validate(); err != nil {
			return nil, fmt.Errorf("goalkit: new engine: %w", configError{err})
		}
		e.grouping = &alert.Grouping{By: slices.Clone(g.By)}
	}
	switch e.keep = cfg.AlertRetention; {
	case e.keep < 0:
		return nil, fmt.Errorf("goalkit: new engine: AlertRetention is %s; use a positive duration, or 0 for %s: %w", e.keep, DefaultAlertRetention, ErrInvalid)
	case e.keep == 0:
		e.keep = DefaultAlertRetention
	}
	if e.words, err = newWording(cfg.Messages); err != nil {
		return nil, fmt.Errorf("goalkit: new engine: %w", err)
	}
	for name, p := range e.life.Policies {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("goalkit: new engine: policy of rule %q: %w", name, configError{err})
		}
	}
	// Outside a transaction, orgIn reads the version before the units: a
	// concurrent change then costs one more reload, never a stale org.
	if _, err := e.orgIn(ctx, store); err != nil {
		return nil, fmt.Errorf("goalkit: new engine: %w", err)
	}
	return e, nil
}

// newOwner returns a random name for an engine's outbox claims, unique
// among the processes sharing a store.
func newOwner() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return "goalkit-" + hex.EncodeToString(b)
}

// configError is a bad configuration found by a domain package's validation:
// it matches that package's sentinel and ErrInvalid, as New promises.
type configError struct{ error }

func (e configError) Unwrap() []error { return []error{e.error, ErrInvalid} }

// Calendar returns the engine's calendar.
func (e *Engine) Calendar() *goal.Calendar { return e.cal }

// Store returns the store the engine is bound to.
func (e *Engine) Store() storage.Store { return e.store }

// Today returns the current day in the engine's location, by its clock.
func (e *Engine) Today() date.Date { return date.NewAt(e.now().In(e.loc)) }

// Metric returns the metric with the given key.
func (e *Engine) Metric(key string) (goal.Metric, bool) {
	m, ok := e.metrics[key]
	return m, ok
}

// Funnel returns the configured funnel with the given key (Config.Funnels),
// for hosts and importers that check deals before PutDeals.
func (e *Engine) Funnel(key string) (funnel.Funnel, bool) {
	f, ok := e.funnels[key]
	return f, ok
}

// Org returns the org as the engine last read it from the store. Every
// engine method that depends on the org (Ingest, Replace, PutDeal,
// Decompose, Evaluate, EditOrg) first checks the stored org's version in its
// own transaction and reloads the org when another instance changed it, so
// all instances sharing a store work with the same org.
func (e *Engine) Org() *goal.Org {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.org
}

// orgIn returns the stored org as of tx: the engine's copy when the stored
// version is the one it holds (one row read), otherwise the org read and
// validated again, which then replaces the copy.
func (e *Engine) orgIn(ctx context.Context, tx storage.Tx) (*goal.Org, error) {
	v, err := tx.OrgVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("load org: %w", err)
	}
	e.mu.RLock()
	org, have := e.org, e.orgVersion
	e.mu.RUnlock()
	if org != nil && v == have {
		return org, nil
	}
	units, err := tx.ListUnits(ctx)
	if err != nil {
		return nil, fmt.Errorf("load org: %w", err)
	}
	if org, err = goal.NewOrg(units); err != nil {
		return nil, fmt.Errorf("the stored org is invalid: %w", err)
	}
	e.keepOrg(org, v)
	return org, nil
}

// keepOrg replaces the engine's copy of the org unless it holds a newer
// one.
func (e *Engine) keepOrg(org *goal.Org, version int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.org == nil || version >= e.orgVersion {
		e.org, e.orgVersion = org, version
	}
}

// SetOrg validates units as an org tree (goal.NewOrg) and stores it,
// replacing the previous org, whatever version it was at (EditOrg is the
// optimistic alternative). Facts already stored roll up along the new tree
// (and the history in each unit's Earlier) from then on.
func (e *Engine) SetOrg(ctx context.Context, units []goal.Unit) error {
	org, err := goal.NewOrg(units)
	if err != nil {
		return fmt.Errorf("goalkit: set org: %w", err)
	}
	var v int64
	err = e.store.InTx(ctx, func(tx storage.Tx) error {
		if err := tx.PutUnits(ctx, units); err != nil {
			return err
		}
		v, err = tx.OrgVersion(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("goalkit: set org: %w", err)
	}
	e.keepOrg(org, v)
	return nil
}

// EditOrg applies incremental org edits (goal.AddUnit, goal.MoveUnit,
// goal.DeactivateUnit) in order, all or nothing, to the org this engine
// holds, and returns the new org. Moves keep history: facts dated before a
// move count for the unit's old ancestors, facts from its date on for the
// new ones. If another instance changed the org since this engine last read
// it, nothing is written and the error is a *storage.ConflictError matching
// storage.ErrConflict; the engine then holds the current org (Org), so the
// host can check its edit against it and retry. A bad edit is
// goal.ErrInvalid (or goal.ErrNotFound for an unknown unit).
func (e *Engine) EditOrg(ctx context.Context, edits ...goal.OrgEdit) (*goal.Org, error) {
	e.mu.RLock()
	org, v := e.org, e.orgVersion
	e.mu.RUnlock()
	// The store checks the base version first, so an edit against a stale
	// org is a conflict rather than a complaint about units it cannot see.
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		for _, ed := range edits {
			var err error
			if v, err = tx.EditOrg(ctx, ed, v); err != nil {
				return err
			}
			if org, err = org.Apply(ed); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, storage.ErrConflict) {
		err = fmt.Errorf("the org changed since this engine read it; the engine holds the current one now (Org): check the edit against it and call EditOrg again: %w", err)
		if _, rerr := e.orgIn(ctx, e.store); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("goalkit: edit org: %w", err)
	}
	e.keepOrg(org, v)
	return org, nil
}
