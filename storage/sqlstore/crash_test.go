package sqlstore_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

const (
	crashEnv   = "GOALKIT_CRASH_CHILD_DB"
	crashBatch = 300
)

func crashFacts(b int) []kpi.Fact {
	facts := make([]kpi.Fact, crashBatch)
	for i := range facts {
		facts[i] = kpi.Fact{Key: fmt.Sprintf("b%06d-%03d", b, i), Metric: "revenue", Unit: fmt.Sprintf("rep%d", i%7),
			Date: date.New(2026, 1, 1) + date.Date(i%365), Value: decimal.New(int64(b*1000+i), -2)}
	}
	return facts
}

// TestSQLiteCrashSafety kills a process in the middle of ingesting and checks
// that every batch it reported committed is there in full, and that no batch
// is there in part. The child is this test binary, re-executed with
// GOALKIT_CRASH_CHILD_DB set.
func TestSQLiteCrashSafety(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(t, path)
		return
	}
	// Kill at a few different moments: right after a commit was reported,
	// and a little later, mid-batch.
	for round, delay := range []time.Duration{0, 3 * time.Millisecond, 11 * time.Millisecond} {
		t.Run(fmt.Sprintf("round%d", round), func(t *testing.T) { crashRound(t, delay) })
	}
}

func crashRound(t *testing.T, delay time.Duration) {
	path := filepath.Join(t.TempDir(), "crash.db")
	db, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	s := newStore(t, db, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"})
	require.NoError(t, s.PutUnits(context.Background(), nil))
	require.NoError(t, db.Close())

	cmd := exec.Command(os.Args[0], "-test.run=^TestSQLiteCrashSafety$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	printed := map[int]bool{}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		line := strings.TrimSpace(lines.Text())
		b, err := strconv.Atoi(strings.TrimPrefix(line, "committed "))
		if err != nil || !strings.HasPrefix(line, "committed ") {
			continue
		}
		printed[b] = true
		if len(printed) >= 8 {
			break
		}
	}
	time.Sleep(delay)
	require.NoError(t, cmd.Process.Kill()) // SIGKILL: no cleanup, no deferred rollback
	_ = cmd.Wait()
	require.GreaterOrEqual(t, len(printed), 8, "the child committed batches before it was killed")

	db, err = sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	defer db.Close()
	var check string
	require.NoError(t, db.QueryRow("PRAGMA integrity_check").Scan(&check))
	require.Equal(t, "ok", check)
	s, err = sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"})
	require.NoError(t, err)
	ctx := context.Background()
	all, err := s.ListFacts(ctx, "", 0)
	require.NoError(t, err)
	perBatch := map[int]int{}
	for _, f := range all {
		b, err := strconv.Atoi(f.Key[1:7])
		require.NoError(t, err)
		perBatch[b]++
	}
	for b := range printed {
		require.Equal(t, crashBatch, perBatch[b], "batch %d was reported committed", b)
	}
	want := decimal.Zero
	for b, n := range perBatch {
		require.Equal(t, crashBatch, n, "batch %d is there in part", b)
		for _, f := range crashFacts(b) {
			want = want.Add(f.Value)
		}
	}
	t.Logf("child committed %d batches (%d reported) before SIGKILL; all whole", len(perBatch), len(printed))
	var q []storage.Query
	for i := 0; i < 7; i++ {
		q = append(q, storage.Query{Metric: "revenue", Unit: fmt.Sprintf("rep%d", i), Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1)})
	}
	tots, err := s.SumMany(ctx, q)
	require.NoError(t, err)
	got := decimal.Zero
	for _, tot := range tots {
		got = got.Add(tot.Value)
	}
	require.True(t, want.Equal(got), "the totals agree with the facts: want %s, got %s", want, got)
}

// crashChild ingests batches until it is killed, printing each committed
// batch number.
func crashChild(t *testing.T, path string) {
	db, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	s, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"})
	require.NoError(t, err)
	deadline := time.Now().Add(2 * time.Minute) // never outlive a lost parent
	for b := 0; time.Now().Before(deadline); b++ {
		_, err := s.AppendFacts(context.Background(), crashFacts(b))
		require.NoError(t, err)
		fmt.Fprintf(os.Stdout, "committed %d\n", b)
	}
}
