package record

import (
	"errors"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
)

// CheckPlanVersion checks the storage rules of a plan version and returns
// its record (Plan and Version taken from p, At normalised) and the plan to
// keep (BuildPlan at p.Version).
func CheckPlanVersion(v storage.PlanVersion, p *goal.Plan) (storage.PlanVersion, *goal.Plan, error) {
	if _, err := CheckPlan(p, nil); err != nil {
		return v, nil, err
	}
	if p.Version < 1 {
		return v, nil, storage.Invalid("plan version", fmt.Sprint(p.Version), "a saved version is 1 or more; record the plan after it is stored")
	}
	if err := errors.Join(CheckText("plan version actor", v.Actor), CheckText("plan version reason", v.Reason)); err != nil {
		return v, nil, err
	}
	kept, err := BuildPlan(p, p.Version)
	if err != nil {
		return v, nil, err
	}
	v.Plan, v.Version, v.At = p.ID, p.Version, Time(v.At)
	return v, kept, nil
}

// CheckSnapshot checks the storage rules of a snapshot and returns it with
// At normalised.
func CheckSnapshot(s storage.Snapshot) (storage.Snapshot, error) {
	if err := errors.Join(CheckRef("snapshot plan", s.Plan), CheckID("snapshot name", s.Name),
		CheckText("snapshot actor", s.Actor), CheckText("snapshot reason", s.Reason)); err != nil {
		return s, err
	}
	if s.Version < 1 {
		return s, storage.Invalid("snapshot version", fmt.Sprint(s.Version), "name a saved version (1 or more)")
	}
	s.At = Time(s.At)
	return s, nil
}

// CheckScenario checks the storage rules of a scenario and returns it with
// At normalised and its own copy of the plan (BuildPlan at s.Base).
func CheckScenario(s storage.Scenario) (storage.Scenario, error) {
	if _, err := CheckPlan(s.Plan, nil); err != nil {
		return s, err
	}
	if err := errors.Join(CheckID("scenario name", s.Name), CheckText("scenario actor", s.Actor), CheckText("scenario reason", s.Reason)); err != nil {
		return s, err
	}
	if s.Base < 1 {
		return s, storage.Invalid("scenario base", fmt.Sprint(s.Base), "a scenario is copied from a saved version (1 or more)")
	}
	kept, err := BuildPlan(s.Plan, s.Base)
	if err != nil {
		return s, err
	}
	s.Plan, s.At = kept, Time(s.At)
	return s, nil
}

// CloneScenario returns s with its own copy of the plan, sharing the kept
// plan's index.
func CloneScenario(s storage.Scenario) (storage.Scenario, error) {
	p, err := BuildPlan(s.Plan, s.Base)
	if err != nil {
		return s, err
	}
	s.Plan = p
	return s, nil
}

// ScenarioConflict is the error of a scenario write whose expected version
// is stale.
func ScenarioConflict(planID, name string, stored, expected int64) error {
	return &storage.ConflictError{Kind: "scenario", Key: planID + "/" + name,
		Reason: fmt.Sprintf("stored version is %d, expected %d; read the scenario again and reapply the change", stored, expected)}
}
