package exchange_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/stretchr/testify/require"
)

// badFacts has a good row on lines 2 and 7 and a bad one on each line
// between.
const badFacts = `key,metric,unit,date,value
a,revenue,li,2026-01-05,100.00
b,revenue,li,2026-13-01,5.00
c,revenue,nobody,2026-01-05,5.00
d,revenue,li,2026-01-05,1.005
e,visits,li,2026-01-05,1
f,calls,li,2026-01-06,2
`

func TestImportReportsEveryBadRowAndStoresNothing(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, nil, true)
	_, err := exchange.ImportFacts(ctx, e, strings.NewReader(badFacts), exchange.CSV, &exchange.Options{File: "facts.csv"})
	var ie *exchange.ImportError
	require.ErrorAs(t, err, &ie)
	require.ErrorIs(t, err, exchange.ErrInvalid)
	require.Equal(t, 4, ie.Bad)
	type at struct {
		line   int
		column string
		value  string
	}
	var got []at
	for _, r := range ie.Rows {
		require.Equal(t, "facts.csv", r.File)
		require.NotEmpty(t, r.Reason)
		got = append(got, at{r.Line, r.Column, r.Value})
	}
	require.Equal(t, []at{{3, "date", "2026-13-01"}, {4, "unit", "nobody"}, {5, "value", "1.005"}, {6, "metric", "visits"}}, got)
	require.Contains(t, err.Error(), "facts.csv:3: date \"2026-13-01\": not a date; write it as YYYY-MM-DD")
	all, err := e.Store().ListFacts(ctx, "", 0)
	require.NoError(t, err)
	require.Empty(t, all)
}

func TestImportKeepsTheGoodRows(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, nil, true)
	res, err := exchange.ImportFacts(ctx, e, strings.NewReader(badFacts), exchange.CSV, &exchange.Options{File: "facts.csv", Mode: kpi.KeepGood})
	require.NoError(t, err)
	require.Equal(t, 6, res.Rows)
	require.Equal(t, 2, res.Imported)
	var lines []int
	for _, r := range res.Rejected {
		lines = append(lines, r.Line)
	}
	require.Equal(t, []int{3, 4, 5, 6}, lines)
	all, err := e.Store().ListFacts(ctx, "", 0)
	require.NoError(t, err)
	require.Len(t, all, 2)
}

func TestDryRunWritesNothing(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, nil, true)
	for _, mode := range []kpi.BatchMode{kpi.AllOrNothing, kpi.KeepGood} {
		res, err := exchange.ImportFacts(ctx, e, strings.NewReader(badFacts), exchange.CSV, &exchange.Options{Mode: mode, DryRun: true})
		if mode == kpi.AllOrNothing {
			require.ErrorIs(t, err, exchange.ErrInvalid)
		} else {
			require.NoError(t, err)
			require.Equal(t, 2, res.Imported, "what would be imported")
			require.Len(t, res.Rejected, 4)
		}
		good := strings.Join(strings.Split(badFacts, "\n")[:2], "\n")
		res, err = exchange.ImportFacts(ctx, e, strings.NewReader(good), exchange.CSV, &exchange.Options{Mode: mode, DryRun: true})
		require.NoError(t, err)
		require.Equal(t, exchange.Result{Rows: 1, Imported: 1}, res)
	}
	_, err := exchange.ImportUnits(ctx, newEngine(t, e.Store(), false), strings.NewReader("id,parent\nx,\n"), exchange.CSV, &exchange.Options{DryRun: true})
	require.NoError(t, err)
	all, err := e.Store().ListFacts(ctx, "", 0)
	require.NoError(t, err)
	require.Empty(t, all)
	us, err := e.Store().ListUnits(ctx)
	require.NoError(t, err)
	require.Len(t, us, len(units), "the dry run left the org alone")
}

func TestAllOrNothingNeedsToReadTwice(t *testing.T) {
	e := newEngine(t, nil, true)
	_, err := exchange.ImportFacts(context.Background(), e, io.MultiReader(strings.NewReader(badFacts)), exchange.CSV, nil)
	require.ErrorIs(t, err, exchange.ErrInvalid)
	require.Contains(t, err.Error(), "kpi.KeepGood")
}

// TestCancelStopsBetweenBatches cancels during the second batch: the first
// is stored whole, nothing of the rest.
func TestCancelStopsBetweenBatches(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := newEngine(t, nil, true)
	var b strings.Builder
	b.WriteString("key,metric,unit,date,value\n")
	for i := range 10 {
		b.WriteString("k" + string(rune('0'+i)) + ",calls,li,2026-01-05,1\n")
	}
	calls := 0
	res, err := exchange.ImportFacts(ctx, e, strings.NewReader(b.String()), exchange.CSV, &exchange.Options{Mode: kpi.KeepGood, BatchSize: 4,
		Progress: func(p exchange.Progress) { calls++; cancel() }})
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, 1, calls)
	require.Equal(t, 4, res.Imported)
	all, err := e.Store().ListFacts(context.Background(), "", 0)
	require.NoError(t, err)
	require.Len(t, all, 4)
}

func TestHeaderAndJSONErrorsNameTheColumn(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, nil, true)
	_, err := exchange.ImportFacts(ctx, e, strings.NewReader("key,metric,unit,date,vaule\n"), exchange.CSV, &exchange.Options{Mode: kpi.KeepGood, File: "f.csv"})
	require.ErrorIs(t, err, exchange.ErrInvalid)
	require.Contains(t, err.Error(), `f.csv:1: `)
	require.Contains(t, err.Error(), `"value"`)

	in := `{"key":"a","metric":"calls","unit":"li","date":"2026-01-05","value":"1"}
{"key":"b","metric":"calls","unit":"li","date":"2026-01-05","value":"1","ammount":2}
{"key":"c","metric":"calls","unit":"li","date":"Jan 5","value":"1"}
{"key":"d","metric":"calls","unit":["li"],"date":"2026-01-05","value":"1"}
{"key":"e","metric":"calls","unit":"li","dims":{"date":"x"},"date":"2026-02-30","value":"1"}
`
	res, err := exchange.ImportFacts(ctx, e, strings.NewReader(in), exchange.JSON, &exchange.Options{Mode: kpi.KeepGood, File: "f.jsonl"})
	require.NoError(t, err)
	require.Equal(t, 1, res.Imported)
	require.Len(t, res.Rejected, 4)
	require.Equal(t, 2, res.Rejected[0].Line)
	require.Contains(t, res.Rejected[0].Reason, "ammount")
	require.Equal(t, 3, res.Rejected[1].Line)
	require.Equal(t, 4, res.Rejected[2].Line)
	require.Equal(t, "unit", res.Rejected[2].Column)
	require.Equal(t, exchange.RowError{File: "f.jsonl", Line: 5, Column: "date", Value: "2026-02-30", Reason: "not a date; write it as YYYY-MM-DD, e.g. 2026-01-31"},
		res.Rejected[3], "JSON dates are strict too; a dimension named date is text")
}

func TestUnitsImportNamesTheBadUnit(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, nil, false)
	_, err := exchange.ImportUnits(ctx, e, strings.NewReader("id,parent\nco,\na,b\nb,a\n"), exchange.CSV, &exchange.Options{File: "org.csv"})
	var ie *exchange.ImportError
	require.ErrorAs(t, err, &ie)
	require.Equal(t, "org.csv", ie.Rows[0].File)
	require.Contains(t, []int{3, 4}, ie.Rows[0].Line, "the line of a unit in the cycle")
	require.ErrorIs(t, err, exchange.ErrInvalid)
	require.Zero(t, e.Org().Len(), "no org was set")
}

func TestBadDealRowRejectsItsWholeDeal(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, nil, true)
	in := `id,unit,value,stage,date,funnel
d1,li,100.00,lead,2026-01-02,sales
d1,li,100.00,proposal,2026-01-40,sales
d1,li,100.00,won,2026-02-01,sales
d2,wang,50.00,lead,2026-01-03,sales
d3,wang,50.00,lead,2026-01-03,other
`
	res, err := exchange.ImportDeals(ctx, e, strings.NewReader(in), exchange.CSV, &exchange.Options{Mode: kpi.KeepGood, File: "deals.csv"})
	require.NoError(t, err)
	require.Equal(t, 1, res.Imported)
	require.Len(t, res.Rejected, 2)
	require.Equal(t, 3, res.Rejected[0].Line)
	require.Contains(t, res.Rejected[0].Reason, `deal "d1" is skipped whole`)
	require.Equal(t, 6, res.Rejected[1].Line)
	require.Equal(t, "funnel", res.Rejected[1].Column)
	fn, ok := e.Funnel("sales")
	require.True(t, ok)
	require.Equal(t, sales.Key, fn.Key)
	_, ok = e.Funnel("other")
	require.False(t, ok)
	_, err = e.Store().GetDeal(ctx, "d1")
	require.Error(t, err, "no shorter history of d1 was stored")

	_, err = exchange.ImportDeals(ctx, e, strings.NewReader(in), exchange.CSV, &exchange.Options{DryRun: true})
	require.ErrorIs(t, err, exchange.ErrInvalid)
}

func TestImportPlansRefusesAStoredPlan(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, nil, true)
	_, err := e.SavePlan(ctx, plan(t), who)
	require.NoError(t, err)
	var b strings.Builder
	w := exchange.NewGoalWriter(&b, exchange.CSV)
	require.NoError(t, exchange.WritePlan(w, plan(t)))
	require.NoError(t, w.Flush())
	_, err = exchange.ImportPlans(ctx, e, strings.NewReader(b.String()), exchange.CSV, nil, who)
	require.Error(t, err)
	require.Contains(t, err.Error(), "stored already")

	bad := strings.Replace(b.String(), "revenue", "visits", 1)
	_, err = exchange.ImportPlans(ctx, newEngine(t, nil, true), strings.NewReader(bad), exchange.CSV, nil, who)
	var ie *exchange.ImportError
	require.ErrorAs(t, err, &ie)
	require.Equal(t, 2, ie.Rows[0].Line)
	require.True(t, errors.Is(err, exchange.ErrInvalid))
}

// A file in another currency is converted on import; a row without a rate
// is reported on its currency column, and nothing is stored.
func TestImportConvertsCurrencies(t *testing.T) {
	ctx := context.Background()
	s, err := memory.New(memory.Config{Tenant: "acme"})
	require.NoError(t, err)
	rates := &goalkit.RateTable{}
	require.NoError(t, rates.Set("USD", "CNY", day("2026-01-01"), dec("7.1")))
	e, err := goalkit.New(ctx, s, &goalkit.Config{Metrics: []goal.Metric{revenue, calls}, Rates: rates})
	require.NoError(t, err)
	require.NoError(t, e.SetOrg(ctx, units))
	in := "key,metric,unit,date,value,currency\nu1,revenue,li,2026-01-05,100.00,USD\nu2,revenue,li,2025-12-31,1.00,USD\n"
	_, err = exchange.ImportFacts(ctx, e, strings.NewReader(in), exchange.CSV, &exchange.Options{File: "usd.csv"})
	var ie *exchange.ImportError
	require.ErrorAs(t, err, &ie)
	require.Len(t, ie.Rows, 1)
	require.Equal(t, 3, ie.Rows[0].Line)
	require.Equal(t, "currency", ie.Rows[0].Column)
	require.Contains(t, ie.Rows[0].Reason, "no exchange rate from USD to CNY on 2025-12-31")

	res, err := exchange.ImportFacts(ctx, e, strings.NewReader(in), exchange.CSV, &exchange.Options{File: "usd.csv", Mode: kpi.KeepGood})
	require.NoError(t, err)
	require.Equal(t, 1, res.Imported)
	got, err := s.GetFact(ctx, "u1")
	require.NoError(t, err)
	require.Equal(t, "710.00", got.Value.StringFixed(2))
	require.Equal(t, "CNY", got.Currency)
	require.Equal(t, "USD", got.Converted.Currency)
}
