package sqlstore

import (
	"database/sql"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// dialect holds what differs between SQLite and PostgreSQL: placeholders,
// how days, times and bucket totals are represented.
type dialect struct {
	Dialect
}

// rebind turns the ? placeholders the store writes into $1, $2, ... for
// PostgreSQL. The store's SQL has no ? inside literals.
func (d dialect) rebind(q string) string {
	if d.Dialect != PostgreSQL || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// placeholders returns "(?, ?, ?), (?, ?, ?)" for rows of width columns.
func placeholders(rows, width int) string {
	return rowsOf("("+strings.TrimSuffix(strings.Repeat("?, ", width), ", ")+")", rows)
}

// rowsOf returns n copies of row, comma-separated.
func rowsOf(row string, n int) string {
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// dayArg is how a day is passed: ISO text, which SQLite stores and
// PostgreSQL converts to DATE.
func dayArg(d date.Date) any {
	var b [10]byte
	return string(appendDay(b[:0], d))
}

// appendDay appends d as d.String() writes it, YYYY-MM-DD, without fmt
// for the four-digit years goalkit stores.
func appendDay(b []byte, d date.Date) []byte {
	y, m, dd := d.Date()
	if y < 1000 || y > 9999 {
		return append(b, d.String()...)
	}
	b = strconv.AppendInt(b, int64(y), 10)
	return append(b, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+dd/10), byte('0'+dd%10))
}

// timeArg is how a time is passed: microseconds in SQLite, a UTC time in
// PostgreSQL. The zero time is stored as itself (year 1), so it sorts first
// everywhere.
func (d dialect) timeArg(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if d.Dialect == SQLite {
		return t.UnixMicro()
	}
	return t
}

// nullDayArg is dayArg for an optional day: the zero date.Date (not set)
// is NULL.
func nullDayArg(d date.Date) any {
	if d == 0 {
		return nil
	}
	return dayArg(d)
}

// decArg is how a decimal is passed: its text, v.String() (appendDecimal).
func decArg(v decimal.Decimal) any {
	var b [24]byte
	return string(appendDecimal(b[:0], v))
}

func nullDecArg(v decimal.NullDecimal) any {
	if !v.Valid {
		return nil
	}
	return v.Decimal.String()
}

// dayScan scans a DATE (time.Time) or ISO text into a date.Date.
type dayScan struct{ d *date.Date }

func (s dayScan) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		*s.d = date.New(x.Year(), x.Month(), x.Day())
		return nil
	case string:
		return s.parse(x)
	case []byte:
		return s.parse(string(x))
	}
	return fmt.Errorf("sqlstore: cannot read a day from %T", v)
}

func (s dayScan) parse(x string) error {
	if len(x) > 10 {
		x = x[:10]
	}
	d, err := date.ParseISO(x)
	if err != nil {
		return fmt.Errorf("sqlstore: read day %q: %w", x, err)
	}
	*s.d = d
	return nil
}

// nullDayScan is dayScan for an optional day: NULL leaves the zero
// date.Date (not set).
type nullDayScan struct{ d *date.Date }

func (s nullDayScan) Scan(v any) error {
	if v == nil {
		*s.d = 0
		return nil
	}
	return dayScan(s).Scan(v)
}

// timeScan scans microseconds or a timestamp into a UTC time; a NULL or the
// year-1 instant becomes the zero time.
type timeScan struct{ t *time.Time }

func (s timeScan) Scan(v any) error {
	var t time.Time
	switch x := v.(type) {
	case nil:
	case int64:
		t = time.UnixMicro(x)
	case time.Time:
		t = x
	default:
		return fmt.Errorf("sqlstore: cannot read a time from %T", v)
	}
	t = t.UTC()
	if t.IsZero() {
		t = time.Time{}
	}
	*s.t = t
	return nil
}

// decScan scans NUMERIC or TEXT into an exact decimal. It refuses floating
// point, which would have lost digits already.
type decScan struct{ d *decimal.NullDecimal }

func (s decScan) Scan(v any) error {
	var txt string
	switch x := v.(type) {
	case nil:
		*s.d = decimal.NullDecimal{}
		return nil
	case string:
		txt = x
	case []byte:
		txt = string(x)
	case int64:
		*s.d = decimal.NewNullDecimal(decimal.NewFromInt(x))
		return nil
	default:
		return fmt.Errorf("sqlstore: a decimal came back as %T; the column must be TEXT (SQLite) or NUMERIC (PostgreSQL)", v)
	}
	d, err := parseDecimal(txt)
	if err != nil {
		return fmt.Errorf("sqlstore: %w", err)
	}
	*s.d = decimal.NewNullDecimal(d)
	return nil
}

// dec scans a non-null decimal.
type dec struct{ d *decimal.Decimal }

func (s dec) Scan(v any) error {
	var n decimal.NullDecimal
	if err := (decScan{&n}).Scan(v); err != nil {
		return err
	}
	if !n.Valid {
		return fmt.Errorf("sqlstore: unexpected NULL decimal")
	}
	*s.d = n.Decimal
	return nil
}

var _ sql.Scanner = dec{}

// Bucket totals in SQLite are exact integers at scale 10^-12 kept as
// value = hi*loBase + lo with |lo| < loBase, so that SUM over many rows
// stays within int64 (SQLite's SUM fails loudly on overflow, and the store
// then sums the rows itself). Monthly rows, never summed by SQLite, use
// the wider base 10^17 (monthPairs).
const loBase = 1_000_000_000_000_000

var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17}

// hiLo splits v (at most 12 places) into hi and lo at base loBase, with ok
// false when hi does not fit an int64 (|v| beyond about 9.2×10^21: a sum
// of many facts).
func hiLo(v decimal.Decimal) (hi, lo int64, ok bool) { return hiLoAt(v, dayPairs.exp) }

// hiLoAt splits v (at most 12 places) into hi and lo at base 10^e
// (e at most 17): v·10^12 = hi·10^e + lo, with ok false when hi does not
// fit an int64.
func hiLoAt(v decimal.Decimal, e int) (hi, lo int64, ok bool) {
	// Fast path: the coefficient fits int64 and v·10^12 = c·10^k with
	// 0 <= k <= e, so hi = c / 10^(e-k) and lo = (c mod 10^(e-k))·10^k.
	if k := 12 + int(v.Exponent()); k >= 0 && k <= e && v.NumDigits() <= 18 {
		c := v.CoefficientInt64()
		return c / pow10[e-k], c % pow10[e-k] * pow10[k], true
	}
	x := v.Shift(12).BigInt()
	h, l := new(big.Int).QuoRem(x, big.NewInt(pow10[e]), new(big.Int))
	return h.Int64(), l.Int64(), h.IsInt64()
}

// fromHiLo joins hi*base + lo at scale 10^-12 into a decimal with no
// trailing zeros.
func fromHiLo(hi, lo, base *big.Int) decimal.Decimal {
	x := new(big.Int).Mul(hi, base)
	x.Add(x, lo)
	return trim(decimal.NewFromBigInt(x, -12))
}

// trim drops trailing fractional zeros: 110.000000000000 becomes 110.
func trim(d decimal.Decimal) decimal.Decimal {
	e := d.Exponent()
	if e >= 0 {
		return d
	}
	c := d.Coefficient()
	ten, q, m := big.NewInt(10), new(big.Int), new(big.Int)
	for e < 0 {
		q.QuoRem(c, ten, m)
		if m.Sign() != 0 {
			break
		}
		c, q = q, c
		e++
	}
	return decimal.NewFromBigInt(c, e)
}

// totalScan reads a bucket total (value and count) from the dialect's
// columns: value, n in PostgreSQL (when not packed: packed.go); v_hi,
// v_lo, n_hi, n_lo in SQLite.
type totalScan struct {
	sqlite             bool
	v, n               rollup.Sum
	vh, vl, nh, nl     int64
	bh, bl             *big.Int
	dayBase, monthBase *big.Int
}

func newTotalScan(sqlite bool) *totalScan {
	return &totalScan{sqlite: sqlite, bh: new(big.Int), bl: new(big.Int),
		dayBase: big.NewInt(pow10[dayPairs.exp]), monthBase: big.NewInt(pow10[monthPairs.exp])}
}

// dest returns the scan destinations: head, then the total's columns.
func (s *totalScan) dest(head ...any) []any {
	if s.sqlite {
		return append(head, &s.vh, &s.vl, &s.nh, &s.nl)
	}
	return append(head, sumScan{&s.v}, sumScan{&s.n})
}

// total returns the value and count of the row last scanned, a monthly
// row if month (whose SQLite pairs have the wider base).
func (s *totalScan) total(month bool) (v, n rollup.Sum) {
	if !s.sqlite {
		return s.v, s.n
	}
	base := s.dayBase
	if month {
		base = s.monthBase
	}
	v.Add(fromHiLo(s.bh.SetInt64(s.vh), s.bl.SetInt64(s.vl), base))
	n.Add(fromHiLo(s.bh.SetInt64(s.nh), s.bl.SetInt64(s.nl), base))
	return v, n
}

// sumScan reads a NUMERIC as a rollup.Sum: the text of at most 18 digits
// (what bucket totals are) straight into an int64 coefficient, anything
// else through parseDecimal. The coefficient and exponent are the ones
// parseDecimal gives.
type sumScan struct{ s *rollup.Sum }

func (s sumScan) Scan(v any) error {
	if txt, ok := v.(string); ok {
		if c, e, ok := parseSmallDecimal(txt); ok {
			*s.s = rollup.SumOf(c, e)
			return nil
		}
	}
	var d decimal.Decimal
	if err := (dec{&d}).Scan(v); err != nil {
		return err
	}
	*s.s = rollup.Sum{}
	s.s.Add(d)
	return nil
}

// parseSmallDecimal parses [-]digits[.digits] of at most 18 digits into
// its coefficient and exponent, or reports false.
func parseSmallDecimal(s string) (int64, int32, bool) {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	var c int64
	var e int32
	digits, point := 0, false
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9':
			if digits++; digits > 18 {
				return 0, 0, false
			}
			c = c*10 + int64(ch-'0')
			if point {
				e--
			}
		case ch == '.' && !point && i > 0 && i < len(s)-1:
			point = true
		default:
			return 0, 0, false
		}
	}
	if digits == 0 {
		return 0, 0, false
	}
	if neg {
		c = -c
	}
	return c, e, true
}
