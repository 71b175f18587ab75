package kpi

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestIngestRejectsBadFacts(t *testing.T) {
	good := rev("k", "a", d(2026, 3, 1), "10.50")
	tests := []struct {
		name     string
		edit     func(f *Fact)
		sentinel error
		field    string
		says     string
	}{
		{"empty key", func(f *Fact) { f.Key = "" }, ErrInvalid, "Key", "key is empty"},
		{"long key", func(f *Fact) { f.Key = strings.Repeat("x", MaxKeyLen+1) }, ErrInvalid, "Key", "at most 512 bytes"},
		{"unknown metric", func(f *Fact) { f.Metric = "visits" }, ErrInvalid, "Metric", `metric "visits" is not in the ledger`},
		{"unknown unit", func(f *Fact) { f.Unit = "zed" }, ErrInvalid, "Unit", `unit "zed" is not in the org`},
		{"no unit", func(f *Fact) { f.Unit = "" }, ErrInvalid, "Unit", `unit "" is not in the org`},
		{"too many places", func(f *Fact) { f.Value = dec("10.505") }, ErrInvalid, "Value", "more than the 2 decimal places"},
		{"count with places", func(f *Fact) { f.Metric, f.Value = "calls", dec("1.5") }, ErrInvalid, "Value", "0 decimal places"},
		{"negative count", func(f *Fact) { f.Metric, f.Value = "calls", dec("-1") }, ErrInvalid, "Value", "cannot be negative"},
		{"before span", func(f *Fact) { f.Date = d(2025, 12, 31) }, ErrInvalid, "Date", "outside the ledger's span"},
		{"end of span", func(f *Fact) { f.Date = d(2027, 1, 1) }, ErrInvalid, "Date", "outside the ledger's span"},
		{"wrong currency", func(f *Fact) { f.Currency = "EUR" }, ErrInvalid, "Currency", "metric \"revenue\" is in USD, the fact is in EUR"},
		{"currency on a count", func(f *Fact) { f.Metric, f.Value, f.Currency = "calls", dec("1"), "USD" }, ErrInvalid, "Currency", "carries no currency"},
		{"too large", func(f *Fact) { f.Value = dec("100000000000000000000") }, ErrOverflow, "Value", "too large"},
		{"unit and credits", func(f *Fact) { f.Credits = []Credit{{"a", dec("1")}} }, ErrInvalid, "Unit", "either Unit or Credits"},
		{"shares short of 1", func(f *Fact) { f.Unit, f.Credits = "", []Credit{{"a", dec("0.5")}, {"b", dec("0.4")}} }, ErrInvalid, "Credits", "sum to 0.9, not 1"},
		{"share too precise", func(f *Fact) { f.Unit, f.Credits = "", []Credit{{"a", dec("0.3333333")}, {"b", dec("0.6666667")}} }, ErrInvalid, "Credits", "at most 6 decimal places"},
		{"zero share", func(f *Fact) { f.Unit, f.Credits = "", []Credit{{"a", dec("1")}, {"b", dec("0")}} }, ErrInvalid, "Credits", "must be in (0, 1]"},
		{"unit twice", func(f *Fact) { f.Unit, f.Credits = "", []Credit{{"a", dec("0.5")}, {"a", dec("0.5")}} }, ErrInvalid, "Credits", "credited twice"},
		{"unknown credit unit", func(f *Fact) { f.Unit, f.Credits = "", []Credit{{"a", dec("0.5")}, {"q", dec("0.5")}} }, ErrInvalid, "Credits", `unit "q"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLedger(t)
			f := good
			tt.edit(&f)
			added, err := l.Ingest(f)
			require.False(t, added)
			require.ErrorIs(t, err, tt.sentinel)
			var fe *FactError
			require.ErrorAs(t, err, &fe)
			require.Equal(t, tt.field, fe.Field)
			require.Contains(t, err.Error(), tt.says)
			require.Zero(t, l.Len())
			requireDec(t, "0", actual(t, l, "revenue", "co", "2026", Subtree))
		})
	}
}

func TestIngestAcceptsGoodFacts(t *testing.T) {
	tests := []struct {
		name string
		f    Fact
		want string // revenue or calls of co over 2026
	}{
		{"two places", rev("k", "a", d(2026, 3, 1), "10.50"), "10.5"},
		{"trailing zeros beyond places", rev("k", "a", d(2026, 3, 1), "10.5000000"), "10.5"},
		{"negative refund", rev("k", "a", d(2026, 3, 1), "-3.25"), "-3.25"},
		{"scientific exponent", Fact{Key: "k", Metric: "revenue", Unit: "a", Date: d(2026, 1, 1), Value: decimal.New(12, 3)}, "12000"},
		{"explicit currency", Fact{Key: "k", Metric: "revenue", Unit: "a", Date: d(2026, 12, 31), Value: dec("1"), Currency: "USD"}, "1"},
		{"long coefficient", rev("k", "a", d(2026, 3, 1), "10.000000000000000000000000"), "10"},
		{"manager credited", rev("k", "e1", d(2026, 3, 1), "7"), "7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLedger(t)
			added, err := l.Ingest(tt.f)
			require.NoError(t, err)
			require.True(t, added)
			requireDec(t, tt.want, actual(t, l, "revenue", "co", "2026", Subtree))
		})
	}
}

func TestIdempotencyAndConflict(t *testing.T) {
	l := newTestLedger(t)
	f := rev("deal-1", "a", d(2026, 3, 1), "100.00")
	f.Dims = map[string]string{"product": "GTX", "channel": "web"}
	added, err := l.Ingest(f)
	require.NoError(t, err)
	require.True(t, added)

	// The same fact again, with values written differently, is a duplicate.
	again := f
	again.Value = dec("100")
	again.Dims = map[string]string{"channel": "web", "product": "GTX"}
	added, err = l.Ingest(again)
	require.NoError(t, err)
	require.False(t, added)
	requireDec(t, "100", actual(t, l, "revenue", "co", "2026", Subtree))

	conflicts := []struct {
		field string
		edit  func(f *Fact)
	}{
		{"Value", func(f *Fact) { f.Value = dec("100.01") }},
		{"Date", func(f *Fact) { f.Date++ }},
		{"Unit", func(f *Fact) { f.Unit = "b" }},
		{"Metric", func(f *Fact) { f.Metric, f.Value = "hours", dec("100") }},
		{"Dims", func(f *Fact) { f.Dims = map[string]string{"product": "MG", "channel": "web"} }},
		{"Dims", func(f *Fact) { f.Dims = nil }},
		{"Unit", func(f *Fact) { f.Unit, f.Credits = "", []Credit{{"a", dec("0.5")}, {"b", dec("0.5")}} }},
	}
	for _, c := range conflicts {
		g := f
		c.edit(&g)
		_, err := l.Ingest(g)
		require.ErrorIs(t, err, ErrConflict, c.field)
		var fe *FactError
		require.ErrorAs(t, err, &fe)
		require.Equal(t, c.field, fe.Field)
		require.Contains(t, err.Error(), "use Replace")
	}
	requireDec(t, "100", actual(t, l, "revenue", "co", "2026", Subtree))
	require.Equal(t, 1, l.Len())
}

func TestRetractAndReplace(t *testing.T) {
	l := newTestLedger(t)
	_, err := l.Ingest(rev("x", "a", d(2026, 3, 1), "100"))
	require.NoError(t, err)
	_, err = l.Ingest(rev("y", "d", d(2026, 4, 1), "50"))
	require.NoError(t, err)

	require.ErrorIs(t, l.Retract("nope"), ErrNotFound)
	require.ErrorIs(t, l.Replace(rev("nope", "a", d(2026, 3, 1), "1")), ErrNotFound)

	require.NoError(t, l.Replace(rev("x", "c", d(2026, 5, 2), "80")))
	requireDec(t, "0", actual(t, l, "revenue", "e1", "2026", Subtree))
	requireDec(t, "80", actual(t, l, "revenue", "e2", "2026-05", Subtree))
	requireDec(t, "0", actual(t, l, "revenue", "co", "2026-03", Subtree))
	requireDec(t, "130", actual(t, l, "revenue", "co", "2026", Subtree))
	// The old content is now a conflict; the new one a duplicate.
	_, err = l.Ingest(rev("x", "a", d(2026, 3, 1), "100"))
	require.ErrorIs(t, err, ErrConflict)
	added, err := l.Ingest(rev("x", "c", d(2026, 5, 2), "80"))
	require.NoError(t, err)
	require.False(t, added)

	require.NoError(t, l.Retract("x"))
	require.NoError(t, l.Retract("x"), "retracting twice is a no-op")
	requireDec(t, "50", actual(t, l, "revenue", "co", "2026", Subtree))
	require.Equal(t, 1, l.Len())
	// Replaying the retracted fact does not resurrect it.
	added, err = l.Ingest(rev("x", "c", d(2026, 5, 2), "80"))
	require.NoError(t, err)
	require.False(t, added)
	requireDec(t, "50", actual(t, l, "revenue", "co", "2026", Subtree))
	_, err = l.Ingest(rev("x", "c", d(2026, 5, 2), "81"))
	require.ErrorIs(t, err, ErrConflict)
	require.Contains(t, err.Error(), "retracted")
	// Replace brings it back.
	require.NoError(t, l.Replace(rev("x", "c", d(2026, 5, 2), "81")))
	requireDec(t, "131", actual(t, l, "revenue", "co", "2026", Subtree))
	require.Equal(t, 2, l.Len())
	// A bad replacement changes nothing.
	require.ErrorIs(t, l.Replace(rev("x", "c", d(2026, 5, 2), "1.001")), ErrInvalid)
	requireDec(t, "131", actual(t, l, "revenue", "co", "2026", Subtree))
}

func TestBatchModes(t *testing.T) {
	batch := []Fact{
		rev("1", "a", d(2026, 1, 5), "10"),
		rev("2", "b", d(2026, 1, 6), "20"),
		rev("1", "a", d(2026, 1, 5), "10.00"), // duplicate within the batch
		rev("3", "zed", d(2026, 1, 6), "5"),   // unknown unit
		rev("2", "b", d(2026, 1, 6), "21"),    // conflict within the batch
		rev("4", "d", d(2026, 2, 1), "40"),
		{Key: "5", Metric: "revenue", Date: d(2026, 2, 1), Value: dec("9"), Credits: []Credit{{"a", dec("0.5")}, {"d", dec("0.5")}}},
		{Key: "6", Metric: "calls", Unit: "c", Date: d(2026, 2, 1), Value: dec("1"), Dims: map[string]string{"k": "v"}},
	}
	t.Run("all or nothing", func(t *testing.T) {
		l := newTestLedger(t)
		_, err := l.Ingest(rev("0", "a", d(2026, 1, 1), "1"))
		require.NoError(t, err)
		res, err := l.IngestBatch(batch, AllOrNothing)
		require.ErrorIs(t, err, ErrInvalid)
		require.ErrorIs(t, err, ErrConflict)
		var be *BatchError
		require.ErrorAs(t, err, &be)
		require.Len(t, be.Rejected, 2)
		require.Equal(t, 3, be.Rejected[0].Index)
		require.Equal(t, 4, be.Rejected[1].Index)
		require.Contains(t, err.Error(), "nothing applied")
		require.Zero(t, res.Added)
		require.Equal(t, 1, l.Len())
		requireDec(t, "1", actual(t, l, "revenue", "co", "2026", Subtree))
		requireDec(t, "0", actual(t, l, "calls", "co", "2026", Subtree))
		require.Empty(t, l.splits)
		require.Empty(t, l.dims)
		// The keys of the rolled-back facts are free again.
		res, err = l.IngestBatch([]Fact{rev("1", "a", d(2026, 1, 5), "11"), rev("2", "b", d(2026, 1, 6), "21")}, AllOrNothing)
		require.NoError(t, err)
		require.Equal(t, 2, res.Added)
		requireDec(t, "33", actual(t, l, "revenue", "co", "2026", Subtree))
	})
	t.Run("keep good", func(t *testing.T) {
		l := newTestLedger(t)
		res, err := l.IngestBatch(batch, KeepGood)
		require.NoError(t, err)
		require.Equal(t, 5, res.Added)
		require.Equal(t, 1, res.Duplicates)
		require.Len(t, res.Rejected, 2)
		require.ErrorIs(t, res.Rejected[0].Err, ErrInvalid)
		require.ErrorIs(t, res.Rejected[1].Err, ErrConflict)
		requireDec(t, "79", actual(t, l, "revenue", "co", "2026", Subtree))
		requireDec(t, "1", actual(t, l, "calls", "co", "2026", Subtree))
		// Ingesting the whole batch again changes nothing.
		res, err = l.IngestBatch(batch, KeepGood)
		require.NoError(t, err)
		require.Zero(t, res.Added)
		require.Equal(t, 6, res.Duplicates)
		requireDec(t, "79", actual(t, l, "revenue", "co", "2026", Subtree))
	})
}

func TestSplitCredit(t *testing.T) {
	l := newTestLedger(t)
	f := Fact{Key: "deal", Metric: "revenue", Date: d(2026, 6, 1), Value: dec("100.01"),
		Credits: []Credit{{"b", dec("0.333333")}, {"a", dec("0.333333")}, {"d", dec("0.333334")}}}
	_, err := l.Ingest(f)
	require.NoError(t, err)
	// 10001 cents × shares: 3333.6667, 3333.6667, 3333.6667+0.0001·… → floors
	// 3333, 3333, 3333 (+ remainders .6667, .6667, .7000): d gets the first
	// extra cent, then b (listed before a; a tie goes to the earlier credit,
	// the rule every store follows — it went to a, first in the org, before
	// the credit rule was made one) the second.
	requireDec(t, "33.33", actual(t, l, "revenue", "a", "2026", Subtree))
	requireDec(t, "33.34", actual(t, l, "revenue", "b", "2026", Subtree))
	requireDec(t, "33.34", actual(t, l, "revenue", "d", "2026", Subtree))
	requireDec(t, "66.67", actual(t, l, "revenue", "e1", "2026", Subtree))
	requireDec(t, "100.01", actual(t, l, "revenue", "co", "2026", Subtree))
	cnt, err := l.Count("revenue", "e1", period(t, "2026"), Subtree)
	require.NoError(t, err)
	requireDec(t, "0.666666", cnt)
	cnt, err = l.Count("revenue", "co", period(t, "2026"), Subtree)
	require.NoError(t, err)
	requireDec(t, "1", cnt)
	// Credits in another order are the same fact.
	f.Credits = []Credit{f.Credits[2], f.Credits[0], f.Credits[1]}
	added, err := l.Ingest(f)
	require.NoError(t, err)
	require.False(t, added)
	// Another split is a conflict.
	f.Credits = []Credit{{"a", dec("0.5")}, {"b", dec("0.5")}}
	_, err = l.Ingest(f)
	require.ErrorIs(t, err, ErrConflict)
	require.NoError(t, l.Replace(f))
	requireDec(t, "50.01", actual(t, l, "revenue", "a", "2026", Subtree))
	requireDec(t, "50", actual(t, l, "revenue", "b", "2026", Subtree))
	requireDec(t, "0", actual(t, l, "revenue", "west", "2026", Subtree))
	requireDec(t, "100.01", actual(t, l, "revenue", "e1", "2026", Subtree))
}

func TestOwnAndSubtree(t *testing.T) {
	l := newTestLedger(t)
	for _, f := range []Fact{
		rev("1", "a", d(2026, 1, 1), "1"), rev("2", "e1", d(2026, 1, 2), "10"),
		rev("3", "east", d(2026, 2, 1), "100"), rev("4", "co", d(2026, 12, 31), "1000"),
		rev("5", "d", d(2026, 12, 31), "10000"),
	} {
		_, err := l.Ingest(f)
		require.NoError(t, err)
	}
	for _, c := range []struct{ unit, label, sub, own string }{
		{"co", "2026", "11111", "1000"}, {"co", "2026-Q1", "111", "0"}, {"east", "2026", "111", "100"},
		{"e1", "2026-01", "11", "10"}, {"e1", "2026-01-02", "10", "10"}, {"a", "2026", "1", "1"},
		{"west", "2026-12-31", "10000", "0"}, {"co", "2026-12-31", "11000", "1000"}, {"co", "2026-12-30", "0", "0"},
	} {
		requireDec(t, c.sub, actual(t, l, "revenue", c.unit, c.label, Subtree), c)
		requireDec(t, c.own, actual(t, l, "revenue", c.unit, c.label, Own), c)
	}
}

func TestQueryErrors(t *testing.T) {
	l := newTestLedger(t)
	_, err := l.Actual("visits", "co", period(t, "2026"), Subtree)
	require.ErrorIs(t, err, ErrNotFound)
	_, err = l.Actual("revenue", "zed", period(t, "2026"), Subtree)
	require.ErrorIs(t, err, ErrNotFound)
	_, err = l.Actual("revenue", "co", period(t, "2025-12"), Subtree)
	require.ErrorIs(t, err, ErrInvalid)
	require.Contains(t, err.Error(), "widen LedgerConfig.Span")
	_, err = l.Actual("revenue", "co", goal.Period{}, Subtree)
	require.ErrorIs(t, err, ErrInvalid)
}

func TestNewLedgerErrors(t *testing.T) {
	org, err := goal.NewOrg(testUnits)
	require.NoError(t, err)
	y := period(t, "2026")
	tests := []struct {
		name string
		cfg  LedgerConfig
		says string
	}{
		{"no org", LedgerConfig{Metrics: testMetrics, Span: y}, "Org is nil"},
		{"no metrics", LedgerConfig{Org: org, Span: y}, "0 metrics"},
		{"bad metric", LedgerConfig{Org: org, Metrics: []goal.Metric{{Key: "x", Kind: goal.Amount}}, Span: y}, "currency"},
		{"duplicate metric", LedgerConfig{Org: org, Metrics: []goal.Metric{testMetrics[0], testMetrics[0]}, Span: y}, "twice"},
		{"no span", LedgerConfig{Org: org, Metrics: testMetrics}, "Span"},
		{"negative capacity", LedgerConfig{Org: org, Metrics: testMetrics, Span: y, Capacity: -1}, "Capacity"},
		{"too big", LedgerConfig{Org: org, Metrics: testMetrics, Span: goal.Period{Start: 0, End: 1 << 26}}, "buckets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewLedger(tt.cfg)
			require.ErrorIs(t, err, ErrInvalid)
			require.Contains(t, err.Error(), tt.says)
		})
	}
}

func TestOverflowFailsLoudly(t *testing.T) {
	l := newTestLedger(t)
	big := decimal.New(math.MaxInt64/2, -2) // half the int64 range in cents
	_, err := l.Ingest(Fact{Key: "1", Metric: "revenue", Unit: "a", Date: d(2026, 1, 1), Value: big})
	require.NoError(t, err)
	_, err = l.Ingest(Fact{Key: "2", Metric: "revenue", Unit: "b", Date: d(2026, 1, 1), Value: big})
	require.NoError(t, err)
	_, err = l.Ingest(Fact{Key: "3", Metric: "revenue", Unit: "c", Date: d(2026, 1, 1), Value: dec("0.02")})
	require.ErrorIs(t, err, ErrOverflow)
	requireDec(t, big.Add(big).String(), actual(t, l, "revenue", "co", "2026", Subtree))
	// Negative values count by magnitude: the total can never wrap.
	_, err = l.Ingest(Fact{Key: "4", Metric: "revenue", Unit: "c", Date: d(2026, 1, 1), Value: big.Neg()})
	require.ErrorIs(t, err, ErrOverflow)
	// Retracting frees room; other metrics are independent.
	require.NoError(t, l.Retract("2"))
	_, err = l.Ingest(Fact{Key: "3", Metric: "revenue", Unit: "c", Date: d(2026, 1, 1), Value: dec("0.02")})
	require.NoError(t, err)
	// A replacement that would overflow changes nothing.
	err = l.Replace(Fact{Key: "3", Metric: "revenue", Unit: "c", Date: d(2026, 1, 1), Value: big.Add(big)})
	require.ErrorIs(t, err, ErrOverflow)
	requireDec(t, big.Add(dec("0.02")).String(), actual(t, l, "revenue", "co", "2026", Subtree))
	require.True(t, errors.Is(err, ErrOverflow))
}

func TestToMinor(t *testing.T) {
	tests := []struct {
		v       string
		places  int32
		want    int64
		ok, fit bool
	}{
		{"1.23", 2, 123, true, true},
		{"1.2", 2, 120, true, true},
		{"-1.2", 2, -120, true, true},
		{"1.230", 2, 123, true, true},
		{"1.235", 2, 0, false, true},
		{"0", 12, 0, true, true},
		{"0.0000000000000000000001", 2, 0, false, true},
		{"92233720368547758.07", 2, math.MaxInt64, true, true},
		{"92233720368547758.08", 2, 0, true, false},
		{"-92233720368547758.08", 2, 0, true, false},
		{"1e20", 0, 0, true, false},
		{"123456789012345678901234567890e-28", 2, 12345, false, true},
		{"123450000000000000000000000000e-27", 2, 12345, true, true},
	}
	for _, tt := range tests {
		got, ok, fit := toMinor(dec(tt.v), tt.places)
		require.Equal(t, tt.ok, ok, tt.v)
		require.Equal(t, tt.fit, fit, tt.v)
		if ok && fit {
			require.Equal(t, tt.want, got, tt.v)
		}
	}
}

func TestChunkCap(t *testing.T) {
	require.Equal(t, 64, chunkCap(64, recChunk, 0))
	for _, n := range []int{1, 2, 30, 64, 1000} {
		require.Equal(t, recChunk, chunkCap(64, recChunk, n), n)
	}
}
