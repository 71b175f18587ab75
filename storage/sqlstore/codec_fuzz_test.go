package sqlstore

import (
	"encoding/json"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The fuzz targets below feed arbitrary stored text to the store's
// decoders: they never panic, every decimal they return passes
// goal.CheckDecimal (so nothing downstream builds a huge number), their
// errors are short, and what they accept survives encoding again.

const maxMessage = 1000

func requireShortError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		require.Less(t, len(err.Error()), maxMessage)
	}
}

func FuzzDecodeCredits(f *testing.F) {
	f.Add(`[{"u":"a","s":"0.5"},{"u":"b","s":"0.5"}]`)
	f.Add(`[{"u":"a","s":"1e-10000"}]`)
	f.Add(`[{"u":"a","s":"1e10000"}]`)
	f.Add(`[{"u":"a","s":"abc"}]`)
	f.Add(`{}`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := decodeCredits(&s)
		requireShortError(t, err)
		if err != nil {
			return
		}
		for _, c := range cs {
			require.NoError(t, goal.CheckDecimal("share", c.Share))
		}
		enc, _ := encodeCredits(cs).(string)
		again, err := decodeCredits(&enc)
		require.NoError(t, err)
		require.Len(t, again, len(cs))
		for i := range cs {
			require.Equal(t, cs[i].Unit, again[i].Unit)
			require.True(t, cs[i].Share.Equal(again[i].Share))
		}
	})
}

func FuzzDecodeParts(f *testing.F) {
	f.Add(`[{"u":"a","v":"50.01","s":"0.5"},{"u":"b","v":"50.00","s":"0.5"}]`)
	f.Add(`[{"u":"a","v":"1e-10000","s":"1"}]`)
	f.Add(`[{"u":"a","v":"","s":"1"}]`)
	f.Add(`null`)
	f.Fuzz(func(t *testing.T, s string) {
		fact := kpi.Fact{Key: "k", Unit: "a", Value: decimal.NewFromInt(1), Credits: []kpi.Credit{{Unit: "a", Share: decimal.NewFromInt(1)}}}
		parts, err := decodeParts(fact, &s)
		requireShortError(t, err)
		if err != nil {
			return
		}
		for _, p := range parts {
			require.NoError(t, goal.CheckDecimal("value", p.Value))
			require.NoError(t, goal.CheckDecimal("share", p.Share))
		}
		enc, _ := encodeParts(fact, parts).(string)
		again, err := decodeParts(fact, &enc)
		require.NoError(t, err)
		require.Len(t, again, len(parts))
		for i := range parts {
			require.Equal(t, parts[i].Unit, again[i].Unit)
			require.True(t, parts[i].Value.Equal(again[i].Value))
			require.True(t, parts[i].Share.Equal(again[i].Share))
		}
	})
}

func FuzzDecodeMap(f *testing.F) {
	f.Add(`{"product":"x","channel":"web"}`)
	f.Add(`{"a":1}`)
	f.Add(`{"\u0000":"\ud800"}`)
	f.Add(`null`)
	f.Fuzz(func(t *testing.T, s string) {
		m, err := decodeMap(&s)
		requireShortError(t, err)
		if err != nil {
			return
		}
		enc, _ := encodeMap(m).(string)
		again, err := decodeMap(&enc)
		require.NoError(t, err)
		if len(m) == 0 {
			require.Empty(t, again)
			return
		}
		require.Equal(t, m, again)
	})
}

func FuzzDecodeTransitions(f *testing.F) {
	f.Add(`[{"s":"lead","d":"2026-01-05"},{"s":"won","d":"2026-02-01"}]`)
	f.Add(`[{"s":"lead","d":"10000-01-01"}]`)
	f.Add(`[{"s":"lead","d":"-0001-01-01"}]`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := decodeTransitions(s)
		requireShortError(t, err)
		if err != nil {
			return
		}
		again, err := decodeTransitions(encodeTransitions(ts))
		require.NoError(t, err)
		require.Equal(t, len(ts), len(again))
		for i := range ts {
			require.Equal(t, ts[i], again[i])
		}
	})
}

func FuzzDecodeMetric(f *testing.F) {
	b, _ := json.Marshal(metricJSON{Key: "revenue", Name: "合同金额", Kind: 1, Currency: "CNY", Places: 2})
	f.Add(string(b))
	f.Add(`{"places":-2147483648}`)
	f.Add(`{"kind":300}`)
	f.Fuzz(func(t *testing.T, s string) {
		m, err := decodeMetric(s)
		requireShortError(t, err)
		if err != nil {
			return
		}
		enc, err := encodeMetric(m)
		require.NoError(t, err)
		again, err := decodeMetric(enc)
		require.NoError(t, err)
		require.Equal(t, m, again)
	})
}

// FuzzScanColumns feeds arbitrary column text to the scanners of days and
// decimals.
func FuzzScanColumns(f *testing.F) {
	f.Add("2026-03-01")
	f.Add("12345678901234567.891")
	f.Add("1e-10000")
	f.Add("1e1001")
	f.Add("9999-12-31T00:00:00Z")
	f.Add("NaN")
	f.Fuzz(func(t *testing.T, s string) {
		var d date.Date
		requireShortError(t, dayScan{&d}.Scan(s))
		var n decimal.NullDecimal
		err := decScan{&n}.Scan([]byte(s))
		requireShortError(t, err)
		if err == nil {
			require.True(t, n.Valid)
			require.NoError(t, goal.CheckDecimal("value", n.Decimal))
			var again decimal.NullDecimal
			require.NoError(t, decScan{&again}.Scan(n.Decimal.String()))
			require.True(t, n.Decimal.Equal(again.Decimal))
		}
	})
}

func FuzzDecodeExtra(f *testing.F) {
	f.Add(`{"v":1,"end":"2026-04-06","working":true}`)
	f.Add(`{"v":1,"cur":"USD","amount":"100.00","rate":"7.12345","conv":true}`)
	f.Add(`{"v":1,"end":"2026-13-01"}`)
	f.Add(`{"v":2}`)
	f.Add(`{"v":1,"extra":1}`)
	f.Add(`{"v":1,"amount":"1e-10000","conv":true}`)
	f.Fuzz(func(t *testing.T, s string) {
		fact := kpi.Fact{Key: "k", Unit: "a", Date: date.New(2026, 1, 1), Value: decimal.NewFromInt(1)}
		err := decodeExtra(&s, &fact)
		requireShortError(t, err)
		if err != nil {
			return
		}
		if c := fact.Converted; c != nil {
			require.NoError(t, goal.CheckDecimal("amount", c.Amount))
			require.NoError(t, goal.CheckDecimal("rate", c.Rate))
		}
		require.True(t, fact.End == 0 || goal.InDateRange(fact.End))
		enc, _ := encodeExtra(fact).(string)
		again := kpi.Fact{Key: "k"}
		require.NoError(t, decodeExtra(&enc, &again))
		require.Equal(t, fact.End, again.End)
		require.Equal(t, fact.WorkingDays, again.WorkingDays)
		require.Equal(t, fact.Converted == nil, again.Converted == nil)
	})
}
