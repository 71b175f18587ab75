package alert_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/alert"
	"github.com/stretchr/testify/require"
)

func TestDigestRecorder(t *testing.T) {
	var r alert.DigestRecorder
	var _ alert.DigestNotifier = &r
	var _ alert.Notifier = &r
	d := alert.Digest{Key: "digest/li/x", Recipient: "li", Fired: []alert.Notification{{Key: "k", Labels: alert.Labels{"unit": "li"}}}}
	require.NoError(t, r.NotifyDigest(context.Background(), d))
	require.NoError(t, r.NotifyDigest(context.Background(), d))
	d.Fired[0].Labels["unit"] = "changed"
	got := r.Digests()
	require.Len(t, got, 1)
	require.Equal(t, 1, r.DigestDuplicates())
	require.Equal(t, "li", got[0].Fired[0].Labels["unit"], "copied in")
	got[0].Fired[0].Labels["unit"] = "changed"
	require.Equal(t, "li", r.Digests()[0].Fired[0].Labels["unit"], "copied out")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, r.NotifyDigest(ctx, alert.Digest{Key: "other"}), context.Canceled)
}
