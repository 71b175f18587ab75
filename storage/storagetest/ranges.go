package storagetest

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
)

// rangeTests cover range facts (kpi.Fact.End: a value spread over its
// days, one fact for idempotency, retraction and replacement) and what a
// converted fact keeps (kpi.Fact.Converted).
var rangeTests = []test{
	{name: "Ranges/SpreadOverDaysAsOneFact", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		// A week from Monday 2026-03-30 to Sunday 2026-04-05: 100.000 over 7
		// days is 14.286 on the first five days and 14.285 on the last two
		// (largest remainder, ties to the earlier day); its count of 1 is
		// 0.142858 on the first day and 0.142857 on the others.
		f := fact("week-14", "revenue", "c", "2026-03-30", "100.000")
		f.End = day("2026-04-06")
		require.Equal(t, []storage.Outcome{storage.Inserted}, append1(t, s, f))
		requireTotal(t, "28.572", "0.285715", sum(t, s, q("revenue", "c", false, "2026-03-30", "2026-04-01")), "March holds two days")
		requireTotal(t, "71.428", "0.714285", sum(t, s, q("revenue", "c", false, "2026-04-01", "2026-05-01")), "April holds five")
		requireTotal(t, "100", "1", sum(t, s, q("revenue", "co", true, "2026-01-01", "2027-01-01")), "the ancestors count it once")
		requireTotal(t, "14.286", "0.142857", sum(t, s, q("revenue", "r1", true, "2026-03-31", "2026-04-01")))
		got, err := s.GetFact(ctx, "week-14")
		require.NoError(t, err)
		requireFact(t, f, got.Fact)
		require.Equal(t, f.End, got.End)
		require.False(t, got.WorkingDays)

		again := f
		again.Value = dec("100")
		require.Equal(t, []storage.Outcome{storage.Unchanged}, append1(t, s, again), "idempotent by key")
		other := f
		other.End = day("2026-04-05")
		_, err = s.AppendFacts(ctx, []kpi.Fact{other})
		require.ErrorIs(t, err, storage.ErrConflict, "another range is other content")

		moved := f
		moved.Date, moved.End, moved.WorkingDays = day("2026-04-06"), day("2026-04-13"), true
		require.NoError(t, s.ReplaceFact(ctx, moved))
		requireTotal(t, "0", "0", sum(t, s, q("revenue", "c", false, "2026-03-01", "2026-04-06")), "replaced as a whole")
		requireTotal(t, "20", "0.2", sum(t, s, q("revenue", "c", false, "2026-04-06", "2026-04-07")), "five working days")
		requireTotal(t, "0", "0", sum(t, s, q("revenue", "c", false, "2026-04-11", "2026-04-13")), "nothing on the weekend")
		requireTotal(t, "100", "1", sum(t, s, q("revenue", "co", true, "2026-01-01", "2027-01-01")))
		require.NoError(t, s.RetractFact(ctx, "week-14"))
		requireTotal(t, "0", "0", sum(t, s, q("revenue", "co", true, "2026-01-01", "2027-01-01")), "retracted as a whole")
	}},
	{name: "Ranges/SplitCreditOverDays", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		f := fact("run-04", "revenue", "", "2026-04-01", "0.010")
		f.End = day("2026-04-04")
		f.Credits = []kpi.Credit{{Unit: "a", Share: dec("0.5")}, {Unit: "d", Share: dec("0.5")}}
		append1(t, s, f)
		// 0.010 → 0.005 each; each over 3 days: 0.002, 0.002, 0.001.
		requireTotal(t, "0.002", "0.166667", sum(t, s, q("revenue", "a", false, "2026-04-02", "2026-04-03")))
		requireTotal(t, "0.001", "0.166666", sum(t, s, q("revenue", "d", false, "2026-04-03", "2026-04-04")))
		requireTotal(t, "0.010", "1", sum(t, s, q("revenue", "co", true, "2026-04-01", "2026-04-04")))
		got, err := s.GetFact(ctx, "run-04")
		require.NoError(t, err)
		requireFact(t, f, got.Fact)
		require.Equal(t, f.End, got.End)
	}},
	{name: "Ranges/BadRangeRefused", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		for name, change := range map[string]func(f *kpi.Fact){
			"empty":             func(f *kpi.Fact) { f.End = f.Date },
			"too long":          func(f *kpi.Fact) { f.End = f.Date + kpi.MaxRangeDays + 1 },
			"working, no range": func(f *kpi.Fact) { f.WorkingDays = true },
			"no working day in": func(f *kpi.Fact) { f.Date, f.End, f.WorkingDays = day("2026-04-11"), day("2026-04-13"), true },
			"end past 9999":     func(f *kpi.Fact) { f.Date, f.End = day("9999-12-31"), day("9999-12-31")+2 },
		} {
			f := fact("bad", "revenue", "a", "2026-04-01", "1")
			change(&f)
			_, err := s.AppendFacts(ctx, []kpi.Fact{f})
			require.ErrorIs(t, err, storage.ErrInvalid, name)
		}
		requireTotal(t, "0", "0", sum(t, s, q("revenue", "co", true, "0001-01-01", "9999-12-31")), "nothing written")
	}},
	{name: "Ranges/ConversionKept", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		f := fact("inv-7", "revenue", "a", "2026-04-01", "712.345")
		f.Currency = "CNY"
		f.Converted = &kpi.Conversion{Currency: "USD", Amount: dec("100.00"), Rate: dec("7.12345")}
		append1(t, s, f)
		got, err := s.GetFact(ctx, "inv-7")
		require.NoError(t, err)
		requireFact(t, f, got.Fact)
		require.NotNil(t, got.Converted)
		require.Equal(t, "USD", got.Converted.Currency)
		requireDec(t, "100.00", got.Converted.Amount)
		requireDec(t, "7.12345", got.Converted.Rate)
		got.Converted.Rate = dec("1")
		again, err := s.GetFact(ctx, "inv-7")
		require.NoError(t, err)
		requireDec(t, "7.12345", again.Converted.Rate, "the store copied the conversion out")

		other := f
		other.Converted = &kpi.Conversion{Currency: "USD", Amount: dec("100.00"), Rate: dec("7.1234")}
		_, err = s.AppendFacts(ctx, []kpi.Fact{other})
		require.ErrorIs(t, err, storage.ErrConflict, "another rate is other content")
		plain := f
		plain.Converted = nil
		_, err = s.AppendFacts(ctx, []kpi.Fact{plain})
		require.ErrorIs(t, err, storage.ErrConflict)
	}},
}
