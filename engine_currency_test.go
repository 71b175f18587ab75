package goalkit_test

import (
	"context"
	"errors"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/stretchr/testify/require"
)

// newRateEngine is an engine over a memory store with revenue in CNY (2
// places) and a rate table.
func newRateEngine(t *testing.T) (*goalkit.Engine, *goalkit.RateTable, storage.Store) {
	t.Helper()
	ctx := context.Background()
	s, err := memory.New(memory.Config{Tenant: "t"})
	require.NoError(t, err)
	rates := &goalkit.RateTable{}
	e, err := goalkit.New(ctx, s, &goalkit.Config{
		Metrics: []goal.Metric{{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}},
		Rates:   rates,
	})
	require.NoError(t, err)
	require.NoError(t, e.SetOrg(ctx, []goal.Unit{{ID: "co"}, {ID: "a", Parent: "co"}}))
	return e, rates, s
}

func usd(key, d, amount string) kpi.Fact {
	return kpi.Fact{Key: key, Metric: "revenue", Unit: "a", Date: day(d), Value: dec(amount), Currency: "USD"}
}

func total(t *testing.T, s storage.Store, start, end string) string {
	t.Helper()
	tot, err := s.Sum(context.Background(), storage.Query{Metric: "revenue", Unit: "co", Subtree: true, Start: day(start), End: day(end)})
	require.NoError(t, err)
	return tot.Value.StringFixed(2)
}

func TestConvertAtTheFactsDateHalfEven(t *testing.T) {
	ctx := context.Background()
	e, rates, s := newRateEngine(t)
	require.NoError(t, rates.Set("USD", "CNY", day("2026-01-01"), dec("7.125")))
	require.NoError(t, rates.Set("USD", "CNY", day("2026-02-01"), dec("7.135")))
	res, err := e.Ingest(ctx, []kpi.Fact{
		usd("jan", "2026-01-31", "0.02"), // 0.1425 → 0.14 (half to even)
		usd("feb", "2026-02-01", "0.02"), // 0.1427 → 0.14
		usd("odd", "2026-02-01", "0.10"), // 0.7135 → 0.71
		usd("tie", "2026-01-15", "0.10"), // 0.7125 → 0.71 (half to even, not up)
		{Key: "cny", Metric: "revenue", Unit: "a", Date: day("2026-01-15"), Value: dec("1")},
	}, kpi.AllOrNothing)
	require.NoError(t, err)
	require.Equal(t, 5, res.Inserted)
	got, err := s.GetFact(ctx, "tie")
	require.NoError(t, err)
	require.Equal(t, "0.71", got.Value.StringFixed(2))
	require.Equal(t, "CNY", got.Currency)
	require.Equal(t, "USD", got.Converted.Currency)
	requireDec(t, "0.10", got.Converted.Amount)
	requireDec(t, "7.125", got.Converted.Rate)
	require.Equal(t, "2.70", total(t, s, "2026-01-01", "2026-03-01"))

	// Sending the same booking again is unchanged: it converts the same.
	res, err = e.Ingest(ctx, []kpi.Fact{usd("tie", "2026-01-15", "0.10")}, kpi.AllOrNothing)
	require.NoError(t, err)
	require.Equal(t, 1, res.Unchanged)
}

func TestConvertMissingRate(t *testing.T) {
	ctx := context.Background()
	e, rates, s := newRateEngine(t)
	require.NoError(t, rates.Set("USD", "CNY", day("2026-02-01"), dec("7.1")))
	_, err := e.Ingest(ctx, []kpi.Fact{usd("early", "2026-01-31", "1.00")}, kpi.AllOrNothing)
	require.ErrorIs(t, err, goalkit.ErrNoRate)
	re, ok := errors.AsType[*goalkit.RateError](err)
	require.True(t, ok, "%v", err)
	require.Equal(t, goalkit.RateError{From: "USD", To: "CNY", Day: day("2026-01-31")}, *re)
	require.ErrorContains(t, err, "USD to CNY on 2026-01-31")

	res, err := e.Ingest(ctx, []kpi.Fact{usd("early", "2026-01-31", "1.00"), usd("ok", "2026-02-01", "1.00"),
		{Key: "eur", Metric: "revenue", Unit: "a", Date: day("2026-02-01"), Value: dec("1"), Currency: "EUR"}}, kpi.KeepGood)
	require.NoError(t, err)
	require.Equal(t, 1, res.Inserted)
	require.Len(t, res.Rejected, 2)
	require.ErrorIs(t, res.Rejected[0].Err, goalkit.ErrNoRate)
	require.ErrorIs(t, res.Rejected[1].Err, goalkit.ErrNoRate)
	require.Equal(t, "7.10", total(t, s, "2026-01-01", "2027-01-01"))

	_, err = e.Convert(ctx, kpi.Fact{Key: "x", Metric: "revenue", Unit: "a", Date: day("2026-01-01"), Value: dec("1"), Currency: "USD"})
	require.ErrorIs(t, err, goalkit.ErrNoRate)
}

func TestConvertRefusesHandMadeConversion(t *testing.T) {
	ctx := context.Background()
	e, _, _ := newRateEngine(t)
	f := kpi.Fact{Key: "x", Metric: "revenue", Unit: "a", Date: day("2026-01-01"), Value: dec("7.00"), Currency: "CNY",
		Converted: &kpi.Conversion{Currency: "USD", Amount: dec("1.00"), Rate: dec("7.1")}}
	_, err := e.Ingest(ctx, []kpi.Fact{f}, kpi.AllOrNothing)
	require.ErrorIs(t, err, kpi.ErrInvalid)
	require.ErrorContains(t, err, "value 7 is not 1 × 7.1 = 7.10")
}

func TestRevalueAfterARateCorrection(t *testing.T) {
	ctx := context.Background()
	e, rates, s := newRateEngine(t)
	require.NoError(t, rates.Set("USD", "CNY", day("2026-01-01"), dec("7.0")))
	require.NoError(t, rates.Set("USD", "CNY", day("2026-02-01"), dec("7.2")))
	_, err := e.Ingest(ctx, []kpi.Fact{usd("a1", "2026-01-10", "100.00"), usd("a2", "2026-01-20", "10.00"), usd("b1", "2026-02-10", "100.00")}, kpi.AllOrNothing)
	require.NoError(t, err)
	require.Equal(t, "770.00", total(t, s, "2026-01-01", "2026-02-01"))

	// January's rate was wrong: 7.1, not 7.0.
	require.NoError(t, rates.Set("USD", "CNY", day("2026-01-01"), dec("7.1")))
	res, err := e.Revalue(ctx, "USD", day("2026-01-01"), day("2026-02-01"))
	require.NoError(t, err)
	require.Equal(t, goalkit.RevalueResult{Checked: 2, Replaced: 2}, res)
	require.Equal(t, "781.00", total(t, s, "2026-01-01", "2026-02-01"))
	require.Equal(t, "720.00", total(t, s, "2026-02-01", "2026-03-01"), "February untouched")
	got, err := s.GetFact(ctx, "a1")
	require.NoError(t, err)
	requireDec(t, "7.1", got.Converted.Rate)

	res, err = e.Revalue(ctx, "USD", day("2026-01-01"), day("2027-01-01"))
	require.NoError(t, err)
	require.Equal(t, goalkit.RevalueResult{Checked: 3, Replaced: 0}, res, "idempotent")
	// The host's booking sent again now agrees with the stored fact.
	again, err := e.Ingest(ctx, []kpi.Fact{usd("a1", "2026-01-10", "100.00")}, kpi.AllOrNothing)
	require.NoError(t, err)
	require.Equal(t, 1, again.Unchanged)
}

func TestRateTableRefusesBadRates(t *testing.T) {
	var rt goalkit.RateTable
	for _, c := range []struct{ from, to, rate string }{
		{"usd", "CNY", "7"}, {"USD", "USD", "1"}, {"USD", "CNY", "0"}, {"USD", "CNY", "-7"}, {"USD", "CNY", "0.0000000000001"},
	} {
		require.ErrorIs(t, rt.Set(c.from, c.to, day("2026-01-01"), dec(c.rate)), goalkit.ErrInvalid, "%+v", c)
	}
	_, err := rt.Rate(context.Background(), "USD", "CNY", day("2026-01-01"))
	require.ErrorIs(t, err, goalkit.ErrNoRate)
}
