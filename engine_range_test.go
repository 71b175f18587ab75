package goalkit_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// A range fact through the Engine on every store: spread over its days,
// corrected and retracted as one fact, seen by Statuses like any other.
func TestRangeFactThroughTheEngine(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s storage.Store) {
		ctx := context.Background()
		e, err := goalkit.New(ctx, s, &goalkit.Config{Metrics: []goal.Metric{{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}}})
		require.NoError(t, err)
		require.NoError(t, e.SetOrg(ctx, []goal.Unit{{ID: "co"}, {ID: "a", Parent: "co"}}))
		month := kpi.Fact{Key: "erp:run:2026-03", Metric: "revenue", Unit: "a", Date: day("2026-03-01"), End: day("2026-04-01"), WorkingDays: true, Value: dec("2200")}
		res, err := e.Ingest(ctx, []kpi.Fact{month}, kpi.AllOrNothing)
		require.NoError(t, err)
		require.Equal(t, 1, res.Inserted)
		require.Equal(t, "100.00", total(t, s, "2026-03-02", "2026-03-03"), "22 working days in March 2026")
		require.Equal(t, "0.00", total(t, s, "2026-03-07", "2026-03-09"), "nothing on a weekend")
		require.Equal(t, "1000.00", total(t, s, "2026-03-01", "2026-03-16"), "ten working days")

		month.Value = dec("2200.00")
		res, err = e.Ingest(ctx, []kpi.Fact{month}, kpi.AllOrNothing)
		require.NoError(t, err)
		require.Equal(t, 1, res.Unchanged, "idempotent by key")
		month.WorkingDays = false
		month.Value = dec("3100.00")
		require.NoError(t, e.Replace(ctx, month))
		require.Equal(t, "100.00", total(t, s, "2026-03-07", "2026-03-08"), "now every calendar day")
		require.Equal(t, "3100.00", total(t, s, "2026-01-01", "2027-01-01"))
		require.NoError(t, e.Retract(ctx, month.Key))
		require.Equal(t, "0.00", total(t, s, "2026-01-01", "2027-01-01"))
	})
}

// The engine checks a working-day range against its own calendar.
func TestRangeFactNeedsAWorkingDayOfTheEnginesCalendar(t *testing.T) {
	ctx := context.Background()
	s, err := memory.New(memory.Config{Tenant: "t"})
	require.NoError(t, err)
	cal, err := goal.NewCalendar(&goal.CalendarConfig{Holidays: []date.Date{day("2026-10-01"), day("2026-10-02")}})
	require.NoError(t, err)
	e, err := goalkit.New(ctx, s, &goalkit.Config{Metrics: []goal.Metric{{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}}, Calendar: cal})
	require.NoError(t, err)
	require.NoError(t, e.SetOrg(ctx, []goal.Unit{{ID: "a"}}))
	f := kpi.Fact{Key: "golden-week", Metric: "revenue", Unit: "a", Date: day("2026-10-01"), End: day("2026-10-05"), WorkingDays: true, Value: dec("1.00")}
	res, err := e.Ingest(ctx, []kpi.Fact{f}, kpi.KeepGood)
	require.NoError(t, err)
	require.Len(t, res.Rejected, 1)
	var fe *kpi.FactError
	require.ErrorAs(t, res.Rejected[0].Err, &fe)
	require.Equal(t, "golden-week", fe.Key)
	require.Equal(t, "End", fe.Field)
	require.Contains(t, fe.Reason, "no working day")
}
