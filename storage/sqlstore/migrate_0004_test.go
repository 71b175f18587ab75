package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)

// Migration 0004 classifies the alert rows written before it: the engine's
// "watching" rows become detectors, its "inactive" rows retired at their
// last evaluation, the rest live instances.
func TestMigration0004ClassifiesOldAlertRows(t *testing.T) {
	ctx := context.Background()
	db := migratedBelow(t, 2)
	lastEval := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for _, r := range []struct{ fp, state string }{{"a", "firing"}, {"b", "inactive"}, {"detector/c", "watching"}} {
		_, err := db.ExecContext(ctx, "INSERT INTO goalkit_alerts (tenant, fingerprint, rule, labels, state, since, last_eval, fired_at, resolved_at, last_notified, detector, version) "+
			"VALUES ('t', ?, 'pace', '{}', ?, 0, ?, 0, 0, 0, NULL, 1)", r.fp, r.state, lastEval.UnixMicro())
		require.NoError(t, err)
	}
	applyMigration(t, db, 4)
	s, err := New(db, Config{Dialect: SQLite, Tenant: "t"})
	require.NoError(t, err)
	live, err := s.ListLiveAlerts(ctx, storage.AlertInstance)
	require.NoError(t, err)
	require.Len(t, live, 1)
	require.Equal(t, "a", live[0].Fingerprint)
	det, err := s.ListLiveAlerts(ctx, storage.AlertDetector)
	require.NoError(t, err)
	require.Len(t, det, 1)
	require.Equal(t, "detector/c", det[0].Fingerprint)
	b, err := s.GetAlert(ctx, "b")
	require.NoError(t, err)
	require.True(t, lastEval.Equal(b.Retired), "retired at its last evaluation, got %s", b.Retired)
}

// migratedBelow opens a SQLite database in a temporary directory with the
// migrations before version applied, as plain SQL (no bookkeeping).
func migratedBelow(t *testing.T, version int) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "goalkit.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	ms, err := migrations(SQLite, DefaultTablePrefix)
	require.NoError(t, err)
	for _, m := range ms {
		if m.version < version {
			_, err = db.Exec(m.sql)
			require.NoError(t, err, m.name)
		}
	}
	return db
}

// applyMigration applies the SQLite migration of the version, as plain SQL.
func applyMigration(t *testing.T, db *sql.DB, version int) {
	t.Helper()
	ms, err := migrations(SQLite, DefaultTablePrefix)
	require.NoError(t, err)
	for _, m := range ms {
		if m.version == version {
			_, err = db.Exec(m.sql)
			require.NoError(t, err, m.name)
			return
		}
	}
	t.Fatalf("no migration %d", version)
}
