package goal

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Kind says what a metric measures.
type Kind uint8

const (
	// Amount is money in one currency, e.g. contract amount or payments
	// collected (回款). Amounts of different currencies are never added.
	Amount Kind = iota + 1
	// Count is a whole number of events: calls, visits, new leads, deals won.
	Count
	// Quantity is any other measured quantity, with the decimal places the
	// metric declares (units shipped, hours, kilograms).
	Quantity
)

// String names the value in words (what %v prints).
func (k Kind) String() string {
	switch k {
	case Amount:
		return "amount"
	case Count:
		return "count"
	case Quantity:
		return "quantity"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Direction says whether more of a metric is better (revenue) or less is
// (cycle time, discount given, cost of sales).
type Direction uint8

const (
	// HigherIsBetter is the zero value: reaching or passing the target is good.
	HigherIsBetter Direction = iota
	// LowerIsBetter means staying at or under the target is good.
	LowerIsBetter
)

// String names the value in words (what %v prints).
func (d Direction) String() string {
	if d == LowerIsBetter {
		return "lower is better"
	}
	return "higher is better"
}

// MaxPlaces is the largest number of decimal places a metric may declare.
const MaxPlaces = 12

// Metric describes what is measured and how precisely. Targets and actuals of
// a metric are exact decimals with at most Places decimal places.
type Metric struct {
	Key       string    `json:"key"`                // stable identifier, e.g. "revenue", "calls"
	Name      string    `json:"name,omitempty"`     // human name, e.g. "合同金额" or "Contract amount"
	Kind      Kind      `json:"kind"`               // amount, count or quantity
	Currency  string    `json:"currency,omitempty"` // ISO 4217 code; required for amounts, empty otherwise
	Places    int32     `json:"places"`             // decimal places: 2 for most currencies, 0 for counts
	Direction Direction `json:"direction"`          // higher or lower is better
}

// Validate reports whether the metric is well formed, its key and name
// within the input limits (TextProblem).
func (m Metric) Validate() error {
	switch {
	case m.Key == "":
		return invalid("metric", m.Name, "the key is empty; give every metric a stable key such as \"revenue\"")
	case m.Kind < Amount || m.Kind > Quantity:
		return invalid("metric", m.Key, "kind %d is unknown; use goal.Amount, goal.Count or goal.Quantity", m.Kind)
	case m.Places < 0 || m.Places > MaxPlaces:
		return invalid("metric", m.Key, "%d decimal places is outside 0..%d", m.Places, MaxPlaces)
	case m.Kind == Count && m.Places != 0:
		return invalid("metric", m.Key, "a count has 0 decimal places, not %d", m.Places)
	case m.Kind == Amount && !isCurrencyCode(m.Currency):
		return invalid("metric", m.Key, "amount needs a 3-letter ISO 4217 currency code such as \"CNY\", got %q", m.Currency)
	case m.Kind != Amount && m.Currency != "":
		return invalid("metric", m.Key, "only amounts carry a currency; drop %q or make the metric an amount", m.Currency)
	case m.Direction > LowerIsBetter:
		return invalid("metric", m.Key, "direction %d is unknown", m.Direction)
	case TextProblem(m.Key, MaxIDLen) != "":
		return invalid("metric", m.Key, "the key: %s", TextProblem(m.Key, MaxIDLen))
	case TextProblem(m.Name, MaxTextLen) != "":
		return invalid("metric", m.Key, "the name: %s", TextProblem(m.Name, MaxTextLen))
	}
	return nil
}

// CheckValue reports whether v can be a value of m: its exponent within
// MaxExponent (CheckDecimal) and no more decimal places than the metric
// allows (goalkit never rounds silently).
func (m Metric) CheckValue(v decimal.Decimal) error {
	if err := CheckDecimal("value", v); err != nil {
		return err
	}
	if !FitsPlaces(v, m.Places) {
		return invalid("value", v.String(), "metric %q allows %d decimal places; round it in the host before passing it", m.Key, m.Places)
	}
	return nil
}

// FitsPlaces reports whether v has at most places decimal places. It is
// fast for any exponent: it never scales v by more than its own digits.
func FitsPlaces(v decimal.Decimal, places int32) bool {
	k := -int64(v.Exponent()) - int64(places) // places beyond the allowed ones
	switch {
	case k <= 0 || v.Sign() == 0:
		return true
	case k >= int64(v.NumDigits()):
		return false // a non-zero coefficient is not a multiple of 10^k
	}
	return v.Equal(v.Truncate(places))
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
