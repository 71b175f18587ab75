package alert

import (
	"strconv"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Every goal rule writes a message with several amounts and a day in it, so
// these write them without big-integer formatting when the figures fit 64
// bits: the same text as the decimal and date packages, a test holds them
// together.

// fixedText returns d.StringFixed(places) for places in [0, 18].
func fixedText(d decimal.Decimal, places int32) string {
	if places < 0 || places > 18 || d.NumDigits() > 18 {
		return d.StringFixed(places)
	}
	c, e := d.CoefficientInt64(), d.Exponent()
	shift := int64(e) + int64(places) // c × 10^shift units of 10^-places
	var q int64
	switch {
	case shift >= 0:
		if shift > 18 {
			return d.StringFixed(places)
		}
		hi := c * pow10i[shift]
		if c != 0 && (hi/pow10i[shift] != c || hi > 999_999_999_999_999_999 || hi < -999_999_999_999_999_999) {
			return d.StringFixed(places)
		}
		q = hi
	case shift >= -18:
		p := pow10i[-shift]
		q = c / p
		if r := c % p; r >= p-r && r > 0 { // half away from zero
			q++
		} else if r < 0 && -r >= p+r {
			q--
		}
	default:
		q = 0 // |d| < 10^-places / 2: rounds to zero
	}
	return formatUnits(q, places)
}

// formatUnits writes q units of 10^-places with a point, as StringFixed does.
func formatUnits(q int64, places int32) string {
	neg := q < 0
	u := uint64(q)
	if neg {
		u = uint64(-q)
	}
	digits := strconv.AppendUint(make([]byte, 0, 24), u, 10)
	for int32(len(digits)) <= places {
		digits = append([]byte{'0'}, digits...)
	}
	b := make([]byte, 0, len(digits)+2)
	if neg {
		b = append(b, '-')
	}
	n := int32(len(digits)) - places
	b = append(b, digits[:n]...)
	if places > 0 {
		b = append(b, '.')
		b = append(b, digits[n:]...)
	}
	return string(b)
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
