package goalkit_test

import (
	"math"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/sqltest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/goalkit/goalkit/storage/sqlstore"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// badFacts are facts the engine must reject one by one, before the store
// sees them, because some store would refuse them (and with them the whole
// batch) or because converting them would hang or panic.
func badFacts() map[string]kpi.Fact {
	with := func(change func(f *kpi.Fact)) kpi.Fact {
		f := rev("bad", "li", "2026-02-05", "1.00")
		change(&f)
		return f
	}
	return map[string]kpi.Fact{
		"year 10000":         with(func(f *kpi.Fact) { f.Date = date.New(10000, 1, 1) }),
		"year 0":             with(func(f *kpi.Fact) { f.Date = date.New(0, 12, 31) }),
		"NUL in the key":     with(func(f *kpi.Fact) { f.Key = "bad\x00" }),
		"invalid UTF-8 key":  with(func(f *kpi.Fact) { f.Key = "bad\xff" }),
		"a 10 MB key":        with(func(f *kpi.Fact) { f.Key = strings.Repeat("k", 10<<20) }),
		"NUL in a dimension": with(func(f *kpi.Fact) { f.Dims = map[string]string{"product": "a\x00b"} }),
		"bad dimension key":  with(func(f *kpi.Fact) { f.Dims = map[string]string{"\xff": "a"} }),
		"long dimension":     with(func(f *kpi.Fact) { f.Dims = map[string]string{"product": strings.Repeat("p", goal.MaxTextLen+1)} }),
		"value 1e-2^31":      with(func(f *kpi.Fact) { f.Value = decimal.New(1, math.MinInt32) }),
		"value 1e(2^31-1)":   with(func(f *kpi.Fact) { f.Value = decimal.New(1, math.MaxInt32) }),
		"value 0e-2^31":      with(func(f *kpi.Fact) { f.Value = decimal.New(0, math.MinInt32) }),
	}
}

// badInputScenario checks on store that bad facts cost the good ones
// nothing: KeepGood stores the good facts and returns each bad one, typed.
func badInputScenario(t *testing.T, store storage.Store) {
	f := newFixture(t, store, nil)
	for name, bad := range badFacts() {
		t.Run(name, func(t *testing.T) {
			good := []kpi.Fact{rev("g1-"+name, "li", "2026-02-05", "10.00"), rev("g2-"+name, "wang", "2026-02-06", "5.00")}
			res, err := f.engine.Ingest(f.ctx, []kpi.Fact{good[0], bad, good[1]}, kpi.KeepGood)
			require.NoError(t, err)
			require.Equal(t, 2, res.Inserted)
			require.Len(t, res.Rejected, 1)
			require.Equal(t, 1, res.Rejected[0].Index)
			require.ErrorIs(t, res.Rejected[0].Err, kpi.ErrInvalid)
			require.Less(t, len(res.Rejected[0].Err.Error()), 1000, "the message is short")
			for _, g := range good {
				_, err := f.store.GetFact(f.ctx, g.Key)
				require.NoError(t, err, g.Key)
			}

			_, err = f.engine.Ingest(f.ctx, []kpi.Fact{bad}, kpi.AllOrNothing)
			var be *kpi.BatchError
			require.ErrorAs(t, err, &be)

			if bad.Key == "bad" { // replace a stored fact with the bad content
				bad.Key = good[0].Key
			}
			require.ErrorIs(t, f.engine.Replace(f.ctx, bad), kpi.ErrInvalid)
			got, err := f.store.GetFact(f.ctx, good[0].Key)
			require.NoError(t, err)
			requireDec(t, "10.00", got.Value, "the stored fact is unchanged")
		})
	}
	for _, key := range []string{"k\x00", "k\xff", strings.Repeat("k", 10<<20)} {
		err := f.engine.Retract(f.ctx, key)
		require.ErrorIs(t, err, storage.ErrInvalid, "a key no store can hold, not a driver error")
		require.Less(t, len(err.Error()), 1000)
	}
	stored, err := f.store.ListFacts(f.ctx, "", 0)
	require.NoError(t, err)
	require.Len(t, stored, 2*len(badFacts()), "the good facts and nothing else")
}

// TestBadInputCostsNothing runs badInputScenario on every store.
func TestBadInputCostsNothing(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) storage.Store{
		"memory": func(t *testing.T) storage.Store {
			s, err := memory.New(memory.Config{Tenant: "acme"})
			require.NoError(t, err)
			return s
		},
		"SQLite": func(t *testing.T) storage.Store {
			return sqltest.Store(t, sqltest.SQLite(t), sqlstore.Config{Dialect: sqlstore.SQLite, Tenant: "acme"})
		},
		"PostgreSQL": func(t *testing.T) storage.Store {
			return sqltest.Store(t, sqltest.Postgres(t), sqlstore.Config{Dialect: sqlstore.PostgreSQL, Tenant: "acme"})
		},
	} {
		t.Run(name, func(t *testing.T) { badInputScenario(t, open(t)) })
	}
}

// TestSavePlanRefusesExtremeTargets: a target built with an extreme
// exponent is a typed error, not a hang or a panic.
func TestSavePlanRefusesExtremeTargets(t *testing.T) {
	f := newFixture(t, nil, nil)
	for _, v := range []decimal.Decimal{decimal.New(1, math.MinInt32), decimal.New(1, math.MaxInt32), decimal.New(0, math.MinInt32)} {
		p := f.seasonalPlan(t, "p")
		p.Goals[1].Target = v
		_, err := f.engine.SavePlan(f.ctx, p, who)
		require.ErrorIs(t, err, goal.ErrInvalid)
		require.Less(t, len(err.Error()), 1000)
	}
}
