// Package evaltrace lets goalkit's own benchmarks see where Engine.Evaluate
// spends its time without an exported API: a Recorder carried in the
// context collects the wall time of each phase. Without one in the context
// the engine records nothing.
package evaltrace

import (
	"context"
	"sync"
	"time"
)

// Phases of Engine.Evaluate, in order.
const (
	Plans     = "loading plans"
	Actuals   = "reading actuals (SumMany)"
	Statuses  = "computing statuses"
	Rules     = "rules"
	Alerts    = "reading alert states"
	Lifecycle = "lifecycle"
	Persist   = "persisting states + outbox"
)

// Recorder sums the wall time of each phase.
type Recorder struct {
	mu     sync.Mutex
	phases map[string]time.Duration
}

type key struct{}

// With returns ctx carrying r.
func With(ctx context.Context, r *Recorder) context.Context {
	return context.WithValue(ctx, key{}, r)
}

// From returns the Recorder in ctx, or nil.
func From(ctx context.Context) *Recorder {
	r, _ := ctx.Value(key{}).(*Recorder)
	return r
}

// Start returns the time a phase starts, or the zero time on a nil Recorder.
func (r *Recorder) Start() time.Time {
	if r == nil {
		return time.Time{}
	}
	return time.Now()
}

// Stop adds the time since start to phase.
func (r *Recorder) Stop(phase string, start time.Time) {
	if r == nil {
		return
	}
	d := time.Since(start)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.phases == nil {
		r.phases = map[string]time.Duration{}
	}
	r.phases[phase] += d
}

// Get returns the time recorded for phase.
func (r *Recorder) Get(phase string) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.phases[phase]
}

// Reset forgets every phase.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.phases)
}
