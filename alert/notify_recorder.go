package alert

import (
	"context"
	"sync"
)

// Recorder is a Notifier that keeps notifications in memory, for tests and demos. It delivers
// each Key at most once — a second Notify with a Key already recorded succeeds without recording
// again and counts as a duplicate — which is how a host's Notifier should be idempotent: an engine
// retries deliveries, and a muted notification may be emitted again later with the same Key.
//
// The zero Recorder is ready to use. A Recorder is safe for concurrent use; it copies
// notifications in and out, so callers never share its memory.
type Recorder struct {
	mu         sync.Mutex
	seen       map[string]struct{}
	recorded   []Notification
	duplicates int
}

// Notify records n unless its Key was recorded before. It fails only when ctx is done.
func (r *Recorder) Notify(ctx context.Context, n Notification) error {
	if ctx != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.seen[n.Key]; ok {
		r.duplicates++
		return nil
	}
	if r.seen == nil {
		r.seen = make(map[string]struct{})
	}
	r.seen[n.Key] = struct{}{}
	n.Labels = n.Labels.Clone()
	r.recorded = append(r.recorded, n)
	return nil
}

// Notifications returns a copy of the recorded notifications, in the order they were recorded.
func (r *Recorder) Notifications() []Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Notification, len(r.recorded))
	for i, n := range r.recorded {
		n.Labels = n.Labels.Clone()
		out[i] = n
	}
	return out
}

// Duplicates returns how many Notify calls carried a Key already recorded.
func (r *Recorder) Duplicates() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.duplicates
}
