package storagetest

import (
	"context"
	"errors"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
)

var factTests = []test{
	{name: "Facts/RoundTrip", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		facts := []kpi.Fact{
			{Key: "order-1", Metric: "revenue", Unit: "a", Date: day("2026-02-28"), Value: dec(twenty), Currency: "CNY",
				Dims: map[string]string{"product": "widget", "渠道": "线上"}},
			{Key: "order-2", Metric: "revenue", Unit: "a", Date: day("0001-01-01"), Value: dec("-0.000000000001")},
			{Key: "call-1", Metric: "calls", Unit: "ignored when credits are set", Date: day("9999-12-31"), Value: dec("1"),
				Credits: []kpi.Credit{{Unit: "c", Share: dec("0.25")}, {Unit: "a", Share: dec("0.75")}}},
		}
		out := append1(t, s, facts...)
		require.Equal(t, []storage.Outcome{storage.Inserted, storage.Inserted, storage.Inserted}, out)
		for _, f := range facts {
			got, err := s.GetFact(ctx, f.Key)
			require.NoError(t, err)
			requireFact(t, f, got.Fact)
			require.False(t, got.Retracted)
		}
		facts[0].Dims["product"] = "mutated"
		got, err := s.GetFact(ctx, "order-1")
		require.NoError(t, err)
		require.Equal(t, "widget", got.Dims["product"], "the store copied the dims in")
		got.Credits = append(got.Credits, kpi.Credit{Unit: "x"})
		got.Dims["product"] = "mutated"
		again, err := s.GetFact(ctx, "order-1")
		require.NoError(t, err)
		require.Equal(t, "widget", again.Dims["product"], "the store copied the dims out")
		_, err = s.GetFact(ctx, "nope")
		require.ErrorIs(t, err, storage.ErrNotFound)
	}},
	{name: "Facts/IdempotentByKey", run: func(t *testing.T, open Opener) {
		s := open("acme")
		f := fact("k1", "revenue", "a", "2026-03-01", "1.5")
		f.Dims = map[string]string{"p": "x"}
		append1(t, s, f)
		same := f
		same.Value = dec("1.50")
		same.Dims = map[string]string{"p": "x"}
		out := append1(t, s, same, fact("k2", "revenue", "a", "2026-03-01", "2"))
		require.Equal(t, []storage.Outcome{storage.Unchanged, storage.Inserted}, out)
		requireTotal(t, "3.5", "2", sum(t, s, q("revenue", "a", false, "2026-03-01", "2026-03-02")), "counted once")
		split := fact("k3", "revenue", "", "2026-03-02", "0.001")
		split.Credits = []kpi.Credit{{Unit: "a", Share: dec("0.5")}, {Unit: "b", Share: dec("0.5")}}
		append1(t, s, split)
		split.Credits = []kpi.Credit{{Unit: "b", Share: dec("0.50")}, {Unit: "a", Share: dec("0.5")}}
		require.Equal(t, []storage.Outcome{storage.Unchanged}, append1(t, s, split), "credits in another order are the same fact (kpi.SameFact)")
		requireTotal(t, "0.001", "0.5", sum(t, s, q("revenue", "a", false, "2026-03-02", "2026-03-03")), "the first order's split stands")
	}},
	{name: "Facts/ConflictRejectsWholeBatch", run: func(t *testing.T, open Opener) {
		s := open("acme")
		append1(t, s, fact("k1", "revenue", "a", "2026-03-01", "1"))
		cases := []struct {
			name   string
			change func(f *kpi.Fact)
		}{
			{"value", func(f *kpi.Fact) { f.Value = dec("1.01") }},
			{"date", func(f *kpi.Fact) { f.Date = day("2026-03-02") }},
			{"unit", func(f *kpi.Fact) { f.Unit = "b" }},
			{"metric", func(f *kpi.Fact) { f.Metric = "calls" }},
			{"currency", func(f *kpi.Fact) { f.Currency = "USD" }},
			{"dims", func(f *kpi.Fact) { f.Dims = map[string]string{"p": "x"} }},
			{"credits", func(f *kpi.Fact) { f.Credits = []kpi.Credit{{Unit: "a", Share: dec("1")}} }},
		}
		for _, c := range cases {
			changed := fact("k1", "revenue", "a", "2026-03-01", "1")
			c.change(&changed)
			out, err := s.AppendFacts(context.Background(), []kpi.Fact{fact("new", "revenue", "a", "2026-03-01", "5"), changed})
			require.ErrorIs(t, err, storage.ErrConflict, c.name)
			var ce *storage.ConflictError
			require.True(t, errors.As(err, &ce), c.name)
			require.Equal(t, "k1", ce.Key, c.name)
			require.Equal(t, []storage.Outcome{storage.Inserted, storage.Conflicting}, out, c.name)
			_, err = s.GetFact(context.Background(), "new")
			require.ErrorIs(t, err, storage.ErrNotFound, "%s: nothing of the batch is stored", c.name)
		}
		requireTotal(t, "1", "1", sum(t, s, q("revenue", "a", false, "2026-01-01", "2027-01-01")))
	}},
	{name: "Facts/DuplicatesWithinBatch", run: func(t *testing.T, open Opener) {
		s := open("acme")
		out := append1(t, s, fact("k1", "calls", "a", "2026-03-01", "1"), fact("k1", "calls", "a", "2026-03-01", "1.0"))
		require.Equal(t, []storage.Outcome{storage.Inserted, storage.Unchanged}, out)
		out, err := s.AppendFacts(context.Background(), []kpi.Fact{fact("k2", "calls", "a", "2026-03-01", "1"), fact("k2", "calls", "a", "2026-03-01", "2")})
		require.ErrorIs(t, err, storage.ErrConflict)
		require.Equal(t, []storage.Outcome{storage.Inserted, storage.Conflicting}, out)
		requireTotal(t, "1", "1", sum(t, s, q("calls", "a", false, "2026-01-01", "2027-01-01")))
	}},
	{name: "Facts/RetractKeepsKeyKnown", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		split := fact("s", "revenue", "", "2026-03-01", "10")
		split.Credits = []kpi.Credit{{Unit: "a", Share: dec("0.5")}, {Unit: "c", Share: dec("0.5")}}
		append1(t, s, fact("k1", "revenue", "a", "2026-03-01", "1.25"), fact("k2", "revenue", "b", "2026-03-01", "2"), split)
		requireTotal(t, "13.25", "3", sum(t, s, q("revenue", "co", true, "2026-03-01", "2026-03-02")))
		require.NoError(t, s.RetractFact(ctx, "k1"))
		require.NoError(t, s.RetractFact(ctx, "s"))
		requireTotal(t, "2", "1", sum(t, s, q("revenue", "co", true, "2026-03-01", "2026-03-02")))
		requireTotal(t, "0", "0", sum(t, s, q("revenue", "a", false, "2026-03-01", "2026-03-02")))
		requireTotal(t, "2", "1", sum(t, s, q("revenue", "r1", true, "2026-03-01", "2026-03-02")))
		requireTotal(t, "0", "0", sum(t, s, q("revenue", "c", true, "2026-03-01", "2026-03-02")))
		got, err := s.GetFact(ctx, "k1")
		require.NoError(t, err)
		require.True(t, got.Retracted)
		requireFact(t, fact("k1", "revenue", "a", "2026-03-01", "1.25"), got.Fact)
		require.NoError(t, s.RetractFact(ctx, "k1"), "retracting again does nothing")
		require.ErrorIs(t, s.RetractFact(ctx, "never"), storage.ErrNotFound)
		out := append1(t, s, fact("k1", "revenue", "a", "2026-03-01", "1.250"))
		require.Equal(t, []storage.Outcome{storage.Unchanged}, out, "a replayed fact does not come back")
		_, err = s.AppendFacts(ctx, []kpi.Fact{fact("k1", "revenue", "a", "2026-03-05", "7")})
		require.ErrorIs(t, err, storage.ErrConflict, "nor does other content under a retracted key")
		requireTotal(t, "2", "1", sum(t, s, q("revenue", "co", true, "2026-01-01", "2027-01-01")))
	}},
	{name: "Facts/Replace", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		require.ErrorIs(t, s.ReplaceFact(ctx, fact("k1", "revenue", "a", "2026-03-01", "1")), storage.ErrNotFound)
		append1(t, s, fact("k1", "revenue", "a", "2026-03-01", "1"), fact("k2", "revenue", "d", "2026-03-01", "2"))
		require.NoError(t, s.ReplaceFact(ctx, fact("k1", "revenue", "c", "2026-04-01", "10")))
		requireTotal(t, "0", "0", sum(t, s, q("revenue", "t1", true, "2026-01-01", "2027-01-01")))
		requireTotal(t, "10", "1", sum(t, s, q("revenue", "t2", true, "2026-04-01", "2026-05-01")))
		require.NoError(t, s.RetractFact(ctx, "k2"))
		split := fact("k2", "revenue", "", "2026-03-01", "3.0") // split in tenths (storage.Split): 1.5 each
		split.Credits = []kpi.Credit{{Unit: "a", Share: dec("0.5")}, {Unit: "d", Share: dec("0.5")}}
		require.NoError(t, s.ReplaceFact(ctx, split), "a retracted fact comes back corrected")
		requireTotal(t, "13", "2", sum(t, s, q("revenue", "co", true, "2026-01-01", "2027-01-01")))
		requireTotal(t, "1.5", "0.5", sum(t, s, q("revenue", "r2", true, "2026-01-01", "2027-01-01")))
		got, err := s.GetFact(ctx, "k2")
		require.NoError(t, err)
		require.False(t, got.Retracted)
		requireFact(t, split, got.Fact)
		require.Equal(t, []storage.Outcome{storage.Unchanged}, append1(t, s, split), "the replacement is what the key now means")
		bad := fact("k1", "revenue", "a", "2026-03-01", "0.0000000000001")
		require.ErrorIs(t, s.ReplaceFact(ctx, bad), storage.ErrInvalid)
		requireTotal(t, "13", "2", sum(t, s, q("revenue", "co", true, "2026-01-01", "2027-01-01")))
	}},
	{name: "Facts/RetractAndReplaceAcrossKinds", run: func(t *testing.T, open Opener) {
		// Simple facts and split ones may be kept apart (PostgreSQL reads a
		// simple fact's day from its row, a split one's from daily buckets):
		// retracting and replacing one kind by the other keeps every sum, of
		// partial months as of whole ones, equal to the live facts'.
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		splitOf := func(key, d, v string) kpi.Fact {
			f := fact(key, "revenue", "", d, v)
			f.Credits = []kpi.Credit{{Unit: "a", Share: dec("0.5")}, {Unit: "c", Share: dec("0.5")}}
			return f
		}
		live := map[string]kpi.Fact{}
		add := func(fs ...kpi.Fact) {
			append1(t, s, fs...)
			for _, f := range fs {
				live[f.Key] = f
			}
		}
		check := func(step string) {
			var facts []kpi.Fact
			for _, f := range live {
				facts = append(facts, f)
			}
			for _, qr := range []storage.Query{
				q("revenue", "co", true, "2026-03-01", "2026-03-16"), q("revenue", "co", true, "2026-03-01", "2026-04-01"),
				q("revenue", "t1", true, "2026-03-10", "2026-05-20"), q("revenue", "a", false, "2026-01-01", "2027-01-01"),
				q("revenue", "c", false, "2026-04-02", "2026-04-03"), q("revenue", "r2", true, "2026-01-01", "2026-04-01"),
			} {
				want, got := bruteForce(t, facts, qr), sum(t, s, qr)
				require.True(t, want.Value.Equal(got.Value) && want.Count.Equal(got.Count), "%s: %s [%s, %s): want %s (%s), got %s (%s)",
					step, qr.Unit, qr.Start, qr.End, want.Value, want.Count, got.Value, got.Count)
			}
		}
		add(fact("s1", "revenue", "a", "2026-03-10", "5"), fact("s2", "revenue", "c", "2026-03-20", "7"), splitOf("p1", "2026-03-12", "4.00"), splitOf("p2", "2026-04-02", "6"))
		check("appended")
		require.NoError(t, s.RetractFact(ctx, "s1"))
		delete(live, "s1")
		check("a simple fact retracted")
		require.NoError(t, s.RetractFact(ctx, "p2"))
		delete(live, "p2")
		check("a split fact retracted")
		for _, f := range []kpi.Fact{fact("p1", "revenue", "c", "2026-04-02", "9"), splitOf("s2", "2026-03-11", "8.0"), splitOf("s1", "2026-05-05", "1.00"), fact("p2", "revenue", "a", "2026-03-01", "2")} {
			require.NoError(t, s.ReplaceFact(ctx, f), f.Key)
			live[f.Key] = f
			check("replaced " + f.Key)
		}
	}},
	{name: "Facts/ListPagesByKey", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		append1(t, s, fact("b", "calls", "a", "2026-03-01", "1"), fact("a", "calls", "a", "2026-03-01", "1"),
			fact("c", "calls", "a", "2026-03-01", "1"), fact("aa", "calls", "a", "2026-03-01", "1"))
		require.NoError(t, s.RetractFact(ctx, "b"))
		var keys, retracted []string
		after := ""
		for {
			page, err := s.ListFacts(ctx, after, 3)
			require.NoError(t, err)
			if len(page) == 0 {
				break
			}
			require.LessOrEqual(t, len(page), 3)
			for _, f := range page {
				keys = append(keys, f.Key)
				if f.Retracted {
					retracted = append(retracted, f.Key)
				}
			}
			after = page[len(page)-1].Key
		}
		require.Equal(t, []string{"a", "aa", "b", "c"}, keys)
		require.Equal(t, []string{"b"}, retracted)
		all, err := s.ListFacts(ctx, "", 0)
		require.NoError(t, err)
		require.Len(t, all, 4)
	}},
	{name: "Facts/InvalidInput", run: func(t *testing.T, open Opener) {
		s := open("acme")
		badSplit := fact("k", "revenue", "", "2026-03-01", "1")
		badSplit.Credits = []kpi.Credit{{Unit: "a", Share: dec("0.5")}, {Unit: "b", Share: dec("0.4")}}
		twice := fact("k", "revenue", "", "2026-03-01", "1")
		twice.Credits = []kpi.Credit{{Unit: "a", Share: dec("0.5")}, {Unit: "a", Share: dec("0.5")}}
		for name, f := range map[string]kpi.Fact{
			"empty key":    fact("", "revenue", "a", "2026-03-01", "1"),
			"empty metric": fact("k", "", "a", "2026-03-01", "1"),
			"no unit":      fact("k", "revenue", "", "2026-03-01", "1"),
			"13 places":    fact("k", "revenue", "a", "2026-03-01", "0.0000000000001"),
			"22 digits":    fact("k", "revenue", "a", "2026-03-01", "-1000000000000000000000"),
			"year 10000":   fact("k", "revenue", "a", "10000-01-01", "1"),
			"shares not 1": badSplit,
			"unit twice":   twice,
		} {
			_, err := s.AppendFacts(context.Background(), []kpi.Fact{fact("ok", "revenue", "a", "2026-03-01", "1"), f})
			require.ErrorIs(t, err, storage.ErrInvalid, name)
		}
		requireTotal(t, "0", "0", sum(t, s, q("revenue", "a", false, "2026-01-01", "2027-01-01")), "nothing stored")
	}},
}
