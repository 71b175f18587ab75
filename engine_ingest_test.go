package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// Ingest hands the store the host's facts without copying them when none
// is rejected or rewritten; when one is, the host's slice is left as it
// was, the stored values have the metric's places and the good facts are
// stored in either mode.
func TestIngestLeavesTheHostsFacts(t *testing.T) {
	ctx := context.Background()
	s, err := memory.New(memory.Config{Tenant: "t"})
	require.NoError(t, err)
	cal, err := goal.NewCalendar(nil)
	require.NoError(t, err)
	e, err := goalkit.New(ctx, s, &goalkit.Config{
		Metrics:  []goal.Metric{{Key: "revenue", Kind: goal.Amount, Currency: "USD", Places: 2}},
		Calendar: cal,
	})
	require.NoError(t, err)
	require.NoError(t, e.SetOrg(ctx, []goal.Unit{{ID: "co"}, {ID: "a", Parent: "co"}}))
	day := date.New(2026, time.March, 1)
	facts := []kpi.Fact{
		{Key: "1", Metric: "revenue", Unit: "a", Date: day, Value: decimal.RequireFromString("1.50")},
		{Key: "2", Metric: "revenue", Unit: "a", Date: day, Value: decimal.RequireFromString("5")}, // rewritten 5.00
		{Key: "3", Metric: "revenue", Unit: "nobody", Date: day, Value: decimal.RequireFromString("1.00")},
		{Key: "4", Metric: "revenue", Unit: "a", Date: day, Value: decimal.RequireFromString("2.25")},
	}
	_, err = e.Ingest(ctx, facts, kpi.AllOrNothing)
	require.Error(t, err)
	res, err := e.Ingest(ctx, facts, kpi.KeepGood)
	require.NoError(t, err)
	require.Equal(t, 3, res.Inserted)
	require.Len(t, res.Rejected, 1)
	require.Equal(t, 2, res.Rejected[0].Index)
	require.Equal(t, int32(0), facts[1].Value.Exponent(), "the host's fact was rewritten")
	got, err := s.GetFact(ctx, "2")
	require.NoError(t, err)
	require.Equal(t, int32(-2), got.Value.Exponent())
	total, err := s.Sum(ctx, storage.Query{Metric: "revenue", Unit: "co", Subtree: true, Start: day, End: day + 1})
	require.NoError(t, err)
	require.True(t, total.Value.Equal(decimal.RequireFromString("8.75")), "total %s", total.Value)
	// A batch that needs no copy is stored all the same.
	res, err = e.Ingest(ctx, []kpi.Fact{{Key: "5", Metric: "revenue", Unit: "a", Date: day, Value: decimal.RequireFromString("0.25")}}, kpi.AllOrNothing)
	require.NoError(t, err)
	require.Equal(t, 1, res.Inserted)
}
