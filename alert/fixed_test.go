package alert

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// fixedText is StringFixed (amountText the same, grouped; percentText the
// same, shifted two places), halves, negatives, signs of rounded-away zeros
// and figures too large for 64 bits included.
func TestFixedTextIsStringFixed(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	ds := []decimal.Decimal{decimal.Zero, decimal.New(5, -2), decimal.New(-5, -2), decimal.New(-4, -2), decimal.New(45, -3),
		decimal.New(-45, -3), decimal.RequireFromString("123456789012345678901234.5678"), decimal.New(999_999_999_999_999_999, 0),
		decimal.New(-999_999_999_999_999_999, -18), decimal.New(1, 30), decimal.New(1, -30), decimal.New(7, 5)}
	for range 20000 {
		c := r.Int64N(pow10i[r.IntN(19)])
		if r.IntN(2) == 0 {
			c = -c
		}
		ds = append(ds, decimal.New(c, int32(r.IntN(30))-20))
	}
	for _, d := range ds {
		for places := int32(0); places <= 18; places++ {
			require.Equal(t, d.StringFixed(places), fixedText(d, places), "%s to %d places", d, places)
			require.Equal(t, grouped(d.StringFixed(places)), amountText(d, places), "%s to %d places, grouped", d, places)
		}
		require.Equal(t, d.Shift(2).StringFixed(1)+"%", percentText(d), "%s as a percentage", d)
	}
}

// grouped puts thousands separators into the integer part of a fixed-point
// text: "-1234567.80" → "-1,234,567.80".
func grouped(s string) string {
	sign, rest := "", s
	if strings.HasPrefix(s, "-") {
		sign, rest = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(rest, ".")
	var parts []string
	for len(intPart) > 3 {
		parts = append([]string{intPart[len(intPart)-3:]}, parts...)
		intPart = intPart[:len(intPart)-3]
	}
	out := sign + strings.Join(append([]string{intPart}, parts...), ",")
	if hasFrac {
		out += "." + frac
	}
	return out
}

func TestDayTextIsTheDateFormat(t *testing.T) {
	for _, d := range []date.Date{date.New(999, time.December, 31), date.New(1000, time.January, 1), date.New(2026, time.September, 5),
		date.New(2026, time.December, 25), date.New(9999, time.December, 31), date.New(10000, time.January, 1)} {
		require.Equal(t, d.Format("2 Jan 2006"), dayText(d))
	}
	for d := date.New(2024, time.January, 1); d < date.New(2027, time.January, 1); d++ {
		require.Equal(t, d.Format("2 Jan 2006"), dayText(d))
	}
}

// signedText formats as fmt's %.*f did, then writes a true minus sign.
func TestSignedTextFormatsAsPrintf(t *testing.T) {
	for _, v := range []float64{0, math.Copysign(0, -1), -0.004, 2.905, -2.905, 1e21, math.Inf(1), math.Inf(-1), math.NaN(), -123.456} {
		want := fmt.Sprintf("%.*f", 2, v)
		if strings.HasPrefix(want, "-") {
			if strings.Trim(want[1:], "0.") == "" {
				want = want[1:]
			} else {
				want = "−" + want[1:]
			}
		}
		require.Equal(t, want, signedText(v, 2), "%v", v)
	}
}
