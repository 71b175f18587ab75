package alert

import (
	"context"
	"slices"
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
	digests keyedLog[Digest]
}

// NotifyDigest records d unless its Key was recorded before. It fails only
// when ctx is done.
func (r *DigestRecorder) NotifyDigest(ctx context.Context, d Digest) error {
	return r.digests.add(ctx, d.Key, d, cloneDigest)
}

// Digests returns a copy of the recorded digests, in the order they were
// recorded.
func (r *DigestRecorder) Digests() []Digest { return r.digests.all(cloneDigest) }

// DigestDuplicates returns how many NotifyDigest calls carried a Key
// already recorded.
func (r *DigestRecorder) DigestDuplicates() int { return r.digests.dups() }

func cloneDigest(d Digest) Digest {
	d.Group = d.Group.Clone()
	for _, list := range []*[]Notification{&d.Fired, &d.Cleared, &d.Firing} {
		*list = slices.Clone(*list)
		for i := range *list {
			(*list)[i] = cloneNotification((*list)[i])
		}
	}
	d.Covered = slices.Clone(d.Covered)
	for i := range d.Covered {
		d.Covered[i].Notification = cloneNotification(d.Covered[i].Notification)
	}
	return d
}
