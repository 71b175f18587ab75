package memory

import (
	"context"
	"fmt"

	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
)

// The memory store has no round trips to save: its storage.AlertBatch is
// the single-row calls in a loop, so the engine takes the same path on
// every store of this module.

// AlertVersions implements storage.AlertBatch.
func (t *tx) AlertVersions(ctx context.Context, fingerprints []string) (map[string]int64, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: alert versions: %w", err)
	}
	out := make(map[string]int64, len(fingerprints))
	for _, fp := range fingerprints {
		if err := record.CheckRef("alert fingerprint", fp); err != nil {
			return nil, fmt.Errorf("memory: alert versions: %w", err)
		}
		if a, ok := t.d.alerts[fp]; ok {
			out[fp] = a.Version
		}
	}
	return out, nil
}

// PutAlerts implements storage.AlertBatch.
func (t *tx) PutAlerts(ctx context.Context, puts []storage.AlertPut) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("memory: put alerts: %w", err)
	}
	if err := record.CheckAlertPuts(puts); err != nil {
		return fmt.Errorf("memory: put alerts: %w", err)
	}
	for _, p := range puts {
		if _, err := t.PutAlert(ctx, p.State, p.Expected); err != nil {
			return err
		}
	}
	return nil
}

// EnqueueAll implements storage.AlertBatch.
func (t *tx) EnqueueAll(ctx context.Context, ns []storage.Notification) error {
	for _, n := range ns {
		if err := t.Enqueue(ctx, n); err != nil {
			return err
		}
	}
	return nil
}
