package alert

import (
	"context"
	"slices"
	"sync"
)

// DigestRecorder is a DigestNotifier that keeps digests in memory, for
// tests and demos, and, through its Recorder, the notifications sent to it
// one by one. It records each digest Key at most once, as Recorder does
// notification keys.
//
// The zero DigestRecorder is ready to use. It is safe for concurrent use
// and copies digests in and out.
type DigestRecorder struct {
	Recorder
	mu         sync.Mutex
	seen       map[string]struct{}
	digests    []Digest
	duplicates int
}

// NotifyDigest records d unless its Key was recorded before. It fails only
// when ctx is done.
func (r *DigestRecorder) NotifyDigest(ctx context.Context, d Digest) error {
	if ctx != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.seen[d.Key]; ok {
		r.duplicates++
		return nil
	}
	if r.seen == nil {
		r.seen = make(map[string]struct{})
	}
	r.seen[d.Key] = struct{}{}
	r.digests = append(r.digests, cloneDigest(d))
	return nil
}

// Digests returns a copy of the recorded digests, in the order they were
// recorded.
func (r *DigestRecorder) Digests() []Digest {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Digest, len(r.digests))
	for i, d := range r.digests {
		out[i] = cloneDigest(d)
	}
	return out
}

// DigestDuplicates returns how many NotifyDigest calls carried a Key
// already recorded.
func (r *DigestRecorder) DigestDuplicates() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.duplicates
}

func cloneDigest(d Digest) Digest {
	d.Group = d.Group.Clone()
	d.Fired, d.Cleared, d.Firing = cloneNotifications(d.Fired), cloneNotifications(d.Cleared), cloneNotifications(d.Firing)
	d.Covered = slices.Clone(d.Covered)
	for i := range d.Covered {
		d.Covered[i].Notification.Labels = d.Covered[i].Notification.Labels.Clone()
	}
	return d
}

func cloneNotifications(ns []Notification) []Notification {
	ns = slices.Clone(ns)
	for i := range ns {
		ns[i].Labels = ns[i].Labels.Clone()
	}
	return ns
}
