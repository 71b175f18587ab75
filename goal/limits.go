package goal

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The limits every goalkit package and store applies to what a host gives
// it, so that a value accepted by one store is accepted by all of them and a
// value refused is refused before anything is written. They are checked by
// TextProblem, InDateRange and CheckDecimal.
const (
	// MaxIDLen is the longest identifier in bytes: IDs and keys of units,
	// plans, goals, facts, deals, alerts and notifications, metric keys,
	// currency codes, funnel stages, and the keys of labels and dimensions.
	MaxIDLen = 512
	// MaxTextLen is the longest free text in bytes: names, kinds, period
	// labels, audit actors and reasons, the values of labels and
	// dimensions.
	MaxTextLen = 4096
	// MaxExponent bounds the exponent of a decimal: a value c × 10^e is
	// accepted for |e| ≤ MaxExponent and a coefficient c of at most
	// MaxExponent digits. Every real amount is far inside; the bound keeps
	// every conversion of an accepted decimal fast.
	MaxExponent = 1000
)

// FirstDate and LastDate are the first and last days goalkit accepts: years
// 0001 to 9999, so that ISO text sorts as dates do in every store.
var (
	FirstDate = date.New(1, 1, 1)
	LastDate  = date.New(9999, 12, 31)
)

// TextProblem returns what makes s unusable as a goalkit string of at most
// max bytes — invalid UTF-8, a NUL byte (PostgreSQL cannot store it in
// text), or more than max bytes — or "" when s is fine. Callers wrap the
// reason in their own typed error.
func TextProblem(s string, max int) string {
	switch {
	case len(s) > max:
		return fmt.Sprintf("it is %d bytes, more than the %d allowed", len(s), max)
	case !utf8.ValidString(s):
		return "it is not valid UTF-8"
	case strings.IndexByte(s, 0) >= 0:
		return "it holds a NUL byte"
	}
	return ""
}

// InDateRange reports whether d is within [FirstDate, LastDate].
func InDateRange(d date.Date) bool { return d >= FirstDate && d <= LastDate }

// excerptLen is how much of a long value an error message shows.
const excerptLen = 64

// Excerpt returns s shortened for an error message: at most 64 bytes, cut
// at a character boundary, followed by how long s was.
func Excerpt(s string) string {
	if len(s) <= excerptLen {
		return s
	}
	n := excerptLen
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return fmt.Sprintf("%s... (%d bytes)", s[:n], len(s))
}

// CheckDecimal reports whether v is within MaxExponent (see there): a
// *ValidationError matching ErrInvalid names field otherwise. It never
// builds v's digits, so it is fast for any v.
func CheckDecimal(field string, v decimal.Decimal) error {
	if e := v.Exponent(); e < -MaxExponent || e > MaxExponent {
		return invalid(field, ShowDecimal(v), "the exponent %d is outside ±%d; build the decimal from its digits (e.g. decimal.New(12345, -2))", e, MaxExponent)
	}
	if v.NumDigits() > MaxExponent {
		return invalid(field, ShowDecimal(v), "the value has %d digits, more than %d", v.NumDigits(), MaxExponent)
	}
	return nil
}

// ShowDecimal formats v for a message: its usual text when that is short,
// otherwise its first coefficient digits and its exponent (1e-2147483648),
// never building a long string.
func ShowDecimal(v decimal.Decimal) string {
	e := v.Exponent()
	if e >= -40 && e <= 40 && v.NumDigits() <= 40 {
		return v.String()
	}
	c := v.Coefficient()
	if c.BitLen() > 4*excerptLen { // more digits than a message shows
		return fmt.Sprintf("a %d-digit coefficient ×10^%d", v.NumDigits(), e)
	}
	return fmt.Sprintf("%se%d", c.String(), e)
}
