package alert

import (
	"strconv"
	"strings"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Every goal rule writes a message with several amounts and a day in it, so
// these write them without big-integer formatting when the figures fit 64
// bits: the same text as the decimal and date packages, a test holds them
// together.

// fixedText returns d.StringFixed(places) for places in [0, 18].
func fixedText(d decimal.Decimal, places int32) string {
	if q, ok := fixedUnits(d, 0, places); ok {
		return string(appendUnits(make([]byte, 0, 24), q, places, false))
	}
	return d.StringFixed(places)
}

// groupedText returns fixedText(d, places) with thousands separators in
// the integer part, e.g. "1,450,000.00".
func groupedText(d decimal.Decimal, places int32) string {
	if q, ok := fixedUnits(d, 0, places); ok {
		return string(appendUnits(make([]byte, 0, 32), q, places, true))
	}
	s := d.StringFixed(places)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// fixedUnits returns d × 10^shift rounded half away from zero to a whole
// number of 10^-places, and false when places is outside [0, 18] or the
// figure does not fit 18 digits.
func fixedUnits(d decimal.Decimal, shift, places int32) (int64, bool) {
	if places < 0 || places > 18 || d.NumDigits() > 18 {
		return 0, false
	}
	c := d.CoefficientInt64()
	k := int64(d.Exponent()) + int64(shift) + int64(places) // c × 10^k units of 10^-places
	switch {
	case k >= 0:
		if k > 18 {
			return 0, c == 0
		}
		hi := c * pow10i[k]
		if c != 0 && (hi/pow10i[k] != c || hi > 999_999_999_999_999_999 || hi < -999_999_999_999_999_999) {
			return 0, false
		}
		return hi, true
	case k >= -18:
		p := pow10i[-k]
		q := c / p
		if r := c % p; r >= p-r && r > 0 { // half away from zero
			q++
		} else if r < 0 && -r >= p+r {
			q--
		}
		return q, true
	}
	return 0, true // |d| < 10^-places / 2: rounds to zero
}

// appendUnits writes q units of 10^-places with a point, as StringFixed
// does, and with thousands separators when grouped.
func appendUnits(b []byte, q int64, places int32, grouped bool) []byte {
	u := uint64(q)
	if q < 0 {
		b = append(b, '-')
		u = uint64(-q)
	}
	var digits [24]byte
	ds := strconv.AppendUint(digits[:0], u, 10)
	for int32(len(ds)) <= places {
		ds = append([]byte{'0'}, ds...)
	}
	n := len(ds) - int(places)
	for i := range n {
		if grouped && i > 0 && (n-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, ds[i])
	}
	if places > 0 {
		b = append(b, '.')
		b = append(b, ds[n:]...)
	}
	return b
}

var pow10i = [19]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

var monthAbbr = [13]string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// dayText formats a day for a message, e.g. "15 Sep 2026": d.Format("2 Jan 2006").
func dayText(d date.Date) string {
	y, m, day := d.Date()
	if y < 1000 || y > 9999 {
		return d.Format("2 Jan 2006")
	}
	b := make([]byte, 0, 11)
	b = strconv.AppendInt(b, int64(day), 10)
	b = append(b, ' ')
	b = append(b, monthAbbr[m]...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(y), 10)
	return string(b)
}
