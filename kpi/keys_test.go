package kpi

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// TestRecordFields checks that the packed fields of a record do not disturb
// each other at their extremes.
func TestRecordFields(t *testing.T) {
	for _, off := range []uint64{0, 1, keyChunk - 1, refMaxKeyOff} {
		for _, n := range []int{1, 7, MaxKeyLen} {
			r := record{ref: off<<refKeyOffShift | uint64(n)}
			for _, m := range []int{0, 1, 254, 255} {
				r.setMetric(m)
				r.set(flagLive | flagHasDims | flagCurrency)
				require.Equal(t, uint8(flagLive|flagHasDims|flagCurrency), r.flags())
				r.clear(flagHasDims | flagCurrency)
				require.Equal(t, off, r.keyOff())
				require.Equal(t, n, r.keyLen())
				require.Equal(t, m, r.metric())
				require.Equal(t, uint8(flagLive), r.flags())
				r.clear(flagLive)
				require.Equal(t, uint8(0), r.flags())
				require.Equal(t, m, r.metric())
			}
		}
	}
	require.Equal(t, 24, int(unsafeSizeofRecord()))
}

func unsafeSizeofRecord() uintptr { return unsafe.Sizeof(record{}) }
