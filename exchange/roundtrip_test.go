package exchange_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
)

var formats = []exchange.Format{exchange.CSV, exchange.JSON}

// readAll reads every record, failing on any error.
func readAll[T any](t testing.TB, next func() (T, error)) []T {
	t.Helper()
	var out []T
	for {
		v, err := next()
		if err == io.EOF {
			return out
		}
		require.NoError(t, err)
		out = append(out, v)
	}
}

// requireFacts compares facts by value (decimals with Equal).
func requireFacts(t testing.TB, want, got []kpi.Fact) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		w, g := want[i], got[i]
		require.True(t, w.Value.Equal(g.Value), "fact %s value %s, got %s", w.Key, w.Value, g.Value)
		require.Len(t, g.Credits, len(w.Credits))
		for j := range w.Credits {
			require.Equal(t, w.Credits[j].Unit, g.Credits[j].Unit)
			require.True(t, w.Credits[j].Share.Equal(g.Credits[j].Share))
		}
		require.Equal(t, w.Converted == nil, g.Converted == nil, w.Key)
		if c := w.Converted; c != nil {
			require.Equal(t, c.Currency, g.Converted.Currency)
			require.True(t, c.Amount.Equal(g.Converted.Amount) && c.Rate.Equal(g.Converted.Rate), "fact %s converted %+v, got %+v", w.Key, *c, *g.Converted)
		}
		w.Value, w.Credits, g.Credits, w.Converted, g.Converted = g.Value, nil, nil, nil, nil
		if w.Currency == "" && w.Metric == "revenue" {
			w.Currency = g.Currency // a store may fill in the metric's currency
		}
		require.Equal(t, w, g)
	}
}

func requireDeals(t testing.TB, want, got []funnel.Deal) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		require.True(t, want[i].Value.Equal(got[i].Value))
		w, g := want[i], got[i]
		w.Value = g.Value
		require.Equal(t, w, g)
	}
}

func requirePlan(t testing.TB, want, got *goal.Plan) {
	t.Helper()
	require.Equal(t, want.ID, got.ID)
	require.Equal(t, want.Metric, got.Metric)
	require.Len(t, got.Goals, len(want.Goals))
	for i := range want.Goals {
		w, g := want.Goals[i], got.Goals[i]
		require.True(t, w.Target.Equal(g.Target), "goal %s", w.ID)
		require.Equal(t, w.Stretch.Valid, g.Stretch.Valid)
		require.Equal(t, w.Floor.Valid, g.Floor.Valid)
		require.True(t, w.Stretch.Decimal.Equal(g.Stretch.Decimal) && w.Floor.Decimal.Equal(g.Floor.Decimal), "goal %s", w.ID)
		w.Target, w.Stretch, w.Floor = g.Target, g.Stretch, g.Floor
		require.Equal(t, w, g)
	}
}

func TestRoundTripWithoutAStore(t *testing.T) {
	for _, f := range formats {
		t.Run(f.String(), func(t *testing.T) {
			var buf bytes.Buffer
			uw := exchange.NewUnitWriter(&buf, f)
			writeAll(t, units, uw.Write, uw.Flush)
			require.Equal(t, units, readAll(t, exchange.NewUnitReader(bytes.NewReader(buf.Bytes()), f, "units").Next))

			buf.Reset()
			fw := exchange.NewFactWriter(&buf, f)
			writeAll(t, facts, fw.Write, fw.Flush)
			requireFacts(t, facts, readAll(t, exchange.NewFactReader(bytes.NewReader(buf.Bytes()), f, "facts").Next))

			buf.Reset()
			dw := exchange.NewDealWriter(&buf, f)
			writeAll(t, deals, dw.Write, dw.Flush)
			requireDeals(t, deals, readAll(t, exchange.NewDealReader(bytes.NewReader(buf.Bytes()), f, "deals").Next))

			buf.Reset()
			p := plan(t)
			gw := exchange.NewGoalWriter(&buf, f)
			require.NoError(t, exchange.WritePlan(gw, p))
			require.NoError(t, gw.Flush())
			if f == exchange.CSV {
				require.Contains(t, buf.String(), ",60000000.00,70000000.00,,true\n", "targets keep the metric's places")
			} else {
				require.Contains(t, buf.String(), `"target":"60000000.00","stretch":"70000000.00"`, "targets keep the metric's places")
				require.Contains(t, buf.String(), `"grain":"quarter"`)
			}
			plans, err := exchange.ReadPlans(bytes.NewReader(buf.Bytes()), f, "plan", func(string) (goal.Metric, bool) { return revenue, true })
			require.NoError(t, err)
			require.Len(t, plans, 1)
			requirePlan(t, p, plans[0])
		})
	}
}

func TestJSONArraysReadLikeLines(t *testing.T) {
	in := "\ufeff[\n  {\"key\":\"a\",\"metric\":\"calls\",\"unit\":\"li\",\"date\":\"2026-01-02\",\"value\":\"2\"},\n" +
		"  {\"key\":\"b\",\"metric\":\"calls\",\"unit\":\"li\",\"date\":\"2026-01-03\",\"value\":3}\n]\n"
	rd := exchange.NewFactReader(strings.NewReader(in), exchange.JSON, "facts.json")
	got := readAll(t, func() (kpi.Fact, error) {
		f, err := rd.Next()
		if err == nil {
			require.Equal(t, map[string]int{"a": 2, "b": 3}[f.Key], rd.Line(), "the line a value starts on")
		}
		return f, err
	})
	require.Len(t, got, 2)
	require.True(t, got[1].Value.Equal(dec("3")))

	for _, cut := range []string{"[\n", `[{"key":"a","metric":"calls","unit":"li","date":"2026-01-02","value":"2"},`, "[] {}"} {
		rd = exchange.NewFactReader(strings.NewReader(cut), exchange.JSON, "facts.json")
		var err error
		for err == nil {
			_, err = rd.Next()
		}
		require.ErrorIs(t, err, exchange.ErrInvalid, "%q is not a whole array", cut)
	}
}

// TestRoundTripThroughTheEngine imports units, a plan, facts and deals from
// files into an engine, exports them from the store, and compares, on every
// store and in both formats.
func TestRoundTripThroughTheEngine(t *testing.T) {
	for _, f := range formats {
		t.Run(f.String(), func(t *testing.T) {
			stores(t, func(t *testing.T, s storage.Store) {
				ctx := context.Background()
				e := newEngine(t, s, false)
				dir := t.TempDir()
				file := func(name string, write func(io.Writer) error) *os.File {
					path := filepath.Join(dir, name+"."+f.String())
					out, err := os.Create(path)
					require.NoError(t, err)
					require.NoError(t, write(out))
					require.NoError(t, out.Close())
					in, err := os.Open(path)
					require.NoError(t, err)
					t.Cleanup(func() { in.Close() })
					return in
				}
				var progress []exchange.Progress
				opts := &exchange.Options{BatchSize: 3, Progress: func(p exchange.Progress) { progress = append(progress, p) }}

				uf := file("units", func(w io.Writer) error {
					uw := exchange.NewUnitWriter(w, f)
					writeAll(t, units, uw.Write, uw.Flush)
					return nil
				})
				res, err := exchange.ImportUnits(ctx, e, uf, f, opts)
				require.NoError(t, err)
				require.Equal(t, exchange.Result{Rows: 6, Imported: 6}, res)
				stored, err := s.ListUnits(ctx)
				require.NoError(t, err)
				slices.SortFunc(stored, func(a, b goal.Unit) int { return strings.Compare(a.ID, b.ID) })
				want := slices.Clone(units)
				slices.SortFunc(want, func(a, b goal.Unit) int { return strings.Compare(a.ID, b.ID) })
				require.Equal(t, want, stored)

				p := plan(t)
				pf := file("plan", func(w io.Writer) error {
					gw := exchange.NewGoalWriter(w, f)
					if err := exchange.WritePlan(gw, p); err != nil {
						return err
					}
					return gw.Flush()
				})
				res, err = exchange.ImportPlans(ctx, e, pf, f, opts, goalkit.Change{Actor: "erp"})
				require.NoError(t, err)
				require.Equal(t, len(p.Goals), res.Imported)
				got, err := e.Plan(ctx, p.ID)
				require.NoError(t, err)
				requirePlan(t, p, got)

				ff := file("facts", func(w io.Writer) error {
					fw := exchange.NewFactWriter(w, f)
					writeAll(t, facts, fw.Write, fw.Flush)
					return nil
				})
				progress = nil
				res, err = exchange.ImportFacts(ctx, e, ff, f, opts)
				require.NoError(t, err)
				require.Equal(t, exchange.Result{Rows: 6, Imported: 6}, res)
				require.Equal(t, []int{3, 6}, progressFacts(progress), "a call a batch of 3")
				sf, err := s.ListFacts(ctx, "", 0)
				require.NoError(t, err)
				var back []kpi.Fact
				for _, x := range sf {
					back = append(back, x.Fact)
				}
				slices.SortFunc(back, func(a, b kpi.Fact) int { return strings.Compare(a.Key, b.Key) })
				wantFacts := slices.Clone(facts)
				slices.SortFunc(wantFacts, func(a, b kpi.Fact) int { return strings.Compare(a.Key, b.Key) })
				requireFacts(t, wantFacts, back)

				// Importing the same file again changes nothing.
				_, err = ff.Seek(0, io.SeekStart)
				require.NoError(t, err)
				res, err = exchange.ImportFacts(ctx, e, ff, f, opts)
				require.NoError(t, err)
				require.Equal(t, exchange.Result{Rows: 6, Unchanged: 6}, res)

				df := file("deals", func(w io.Writer) error {
					dw := exchange.NewDealWriter(w, f)
					writeAll(t, deals, dw.Write, dw.Flush)
					return nil
				})
				res, err = exchange.ImportDeals(ctx, e, df, f, opts)
				require.NoError(t, err)
				require.Equal(t, exchange.Result{Rows: 2, Imported: 2}, res)
				sd, err := s.ListDeals(ctx, storage.DealFilter{})
				require.NoError(t, err)
				slices.SortFunc(sd, func(a, b funnel.Deal) int { return strings.Compare(a.ID, b.ID) })
				requireDeals(t, deals, sd)
			})
		})
	}
}

func progressFacts(ps []exchange.Progress) []int {
	var out []int
	for _, p := range ps {
		out = append(out, p.Facts)
	}
	return out
}

// A converted fact's amount and rate keep their places in both formats.
func TestConvertedKeepsItsPlaces(t *testing.T) {
	for _, f := range []exchange.Format{exchange.CSV, exchange.JSON} {
		var buf bytes.Buffer
		fw := exchange.NewFactWriter(&buf, f)
		writeAll(t, facts[len(facts)-1:], fw.Write, fw.Flush)
		require.Contains(t, buf.String(), `100.00`, f)
		require.Contains(t, buf.String(), `7.12345`, f)
		require.NotContains(t, buf.String(), `"100"`, f)
	}
}
