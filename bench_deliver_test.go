package goalkit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/stretchr/testify/require"
)

// BenchmarkDeliver measures Deliver of 100 firing pace notifications on the
// memory store, each from its own plan (the worst case for wording: one
// plan read and one status per notification). Setup (Evaluate) is not
// timed.
//
//	go test -run '^$' -bench Deliver -count 5 .
func BenchmarkDeliver(b *testing.B) {
	const plans = 100
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		f := newFixture(b, nil, func(c *goalkit.Config) {
			c.Rules.Pace = callsPace
			c.Notifier = alert.NotifierFunc(nopNotify)
		})
		for i := range plans {
			f.callsPlan(b, fmt.Sprintf("calls-%03d", i), "li", 220)
		}
		_, err := f.engine.Evaluate(f.ctx, day("2026-03-20"))
		require.NoError(b, err)
		b.StartTimer()
		n, err := f.engine.Deliver(f.ctx)
		require.NoError(b, err)
		require.Equal(b, plans, n)
	}
}

func nopNotify(context.Context, alert.Notification) error { return nil }
