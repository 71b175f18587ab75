package sqlstore

import (
	"math/big"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestHiLoRoundTrip(t *testing.T) {
	for _, s := range []string{
		"0", "1", "-1", "0.000000000001", "-0.000000000001", "12345678901234567.891",
		"999999999999999999999.999999999999", "-999999999999999999999.999999999999",
		"1000", "0.5", "123.456789012345",
	} {
		v := decimal.RequireFromString(s)
		for _, p := range []pairs{dayPairs, monthPairs} {
			hi, lo, _ := hiLoAt(v, p.exp)
			require.Less(t, abs(lo), pow10[p.exp], s)
			got := fromHiLo(big.NewInt(hi), big.NewInt(lo), big.NewInt(pow10[p.exp]))
			require.True(t, v.Equal(got), "%s came back as %s at 10^%d", s, got, p.exp)
		}
	}
}

func TestHiLoSumsExactly(t *testing.T) {
	// Sums of hi and lo parts, as SQLite's SUM computes them, join exactly.
	vals := []string{"0.01", "-0.02", "99999999999999.99", "12345678901234567.891", "-0.000000000001"}
	want, sh, sl := decimal.Zero, int64(0), int64(0)
	for _, s := range vals {
		v := decimal.RequireFromString(s)
		want = want.Add(v)
		hi, lo, _ := hiLo(v)
		sh, sl = sh+hi, sl+lo
	}
	got := fromHiLo(big.NewInt(sh), big.NewInt(sl), big.NewInt(loBase))
	require.True(t, want.Equal(got), "want %s, got %s", want, got)
}

func TestTrim(t *testing.T) {
	for in, want := range map[string]string{"110.000000000000": "110", "0.500": "0.5", "100": "100", "0.000": "0", "-2.10": "-2.1"} {
		require.Equal(t, want, trim(decimal.RequireFromString(in)).String())
	}
}

func TestRebind(t *testing.T) {
	pg, lite := dialect{PostgreSQL}, dialect{SQLite}
	q := "SELECT a FROM t WHERE b = ? AND c IN (?, ?)"
	require.Equal(t, "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)", pg.rebind(q))
	require.Equal(t, q, lite.rebind(q))
	require.Equal(t, "(?, ?), (?, ?), (?, ?)", placeholders(3, 2))
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestHiLoFastPathMatchesBig(t *testing.T) {
	for _, s := range []string{"123.45", "-0.01", "999999999999999999", "12345678.123456789012", "-99999.000000000001", "1e3", "5e-12", "0"} {
		v := decimal.RequireFromString(s)
		for _, p := range []pairs{dayPairs, monthPairs} {
			hi, lo, _ := hiLoAt(v, p.exp)
			x := v.Shift(12).BigInt()
			h, l := new(big.Int).QuoRem(x, big.NewInt(pow10[p.exp]), new(big.Int))
			require.Equal(t, h.Int64(), hi, s)
			require.Equal(t, l.Int64(), lo, s)
		}
	}
}

// appendDecimal writes what decimal.String writes, on the int64 path and
// off it.
func TestAppendDecimalIsString(t *testing.T) {
	for _, s := range []string{
		"0", "0.00", "1", "-1", "1.50", "-0.05", "0.000000000001", "123456789012345678", "1234567890123456789",
		"-999999999999999999.999999999999", "1e3", "12.3400", "100", "-100.10", "0.1000000000000000000001",
	} {
		v := decimal.RequireFromString(s)
		require.Equal(t, v.String(), string(appendDecimal(nil, v)), s)
	}
}

// dayArg and decArg write what the types' String methods write, faster.
func TestArgsAreStrings(t *testing.T) {
	for _, d := range []date.Date{goal.FirstDate, date.New(999, 12, 31), date.New(1000, 1, 1), date.New(2026, 2, 28),
		date.New(2026, 12, 31), date.New(9999, 12, 31), date.New(10000, 1, 1), date.New(-5, 3, 1)} {
		require.Equal(t, d.String(), dayArg(d))
	}
	for d := date.New(1999, 1, 1); d < date.New(2101, 1, 1); d++ {
		require.Equal(t, d.String(), dayArg(d))
	}
	for _, s := range []string{"0", "-1.50", "123456789012345678.9", "0.000000000001"} {
		v := decimal.RequireFromString(s)
		require.Equal(t, v.String(), decArg(v), s)
	}
}

func FuzzAppendDecimal(f *testing.F) {
	f.Add(int64(150), int32(-2))
	f.Add(int64(-5), int32(-20))
	f.Add(int64(7), int32(3))
	f.Fuzz(func(t *testing.T, c int64, e int32) {
		v := decimal.New(c, e%40)
		require.Equal(t, v.String(), string(appendDecimal(nil, v)))
	})
}

// parseSmallDecimal gives the coefficient and exponent parseDecimal gives,
// or declines.
func FuzzParseSmallDecimal(f *testing.F) {
	for _, s := range []string{"0", "-0.00", "123.4500", "-5", "1.", ".5", "-", "", "1e3", "NaN", "1234567890123456789", "12.34.5", "--1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, e, ok := parseSmallDecimal(s)
		if !ok {
			return
		}
		d, err := decimal.NewFromString(s)
		require.NoError(t, err, s)
		require.Equal(t, d.Exponent(), e, s)
		require.Zero(t, d.Coefficient().Cmp(big.NewInt(c)), s)
	})
}
