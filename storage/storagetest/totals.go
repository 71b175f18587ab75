package storagetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var totalTests = []test{
	{name: "Totals/HalfOpenRanges", run: func(t *testing.T, open Opener) {
		s := open("acme")
		append1(t, s,
			fact("f1", "revenue", "a", "2026-02-28", "1"),
			fact("f2", "revenue", "a", "2026-03-01", "10"),
			fact("f3", "revenue", "a", "2026-03-31", "100"),
			fact("f4", "revenue", "a", "2026-04-01", "1000"))
		for _, c := range []struct {
			start, end string
			want       string
			n          string
		}{
			{"2026-03-01", "2026-04-01", "110", "2"}, // March: the 1st in, April 1st out
			{"2026-02-28", "2026-03-01", "1", "1"},
			{"2026-03-31", "2026-03-31", "0", "0"}, // empty range
			{"2026-04-01", "2026-04-02", "1000", "1"},
			{"2026-01-01", "2027-01-01", "1111", "4"},
			{"2025-01-01", "2026-02-28", "0", "0"},
		} {
			requireTotal(t, c.want, c.n, sum(t, s, q("revenue", "a", false, c.start, c.end)), "[%s,%s)", c.start, c.end)
			requireTotal(t, c.want, c.n, sum(t, s, q("revenue", "a", true, c.start, c.end)), "subtree [%s,%s)", c.start, c.end)
		}
	}},
	{name: "Totals/SubtreeAndSelf", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		append1(t, s,
			fact("a1", "revenue", "a", "2026-05-01", "1"),
			fact("b1", "revenue", "b", "2026-05-02", "2"),
			fact("t1", "revenue", "t1", "2026-05-03", "4"), // credited to the team itself
			fact("c1", "revenue", "c", "2026-05-04", "8"),
			fact("d1", "revenue", "d", "2026-05-05", "16"),
			fact("d2", "calls", "d", "2026-05-05", "1"))
		for _, c := range []struct {
			unit    string
			subtree bool
			want    string
			n       string
		}{
			{"a", false, "1", "1"}, {"a", true, "1", "1"},
			{"t1", false, "4", "1"}, {"t1", true, "7", "3"},
			{"r1", false, "0", "0"}, {"r1", true, "15", "4"},
			{"co", true, "31", "5"}, {"co", false, "0", "0"},
			{"unknown", true, "0", "0"},
		} {
			requireTotal(t, c.want, c.n, sum(t, s, q("revenue", c.unit, c.subtree, "2026-05-01", "2026-06-01")), "%s subtree=%v", c.unit, c.subtree)
		}
		requireTotal(t, "0", "0", sum(t, s, q("meetings", "co", true, "2026-01-01", "2027-01-01")), "a metric never seen")
		requireTotal(t, "1", "1", sum(t, s, q("calls", "co", true, "2026-01-01", "2027-01-01")))
	}},
	{name: "Totals/SplitCreditExact", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		third := dec("0.333333333333") // products have 14 places: they need rounding
		f := fact("deal-9", "revenue", "", "2026-06-30", "100.01")
		f.Credits = []kpi.Credit{{Unit: "a", Share: third}, {Unit: "b", Share: third}, {Unit: "c", Share: dec("0.333333333334")}}
		append1(t, s, f)
		parts, err := storage.Split(f)
		require.NoError(t, err)
		total := decimal.Zero
		for i, p := range parts {
			require.Equal(t, f.Credits[i].Unit, p.Unit)
			require.True(t, goal.FitsPlaces(p.Value, storage.MaxPlaces), p.Value.String())
			requireTotal(t, p.Value.String(), f.Credits[i].Share.String(), sum(t, s, q("revenue", p.Unit, false, "2026-06-01", "2026-07-01")), p.Unit)
			total = total.Add(p.Value)
		}
		requireDec(t, "100.01", total, "the parts sum exactly to the value")
		requireTotal(t, "100.01", "1", sum(t, s, q("revenue", "co", true, "2026-06-01", "2026-07-01")), "an ancestor counts the fact once")
		requireTotal(t, "100.01", "1", sum(t, s, q("revenue", "r1", true, "2026-06-01", "2026-07-01")))
		requireTotal(t, parts[0].Value.Add(parts[1].Value).String(), "0.666666666666", sum(t, s, q("revenue", "t1", true, "2026-06-01", "2026-07-01")))
		requireTotal(t, "0", "0", sum(t, s, q("revenue", "r2", true, "2026-06-01", "2026-07-01")))
	}},
	{name: "Totals/TwentyDigitsExact", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		append1(t, s,
			fact("x", "revenue", "a", "2026-01-01", twenty),
			fact("y", "revenue", "d", "2026-12-31", "87654321098765432.108"),
			fact("z", "revenue", "d", "2026-12-31", "0.000000000001"))
		requireTotal(t, "99999999999999999.999000000001", "3", sum(t, s, q("revenue", "co", true, "2026-01-01", "2027-01-01")))
		require.NoError(t, s.RetractFact(ctx, "y"))
		requireTotal(t, "12345678901234567.891000000001", "2", sum(t, s, q("revenue", "co", true, "2026-01-01", "2027-01-01")))
	}},
	{name: "Totals/SumManyMatchesBruteForce", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		facts := generated(400)
		_, err := s.AppendFacts(ctx, facts[:250])
		require.NoError(t, err)
		_, err = s.AppendFacts(ctx, facts[250:])
		require.NoError(t, err)
		for _, k := range []string{"g7", "g100", "g399"} {
			require.NoError(t, s.RetractFact(ctx, k))
		}
		var live []kpi.Fact
		for _, f := range facts {
			if f.Key != "g7" && f.Key != "g100" && f.Key != "g399" {
				live = append(live, f)
			}
		}
		qs := queries()
		got, err := s.SumMany(ctx, qs)
		require.NoError(t, err)
		require.Len(t, got, len(qs))
		for i, qry := range qs {
			want := bruteForce(t, live, qry)
			requireTotal(t, want.Value.String(), want.Count.String(), got[i], "%+v", qry)
			if i%37 == 0 {
				requireTotal(t, want.Value.String(), want.Count.String(), sum(t, s, qry), "Sum %+v", qry)
			}
		}
		none, err := s.SumMany(ctx, nil)
		require.NoError(t, err)
		require.Empty(t, none)
	}},
	{name: "Totals/InvertedRangeInvalid", run: func(t *testing.T, open Opener) {
		s := open("acme")
		_, err := s.Sum(context.Background(), q("revenue", "a", false, "2026-02-01", "2026-01-01"))
		require.ErrorIs(t, err, storage.ErrInvalid)
		_, err = s.SumMany(context.Background(), []storage.Query{q("revenue", "a", false, "2026-01-01", "2026-02-01"), q("revenue", "a", false, "2026-02-01", "2026-01-01")})
		require.ErrorIs(t, err, storage.ErrInvalid)
	}},
	{name: "Totals/FollowReorganisation", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		split := fact("s", "revenue", "", "2026-05-01", "10")
		split.Credits = []kpi.Credit{{Unit: "a", Share: dec("0.5")}, {Unit: "c", Share: dec("0.5")}}
		append1(t, s, fact("c1", "revenue", "c", "2026-05-01", "8"), fact("new", "revenue", "newbie", "2026-05-01", "2"), split)
		requireTotal(t, "2", "1", sum(t, s, q("revenue", "newbie", true, "2026-05-01", "2026-06-01")), "a unit not in the org is its own subtree")
		requireTotal(t, "18", "2", sum(t, s, q("revenue", "r1", true, "2026-05-01", "2026-06-01")))
		units := org()
		units[8].Parent = "t3"                                       // c moves to r2
		units = append(units, goal.Unit{ID: "newbie", Parent: "t1"}) // and newbie joins t1
		require.NoError(t, s.PutUnits(ctx, units))
		requireTotal(t, "7", "1.5", sum(t, s, q("revenue", "r1", true, "2026-05-01", "2026-06-01")))
		requireTotal(t, "13", "1.5", sum(t, s, q("revenue", "r2", true, "2026-05-01", "2026-06-01")))
		requireTotal(t, "20", "3", sum(t, s, q("revenue", "co", true, "2026-05-01", "2026-06-01")), "the split fact still counts once")
		append1(t, s, fact("c2", "revenue", "c", "2026-05-02", "1"))
		requireTotal(t, "14", "2.5", sum(t, s, q("revenue", "t3", true, "2026-05-01", "2026-06-01")), "later facts roll up the new tree")
		requireTotal(t, "0", "0", sum(t, s, q("revenue", "t2", true, "2026-05-01", "2026-06-01")), "t2 lost its only rep")
		// A rep becomes a manager: its subtree now includes its new report.
		append1(t, s, fact("c3", "revenue", "c", "2026-05-03", "100"))
		units = append(units, goal.Unit{ID: "intern", Parent: "c"})
		require.NoError(t, s.PutUnits(ctx, units))
		append1(t, s, fact("i1", "revenue", "intern", "2026-05-04", "1000"))
		requireTotal(t, "1114", "4.5", sum(t, s, q("revenue", "c", true, "2026-05-01", "2026-06-01")))
		requireTotal(t, "114", "3.5", sum(t, s, q("revenue", "c", false, "2026-05-01", "2026-06-01")))
		requireTotal(t, "1114", "4.5", sum(t, s, q("revenue", "r2", true, "2026-05-01", "2026-06-01")))
		requireTotal(t, "1000", "1", sum(t, s, q("revenue", "intern", true, "2026-05-01", "2026-06-01")))
	}},
}

// generated returns n deterministic facts over the test org, some credited
// to teams, some split, on days across 2026 and the edges of 2025 and 2027.
func generated(n int) []kpi.Fact {
	units := []string{"a", "b", "c", "d", "t1", "t3", "co"}
	out := make([]kpi.Fact, n)
	x := uint64(42)
	for i := range out {
		x = x*6364136223846793005 + 1442695040888963407
		r := x >> 33
		f := kpi.Fact{
			Key:    fmt.Sprintf("g%d", i),
			Metric: []string{"revenue", "calls"}[r%2],
			Unit:   units[(r>>1)%uint64(len(units))],
			Date:   day("2025-12-25") + date.Date((r>>4)%380),
			Value:  decimal.New(int64((r>>12)%100000)-20000, -2),
		}
		if r%11 == 0 {
			f.Unit = ""
			f.Credits = []kpi.Credit{{Unit: "b", Share: dec("0.3")}, {Unit: "d", Share: dec("0.3")}, {Unit: "c", Share: dec("0.4")}}
		}
		out[i] = f
	}
	return out
}

// queries returns months, quarters, the year, odd ranges and an empty one
// for every unit, metric and scope.
func queries() []storage.Query {
	var ranges [][2]date.Date
	for m := 1; m <= 12; m++ {
		ranges = append(ranges, [2]date.Date{date.New(2026, timeMonth(m), 1), date.New(2026, timeMonth(m+1), 1)})
	}
	for qtr := 0; qtr < 4; qtr++ {
		ranges = append(ranges, [2]date.Date{date.New(2026, timeMonth(3*qtr+1), 1), date.New(2026, timeMonth(3*qtr+4), 1)})
	}
	ranges = append(ranges,
		[2]date.Date{day("2026-01-01"), day("2027-01-01")},
		[2]date.Date{day("2025-12-01"), day("2027-02-01")},
		[2]date.Date{day("2026-02-17"), day("2026-02-18")},
		[2]date.Date{day("2026-07-04"), day("2026-07-04")})
	var qs []storage.Query
	for _, u := range []string{"co", "r1", "r2", "t1", "t2", "t3", "a", "b", "c", "d", "zz"} {
		for _, m := range []string{"revenue", "calls"} {
			for _, sub := range []bool{false, true} {
				for _, r := range ranges {
					qs = append(qs, storage.Query{Metric: m, Unit: u, Subtree: sub, Start: r[0], End: r[1]})
				}
			}
		}
	}
	return qs
}

// bruteForce sums the facts matching q by walking them, as a reference.
func bruteForce(t *testing.T, facts []kpi.Fact, q storage.Query) storage.Total {
	o, err := goal.NewOrg(org())
	require.NoError(t, err)
	tot := storage.Total{Value: decimal.Zero, Count: decimal.Zero}
	for _, f := range facts {
		if f.Metric != q.Metric || f.Date < q.Start || f.Date >= q.End {
			continue
		}
		parts, err := storage.Split(f)
		require.NoError(t, err)
		for _, p := range parts {
			if p.Unit == q.Unit || q.Subtree && o.IsAncestor(q.Unit, p.Unit) {
				tot.Value = tot.Value.Add(p.Value)
				tot.Count = tot.Count.Add(p.Share)
			}
		}
	}
	return tot
}

func timeMonth(m int) time.Month { return time.Month(m) }
