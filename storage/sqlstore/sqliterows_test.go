package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	gotime "time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// shapedFact returns fact k of a mix of every shape a fact row takes in
// SQLite: lean (no credits, dims, range or conversion), with dims, split
// by credits, a range (over working days or every day), a converted
// amount, and a range split by credits.
func shapedFact(k int) kpi.Fact {
	f := kpi.Fact{Key: fmt.Sprintf("s%06d", k), Metric: "revenue", Unit: fmt.Sprintf("t%d-r%d", k%4, k/4%4),
		Date: date.New(2026, 1, 1) + date.Date(k*11%360), Value: decimal.New(int64(k*37%100000-20000), -2)}
	switch k % 8 {
	case 2:
		f.Dims = map[string]string{"product": fmt.Sprint("p", k%3)}
	case 3:
		f.Unit, f.Credits = "", []kpi.Credit{{Unit: f.Unit, Share: decimal.New(3, -1)}, {Unit: "t0-r0", Share: decimal.New(7, -1)}}
	case 4:
		f.End = f.Date + date.Date(k%9+2)
		if k%16 == 4 { // a week: it holds working days
			f.End, f.WorkingDays = f.Date+7, true
		}
	case 5:
		f.Metric, f.Currency = "bookings", "EUR"
		f.Converted = &kpi.Conversion{Currency: "USD", Amount: decimal.New(int64(k), 0), Rate: decimal.RequireFromString("0.91")}
	case 6:
		f.Unit, f.End = "", f.Date+40 // across a month
		f.Credits = []kpi.Credit{{Unit: "t1-r1", Share: decimal.New(5, -1)}, {Unit: "t2-r3", Share: decimal.New(5, -1)}}
	}
	return f
}

// TestSQLiteFactRowsMatchMemory writes facts of every shape through
// SQLite's statements (lean and full rows, the tenant bound once as ?1,
// chunks both full size and not) and checks that every column reads back
// as written and every total equals the memory store's on the same facts:
// after ingest, a re-ingest that finds stored keys, retractions and
// replacements that change a fact's shape. A value bound to a wrong column
// would fail it.
func TestSQLiteFactRowsMatchMemory(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	s := newStore(t, db, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"})
	other, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "beta"})
	require.NoError(t, err)
	m, err := memory.New(memory.Config{Tenant: "acme"})
	require.NoError(t, err)
	units := repOrg(4, 4)
	for _, st := range []storage.Store{s, other, m} {
		require.NoError(t, st.PutUnits(ctx, units))
	}
	same := func(step string, facts []kpi.Fact) {
		t.Helper()
		got, err := s.AppendFacts(ctx, facts)
		require.NoError(t, err, step)
		want, err := m.AppendFacts(ctx, facts)
		require.NoError(t, err, step)
		require.Equal(t, want, got, step)
	}
	var facts []kpi.Fact
	for k := range 7000 {
		facts = append(facts, shapedFact(k))
	}
	same("ingest", facts[:5600]) // over 2,000 of each row shape: chunks of full size and not
	_, err = other.AppendFacts(ctx, facts[:10])
	require.NoError(t, err)
	compareStores(t, s, m, units, "ingest")

	same("re-ingest with stored keys", facts[5100:]) // 500 stored, 1,400 new
	compareStores(t, s, m, units, "re-ingest")

	for k := 0; k < len(facts); k += 7 {
		for _, st := range []storage.Store{s, m} {
			require.NoError(t, st.RetractFact(ctx, facts[k].Key))
		}
	}
	compareStores(t, s, m, units, "retract")
	for k := 1; k < len(facts); k += 5 {
		r := shapedFact(k + 3) // another shape, day and value
		r.Key = facts[k].Key
		for _, st := range []storage.Store{s, m} {
			require.NoError(t, st.ReplaceFact(ctx, r))
		}
	}
	compareStores(t, s, m, units, "replace")

	var n int
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM goalkit_facts WHERE tenant = 'acme'").Scan(&n))
	require.Equal(t, len(facts), n, "every row of acme's facts bound its tenant")
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM goalkit_facts WHERE tenant = 'beta'").Scan(&n))
	require.Equal(t, 10, n)
}

// compareStores requires s to hold the facts m holds, field by field, and
// the same totals for every unit, own and subtree, over whole and partial
// months.
func compareStores(t *testing.T, s, m storage.Store, units []goal.Unit, step string) {
	t.Helper()
	ctx := context.Background()
	got, err := s.ListFacts(ctx, "", 0)
	require.NoError(t, err)
	want, err := m.ListFacts(ctx, "", 0)
	require.NoError(t, err)
	require.Len(t, got, len(want), step)
	for i := range want {
		require.True(t, kpi.SameFact(want[i].Fact, got[i].Fact), "%s: fact %s: want %+v, got %+v", step, want[i].Key, want[i].Fact, got[i].Fact)
		require.Equal(t, want[i].Retracted, got[i].Retracted, "%s: fact %s", step, want[i].Key)
		require.Equal(t, fmt.Sprint(want[i].Dims, want[i].Credits, want[i].Converted), fmt.Sprint(got[i].Dims, got[i].Credits, got[i].Converted), "%s: fact %s", step, want[i].Key)
	}
	d := func(mo, day int) date.Date { return date.New(2026, gotime.Month(mo), day) }
	var qs []storage.Query
	for _, metric := range []string{"revenue", "bookings"} {
		for _, u := range units {
			for _, sub := range []bool{false, true} {
				for _, r := range [][2]date.Date{{d(1, 1), date.New(2027, 3, 1)}, {d(2, 1), d(3, 1)}, {d(1, 10), d(4, 20)}, {d(6, 3), d(6, 4)}, {d(11, 15), d(12, 31)}} {
					qs = append(qs, storage.Query{Metric: metric, Unit: u.ID, Subtree: sub, Start: r[0], End: r[1]})
				}
			}
		}
	}
	gt, err := s.SumMany(ctx, qs)
	require.NoError(t, err)
	wt, err := m.SumMany(ctx, qs)
	require.NoError(t, err)
	for i, q := range qs {
		require.True(t, wt[i].Value.Equal(gt[i].Value) && wt[i].Count.Equal(gt[i].Count), "%s: %+v: want %v, got %v", step, q, wt[i], gt[i])
	}
}
