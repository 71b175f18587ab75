package kpi

import (
	"errors"
	"testing"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// FuzzIngest feeds arbitrary host input to Ingest: it never panics, a
// rejected fact changes nothing and carries a *FactError matching a
// sentinel, and an accepted fact's retraction restores every figure.
func FuzzIngest(f *testing.F) {
	f.Add("k", "revenue", "a", int32(40), "10.50", "", "")
	f.Add("k", "calls", "e1", int32(0), "3", "a", "0.5")
	f.Add("", "hours", "zed", int32(-1), "1e400", "b", "1.5")
	f.Add("k", "revenue", "", int32(364), "-0.01", "d", "0.333333")
	f.Add("k", "cost", "co", int32(365), "NaN", "", "")
	f.Add("k\x00", "calls", "a", int32(3), "1e-10000", "", "")
	f.Add("k", "revenue", "a", int32(3), "1e10000", "b", "1e-10000")
	f.Add("k", "revenue", "a", int32(3), "0e-10000", "", "")
	f.Fuzz(func(t *testing.T, key, metric, unit string, day int32, value, splitUnit, share string) {
		l := newTestLedger(t)
		base := rev("base", "b", d(2026, 2, 1), "5")
		_, err := l.Ingest(base)
		require.NoError(t, err)
		before := snapshot(l)
		v, err := decimal.NewFromString(value)
		if err != nil {
			return
		}
		fact := Fact{Key: key, Metric: metric, Unit: unit, Date: d(2026, 1, 1) + date.Date(day), Value: v}
		if splitUnit != "" {
			sh, err := decimal.NewFromString(share)
			if err != nil {
				return
			}
			fact.Credits = []Credit{{Unit: splitUnit, Share: sh}, {Unit: unit, Share: decimal.NewFromInt(1).Sub(sh)}}
			fact.Unit = ""
		}
		added, err := l.Ingest(fact)
		if err != nil {
			var fe *FactError
			require.ErrorAs(t, err, &fe)
			require.True(t, errors.Is(err, ErrInvalid) || errors.Is(err, ErrOverflow) || errors.Is(err, ErrConflict), err)
			require.Equal(t, before, snapshot(l))
			return
		}
		if !added {
			require.Equal(t, "base", key)
			return
		}
		require.NoError(t, l.Retract(key))
		require.Equal(t, before, snapshot(l))
		_, err = l.Ingest(fact)
		require.NoError(t, err)
		require.Equal(t, before, snapshot(l), "a retracted key stays retracted")
	})
}
