package exchange

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/goalkit/goalkit/internal/csvtable"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The field conventions every CSV file shares: dates are ISO 8601
// (2026-01-31), an empty date is none (the zero date); decimals are plain
// ("1200.50"), written with their own places so "60000000.00" stays so;
// booleans are "true" or "false" (empty is false).

func dateField(t *csvtable.Reader, col string) date.Date {
	return csvtable.Field(t, col, func(s string) (date.Date, error) {
		if s == "" {
			return 0, nil
		}
		d, ok := parseDay(s)
		if !ok {
			return 0, errNotADate
		}
		return d, nil
	})
}

var errNotADate = errors.New("not a date; write it as YYYY-MM-DD, e.g. 2026-01-31")

// parseDay reads YYYY-MM-DD strictly: 2026-13-01 and 2026-02-30 are not
// days (date.ParseISO would roll them over into the next month).
func parseDay(s string) (date.Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	num := func(b string) (int, bool) {
		n := 0
		for i := 0; i < len(b); i++ {
			if b[i] < '0' || b[i] > '9' {
				return 0, false
			}
			n = n*10 + int(b[i]-'0')
		}
		return n, true
	}
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return 0, false
	}
	return date.New(y, time.Month(m), d), true
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// optionalDate is dateField for a column the header may lack (no date).
func optionalDate(t *csvtable.Reader, col string) date.Date {
	if !t.Has(col) {
		return 0
	}
	return dateField(t, col)
}

func requiredDate(t *csvtable.Reader, col string) date.Date {
	if t.Text(col) == "" {
		t.Fail(col, csvtable.ErrRequired)
		return 0
	}
	return dateField(t, col)
}

func decimalField(t *csvtable.Reader, col string) decimal.Decimal {
	d := t.Decimal(col)
	if !d.Valid && t.Err() == nil {
		t.Fail(col, fmt.Errorf("%w; write a number such as 1200.50", csvtable.ErrRequired))
	}
	return d.Decimal
}

func nullDecimalField(t *csvtable.Reader, col string) decimal.NullDecimal {
	if !t.Has(col) {
		return decimal.NullDecimal{}
	}
	return t.Decimal(col)
}

func boolField(t *csvtable.Reader, col string) bool {
	if !t.Has(col) {
		return false
	}
	return csvtable.Field(t, col, func(s string) (bool, error) {
		if s == "" {
			return false, nil
		}
		b, err := strconv.ParseBool(s)
		if err != nil {
			return false, fmt.Errorf("write true or false")
		}
		return b, nil
	})
}

// boolText writes "true", or "" for false (the field's default).
func boolText(b bool) string {
	if b {
		return "true"
	}
	return ""
}

// optional is the column's text, "" when the header lacks it.
func optional(t *csvtable.Reader, col string) string {
	if !t.Has(col) {
		return ""
	}
	return t.Text(col)
}

// jsonField reads a column holding JSON (split credits, dimensions).
func jsonField[T any](t *csvtable.Reader, col, example string) T {
	var v T
	if !t.Has(col) {
		return v
	}
	return csvtable.Field(t, col, func(s string) (T, error) {
		if s == "" {
			return v, nil
		}
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			return v, fmt.Errorf("not the JSON this column takes (%v); write it as %s", err, example)
		}
		return v, nil
	})
}

// fixed prints d with its own places, keeping trailing zeros.
func fixed(d decimal.Decimal) string {
	return d.StringFixed(max(0, -d.Exponent()))
}

func fixedNull(d decimal.NullDecimal) string {
	if !d.Valid {
		return ""
	}
	return fixed(d.Decimal)
}

func nullText(d decimal.NullDecimal) *string {
	if !d.Valid {
		return nil
	}
	s := fixed(d.Decimal)
	return &s
}

func dateText(d date.Date) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

func jsonText(v any, empty bool) string {
	if empty {
		return ""
	}
	b, _ := json.Marshal(v) // maps of strings and credits: cannot fail
	return string(b)
}
