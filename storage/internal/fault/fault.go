// Package fault is the test seam through which the conformance suite makes
// the module's stores fail at named points in the middle of a write. It is
// internal: a host cannot install a hook, and a store reached without one
// (production) pays one context lookup per write.
package fault

import "context"

// Func is a hook a store calls at each fault point it reaches; a non-nil
// error fails the operation there, after part of it was written.
type Func func(point string) error

// The fault points the stores report.
const (
	// PlanWritten is reached when a plan's row and goals are written and
	// its audit entries are not.
	PlanWritten = "plan written"
	// FactsWritten is reached when a batch's facts are written and the
	// totals are not yet updated.
	FactsWritten = "facts written"
)

type key struct{}

// With returns ctx carrying f: the stores' operations given the returned
// context call f at every fault point they reach.
func With(ctx context.Context, f Func) context.Context {
	return context.WithValue(ctx, key{}, f)
}

// At calls the hook ctx carries at point; without one it does nothing.
func At(ctx context.Context, point string) error {
	f, _ := ctx.Value(key{}).(Func)
	if f == nil {
		return nil
	}
	return f(point)
}
