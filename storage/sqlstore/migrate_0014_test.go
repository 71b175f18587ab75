package sqlstore

import (
	"context"
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// Migration 0014 leaves the facts stored before it as they are: an old
// simple fact stays counted in daily, where a new one is its own bucket.
// The sums match brute force after the migration, and after retracting and
// replacing old and new facts of both shapes.
func TestMigration0014KeepsOldFactsInDaily(t *testing.T) {
	ctx := context.Background()
	db := migratedBelow(t, 14)
	s, err := New(db, Config{Dialect: SQLite, Tenant: "t"})
	require.NoError(t, err)
	day := func(m, d int) date.Date { return date.New(2026, 3, 1).AddDate(0, m-3, d-1) }
	fact := func(key, unit string, d date.Date, v string) kpi.Fact {
		return kpi.Fact{Key: key, Metric: "revenue", Unit: unit, Date: d, Value: decimal.RequireFromString(v), Currency: "USD"}
	}
	split := func(key string, d date.Date, v string) kpi.Fact {
		f := fact(key, "", d, v)
		f.Credits = []kpi.Credit{{Unit: "a", Share: decimal.RequireFromString("0.6")}, {Unit: "b", Share: decimal.RequireFromString("0.4")}}
		return f
	}
	// The pre-0014 layout, written as the store then wrote it: every fact
	// counted in daily, simple facts with parts NULL.
	old := []kpi.Fact{
		fact("old-simple-1", "a", day(3, 10), "100.25"),
		fact("old-simple-2", "a", day(3, 31), "7"),
		fact("old-simple-3", "b", day(4, 2), "-3.5"),
		split("old-split", day(3, 15), "50"),
	}
	live := map[string]kpi.Fact{}
	daily := rollup.Deltas{}
	for _, f := range old {
		parts, err := s.cfg.Split(f)
		require.NoError(t, err)
		_, err = db.ExecContext(ctx, "INSERT INTO goalkit_facts (tenant, fact_key, metric, unit, day, value, currency, credits, dims, parts, retracted, extra) VALUES ('t', ?, ?, ?, ?, ?, ?, ?, NULL, ?, false, NULL)",
			f.Key, f.Metric, f.Unit, dayArg(f.Date), decArg(f.Value), f.Currency, encodeCredits(f.Credits), encodeParts(f, parts))
		require.NoError(t, err)
		daily.AddFact(f.Metric, f.Date, parts, 1)
		live[f.Key] = f
	}
	for k, d := range daily {
		vh, vl, _ := hiLo(d.Value)
		nh, nl, _ := hiLo(d.Count)
		_, err = db.ExecContext(ctx, "INSERT INTO goalkit_daily (tenant, metric, unit, day, v_hi, v_lo, n_hi, n_lo) VALUES ('t', ?, ?, ?, ?, ?, ?, ?)",
			k.Metric, k.Unit, dayArg(k.Day), vh, vl, nh, nl)
		require.NoError(t, err)
	}
	applyMigration(t, db, 14)
	check := func(when string) {
		t.Helper()
		var qs []storage.Query
		for _, u := range []string{"a", "b"} {
			for _, r := range [][2]date.Date{
				{day(1, 1), day(13, 1)}, // whole months
				{day(3, 1), day(4, 1)},  // one month
				{day(3, 10), day(3, 11)},
				{day(3, 12), day(4, 3)}, // partial months
				{day(3, 31), day(4, 30)},
				{day(3, 5), day(11, 10)}, // two runs of partial months
			} {
				qs = append(qs, storage.Query{Metric: "revenue", Unit: u, Start: r[0], End: r[1]})
			}
		}
		got, err := s.SumMany(ctx, qs)
		require.NoError(t, err, when)
		for i, q := range qs {
			v, n := decimal.Zero, decimal.Zero
			for _, f := range live {
				parts, err := s.cfg.Split(f)
				require.NoError(t, err)
				for _, p := range parts {
					if p.Unit == q.Unit && f.Date >= q.Start && f.Date < q.End {
						v, n = v.Add(p.Value), n.Add(p.Share)
					}
				}
			}
			require.Truef(t, v.Equal(got[i].Value), "%s: %s %s..%s: want %s, got %s", when, q.Unit, q.Start, q.End, v, got[i].Value)
			require.Truef(t, n.Equal(got[i].Count), "%s: %s %s..%s: want count %s, got %s", when, q.Unit, q.Start, q.End, n, got[i].Count)
		}
	}
	check("after the migration")

	news := []kpi.Fact{
		fact("new-simple-1", "a", day(3, 10), "1000"),
		fact("new-simple-2", "b", day(3, 20), "0.01"),
		split("new-split", day(4, 1), "9"),
		fact("new-simple-3", "a", day(11, 3), "5"),
	}
	_, err = s.AppendFacts(ctx, news)
	require.NoError(t, err)
	for _, f := range news {
		live[f.Key] = f
	}
	check("after new facts")
	var own int
	require.NoError(t, db.QueryRowContext(ctx, "SELECT COUNT(*) FROM goalkit_facts WHERE v_hi IS NOT NULL").Scan(&own))
	require.Equal(t, 3, own, "only the new simple facts are their own buckets")

	steps := []struct {
		what    string
		retract string
		replace kpi.Fact
	}{
		{what: "retract an old simple fact", retract: "old-simple-1"},
		{what: "retract a new simple fact", retract: "new-simple-2"},
		{what: "replace an old simple fact", replace: fact("old-simple-2", "b", day(4, 15), "12.5")},
		{what: "replace a new simple fact", replace: fact("new-simple-1", "a", day(3, 11), "999")},
		{what: "replace an old simple fact by a split one", replace: split("old-simple-3", day(3, 12), "30")},
		{what: "replace the old split fact by a simple one", replace: fact("old-split", "a", day(3, 31), "4")},
		{what: "replace a new simple fact by a split one", replace: split("new-simple-1", day(3, 31), "8")},
		{what: "retract the new split fact", retract: "new-split"},
		{what: "replace the former old fact again", replace: fact("old-simple-2", "a", day(4, 15), "1")},
	}
	for _, st := range steps {
		if st.retract != "" {
			require.NoError(t, s.RetractFact(ctx, st.retract), st.what)
			delete(live, st.retract)
		} else {
			require.NoError(t, s.ReplaceFact(ctx, st.replace), st.what)
			live[st.replace.Key] = st.replace
		}
		check(st.what)
	}
	// Every total of daily and monthly left is the live facts', exactly:
	// nothing retracted or replaced lingers in a bucket.
	var rows int
	require.NoError(t, db.QueryRowContext(ctx, "SELECT COUNT(*) FROM goalkit_monthly WHERE v_hi != 0 OR v_lo != 0").Scan(&rows))
	require.Equal(t, len(monthsOf(live, s)), rows, "monthly rows with a total")
}

// monthsOf returns the (unit, month) cells the live facts have parts in.
func monthsOf(live map[string]kpi.Fact, s *Store) map[string]bool {
	out := map[string]bool{}
	for _, f := range live {
		parts, _ := s.cfg.Split(f)
		for _, p := range parts {
			out[fmt.Sprint(p.Unit, monthOf(f.Date))] = true
		}
	}
	return out
}
