package goalkit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
)

// VersionRef picks one saved version of a plan: by its number, by the name
// of a snapshot, or as the version in force at an instant. Exactly one
// field is set.
type VersionRef struct {
	Version  int64     // a version number (1 is the plan as created)
	Snapshot string    // a snapshot's name, e.g. "board approved"
	At       time.Time // the latest version saved at or before this instant
}

// String names the version picked, for messages: "version 3", "snapshot
// \"board approved\"" or "the version in force at 2026-03-01T00:00:00Z".
func (r VersionRef) String() string {
	switch {
	case r.Version != 0:
		return fmt.Sprintf("version %d", r.Version)
	case r.Snapshot != "":
		return fmt.Sprintf("snapshot %q", r.Snapshot)
	}
	return "the version in force at " + r.At.UTC().Format(time.RFC3339Nano)
}

func (r VersionRef) check() error {
	set := 0
	for _, ok := range []bool{r.Version != 0, r.Snapshot != "", !r.At.IsZero()} {
		if ok {
			set++
		}
	}
	if set != 1 {
		return fmt.Errorf("a version reference sets exactly one of Version, Snapshot and At (it sets %d): %w", set, ErrInvalid)
	}
	if r.Version < 0 {
		return fmt.Errorf("version %d: versions are numbered from 1: %w", r.Version, ErrInvalid)
	}
	return nil
}

// VersionDiff is how a plan differs between two saved versions.
type VersionDiff struct {
	From, To storage.PlanVersion // the versions compared
	// Changes are the goals whose target moved, was added or was removed
	// from From to To, in goal.Diff's order.
	Changes []VersionChange
}

// VersionChange is one goal whose target differs between two versions, and
// the saved versions that changed it.
type VersionChange struct {
	goal.TargetChange
	// By lists the recorded versions between the two compared (after the
	// earlier, up to and including the later) that changed this goal's
	// target, oldest first: who moved it, when and why. A version saved
	// right after one that is not recorded (pruned, or saved before
	// versions were kept) is not listed, since its changes cannot be told
	// from the missing one's.
	By []storage.PlanVersion
}

// keepVersion records p, just stored at p.Version, as saved now by ch, in
// the transaction that stored it. Every plan write of the engine calls it,
// so every saved version can be read again.
func (e *Engine) keepVersion(ctx context.Context, tx storage.Versions, p *goal.Plan, ch Change) error {
	return tx.PutPlanVersion(ctx, storage.PlanVersion{At: e.now().UTC(), Actor: ch.Actor, Reason: ch.Reason}, p)
}

// Snapshot gives the plan's current version a name ("board approved",
// "after Q1 re-plan") that reads the same plan forever: names are unique per
// plan (storage.ErrDuplicate when taken) and snapshots are never changed.
// A plan last saved before versions were recorded has its current version
// recorded now, by ch.
func (e *Engine) Snapshot(ctx context.Context, planID, name string, ch Change) (storage.Snapshot, error) {
	s := storage.Snapshot{Plan: planID, Name: name, At: e.now().UTC(), Actor: ch.Actor, Reason: ch.Reason}
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		p, err := tx.GetPlan(ctx, planID)
		if err != nil {
			return err
		}
		s.Version = p.Version
		if _, _, err := tx.GetPlanVersion(ctx, planID, p.Version); errors.Is(err, storage.ErrNotFound) {
			err = e.keepVersion(ctx, tx, p, ch)
		}
		if err != nil {
			return err
		}
		return tx.PutSnapshot(ctx, s)
	})
	if err != nil {
		return storage.Snapshot{}, fmt.Errorf("goalkit: snapshot %q of plan %q: %w", name, planID, err)
	}
	return s, nil
}

// Snapshots returns the plan's snapshots, oldest first.
func (e *Engine) Snapshots(ctx context.Context, planID string) ([]storage.Snapshot, error) {
	ss, err := e.store.ListSnapshots(ctx, planID)
	if err != nil {
		return nil, fmt.Errorf("goalkit: snapshots of plan %q: %w", planID, err)
	}
	return ss, nil
}

// PlanVersions returns the plan's saved versions (number, time, actor and
// reason), oldest first. Versions saved before the engine recorded them
// are missing.
func (e *Engine) PlanVersions(ctx context.Context, planID string) ([]storage.PlanVersion, error) {
	vs, err := e.store.ListPlanVersions(ctx, planID)
	if err != nil {
		return nil, fmt.Errorf("goalkit: versions of plan %q: %w", planID, err)
	}
	return vs, nil
}

// PruneVersions deletes the plan's versions saved before the instant
// before, except the version in force then and the versions snapshots
// name, and returns how many it deleted: PlanAsOf at before or later, and
// every snapshot, read as before. Versions are never pruned on their own;
// a host that keeps a plan's history for, say, two years calls it with
// its own cutoff.
func (e *Engine) PruneVersions(ctx context.Context, planID string, before time.Time) (int, error) {
	n, err := e.store.PrunePlanVersions(ctx, planID, before)
	if err != nil {
		return 0, fmt.Errorf("goalkit: prune versions of plan %q: %w", planID, err)
	}
	return n, nil
}

// PlanVersion returns the plan as it was saved at the version ref picks,
// with the version's record. A version, snapshot or time the plan has no
// recorded version for is storage.ErrNotFound; a ref that sets no field,
// or more than one, is ErrInvalid.
func (e *Engine) PlanVersion(ctx context.Context, planID string, ref VersionRef) (*goal.Plan, storage.PlanVersion, error) {
	var (
		p   *goal.Plan
		rec storage.PlanVersion
	)
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		v, err := resolveVersion(ctx, tx, planID, ref)
		if err != nil {
			return err
		}
		p, rec, err = tx.GetPlanVersion(ctx, planID, v)
		return err
	})
	if err != nil {
		return nil, storage.PlanVersion{}, fmt.Errorf("goalkit: plan %q at %s: %w", planID, ref, err)
	}
	return p, rec, nil
}

// PlanAsOf returns the plan as it stood at the instant at: the latest
// version saved at or before it ("what did we expect on 1 March?"). Times
// are the engine's clock (Config.Now) when each version was saved. Before
// the first recorded version it is storage.ErrNotFound.
func (e *Engine) PlanAsOf(ctx context.Context, planID string, at time.Time) (*goal.Plan, error) {
	if at.IsZero() {
		return nil, fmt.Errorf("goalkit: plan %q as of a time: the time is zero; give the instant to read the plan at: %w", planID, ErrInvalid)
	}
	p, _, err := e.PlanVersion(ctx, planID, VersionRef{At: at})
	return p, err
}

// resolveVersion returns the version number ref picks.
func resolveVersion(ctx context.Context, tx storage.Versions, planID string, ref VersionRef) (int64, error) {
	if err := ref.check(); err != nil {
		return 0, err
	}
	switch {
	case ref.Version != 0:
		return ref.Version, nil
	case ref.Snapshot != "":
		ss, err := tx.ListSnapshots(ctx, planID)
		if err != nil {
			return 0, err
		}
		for _, s := range ss {
			if s.Name == ref.Snapshot {
				return s.Version, nil
			}
		}
		return 0, fmt.Errorf("no snapshot of that name (Snapshots lists them): %w", storage.ErrNotFound)
	}
	vs, err := tx.ListPlanVersions(ctx, planID)
	if err != nil {
		return 0, err
	}
	var found int64
	for _, v := range vs {
		if !v.At.After(ref.At) {
			found = v.Version // ordered by version: the last one wins a tie
		}
	}
	if found == 0 {
		if len(vs) == 0 {
			return 0, fmt.Errorf("the plan has no recorded version: %w", storage.ErrNotFound)
		}
		return 0, fmt.Errorf("its first recorded version was saved later, at %s: %w", vs[0].At.Format(time.RFC3339Nano), storage.ErrNotFound)
	}
	return found, nil
}

// DiffVersions compares two saved versions of a plan (picked by number,
// snapshot name or time): which targets moved, by how much (see
// goal.Diff), and by whom — the recorded versions in between that changed
// each target, with their actors, times and reasons. It reads every
// recorded version between the two.
func (e *Engine) DiffVersions(ctx context.Context, planID string, from, to VersionRef) (VersionDiff, error) {
	var out VersionDiff
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		var plans [2]*goal.Plan
		recs := [2]*storage.PlanVersion{&out.From, &out.To}
		for i, ref := range []VersionRef{from, to} {
			v, err := resolveVersion(ctx, tx, planID, ref)
			if err != nil {
				return fmt.Errorf("%s: %w", ref, err)
			}
			if plans[i], *recs[i], err = tx.GetPlanVersion(ctx, planID, v); err != nil {
				return fmt.Errorf("%s: %w", ref, err)
			}
		}
		changes, err := goal.Diff(plans[0], plans[1])
		if err != nil {
			return err
		}
		by, err := changedBy(ctx, tx, plans[0], plans[1], changes)
		if err != nil {
			return err
		}
		out.Changes = make([]VersionChange, len(changes))
		for i, c := range changes {
			out.Changes[i] = VersionChange{TargetChange: c, By: by[c.Goal]}
		}
		return nil
	})
	if err != nil {
		return VersionDiff{}, fmt.Errorf("goalkit: diff versions of plan %q: %w", planID, err)
	}
	return out, nil
}

// changedBy walks the recorded versions after the earlier of a and b up to
// the later, and returns for each goal of changes the versions whose save
// changed its target.
func changedBy(ctx context.Context, tx storage.Versions, a, b *goal.Plan, changes []goal.TargetChange) (map[string][]storage.PlanVersion, error) {
	if a.Version > b.Version {
		a, b = b, a
	}
	wanted := make(map[string]bool, len(changes))
	for _, c := range changes {
		wanted[c.Goal] = true
	}
	vs, err := tx.ListPlanVersions(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	out := map[string][]storage.PlanVersion{}
	prev := a
	for _, v := range vs {
		if v.Version <= a.Version || v.Version > b.Version {
			continue
		}
		cur, _, err := tx.GetPlanVersion(ctx, a.ID, v.Version)
		if err != nil {
			return nil, err
		}
		// After a version that is not recorded (pruned, or saved before
		// versions were kept) the step mixes two saves: name neither.
		if v.Version == prev.Version+1 {
			step, err := goal.Diff(prev, cur)
			if err != nil {
				return nil, fmt.Errorf("version %d: %w", v.Version, err)
			}
			for _, c := range step {
				if wanted[c.Goal] {
					out[c.Goal] = append(out[c.Goal], v)
				}
			}
		}
		prev = cur
	}
	return out, nil
}
