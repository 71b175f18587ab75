package goalkit

// Engine.Evaluate and Engine.Statuses run as runtime/trace tasks
// ("goalkit.Evaluate", "goalkit.Statuses") whose phases are the regions
// below, so a host (or goalkit's own benchmarks) sees where an evaluation
// spends its time with runtime/trace or go tool trace. Regions cost next to
// nothing while no trace is being recorded.
const (
	regionPlans     = "goalkit: loading plans"
	regionActuals   = "goalkit: reading actuals (SumMany)"
	regionStatuses  = "goalkit: computing statuses"
	regionRules     = "goalkit: rules"
	regionAlerts    = "goalkit: reading alert states"
	regionLifecycle = "goalkit: lifecycle"
	regionPersist   = "goalkit: persisting states + outbox"
)
