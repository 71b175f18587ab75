package goalkit

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func exampleDigest() alert.Digest {
	at := time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC)
	n := alert.Notification{Key: "fp/firing/2026-03-16T00:00:00Z/0", Kind: alert.NotifyFiring, Fingerprint: "fp", Rule: "pace", Unit: "li",
		Labels: alert.Labels{"unit": "li"}, Recipient: "li", Message: "behind", Value: decimal.NewFromInt(3), FiredAt: at, At: at}
	return alert.Digest{Key: "digest/li/2026-03-16T00:00:00Z/00", Recipient: "li", At: at, Fired: []alert.Notification{n},
		Covered: []alert.Covered{{Notification: n, By: "north", InhibitedBy: "fp2"}}}
}

// TestDigestPayload: a digest's outbox payload is told from a
// notification's by its first key, and reads back as written.
func TestDigestPayload(t *testing.T) {
	d := exampleDigest()
	payload, err := json.Marshal(digestRecord{Digest: &d})
	require.NoError(t, err)
	require.Equal(t, string(digestPrefix), string(payload[:len(digestPrefix)]))
	got, err := decodeDigest(storage.Notification{Key: d.Key, Payload: payload})
	require.NoError(t, err)
	require.Equal(t, d.Key, got.Key)
	require.True(t, d.At.Equal(got.At))
	require.Equal(t, d.Covered[0].By, got.Covered[0].By)

	for _, bad := range []string{`{"digest":null}`, `{"digest":{"Key":"k","Extra":1}}`, `{"digest":{}} trailing`} {
		_, err := decodeDigest(storage.Notification{Key: "k", Payload: []byte(bad)})
		require.ErrorIs(t, err, ErrStoredState, bad)
	}
}

func FuzzDecodeDigest(f *testing.F) {
	d := exampleDigest()
	seed, err := json.Marshal(digestRecord{Digest: &d})
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte(`{"digest":{"Fired":[{"Severity":"loud"}]}}`))
	f.Add([]byte(`{"digest":null}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		got, err := decodeDigest(storage.Notification{Key: "k", Payload: payload})
		if err != nil {
			require.ErrorIs(t, err, ErrStoredState)
			return
		}
		again, err := json.Marshal(digestRecord{Digest: &got})
		if err != nil {
			return // a severity out of range decodes only from a number, and is refused on the way out
		}
		back, err := decodeDigest(storage.Notification{Key: "k", Payload: again})
		require.NoError(t, err)
		require.Equal(t, got.Key, back.Key)
		require.Equal(t, len(got.Fired)+len(got.Cleared)+len(got.Firing)+len(got.Covered), len(back.Fired)+len(back.Cleared)+len(back.Firing)+len(back.Covered))
	})
}
