package kpi

import (
	"math"
	"math/bits"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Fact is one actual event: a call made, a visit paid, a deal won, an order
// booked, a payment collected (回款). Hosts map their CRM records to facts.
//
// Key makes ingestion idempotent: a fact whose key was seen before counts
// once; the same key with different content is a conflict, never a silent
// overwrite. Corrections are explicit (retract or replace by key).
type Fact struct {
	// Key is the idempotency key, unique per ledger, 1 to MaxKeyLen bytes
	// of valid UTF-8 without NUL bytes, e.g. "crm:opportunity:1C1I7A6R:won".
	Key    string    `json:"key"`
	Metric string    `json:"metric"`         // metric key
	Unit   string    `json:"unit,omitempty"` // unit credited; must be empty when Credits is set
	Date   date.Date `json:"date"`           // the day the event counts on
	// Value is the amount, count or quantity, with at most the metric's
	// decimal places (goalkit never rounds a fact). Amounts and quantities
	// may be negative (a refund, a credit note); counts may not.
	Value decimal.Decimal `json:"value"`
	// Currency must equal the metric's currency for amounts; empty means the
	// metric's currency. It must be empty for counts and quantities.
	Currency string `json:"currency,omitempty"`
	// Credits splits the fact over several units (split credit), each with
	// a share; the shares sum to exactly 1. Each unit is credited its share of
	// Value, allocated exactly in the metric's minor units by the largest
	// remainder method (SplitMinor: a remainder tie goes to the credit
	// listed first), and every ancestor gets the sum over its subtree, so a parent
	// always equals the sum of its children (plus its own facts) and a deal
	// split between two reps of one team counts once for the team.
	Credits []Credit `json:"credits,omitempty"`
	// Dims are optional dimensions: product, customer, stage, channel, ...
	// They take part in the conflict check (a 64-bit fingerprint is kept, not
	// the text) but the ledger does not bucket by them. Keys are identifiers
	// (at most goal.MaxIDLen bytes), values text (goal.MaxTextLen); both
	// valid UTF-8 without NUL bytes, as every store requires.
	Dims map[string]string `json:"dims,omitempty"`
	// End, when set, makes a range fact: Value covers the days [Date, End)
	// (a weekly sales total, a monthly invoice run) and is spread over them
	// exactly (SpreadDays). It is still one fact: idempotent by Key,
	// retracted or replaced as a whole. Zero means a fact of the one day
	// Date. A range holds at most MaxRangeDays days.
	End date.Date `json:"end,omitempty"`
	// WorkingDays spreads a range fact over the working days of the store's
	// calendar instead of every calendar day; it needs End.
	WorkingDays bool `json:"working_days,omitempty"`
	// Converted, when set, says the fact was booked in another currency
	// and Value is its conversion into the metric's currency (see
	// Conversion). Engine ingest sets it; hosts leave it nil.
	Converted *Conversion `json:"converted,omitempty"`
}

// Conversion is what a fact booked in another currency was before it was
// converted into its metric's currency: the original amount and currency
// and the rate used (metric currency per unit of Currency, as of the
// fact's Date). Value = Amount × Rate, rounded half to even to the
// metric's places.
type Conversion struct {
	Currency string          `json:"currency"`
	Amount   decimal.Decimal `json:"amount"`
	Rate     decimal.Decimal `json:"rate"`
}

// Credit is one unit's share of a split fact.
type Credit struct {
	Unit string `json:"unit"`
	// Share is in (0, 1] with at most SharePlaces decimal places, e.g. 0.5 or
	// 0.333334. The shares of one fact sum to exactly 1.
	Share decimal.Decimal `json:"share"`
}

const (
	// MaxKeyLen is the longest fact key the ledger accepts, in bytes: the
	// identifier limit every goalkit store applies (goal.MaxIDLen).
	MaxKeyLen = goal.MaxIDLen
	// MaxCredits is the most units one fact may be split over.
	MaxCredits = 1024
	// SharePlaces is the most decimal places a Credit.Share may have. Counts
	// of facts are kept in millionths of a fact, so a fact split 50/50 counts
	// 0.5 for each rep and 1 for their team.
	SharePlaces = 6
	shareScale  = 1_000_000
)

var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// toMinor converts v to an integer number of 10^-places units. ok is false
// when v has more decimal places than places; fits is false when the result
// does not fit an int64 (math.MinInt64 is excluded so that every value can
// be negated). It does not allocate for coefficients of up to 18 digits.
func toMinor(v decimal.Decimal, places int32) (minor int64, ok, fits bool) {
	if v.NumDigits() <= 18 {
		c := v.CoefficientInt64()
		shift := int64(v.Exponent()) + int64(places) // int64: no wrap for any exponent
		switch {
		case shift == 0:
			return c, true, true
		case shift > 0:
			if shift > 18 {
				return 0, true, c == 0
			}
			hi, lo := bits.Mul64(uabs(c), uint64(pow10[shift]))
			if hi != 0 || lo > math.MaxInt64 {
				return 0, true, false
			}
			if c < 0 {
				return -int64(lo), true, true
			}
			return int64(lo), true, true
		default:
			if -shift > 18 {
				return 0, c == 0, true
			}
			p := pow10[-shift]
			if c%p != 0 {
				return 0, false, true
			}
			return c / p, true, true
		}
	}
	// Very long coefficients (e.g. "10.000000000000000000000"): the slow,
	// allocating path, bounded by the coefficient's own digits.
	if !goal.FitsPlaces(v, places) {
		return 0, false, true
	}
	if int64(v.NumDigits())+int64(v.Exponent())+int64(places) > 19 {
		return 0, true, false // at least 10^19 minor units
	}
	b := v.Shift(places).BigInt()
	if !b.IsInt64() || b.Int64() == math.MinInt64 {
		return 0, true, false
	}
	return b.Int64(), true, true
}

func uabs(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}

// fromMinor returns minor × 10^-places as a decimal.
func fromMinor(minor int64, places int32) decimal.Decimal {
	return decimal.New(minor, -places)
}
