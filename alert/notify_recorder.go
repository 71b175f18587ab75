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
	log keyedLog[Notification]
}

// Notify records n unless its Key was recorded before. It fails only when ctx is done.
func (r *Recorder) Notify(ctx context.Context, n Notification) error {
	return r.log.add(ctx, n.Key, n, cloneNotification)
}

// Notifications returns a copy of the recorded notifications, in the order they were recorded.
func (r *Recorder) Notifications() []Notification { return r.log.all(cloneNotification) }

// Duplicates returns how many Notify calls carried a Key already recorded.
func (r *Recorder) Duplicates() int { return r.log.dups() }

// keyedLog keeps values by key, each key once, counting the values sent
// again with a key already kept; safe for concurrent use.
type keyedLog[T any] struct {
	mu         sync.Mutex
	seen       map[string]struct{}
	kept       []T
	duplicates int
}

// add keeps a copy of v under key unless key was kept before. It fails only
// when ctx is done.
func (l *keyedLog[T]) add(ctx context.Context, key string, v T, clone func(T) T) error {
	if ctx != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.seen[key]; ok {
		l.duplicates++
		return nil
	}
	if l.seen == nil {
		l.seen = make(map[string]struct{})
	}
	l.seen[key] = struct{}{}
	l.kept = append(l.kept, clone(v))
	return nil
}

// all returns copies of the kept values, in the order they were kept.
func (l *keyedLog[T]) all(clone func(T) T) []T {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]T, len(l.kept))
	for i, v := range l.kept {
		out[i] = clone(v)
	}
	return out
}

func (l *keyedLog[T]) dups() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.duplicates
}

func cloneNotification(n Notification) Notification {
	n.Labels = n.Labels.Clone()
	return n
}
